#include "server/http/response_head.h"

#include <ostream>

#include <boost/beast/http/status.hpp>

namespace tenantdb::server::http {

namespace {

// Whether `text` cannot end a field or the head early (response splitting). A plain loop:
// string_view::find_first_of calls memchr once per byte of `text`.
bool Safe(std::string_view text) {
  for (const char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void AppendField(std::string_view name, std::string_view value, std::string* out) {
  if (name.empty() || !Safe(name) || !Safe(value)) return;
  out->append(name);
  out->append(": ");
  out->append(value);
  out->append("\r\n");
}

}  // namespace

bool StatusHasBody(int status) {
  return !(status / 100 == 1 || status == 204 || status == 304);
}

void AppendResponseHead(const ResponseHeadFields& fields, std::string* out) {
  const std::string_view reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(fields.status));
  out->append("HTTP/1.1 ");
  out->append(std::to_string(fields.status));
  out->push_back(' ');
  out->append(reason.data(), reason.size());
  out->append("\r\n");
  if (!fields.content_type.empty()) AppendField("Content-Type", fields.content_type, out);
  if (!fields.request_id.empty()) AppendField("X-Request-Id", fields.request_id, out);
  if (fields.headers != nullptr) {
    for (const auto& [name, value] : *fields.headers)
      AppendField(name, value, out);
  }
  if (!fields.keep_alive) out->append("Connection: close\r\n");
  if (StatusHasBody(fields.status)) {
    out->append("Content-Length: ");
    out->append(std::to_string(fields.content_length));
    out->append("\r\n");
  }
  out->append("\r\n");
}

}  // namespace tenantdb::server::http
