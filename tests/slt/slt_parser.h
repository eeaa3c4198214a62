// sqllogictest parser: reads the text format SQLite's sqllogictest defined and DuckDB
// and CockroachDB extended, into a list of records for slt_runner.cc to execute.
//
// A file is a sequence of records separated by blank lines. Lines starting with '#'
// outside a result block are comments. A record is one of:
//
//   statement ok                 SQL (one or more lines) must succeed
//   statement error [text]       SQL must fail; with `text` (or, DuckDB's form, the text
//                                on the lines after a `----` line) the error must contain
//                                it. `<REGEX>:re` / `<!REGEX>:re` match a regex instead.
//   statement count N            SQL must succeed and affect N rows (CockroachDB)
//   query <types> [nosort|rowsort|valuesort] [label]
//                                SQL, a `----` line, then the expected values; <types>
//                                has one letter per column: I integer, R real, T text
//                                (any other letter prints like T)
//   query error [text]           like `statement error`
//   hash-threshold N             results of more than N values may be given as
//                                "<count> values hashing to <md5>"
//   halt                         stop reading the file
//   connection <user> [<role>]   tenantdb's extension: run the following records in a
//                                session of <user> (opened on first use, role `user` by
//                                default; one of user, service, dba, system). The initial
//                                session is user `root`, role `system`; `connection root`
//                                goes back to it.
//   restart                      tenantdb's extension: close every session and the
//                                database, reopen the same directory (as a restart of
//                                the process would) and continue as `root`.
//
// Any record may be preceded by `skipif <engine>` / `onlyif <engine>` lines; records for
// other engines (e.g. `onlyif mysql`) are skipped. Our engine name is `tenantdb`.
//
// Expected results are kept as written (one string per line); the runner decides whether
// they are one value per line (SQLite) or one tab-separated row per line (DuckDB).
//
// Thread safety: pure functions over their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb::slt {

inline constexpr std::string_view kEngineName = "tenantdb";
// tenantdb follows PostgreSQL's semantics, so `skipif postgresql` / `onlyif postgresql`
// in the sqllogictest corpus apply to it as they do to PostgreSQL.
inline constexpr std::string_view kFollowedEngineName = "postgresql";

// Whether a skipif / onlyif engine name means this runner.
inline bool NamesThisEngine(std::string_view name) {
  return name == kEngineName || name == kFollowedEngineName;
}

enum class RecordKind { kStatement, kQuery, kHashThreshold, kHalt, kConnection, kRestart };

enum class SortMode { kNoSort, kRowSort, kValueSort };

struct Record {
  RecordKind kind = RecordKind::kStatement;
  int line = 0;  // 1-based line of the record's command (after any skipif/onlyif)

  // kStatement and kQuery: the SQL, lines joined with '\n'.
  std::string sql;

  // kStatement (and `query error`): whether an error is expected, and the text it must
  // contain (empty: any error).
  bool expect_error = false;
  std::string expected_error;
  // `statement count N`.
  std::optional<uint64_t> expected_count;

  // kQuery.
  std::string types;  // one letter per column
  SortMode sort = SortMode::kNoSort;
  std::string label;                  // empty when none
  std::vector<std::string> expected;  // the lines after `----`
  // Set when `expected` is the single line "<count> values hashing to <md5>".
  std::optional<uint64_t> hash_count;
  std::string hash;

  // kHashThreshold.
  uint64_t threshold = 0;

  // kConnection.
  std::string user;
  std::string role;  // empty: `user`, or the role the connection was opened with
};

struct Script {
  std::vector<Record> records;  // records that apply to tenantdb, in file order
  int skipped = 0;              // records skipped by skipif/onlyif
};

// Parses a whole file. Errors: invalid_argument "line N: ..." for an unknown command or
// a malformed record (e.g. a query without column types).
Result<Script> ParseScript(std::string_view text);

// Parses "<count> values hashing to <32 hex digits>"; false when `line` is not that.
bool ParseHashLine(std::string_view line, uint64_t* count, std::string* md5);

}  // namespace tenantdb::slt
