// tenantdb/result.h: the result of one SQL statement, read as a cursor (public API).
//
//   auto cursor = session->Query("SELECT id, body FROM chat.messages WHERE id > $1",
//                                {tenantdb::Value::BigInt(7)});
//   if (!cursor.ok()) return cursor.status();
//   while (true) {
//     tenantdb::Result<bool> more = (*cursor)->Next();
//     if (!more.ok()) return more.status();
//     if (!*more) break;
//     const tenantdb::RowBatch& batch = (*cursor)->batch();
//     for (size_t row = 0; row < batch.num_rows(); ++row) {
//       int64_t id = batch.GetInt64(row, 0).value();
//       std::string_view body = batch.GetText(row, 1).value();  // valid until Next()
//     }
//   }
//   std::cout << (*cursor)->command_tag() << "\n";  // "SELECT 42"
//
// A SELECT's rows are produced while the caller pulls them: each Next() runs the query
// just far enough for one more batch, so a cursor closed early (Close() or destruction)
// never computes the rest. Other statements (INSERT, UPDATE, DELETE, DDL, SHOW, ...) do
// their work when the cursor is opened; their rows (RETURNING, SHOW) are then read the
// same way.
//
// Thread safety: a Cursor and its RowBatch are used by one thread at a time — the thread
// using their Session (Session::Cancel() is the one call another thread may make).
// Ownership: the caller owns the Cursor. It must be destroyed before its Session's
// Database; destroying or closing the Session, or opening another statement on it,
// closes the cursor first (later Next() calls then return an error).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tenantdb/copy.h"
#include "tenantdb/status.h"
#include "tenantdb/value.h"

namespace tenantdb {

// One column of a result: its output name (names may repeat, as in
// `SELECT 1 AS a, 2 AS a`) and type.
struct Column {
  std::string name;
  DataType type;
};

// A read-only view of the batch of rows a Cursor is positioned on. Valid until the
// cursor's next Next() or Close(); rows and columns are 0-based.
//
// The typed accessors fail with
//   invalid_argument  the row or column is out of range, or the value is NULL (check
//                     IsNull() first, or use GetValue(), which returns NULL values);
//   type_mismatch     the column's type is not one the accessor reads.
class RowBatch {
 public:
  RowBatch() = default;
  RowBatch(const RowBatch&) = delete;
  RowBatch& operator=(const RowBatch&) = delete;

  size_t num_rows() const;
  size_t num_columns() const;

  // Whether the value is NULL; false for an out-of-range row or column.
  bool IsNull(size_t row, size_t column) const;

  // SMALLINT, INT, BIGINT; also DATE (days since 1970-01-01) and TIMESTAMP/TIMESTAMPTZ
  // (microseconds since 1970-01-01 UTC).
  Result<int64_t> GetInt64(size_t row, size_t column) const;
  // REAL, DOUBLE.
  Result<double> GetDouble(size_t row, size_t column) const;
  // BOOLEAN.
  Result<bool> GetBool(size_t row, size_t column) const;
  // TEXT, JSON (UTF-8). The view points into the batch: valid until Next() or Close().
  Result<std::string_view> GetText(size_t row, size_t column) const;
  // BYTEA, TEXT, JSON, and UUID as its 16 raw bytes. Valid as GetText's.
  Result<std::string_view> GetBytes(size_t row, size_t column) const;
  // INTERVAL.
  Result<Interval> GetInterval(size_t row, size_t column) const;
  // Any type; NULL comes back as Value::Null(type). Copies (allocates for byte types).
  Result<Value> GetValue(size_t row, size_t column) const;

  // One column as arrays, for code that reads every cell (a serializer writing a whole
  // batch): no per-cell range, NULL or type checks. Valid as GetText's views. Row r holds
  // a value when bit r of `validity` is set (least significant bit first; NULL rows keep
  // a zero or empty placeholder). Then, by type:
  //   BOOLEAN uint8_t, SMALLINT int16_t, INT and DATE int32_t, BIGINT and TIMESTAMP[TZ]
  //   int64_t, REAL float, DOUBLE double: `values` points at num_rows() of them;
  //   TEXT, BYTEA, JSON: value r is bytes[offsets[r], offsets[r + 1]);
  // and for every other type (UUID, INTERVAL, NUMERIC, arrays) both are null: read those
  // through the accessors above. `column` must be below num_columns() (past it, every
  // pointer of the view is null).
  struct ColumnView {
    DataType type = DataType::kText;
    const uint8_t* validity = nullptr;
    const void* values = nullptr;
    const uint32_t* offsets = nullptr;
    const char* bytes = nullptr;

    bool IsNull(size_t row) const { return (validity[row >> 3] >> (row & 7) & 1) == 0; }
    template <typename T>
    T At(size_t row) const {
      return static_cast<const T*>(values)[row];
    }
    std::string_view BytesAt(size_t row) const {
      return std::string_view(bytes + offsets[row], offsets[row + 1] - offsets[row]);
    }
  };
  ColumnView ViewColumn(size_t column) const;

 private:
  friend class Cursor;
  struct Rep;
  const Rep* rep_ = nullptr;  // null: no batch (before the first Next(), after the end)
};

class Cursor {
 public:
  ~Cursor();  // Close()s
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  // The result's columns, known before the first Next(); empty when the statement
  // returns no rows (see returns_rows()).
  const std::vector<Column>& columns() const;
  // Whether the statement returns rows (SELECT, RETURNING, SHOW, EXPLAIN, ...).
  bool returns_rows() const;
  // The command, known before the first Next(): "SELECT", "INSERT", "CREATE TABLE", ...
  const std::string& command() const;

  // Moves to the next batch of rows: true when there is one (read it through batch()),
  // false at the end (the cursor is then exhausted and closed). Never returns an empty
  // batch. Errors: whatever the statement fails with (e.g. division_by_zero,
  // query_canceled after Session::Cancel()), after which the cursor is closed and, inside
  // an explicit transaction, the transaction is failed; invalid_argument once the cursor
  // was closed before its end (Close(), or the session opened another statement).
  Result<bool> Next();
  // The current batch (empty before the first Next() and after the end).
  const RowBatch& batch() const;

  // PostgreSQL's command tag ("SELECT 42", "INSERT 0 3", "CREATE TABLE"): final once
  // the cursor is exhausted (Next() returned false); for a SELECT, empty before that.
  const std::string& command_tag() const;
  // INSERT/UPDATE/DELETE: rows written; SELECT: rows returned (final once exhausted).
  uint64_t rows_affected() const;
  // PostgreSQL's NOTICEs the statement raised, in order, known when the cursor opens:
  // informational messages a client shows its user (psql prints "NOTICE:  <text>"), e.g.
  // which type and access level a CREATE TABLE without TYPE chose. Usually empty.
  const std::vector<std::string>& notices() const;

  // Stops the statement — a SELECT produces no further rows — and releases everything it
  // holds. Idempotent; the destructor calls it. A new statement on the session works
  // normally afterwards.
  void Close();
  bool closed() const;

  // COPY (tenantdb/copy.h): what a COPY ... FROM STDIN / TO STDOUT exchanges, null for
  // every other statement (and COPY with a file).
  const CopyInfo* copy() const;
  // COPY ... FROM STDIN: the sink the data goes to; null otherwise.
  CopyIn* copy_in();

  // Internal: cursors are made by Session::Query (the Impl is defined in engine/).
  class Impl;
  explicit Cursor(std::unique_ptr<Impl> impl);
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb
