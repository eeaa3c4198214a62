// The working directory of a benchmark that starts its own servers (bench http, live,
// pgwire): the one the user named (erased first, kept afterwards) or a temporary one
// under the system's temp directory, removed afterwards unless `keep`.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb::cli {

// Runs `workload` in that directory and returns its status. Error io_error when the
// directory cannot be made.
Status RunInBenchDirectory(std::string_view bench, const std::string& directory, bool keep,
                           const std::function<Status(const std::string& dir)>& workload);

}  // namespace tenantdb::cli
