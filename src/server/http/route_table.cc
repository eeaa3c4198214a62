#include "server/http/route_table.h"

namespace tenantdb::server::http {

namespace {

struct RouteEntry {
  std::string_view path;
  std::string_view method;
  RouteId id;
};

constexpr RouteEntry kRoutes[] = {
    {"/v1/api/sql", "POST", RouteId::kSql},
    {"/v1/api/auth/login", "POST", RouteId::kLogin},
    {"/v1/api/auth/refresh", "POST", RouteId::kRefresh},
    {"/v1/api/auth/logout", "POST", RouteId::kLogout},
    {"/v1/api/auth/me", "GET", RouteId::kMe},
    {"/health", "GET", RouteId::kHealth},
    {"/ready", "GET", RouteId::kReady},
    {"/metrics", "GET", RouteId::kMetrics},
    {"/v1/ws", "GET", RouteId::kWs},
};

}  // namespace

RouteMatch MatchRoute(std::string_view method, std::string_view target) {
  const size_t query = target.find('?');
  const std::string_view path = target.substr(0, query);
  for (const RouteEntry& route : kRoutes) {
    if (route.path != path) continue;
    RouteMatch match;
    match.id = route.id;
    match.name = route.path;
    match.method = route.method;
    // HEAD is a GET without the body (the connection drops the body, keeps the headers);
    // OPTIONS is a CORS preflight (the connection answers it, cors.h).
    match.method_allowed = method == route.method || (method == "HEAD" && route.method == "GET");
    match.preflight = method == "OPTIONS";
    match.methods = route.method == "GET" ? "GET, HEAD" : route.method;
    return match;
  }
  return RouteMatch{};
}

bool RunsOnWorker(RouteId id) {
  switch (id) {
    case RouteId::kSql:
    case RouteId::kLogin:
    case RouteId::kRefresh:
    case RouteId::kLogout:
    case RouteId::kMe:
      return true;
    default:
      return false;
  }
}

}  // namespace tenantdb::server::http
