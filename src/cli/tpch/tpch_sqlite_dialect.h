// SqliteDialect: the TPC-H query texts (tpch_queries.h) rewritten for SQLite, which lacks
// some of the standard SQL they use. The minimum is translated, mechanically:
//   date 'D' +/- interval 'N' day|month|year   the date it denotes, as text 'YYYY-MM-DD'
//                                              (SQLite has no interval type)
//   date 'D'                                   'D' (dates are ISO text in SQLite)
//   extract(year from x)                       CAST(strftime('%Y', x) AS INTEGER)
//   substring(x from a for b)                  substr(x, a, b)
//   Q13's derived-table column list            `as c_orders (c_custkey, c_count)` becomes
//                                              an alias inside the subquery
// Everything else (LIKE — made case-sensitive by the runner's pragma, CASE, EXISTS, IN,
// the view of Q15) runs as written.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "cli/tpch/tpch_queries.h"

namespace tenantdb::cli::tpch {

std::string TranslateForSqlite(const std::string& sql);
QuerySql TranslateForSqlite(const QuerySql& query);

}  // namespace tenantdb::cli::tpch
