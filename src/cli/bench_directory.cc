#include "cli/bench_directory.h"

#include <unistd.h>

#include <filesystem>

namespace tenantdb::cli {

Status RunInBenchDirectory(std::string_view bench, const std::string& directory, bool keep,
                           const std::function<Status(const std::string& dir)>& workload) {
  std::string dir = directory;
  const bool temporary = dir.empty();
  if (temporary) {
    dir = (std::filesystem::temp_directory_path() /
           ("tenantdb-bench-" + std::string(bench) + "-" + std::to_string(getpid())))
              .string();
  }
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status(ErrorCode::kIoError, "cannot create " + dir + ": " + error.message());
  }
  Status status = workload(dir);
  if (temporary && !keep) std::filesystem::remove_all(dir, error);
  return status;
}

}  // namespace tenantdb::cli
