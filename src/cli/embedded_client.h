// The embedded SqlClient: one Session on a data directory opened in this process
// (Connect() in sql_command.cc), results read through its cursors.
// Thread safety: as SqlClient.
#pragma once

#include <memory>

#include "cli/sql_client.h"

namespace tenantdb::cli {

// Opens options.data (created if missing) and a session as options.user / options.role.
Result<std::unique_ptr<SqlClient>> OpenEmbeddedClient(const ConnectOptions& options);

}  // namespace tenantdb::cli
