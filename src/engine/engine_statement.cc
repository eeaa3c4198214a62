#include "engine/engine_statement.h"

#include <cctype>

namespace tenantdb {

std::string CommandOfTag(std::string_view tag) {
  // Drop trailing words made of digits ("INSERT 0 3", "SELECT 42", "UPDATE 1").
  while (true) {
    const size_t space = tag.rfind(' ');
    if (space == std::string_view::npos) break;
    const std::string_view last = tag.substr(space + 1);
    bool digits = !last.empty();
    for (char c : last)
      digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (!digits) break;
    tag = tag.substr(0, space);
  }
  return std::string(tag);
}

std::unique_ptr<EngineStatement> EngineStatement::Materialized(sql::QueryResult result) {
  std::unique_ptr<EngineStatement> s(new EngineStatement());
  s->schema_ = std::move(result.schema);
  s->command_ = CommandOfTag(result.command_tag);
  s->command_tag_ = std::move(result.command_tag);
  s->rows_affected_ = result.rows_affected;
  s->notices_ = std::move(result.notices);
  s->batches_ = std::move(result.batches);
  return s;
}

std::unique_ptr<EngineStatement> EngineStatement::Streamed(std::shared_ptr<const Schema> schema,
                                                           std::unique_ptr<Stream> stream,
                                                           std::string command) {
  std::unique_ptr<EngineStatement> s(new EngineStatement());
  s->schema_ = std::move(schema);
  s->command_ = std::move(command);
  s->stream_ = std::move(stream);
  return s;
}

EngineStatement::~EngineStatement() {
  Close();
}

void EngineStatement::CopyInFinished(uint64_t rows) {
  copy_in_done_ = true;
  rows_affected_ = rows;
  command_tag_ = "COPY " + std::to_string(rows);
}

Result<std::optional<Batch>> EngineStatement::Next() {
  if (closed_) return std::optional<Batch>();
  if (copy_in_ != nullptr && !copy_in_done_) {
    // Nobody will feed the data: fail instead of loading nothing.
    Status no_channel(ErrorCode::kFeatureNotSupported,
                      "COPY FROM STDIN needs a data channel, which this interface does not "
                      "have; use the PostgreSQL protocol (psql \\copy, PQputCopyData) or, as "
                      "a dba, COPY ... FROM 'file'");
    CloseWith(no_channel);
    return no_channel;
  }
  if (!stream_) {
    while (next_batch_ < batches_.size()) {
      Batch batch = std::move(batches_[next_batch_++]);
      if (batch.num_rows() == 0) continue;
      rows_produced_ += batch.num_rows();
      return std::optional<Batch>(std::move(batch));
    }
    exhausted_ = true;
    CloseWith(Status::Ok());
    return std::optional<Batch>();
  }
  while (true) {
    Result<std::optional<Batch>> batch = stream_->Next();
    if (!batch.ok()) {
      Status error = batch.status();
      CloseWith(error);
      return error;
    }
    if (!batch->has_value()) break;
    if ((*batch)->num_rows() == 0) continue;
    rows_produced_ += (*batch)->num_rows();
    return batch;
  }
  Status finished = stream_->Finish();
  if (!finished.ok()) {
    CloseWith(finished);
    return finished;
  }
  exhausted_ = true;
  rows_affected_ = stream_->RowsAffected(rows_produced_);
  command_tag_ = command_ + " " + std::to_string(rows_affected_);
  CloseWith(Status::Ok());
  return std::optional<Batch>();
}

void EngineStatement::CloseWith(const Status& status) {
  if (closed_) return;
  closed_ = true;
  // The operator tree goes first: it points into the stream's context and transaction.
  stream_.reset();
  batches_.clear();
  copy_in_.reset();  // an unfinished COPY FROM STDIN writes nothing
  if (on_close_) {
    auto on_close = std::move(on_close_);
    on_close_ = nullptr;
    on_close(status);
  }
}

}  // namespace tenantdb
