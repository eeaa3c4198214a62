// OpenClient: the embedded or the remote SqlClient, as the command line chose.
#include "cli/sql_client.h"

#include "cli/embedded_client.h"
#include "cli/remote_session.h"
#include "ids/identifier.h"

namespace tenantdb::cli {

Result<std::unique_ptr<SqlClient>> OpenClient(const ConnectOptions& options) {
  if (options.url.empty()) return OpenEmbeddedClient(options);
  // The URL and the user's name are checked first, so that a typo fails before the
  // password prompt.
  TDB_ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(options.url));
  TDB_RETURN_IF_ERROR(UserId::Make(options.user).status());
  TDB_ASSIGN_OR_RETURN(std::string password, ReadServerPassword(options.user));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<RemoteSession> session,
                       RemoteSession::Open(std::move(url), options.user, std::move(password)));
  return std::unique_ptr<SqlClient>(std::move(session));
}

}  // namespace tenantdb::cli
