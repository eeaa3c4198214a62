// RAII handles for libpq's connections and results, and the SQLSTATE of a result, for
// the tests that drive the PostgreSQL listener with libpq.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace tenantdb::server::pgwire {

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

inline std::string Sqlstate(const PGresult* r) {
  const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  return s ? s : "";
}

}  // namespace tenantdb::server::pgwire
