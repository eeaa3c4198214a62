// Cursor and RowBatch (include/tenantdb/result.h) over an EngineStatement.
#include <string>

#include "engine/public_impl.h"

namespace tenantdb {

namespace {

std::string Where(size_t row, size_t column) {
  return "row " + std::to_string(row) + ", column " + std::to_string(column);
}

}  // namespace

Status QueryCanceled() {
  return Status(ErrorCode::kQueryCanceled, "canceling statement due to user request");
}

// ---- RowBatch --------------------------------------------------------------------------

size_t RowBatch::num_rows() const {
  return rep_ ? rep_->batch->num_rows() : 0;
}

size_t RowBatch::num_columns() const {
  return rep_ ? rep_->batch->num_columns() : 0;
}

bool RowBatch::IsNull(size_t row, size_t column) const {
  if (row >= num_rows() || column >= num_columns()) return false;
  return rep_->batch->column(column).IsNull(row);
}

RowBatch::ColumnView RowBatch::ViewColumn(size_t column) const {
  ColumnView view;
  if (column >= num_columns()) return view;
  const ColumnVector& c = rep_->batch->column(column);
  const DataType t = c.type();
  view.type = t;
  view.validity = c.validity().data();
  if (IsInteger(t) || IsFloatingPoint(t) || IsTemporal(t) || t == DataType::kBoolean) {
    view.values = c.fixed_data();
  } else if (IsVariableWidth(t) && !IsArray(t)) {
    view.offsets = c.offsets().data();
    view.bytes = c.all_bytes().data();
  }
  return view;
}

namespace {

// The column a typed accessor reads, after the range and NULL checks.
Result<const ColumnVector*> Cell(const Batch* batch, size_t row, size_t column) {
  if (batch == nullptr || row >= batch->num_rows() || column >= batch->num_columns()) {
    return Status(ErrorCode::kInvalidArgument,
                  Where(row, column) + " is outside the current batch (" +
                      std::to_string(batch ? batch->num_rows() : 0) + " rows, " +
                      std::to_string(batch ? batch->num_columns() : 0) + " columns)");
  }
  const ColumnVector& c = batch->column(column);
  if (c.IsNull(row)) {
    return Status(ErrorCode::kInvalidArgument,
                  Where(row, column) + " is NULL; check IsNull() first or use GetValue()");
  }
  return &c;
}

Status Mismatch(const ColumnVector& c, size_t row, size_t column, std::string_view accessor,
                std::string_view reads) {
  return Status(ErrorCode::kTypeMismatch, std::string(accessor) + " reads " + std::string(reads) +
                                              ", but " + Where(row, column) + " is " +
                                              std::string(DataTypeName(c.type())) +
                                              "; use GetValue() for any type");
}

}  // namespace

Result<int64_t> RowBatch::GetInt64(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  switch (c->type()) {
    case DataType::kSmallInt:
      return int64_t{c->values<int16_t>()[row]};
    case DataType::kInt:
    case DataType::kDate:
      return int64_t{c->values<int32_t>()[row]};
    case DataType::kBigInt:
    case DataType::kTimestamp:
    case DataType::kTimestampTz:
      return c->values<int64_t>()[row];
    default:
      return Mismatch(*c, row, column, "GetInt64", "SMALLINT, INT, BIGINT, DATE and TIMESTAMP[TZ]");
  }
}

Result<double> RowBatch::GetDouble(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  if (c->type() == DataType::kReal) return double{c->values<float>()[row]};
  if (c->type() == DataType::kDouble) return c->values<double>()[row];
  return Mismatch(*c, row, column, "GetDouble", "REAL and DOUBLE");
}

Result<bool> RowBatch::GetBool(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  if (c->type() == DataType::kBoolean) return c->values<uint8_t>()[row] != 0;
  return Mismatch(*c, row, column, "GetBool", "BOOLEAN");
}

Result<std::string_view> RowBatch::GetText(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  if (c->type() == DataType::kText || c->type() == DataType::kJson) return c->bytes(row);
  return Mismatch(*c, row, column, "GetText", "TEXT and JSON");
}

Result<std::string_view> RowBatch::GetBytes(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  if (IsVariableWidth(c->type())) return c->bytes(row);
  if (c->type() == DataType::kUuid) {
    const Uuid& u = c->values<Uuid>()[row];
    return std::string_view(reinterpret_cast<const char*>(u.data()), u.size());
  }
  return Mismatch(*c, row, column, "GetBytes", "BYTEA, TEXT, JSON and UUID");
}

Result<Interval> RowBatch::GetInterval(size_t row, size_t column) const {
  TDB_ASSIGN_OR_RETURN(const ColumnVector* c, Cell(rep_ ? rep_->batch : nullptr, row, column));
  if (c->type() == DataType::kInterval) return c->values<Interval>()[row];
  return Mismatch(*c, row, column, "GetInterval", "INTERVAL");
}

Result<Value> RowBatch::GetValue(size_t row, size_t column) const {
  if (rep_ == nullptr || row >= num_rows() || column >= num_columns()) {
    return Cell(rep_ ? rep_->batch : nullptr, row, column).status();
  }
  return rep_->batch->column(column).GetValue(row);
}

// ---- Cursor ----------------------------------------------------------------------------

Cursor::Cursor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Cursor::~Cursor() {
  Close();
}

const std::vector<Column>& Cursor::columns() const {
  return impl_->columns;
}

bool Cursor::returns_rows() const {
  return impl_->statement->schema() != nullptr;
}

const std::string& Cursor::command() const {
  return impl_->statement->command();
}

Result<bool> Cursor::Next() {
  Impl& s = *impl_;
  s.view.rep_ = nullptr;
  s.current.reset();
  EngineStatement& statement = *s.statement;
  if (statement.exhausted()) return false;
  if (statement.closed()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the cursor was closed before its end (Close(), or another statement on "
                  "its session); run the query again");
  }
  // Session::Cancel() between two pulls: the statement stops here (one running inside
  // the operators is stopped by the engine's token).
  if (s.cancel->load(std::memory_order_acquire)) {
    Status canceled = QueryCanceled();
    statement.Abort(canceled);
    return canceled;
  }
  TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, statement.Next());
  if (!batch.has_value()) return false;
  s.current = std::move(batch);
  s.rep.batch = &*s.current;
  s.view.rep_ = &s.rep;
  return true;
}

const RowBatch& Cursor::batch() const {
  return impl_->view;
}

const std::string& Cursor::command_tag() const {
  return impl_->statement->command_tag();
}

const std::vector<std::string>& Cursor::notices() const {
  return impl_->statement->notices();
}

uint64_t Cursor::rows_affected() const {
  return impl_->statement->rows_affected();
}

void Cursor::Close() {
  if (!impl_) return;
  impl_->view.rep_ = nullptr;
  impl_->current.reset();
  impl_->statement->Close();
}

bool Cursor::closed() const {
  return impl_->statement->closed();
}

}  // namespace tenantdb

namespace tenantdb {

const CopyInfo* Cursor::copy() const {
  return impl_->statement->copy();
}

CopyIn* Cursor::copy_in() {
  return impl_->statement->closed() ? nullptr : impl_->statement->copy_in();
}

}  // namespace tenantdb
