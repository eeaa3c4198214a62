// ExpandFilePattern: the server files a table function's 'path or glob' argument names
// (read_parquet, read_csv), resolved once when the statement is bound. Owns the rules
// both functions share: glob(3) wildcards only in the file name (so a pattern costs one
// directory listing), only regular files (a FIFO or device could block the statement),
// sorted by name.
//
// Errors: feature_not_supported for a wildcard in a directory; io_error when no regular
// file matches or a directory cannot be read. Messages name `function` and the pattern.
// Thread safety: a pure function over the file system.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb::sql {

Result<std::vector<std::string>> ExpandFilePattern(const std::string& pattern,
                                                   std::string_view function);

}  // namespace tenantdb::sql
