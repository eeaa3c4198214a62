// CORS (cross-origin resource sharing): which browser pages may call the API, from
// [http] cors_allowed_origins (exact origins, or "*" for any; empty: none).
//
// For a request whose Origin header names an allowed origin, every response (success,
// error, streamed) carries
//   Access-Control-Allow-Origin: <that origin>      Vary: Origin
//   Access-Control-Expose-Headers: X-Request-Id, Retry-After
// and a preflight (OPTIONS on a known route, any origin) is answered 204 with, for an
// allowed origin, besides those
//   Access-Control-Allow-Methods: <the route's>     Access-Control-Max-Age: 3600
//   Access-Control-Allow-Headers: Authorization, Content-Type
// The origin is echoed rather than "*" even when "*" is configured: the answer is the
// same for a browser, and one rule is simpler to reason about. Other origins get no CORS
// header at all (the browser then refuses the response to the page); the request itself
// is still served, since CORS protects the page's reader, not the server — the
// Authorization header is what admits a request. When any origin is configured, every
// response says Vary: Origin, so a cache never hands one origin's answer to another.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenantdb::server::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Whether a page from `origin` (the Origin header's value; empty when absent) may read
// the API's responses.
bool CorsOriginAllowed(const std::vector<std::string>& allowed, std::string_view origin);

// Appends the headers of an actual response to `headers`.
void AddCorsHeaders(const std::vector<std::string>& allowed, std::string_view origin,
                    HeaderList* headers);

// Appends what a preflight answer for a route taking `methods` (e.g. "POST") carries
// besides AddCorsHeaders' headers (which every reply gets).
void AddPreflightHeaders(const std::vector<std::string>& allowed, std::string_view origin,
                         std::string_view methods, HeaderList* headers);

}  // namespace tenantdb::server::http
