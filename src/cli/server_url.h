// <data>/server.url: the URL a running `tenantdb serve` listens on, written when it starts
// serving and removed when it stops, so `tenantdb shell` / `tenantdb sql` on a directory a
// server holds can say where to connect instead of reporting a lock error. A stale file
// (after kill -9) is harmless: it is read only when the directory is in use.
//
// Thread safety: plain file operations; one server per directory.
#pragma once

#include <optional>
#include <string>

#include "tenantdb/status.h"

namespace tenantdb::cli {

// Writes `url` to <data_dir>/server.url (via a temporary file and a rename).
Status WriteServerUrl(const std::string& data_dir, const std::string& url);
// The URL in <data_dir>/server.url, if the file exists and holds one.
std::optional<std::string> ReadServerUrl(const std::string& data_dir);
void RemoveServerUrl(const std::string& data_dir);

// `status` reworded when it is object_in_use and a server's URL is known:
// "a tenantdb server holds DIR: connect to http://..." (other statuses unchanged).
Status ExplainDirectoryInUse(Status status, const std::string& data_dir);

}  // namespace tenantdb::cli
