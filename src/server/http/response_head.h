// ResponseHead: the bytes of an HTTP/1.1 response's status line and header block, so a
// whole reply — head and body — leaves in one buffer and, on an idle socket, one send().
//
// Fields go out in the order given. Content-Length is written unless the status carries
// no body (1xx, 204, 304: RFC 9110 8.6); "Connection: close" when the connection ends
// after the reply. A field whose name or value holds CR, LF or NUL is left out: a
// header value is never a way to split the response.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenantdb::server::http {

struct ResponseHeadFields {
  int status = 200;
  std::string_view content_type;  // empty: no Content-Type
  std::string_view request_id;    // empty: no X-Request-Id
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  uint64_t content_length = 0;
  bool keep_alive = true;
};

// Whether a response with `status` may carry a body (and so a Content-Length).
bool StatusHasBody(int status);

// Appends the status line, the fields and the blank line that ends the head to `out`.
void AppendResponseHead(const ResponseHeadFields& fields, std::string* out);

}  // namespace tenantdb::server::http
