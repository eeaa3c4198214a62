#include "cli/bench_serve_process.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "cli/bench_http_client.h"

namespace tenantdb::cli {

namespace {

// The path of this binary: `serve` is a subcommand of the same executable.
Result<std::string> SelfExecutable() {
  std::string path(4096, '\0');
  const ssize_t n = readlink("/proc/self/exe", path.data(), path.size() - 1);
  if (n <= 0) return Status(ErrorCode::kIoError, "cannot read /proc/self/exe");
  path.resize(size_t(n));
  return path;
}

}  // namespace

Result<std::unique_ptr<ServeProcess>> ServeProcess::Start(const ServeOptions& options) {
  TDB_ASSIGN_OR_RETURN(std::string exe, SelfExecutable());
  ChildOptions run;
  run.argv = {exe,        "serve",       "--data",      options.data_dir,
              "--listen", "127.0.0.1:0", "--pg-listen", "127.0.0.1:0"};
  for (const std::string& a : options.extra_args)
    run.argv.push_back(a);
  run.env = {{"TENANTDB_ROOT_PASSWORD", options.root_password}};
  run.log_path = options.log_path;
  run.stop_signal = 15;
  run.stop_grace = std::chrono::seconds(30);
  std::unique_ptr<ServeProcess> serve(new ServeProcess());  // private constructor
  TDB_ASSIGN_OR_RETURN(serve->child_, ChildProcess::Spawn(run));

  const std::regex listening(R"(listening on http://([0-9.]+):([0-9]+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (serve->port_ == 0) {
    if (!serve->child_.Running()) {
      return Status(ErrorCode::kIoError, "tenantdb serve " + serve->child_.Describe() +
                                             " before listening: " + TailOfFile(options.log_path));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return Status(ErrorCode::kIoError,
                    "tenantdb serve printed no 'listening on' line in "
                    "120 s: " +
                        TailOfFile(options.log_path));
    }
    std::ifstream in(options.log_path);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
      if (std::regex_search(line, m, listening)) {
        serve->host_ = m[1];
        serve->port_ = std::stoi(m[2]);
        break;
      }
    }
    if (serve->port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BenchHttpClient probe(serve->host_, serve->port_);
  while (true) {
    Result<BenchHttpResponse> r = probe.Get("/health");
    if (r.ok() && r->status == 200) break;
    if (std::chrono::steady_clock::now() > deadline || !serve->child_.Running()) {
      return Status(ErrorCode::kIoError, "tenantdb serve: GET /health did not answer 200: " +
                                             TailOfFile(options.log_path));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return serve;
}

int ServeProcess::Threads() const {
  std::ifstream in("/proc/" + std::to_string(child_.pid()) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return 0;
}

}  // namespace tenantdb::cli
