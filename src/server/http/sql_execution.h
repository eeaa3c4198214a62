// SqlExecution: one POST /v1/api/sql request being run — its statements, one after the
// other on one Session — and the JSON response it produces, a slice at a time, so a
// result of any size streams through a bounded buffer.
//
// Step() runs until it has about `chunk_bytes` of output or the request is done, and
// is called again (by the connection, on a worker thread) only after that output was
// written to the socket: the client's reading speed paces the cursor (backpressure),
// and the server holds at most one slice per request.
//
// Response shape (KalamDB's, plus "truncated"):
//   {"status":"success","results":[{"schema":[{"name","data_type","index"}],
//     "rows":[[...]],"row_count":n,"message":"SELECT n"}, ...],"took":ms}
// When the whole response fits in the first slice it is sent at once with its real HTTP
// status (an error then gets 4xx/5xx and {"status":"error","error":{...}}, with the
// results of the statements that did complete when there are some). A larger response
// is streamed as HTTP 200 with chunked transfer encoding, and since its outcome is not
// known when the first bytes leave, it carries "status" LAST:
//   {"results":[...],"status":"success","took":ms}
//   {"results":[...partial...],"status":"error","error":{...},"took":ms}
// so a failure after streaming started (a division by zero in row 10^6, a cancel) is
// still reported. JSON key order carries no meaning; clients read "status".
//
// Statements: split at top-level ';' (tenantdb/script.h); $n params bind in every
// statement; the first error stops the request. A request that opens a transaction
// (BEGIN) must close it: one left open is rolled back and reported as
// invalid_transaction_state. Nothing carries over to another request (HTTP offers no
// transaction across requests).
//
// Thread safety: Step() is called by one thread at a time (successive calls may come from
// different threads, ordered by the caller); Cancel() from any thread at any time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/sql_request.h"
#include "tenantdb/result.h"
#include "tenantdb/script.h"
#include "tenantdb/session.h"
#include "tenantdb/status.h"

namespace tenantdb::server::http {

// What the server wants to know about each statement (metrics, the slow-statement log).
struct StatementObserver {
  std::function<void()> started;
  // The statement's text, its running time and how it ended.
  std::function<void(std::string_view statement, std::chrono::microseconds elapsed,
                     const Status& status)>
      finished;
};

class SqlExecution {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    size_t chunk_bytes = 64 << 10;
    Clock::time_point request_start = Clock::now();
  };

  // One slice of the response.
  struct Output {
    std::string bytes;
    bool done = false;
    // Whether the response is streamed (chunked, HTTP 200); fixed by the first Step().
    bool streaming = false;
    // The response's HTTP status when it is not streamed and done.
    int http_status = 200;
  };

  SqlExecution(std::unique_ptr<Session> session, SqlRequest request, StatementObserver observer,
               Options options);
  ~SqlExecution();
  SqlExecution(const SqlExecution&) = delete;
  SqlExecution& operator=(const SqlExecution&) = delete;

  Output Step();
  // Stops the request: the running statement fails with query_canceled, or `why` is
  // reported when none runs. Any thread.
  void Cancel(Status why);

  // How the request ended (OK while it runs or when it succeeded).
  const Status& status() const { return error_; }
  uint64_t rows_sent() const { return total_rows_; }

 private:
  void Advance();
  void StartStatement();
  Result<std::unique_ptr<Cursor>> OpenStatement();
  void ReadRows();
  void EndResult(bool truncated);
  void Fail(Status status);
  void FinishStatement(const Status& status);
  void Finish();
  std::string TookJson() const;

  std::unique_ptr<Session> session_;
  SqlRequest request_;
  StatementObserver observer_;
  Options options_;
  std::vector<StatementRange> statements_;

  size_t next_statement_ = 0;
  bool namespace_set_ = false;
  std::unique_ptr<PreparedStatement> prepared_;  // the statement running, when prepared
  std::unique_ptr<Cursor> cursor_;
  std::vector<DataType> column_types_;
  std::vector<RowBatch::ColumnView> column_views_;  // the current batch's, while have_batch_
  size_t batch_row_ = 0;                            // next row of the cursor's batch to write
  bool have_batch_ = false;
  uint64_t result_rows_ = 0;  // rows written for the open result
  uint64_t total_rows_ = 0;
  bool result_open_ = false;
  bool any_result_ = false;
  std::string statement_text_;  // the statement running (for the observer)
  Clock::time_point statement_start_;
  size_t statement_char_offset_ = 0;

  static constexpr size_t kFirstOutputBytes = 1000;
  static constexpr std::string_view kSuccessHead = R"({"status":"success","results":[)";
  // Results-array text not yet handed out; before the first slice it starts with
  // kSuccessHead (its first pending_head_ bytes), for the one-slice success.
  std::string pending_;
  size_t pending_head_ = 0;
  bool started_output_ = false;
  bool streaming_ = false;
  bool finished_ = false;
  Status error_;

  std::mutex cancel_mutex_;  // guards cancel_reason_
  std::atomic<bool> cancelled_{false};
  Status cancel_reason_;
};

}  // namespace tenantdb::server::http
