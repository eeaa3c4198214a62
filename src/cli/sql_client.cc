// OpenClient: the embedded or the remote SqlClient, as the command line chose.
#include "cli/sql_client.h"

#include "cli/embedded_client.h"
#include "cli/remote_session.h"
#include "ids/identifier.h"

namespace tenantdb::cli {

Result<std::unique_ptr<SqlClient>> OpenClient(const ConnectOptions& options) {
  if (options.url.empty()) return OpenEmbeddedClient(options);
  // The user's name is checked here so that a typo fails before the password prompt.
  TDB_RETURN_IF_ERROR(UserId::Make(options.user).status());
  TDB_ASSIGN_OR_RETURN(std::string password, ReadPassword(options.user));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<RemoteSession> session,
                       RemoteSession::Open(options.url, options.user, std::move(password)));
  return std::unique_ptr<SqlClient>(std::move(session));
}

}  // namespace tenantdb::cli
