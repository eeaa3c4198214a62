// `tenantdb serve` as a child of a benchmark: this same binary (/proc/self/exe) on a data
// directory the caller owns, listening on 127.0.0.1 and an ephemeral port, with the root
// password given through TENANTDB_ROOT_PASSWORD. Start waits for the server's
// "listening on http://HOST:PORT" line in its log and for GET /health to answer 200.
// The destructor stops the server (SIGTERM, then SIGKILL after the grace period).
// Not thread-safe; start it from the main thread (see ChildProcess).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/bench_child_process.h"
#include "common/status.h"

namespace tenantdb::cli {

struct ServeOptions {
  std::string data_dir;
  std::string root_password;
  std::string log_path;                 // the server's stdout and stderr
  std::vector<std::string> extra_args;  // appended to `serve --data D --listen 127.0.0.1:0`
};

class ServeProcess {
 public:
  static Result<std::unique_ptr<ServeProcess>> Start(const ServeOptions& options);

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t pid() const { return child_.pid(); }
  // The server's thread count (/proc/<pid>/status Threads), 0 when it is gone.
  int Threads() const;
  // Stops the server; returns its wait status.
  int Stop() { return child_.Stop(); }

 private:
  ServeProcess() = default;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  ChildProcess child_;
};

}  // namespace tenantdb::cli
