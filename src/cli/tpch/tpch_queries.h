// The 22 TPC-H queries (specification clause 2.4) in their standard text with the
// validation substitution parameters of clause 2.4.x.3 (e.g. Q1 DELTA = 90, Q2 SIZE = 15,
// TYPE = BRASS, REGION = EUROPE, ...), kept in the binary so `tenantdb bench tpch` needs
// no files. Each engine runs the same text; the only edits are where PostgreSQL's grammar
// (tenantdb's) has no form for the specification's:
//   Q1   `interval '90' day (3)` is written `interval '90' day`: PostgreSQL gives a
//        precision only to SECOND (`day (3)` is a syntax error there too).
//   Q11  FRACTION is 0.0001 / SF, as clause 2.4.11.3 defines it, substituted per run.
//   the row limits the specification states in words (Q2 100, Q3 10, Q10 20, Q18 100,
//   Q21 100) are written LIMIT n, as every engine here spells it.
// SQLite's translation of these texts lives in tpch_sqlite_dialect.h.
//
// Thread safety: immutable data.
#pragma once

#include <string>
#include <vector>

namespace tenantdb::cli::tpch {

inline constexpr int kQueryCount = 22;

struct QuerySql {
  int number = 0;  // 1..22
  // Run in order; Q15 is CREATE VIEW, the query, DROP VIEW.
  std::vector<std::string> statements;
  size_t result_statement = 0;  // the statement whose rows are the answer
};

// Query `number` (1..22) with the parameters for scale factor `sf`.
QuerySql TpchQuery(int number, double sf);

}  // namespace tenantdb::cli::tpch
