#include "sql/planner/file_pattern.h"

#include <glob.h>
#include <sys/stat.h>

namespace tenantdb::sql {

Result<std::vector<std::string>> ExpandFilePattern(const std::string& pattern,
                                                   std::string_view function) {
  const size_t slash = pattern.rfind('/');
  if (slash != std::string::npos && pattern.find_first_of("*?[", 0) < slash) {
    return Status(ErrorCode::kFeatureNotSupported,
                  std::string(function) +
                      " takes wildcards only in the file name, not in directories: \"" + pattern +
                      "\"");
  }
  glob_t matched{};
  const int rc = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &matched);
  std::vector<std::string> files;
  if (rc == 0) {
    for (size_t i = 0; i < matched.gl_pathc; ++i) {
      struct stat st {};
      if (::stat(matched.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode)) {
        files.emplace_back(matched.gl_pathv[i]);
      }
    }
  }
  ::globfree(&matched);
  if (rc == GLOB_NOMATCH || (rc == 0 && files.empty())) {
    return Status(ErrorCode::kIoError, "could not open file \"" + pattern +
                                           "\": no regular file matches it on the server");
  }
  if (rc != 0) {
    return Status(ErrorCode::kIoError,
                  "could not read the directories of \"" + pattern + "\" on the server");
  }
  return files;
}

}  // namespace tenantdb::sql
