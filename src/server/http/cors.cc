#include "server/http/cors.h"

#include <algorithm>

namespace tenantdb::server::http {

namespace {

// A browser caches a preflight answer this long (Chrome caps it at 2 hours).
constexpr std::string_view kMaxAgeSeconds = "3600";

}  // namespace

bool CorsOriginAllowed(const std::vector<std::string>& allowed, std::string_view origin) {
  if (origin.empty()) return false;
  return std::any_of(allowed.begin(), allowed.end(),
                     [&](const std::string& a) { return a == "*" || a == origin; });
}

void AddCorsHeaders(const std::vector<std::string>& allowed, std::string_view origin,
                    HeaderList* headers) {
  if (allowed.empty()) return;
  headers->emplace_back("Vary", "Origin");
  if (!CorsOriginAllowed(allowed, origin)) return;
  headers->emplace_back("Access-Control-Allow-Origin", std::string(origin));
  headers->emplace_back("Access-Control-Expose-Headers", "X-Request-Id, Retry-After");
}

void AddPreflightHeaders(const std::vector<std::string>& allowed, std::string_view origin,
                         std::string_view methods, HeaderList* headers) {
  if (!CorsOriginAllowed(allowed, origin)) return;
  headers->emplace_back("Access-Control-Allow-Methods", std::string(methods));
  headers->emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
  headers->emplace_back("Access-Control-Max-Age", std::string(kMaxAgeSeconds));
}

}  // namespace tenantdb::server::http
