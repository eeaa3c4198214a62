// HttpClient: the shell's HTTP/1.1 connection to a tenantdb server (Boost.Beast, plain
// TCP): POSTs JSON and reads the whole response, keeping the connection alive between
// requests.
//
// Cancel() (from another thread: the shell's Ctrl-C watcher) shuts the socket down under
// the request in progress; the request fails with query_canceled and the server, seeing
// its client gone, cancels the statement. The next request opens a new connection.
// A request on a kept-alive connection that the server had closed meanwhile (nothing of
// the response read) is sent once more on a fresh connection: the server never saw it.
//
// Thread safety: PostJson() from one thread at a time; Cancel() from any thread.
// Cost: one blocking round trip; the response body is held whole (at most
// max_body_bytes, else out_of_memory and the connection is dropped).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb::cli {

struct HttpUrl {
  std::string host;
  std::string port = "80";
  std::string base_path;  // without a trailing '/': "" or "/prefix"
  std::string text;       // as given, for messages
};

// Parses "http://host[:port][/path]" (an IPv6 host in brackets). Errors:
// invalid_argument (not a URL), feature_not_supported (https: put a TLS proxy in front,
// the shell speaks plain HTTP).
Result<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient(HttpUrl url, size_t max_body_bytes);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `json` to url.base_path + `target`, with `Authorization: Bearer <bearer>` when
  // `bearer` is not empty, and returns the status and body whatever the status.
  // Errors: io_error (cannot connect, connection lost), query_canceled (Cancel()),
  // out_of_memory (a body over max_body_bytes), invalid_request (not HTTP).
  Result<HttpResponse> PostJson(std::string_view target, const std::string& json,
                                const std::string& bearer);
  // Aborts the request in progress, if any.
  void Cancel();

  const HttpUrl& url() const { return url_; }

 private:
  struct State;
  Result<HttpResponse> Attempt(const std::string& target, const std::string& json,
                               const std::string& bearer, bool* retry);

  HttpUrl url_;
  size_t max_body_bytes_;
  std::unique_ptr<State> state_;
};

}  // namespace tenantdb::cli
