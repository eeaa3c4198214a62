#include "cli/server_url.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace tenantdb::cli {

namespace {

std::string UrlPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "server.url").string();
}

}  // namespace

Status WriteServerUrl(const std::string& data_dir, const std::string& url) {
  const std::string path = UrlPath(data_dir);
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << url << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + temporary);
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot write " + path + ": " + ec.message());
  return Status::Ok();
}

std::optional<std::string> ReadServerUrl(const std::string& data_dir) {
  std::ifstream in(UrlPath(data_dir));
  std::string url;
  if (!in || !std::getline(in, url) || url.rfind("http", 0) != 0) return std::nullopt;
  return url;
}

void RemoveServerUrl(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::remove(UrlPath(data_dir), ec);
}

Status ExplainDirectoryInUse(Status status, const std::string& data_dir) {
  if (status.code() != ErrorCode::kObjectInUse) return status;
  const std::optional<std::string> url = ReadServerUrl(data_dir);
  if (!url) return status;
  return Status(ErrorCode::kObjectInUse,
                "a tenantdb server holds " + data_dir + ": connect to " + *url +
                    " (e.g. curl -u root " + *url +
                    "/v1/api/sql -d '{\"sql\":\"SELECT 1\"}') or stop it first");
}

}  // namespace tenantdb::cli
