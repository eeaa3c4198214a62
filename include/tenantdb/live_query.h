// tenantdb/live_query.h: a SELECT bound once and then applied to the change log — what a
// WebSocket subscription runs (public API).
//
//   auto live = tenantdb::LiveQuery::Open(*session, "SELECT id, body FROM chat.messages "
//                                         "WHERE thread_id = $1", {Value::Text("t1")});
//   // 1. listen first (Database::AddChangeListener), buffering events of live->slice
//   // 2. the rows, and the position they were read at
//   auto snapshot = (*live)->ReadSnapshot();
//   // 3. each buffered and later record: skip it when snapshot->position.Covers(seq),
//   //    else (*live)->Apply(record) says what the subscriber sees (or nothing)
//
// Shapes: `SELECT exprs FROM one USER, SHARED or STREAM table [WHERE predicate]
// [ORDER BY ... [LIMIT n]]`, $n parameters bound at Open. With ORDER BY the query is a
// live WINDOW: the snapshot is the first n rows in that order, and each change is told
// as the inserts, deletes and updates that turn the previous window into the new one (a
// row entering the top n is an insert, the row it pushes out a delete), computed from
// every matching row, which the query keeps (bounded by ReadSnapshot's max_rows).
// Anything else (joins, aggregates, DISTINCT, subqueries, OFFSET, set operations, no
// table) is feature_not_supported. The query runs as the session's user and role: read
// access is checked as for a SELECT (SHARED tables per access level); SYSTEM tables are
// insufficient_privilege below dba, and feature_not_supported for dba and system (they
// have no change log); a USER or STREAM table's slice is the session user's own rows.
//
// Exactly once, snapshot to live (why ReadSnapshot's position is exact). A commit writes
// its rows and its change-log records in ONE RocksDB batch, so for any RocksDB snapshot,
// change number s of the slice is reflected in the rows read through it iff its record
// is visible through it. ReadSnapshot reads the slice's published number P first (every
// number <= P is then durable: written, or abandoned and never used), then takes a
// RocksDB snapshot S, then lists the numbers > P visible through S (commits written but
// not yet published: a handful at most), then scans the rows through S. So the rows
// reflect exactly the numbers {<= P} plus that list, and a consumer that drops those and
// applies every other number of the slice, in order, sees every commit once. Because
// ChangeListener misses commits already under way when it was added, a consumer fills
// any gap between the numbers it has and the first event it gets with
// Database::ReadChanges (which returns only published numbers, in order). Known limit:
// a flush to Parquet committing between S and the scan's read of the table's file list
// can add rows inserted after S (the hot copy wins otherwise); flushes are per policy and
// rare next to subscriptions, and the differential tests run without them.
//
// Cost: the LiveQueries opened on one Session with the same text, parameter types and
// namespace share one bound plan (rebound when the table is altered or replaced), so a
// client's many subscriptions of one shape cost their parameters and window state each.
//
// Thread safety: a LiveQuery is used by one thread at a time, except the accessors
// (ns(), table(), slice_user(), columns()), which never change and may be read from any
// thread (a listener compares them). Ownership: it refers to the Database of the session
// it was opened on (not to the session, which may be closed): destroy it first.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/changes.h"
#include "tenantdb/database.h"
#include "tenantdb/result.h"
#include "tenantdb/session.h"
#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb {

// Which change numbers of the slice a snapshot reflects: every number <= after_seq, and
// the numbers in `also` (each > after_seq, ascending).
struct LivePosition {
  uint64_t after_seq = 0;
  std::vector<uint64_t> also;
  bool Covers(uint64_t seq) const;
  // The highest number the snapshot reflects.
  uint64_t last_seq() const { return also.empty() ? after_seq : also.back(); }
};

struct LiveSnapshot {
  std::vector<std::vector<Value>> rows;  // each the query's columns, in key order
  LivePosition position;
};

// What one change record means to the subscriber.
struct LiveChange {
  ChangeType type = ChangeType::kInsert;
  std::vector<Value> row;  // the new row (insert, update) or the removed one (delete)
  // Update only: the row before, when the record carried it.
  std::optional<std::vector<Value>> old_row;
  uint64_t seq = 0;
};

class LiveQuery {
 public:
  // Binds `sql` with `params` as `session`'s user. Errors: those of parsing and binding a
  // SELECT (syntax_error, undefined_table, insufficient_privilege, ...), and
  // feature_not_supported for a shape a live query cannot follow (see above).
  static Result<std::unique_ptr<LiveQuery>> Open(Session& session, std::string_view sql,
                                                 const std::vector<Value>& params = {});
  ~LiveQuery();
  LiveQuery(const LiveQuery&) = delete;
  LiveQuery& operator=(const LiveQuery&) = delete;

  // The slice followed: table names, and the user (empty for a SHARED table).
  const std::string& ns() const;
  const std::string& table() const;
  const std::string& slice_user() const;
  // The result columns (names and types), as a SELECT of the same text returns them.
  const std::vector<Column>& columns() const;
  // Whether `event` is of this query's slice (the cheap check a listener makes).
  bool SameSlice(const ChangeEvent& event) const {
    return event.table == table() && event.ns == ns() && event.user == slice_user();
  }

  // The matching rows now, and the position they reflect (see the header comment).
  // `max_rows` bounds what is held (0: no bound): more is program_limit_exceeded.
  // Errors: those of reading the table.
  Result<LiveSnapshot> ReadSnapshot(size_t max_rows = 0);

  // What `record` (a change of this slice, applied in sequence order, skipping those the
  // snapshot covers) means to the subscriber, in order. Without ORDER BY: at most one
  // change — an insert when the new row matches, a delete when the old row did and the
  // new one does not (or the row was deleted), an update when both match, nothing when
  // neither does; a record without its old row (the row had been flushed to Parquet)
  // counts the old row as matching: an update of a row that stops matching becomes a
  // delete of its new values, and a delete whose old row is unknown a delete of the key's
  // columns (other columns NULL). A window: the changes between the windows before and
  // after (deletes first); ReadSnapshot must have been called first. Errors:
  // serialization_failure ("the table was altered") when the record's row no longer has
  // the bound table's columns (ALTER TABLE), out_of_memory when a window's matching rows
  // outgrow ReadSnapshot's max_rows, and the evaluator's (division_by_zero, ...).
  Result<std::vector<LiveChange>> Apply(const ChangeRecord& record);

  // Which table, and which schema of it, the query was bound to: the table's number
  // (never reused) and schema version (advanced by ALTER TABLE), as one value.
  uint64_t table_generation() const;
  // What table ns.table is now, next to `generation` (a table_generation()): unchanged,
  // altered (same table, another schema version) or dropped (gone, or dropped and
  // created again under the same name). Reads the catalog cache (no I/O on a hit).
  // Errors: those of reading the catalog.
  enum class TableState : unsigned char { kSame, kAltered, kDropped };
  static Result<TableState> CheckTable(Database& db, std::string_view ns, std::string_view table,
                                       uint64_t generation);

  // Whether the query is an ORDER BY window (it then cannot resume from a number: its
  // state is the snapshot's rows).
  bool windowed() const;

  class Impl;
  explicit LiveQuery(std::unique_ptr<Impl> impl);

 private:
  Result<std::optional<LiveChange>> ApplyOne(const ChangeRecord& record);

  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb
