#include "server/http/sql_execution.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "server/http/http_error.h"
#include "server/http/json_text.h"

namespace tenantdb::server::http {

namespace {

// Characters (UTF-8 code points) in `text`: positions are counted in characters.
size_t CharCount(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

SqlExecution::SqlExecution(std::unique_ptr<Session> session, SqlRequest request,
                           StatementObserver observer, Options options)
    : session_(std::move(session)),
      request_(std::move(request)),
      observer_(std::move(observer)),
      options_(options),
      statements_(SplitScript(request_.sql)) {
  // A response of a few rows fits the first buffer (small enough for malloc's per-thread
  // cache); the body of a one-slice success is this buffer, head included, moved out.
  pending_.reserve(kFirstOutputBytes);
  pending_ = kSuccessHead;
  pending_head_ = pending_.size();
}

SqlExecution::~SqlExecution() {
  // The cursor belongs to the session: close it first.
  cursor_.reset();
  prepared_.reset();
}

void SqlExecution::Cancel(Status why) {
  {
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    if (cancelled_.load()) return;
    cancel_reason_ = std::move(why);
    cancelled_.store(true);
  }
  session_->Cancel();
}

SqlExecution::Output SqlExecution::Step() {
  Output output;
  if (!started_output_) {
    started_output_ = true;
    while (!finished_ && pending_.size() < options_.chunk_bytes)
      Advance();
    if (finished_) {
      // Everything fits in one slice: a plain response with its real status.
      output.done = true;
      std::string& body = output.bytes;
      if (error_.ok()) {
        body = std::move(pending_);  // already starts with kSuccessHead
        body += "],";
        body += TookJson();
        body += '}';
      } else {
        const std::optional<size_t> position = ErrorPosition(error_.message());
        std::optional<size_t> absolute;
        if (position) absolute = *position + statement_char_offset_;
        body = "{\"status\":\"error\",";
        if (any_result_) body += "\"results\":[" + pending_.substr(pending_head_) + "],";
        body += "\"error\":" + ErrorObjectJson(error_, absolute) + "," + TookJson() + "}";
        output.http_status = HttpStatusFor(error_.code());
      }
      pending_.clear();
      pending_head_ = 0;
      return output;
    }
    streaming_ = true;
    output.streaming = true;
    output.bytes = "{\"results\":[" + pending_.substr(pending_head_);
    pending_.clear();
    pending_head_ = 0;
    return output;
  }
  output.streaming = streaming_;
  while (!finished_ && pending_.size() < options_.chunk_bytes)
    Advance();
  output.bytes = std::move(pending_);
  pending_.clear();
  if (finished_) {
    output.done = true;
    if (error_.ok()) {
      output.bytes += "],\"status\":\"success\"," + TookJson() + "}";
    } else {
      const std::optional<size_t> position = ErrorPosition(error_.message());
      std::optional<size_t> absolute;
      if (position) absolute = *position + statement_char_offset_;
      output.bytes += "],\"status\":\"error\",\"error\":" + ErrorObjectJson(error_, absolute) +
                      "," + TookJson() + "}";
    }
  }
  return output;
}

std::string SqlExecution::TookJson() const {
  const int64_t micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - options_.request_start)
          .count();
  // Milliseconds with three decimals, from integers (no printf on every response).
  std::string out = "\"took\":" + std::to_string(micros / 1000) + ".";
  const std::string frac = std::to_string(micros % 1000);
  out.append(3 - frac.size(), '0');
  out += frac;
  return out;
}

void SqlExecution::Advance() {
  if (cancelled_.load()) {
    Status why;
    {
      std::lock_guard<std::mutex> lock(cancel_mutex_);
      why = cancel_reason_;
    }
    Fail(std::move(why));
    return;
  }
  if (!namespace_set_) {
    namespace_set_ = true;
    if (request_.namespace_id) {
      // namespace_id was checked to be a plain identifier (sql_request.cc); as in
      // `USE name`, an unquoted identifier means its lower-case form.
      std::string name = *request_.namespace_id;
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      const Status used = session_->Use(name);
      if (!used.ok()) {
        Fail(used);
        return;
      }
    }
    if (statements_.empty()) {
      Fail(Status(ErrorCode::kInvalidRequest, "\"sql\" holds no statement"));
      return;
    }
  }
  if (cursor_ == nullptr) {
    if (next_statement_ == statements_.size()) {
      Finish();
    } else {
      StartStatement();
    }
    return;
  }
  ReadRows();
}

void SqlExecution::StartStatement() {
  const StatementRange range = statements_[next_statement_++];
  const std::string_view sql = request_.sql;
  statement_text_ = std::string(sql.substr(range.begin, range.end - range.begin));
  statement_char_offset_ = CharCount(sql.substr(0, range.begin));
  statement_start_ = Clock::now();
  if (observer_.started) observer_.started();
  Result<std::unique_ptr<Cursor>> cursor = OpenStatement();
  if (cursor.ok() && (*cursor)->copy_in() != nullptr) {
    // HTTP has no channel for COPY's data: fail rather than load nothing.
    (*cursor)->Close();
    cursor = Status(ErrorCode::kFeatureNotSupported,
                    "COPY FROM STDIN needs a data channel, which the HTTP API does not have; use "
                    "the PostgreSQL protocol (psql \\copy, PQputCopyData) or, as a dba, COPY ... "
                    "FROM 'file'");
  }
  if (!cursor.ok()) {
    FinishStatement(cursor.status());
    Fail(cursor.status());
    return;
  }
  cursor_ = std::move(*cursor);
  result_rows_ = 0;
  have_batch_ = false;
  batch_row_ = 0;
  column_types_.clear();

  if (any_result_) pending_ += ',';
  any_result_ = true;
  result_open_ = true;
  pending_ += "{\"schema\":";
  const std::vector<Column>& columns = cursor_->columns();
  AppendResultSchemaJson(columns, &pending_);
  column_types_.reserve(columns.size());
  for (const Column& column : columns)
    column_types_.push_back(column.type);
  pending_ += ",\"rows\":[";
  if (!cursor_->returns_rows()) EndResult(/*truncated=*/false);
}

Result<std::unique_ptr<Cursor>> SqlExecution::OpenStatement() {
  bool any_text = false;
  for (const Value& v : request_.params)
    any_text = any_text || v.type() == DataType::kText;
  if (!any_text) return session_->Query(statement_text_, request_.params);
  // JSON has no timestamp, bytea or uuid: a client sends them as strings. A prepared
  // statement types its $n from where they are used (as PostgreSQL types an untyped
  // parameter), and the strings are then cast to those types.
  TDB_ASSIGN_OR_RETURN(prepared_, session_->Prepare(statement_text_));
  return session_->Query(*prepared_, request_.params);
}

void SqlExecution::ReadRows() {
  const std::optional<uint64_t> max_rows = request_.max_rows;
  if (!have_batch_) {
    if (max_rows && result_rows_ >= *max_rows) {
      // The cap is reached: is anything left? One more batch says (and is discarded).
      Result<bool> more = cursor_->Next();
      if (!more.ok()) {
        FinishStatement(more.status());
        Fail(more.status());
        return;
      }
      EndResult(/*truncated=*/*more);
      return;
    }
    Result<bool> more = cursor_->Next();
    if (!more.ok()) {
      FinishStatement(more.status());
      Fail(more.status());
      return;
    }
    if (!*more) {
      EndResult(/*truncated=*/false);
      return;
    }
    have_batch_ = true;
    batch_row_ = 0;
    const RowBatch& batch = cursor_->batch();
    column_views_.clear();
    column_views_.reserve(column_types_.size());
    for (size_t c = 0; c < column_types_.size(); ++c)
      column_views_.push_back(batch.ViewColumn(c));
  }
  const RowBatch& batch = cursor_->batch();
  const size_t columns = column_types_.size();
  const size_t rows = batch.num_rows();
  assert(column_views_.size() == columns);
  while (batch_row_ < rows && pending_.size() < options_.chunk_bytes) {
    if (max_rows && result_rows_ >= *max_rows) {
      EndResult(/*truncated=*/true);
      return;
    }
    const size_t end =
        max_rows
            ? static_cast<size_t>(std::min<uint64_t>(rows, batch_row_ + *max_rows - result_rows_))
            : rows;
    size_t written = AppendJsonViewRows(column_views_, batch_row_, end, result_rows_ > 0,
                                        options_.chunk_bytes, &pending_);
    if (written == 0) {  // a row the in-place writer does not take: cell by cell
      if (result_rows_ > 0) pending_ += ',';
      pending_ += '[';
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) pending_ += ',';
        if (!AppendJsonViewCell(column_views_[c], batch_row_, &pending_)) {
          AppendJsonCell(batch, batch_row_, c, column_types_[c], &pending_);
        }
      }
      pending_ += ']';
      written = 1;
    }
    batch_row_ += written;
    result_rows_ += written;
    total_rows_ += written;
  }
  if (batch_row_ >= rows) have_batch_ = false;
}

void SqlExecution::EndResult(bool truncated) {
  std::string tag;
  uint64_t count = result_rows_;
  if (truncated) {
    // The cursor was not read to its end, so it has no final tag: say what was sent.
    tag = cursor_->command() + " " + std::to_string(result_rows_);
    cursor_->Close();
  } else {
    tag = cursor_->command_tag();
    if (!cursor_->returns_rows()) count = cursor_->rows_affected();
  }
  pending_ += "],\"row_count\":" + std::to_string(count) + ",\"message\":";
  AppendJsonString(tag, &pending_);
  if (truncated) pending_ += ",\"truncated\":true";
  pending_ += '}';
  result_open_ = false;
  cursor_.reset();
  FinishStatement(Status::Ok());
}

void SqlExecution::FinishStatement(const Status& status) {
  if (observer_.finished) {
    observer_.finished(
        statement_text_,
        std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - statement_start_),
        status);
  }
}

void SqlExecution::Fail(Status status) {
  if (cursor_ != nullptr) {
    cursor_->Close();
    cursor_.reset();
  }
  if (result_open_) {
    // Close the result that was being written, so the document stays well formed.
    pending_ += "],\"row_count\":" + std::to_string(result_rows_) + "}";
    result_open_ = false;
  }
  if (status.code() == ErrorCode::kQueryCanceled && cancelled_.load()) {
    // Cancelled by the server (a shutdown, a client gone): say why, not just "canceled".
    std::lock_guard<std::mutex> lock(cancel_mutex_);
    status = cancel_reason_;
  }
  error_ = std::move(status);
  finished_ = true;
  if (session_->in_transaction()) (void)session_->Execute("ROLLBACK");
}

void SqlExecution::Finish() {
  finished_ = true;
  if (session_->in_transaction()) {
    (void)session_->Execute("ROLLBACK");
    error_ = Status(ErrorCode::kInvalidTransactionState,
                    "the request ended inside a transaction, which was rolled back: over HTTP a "
                    "transaction must end (COMMIT) in the request that began it");
  }
}

}  // namespace tenantdb::server::http
