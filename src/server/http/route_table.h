// RouteTable: which handler a request goes to, from its method and path. Route names are
// fixed strings (never the raw path), so metrics and logs keyed by them cannot be grown by
// a client sending random URLs.
//
//   POST /v1/api/sql           the SQL API (sql_route.h)
//   POST /v1/api/auth/login    POST /v1/api/auth/refresh    POST /v1/api/auth/logout
//   GET  /v1/api/auth/me       (auth_routes.h)
//   GET  /health   GET /ready   GET /metrics   (answered on the I/O thread)
//   GET  /v1/ws                the live-query WebSocket (server/ws/ws_session.h)
//
// HEAD is accepted wherever GET is (the reply then has GET's headers and no body);
// OPTIONS on a known path is a CORS preflight (204, cors.h). A known path with another
// method is 405 (with Allow); anything else is 404.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

namespace tenantdb::server::http {

enum class RouteId : unsigned char {
  kSql,
  kLogin,
  kRefresh,
  kLogout,
  kMe,
  kHealth,
  kReady,
  kMetrics,
  kWs,
  kUnknown,
};

struct RouteMatch {
  RouteId id = RouteId::kUnknown;
  // The route's name for metrics and logs ("other" for an unknown path).
  std::string_view name = "other";
  // False when the path is known but the method is not the route's (HTTP 405).
  bool method_allowed = false;
  // The route's method.
  std::string_view method;
  // Every method it takes besides OPTIONS ("GET, HEAD" / "POST"), for Allow headers.
  std::string_view methods;
  // An OPTIONS request on the route: a CORS preflight.
  bool preflight = false;
};

// `target` is the request target; a query string (?...) is ignored.
RouteMatch MatchRoute(std::string_view method, std::string_view target);

// Whether the route runs on the worker pool (statements, password hashes) rather than on
// the I/O thread.
bool RunsOnWorker(RouteId id);

}  // namespace tenantdb::server::http
