#include "engine/statement_handlers/copy_load.h"

#include "engine/engine.h"
#include "sql/copy/copy_binary.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/operators/write_support.h"
#include "sql/function/text_input.h"
#include "sql/optimizer/optimizer.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

// What one pending row costs while it waits for the commit as values: in the write list,
// and with `overlay` also in the transaction's overlay with its encoded key and map node.
size_t PendingRowBytes(const std::vector<Value>& row, bool overlay) {
  const size_t copies = overlay ? 2 : 1;
  size_t bytes = overlay ? 160 : 48;
  for (const Value& v : row) {
    bytes += copies * sizeof(Value);
    if (!v.is_null() && (v.type() == DataType::kText || v.type() == DataType::kBytea ||
                         v.type() == DataType::kJson)) {
      const size_t n = v.as_bytes().size();
      if (n > 15) bytes += copies * n;  // beyond the small-string buffer
    }
  }
  return bytes;
}

}  // namespace

Result<std::unique_ptr<CopyLoad>> CopyLoad::Start(SessionState* session, const sql::CopyStmt& copy,
                                                  const sql::CopyFormat& format, const UserId& user,
                                                  Role role) {
  SessionState& s = *session;
  if (s.aborted_) return s.Aborted();
  std::unique_ptr<CopyLoad> load(new CopyLoad(session, user));
  // A top-level load gets its own token and tracker, kept until it ends; one run inside
  // a statement (COPY FROM 'file') shares that statement's.
  load->top_level_ = s.running_local_ == nullptr;
  load->running_ = load->top_level_ ? s.StartStatement() : s.running_local_;
  if (load->top_level_) s.running_local_.reset();
  if (!s.transaction_) {
    load->local_ = std::make_unique<Transaction>(s.commit_sync_);
    load->local_->set_write_only();  // nothing reads it before Finish commits it
  }
  Transaction* txn = s.transaction_ ? s.transaction_.get() : load->local_.get();
  load->check_now_ = s.transaction_ != nullptr;
  load->ctx_ = std::make_unique<sql::ExecContext>(s.MakeContext(txn, load->user_, role));
  load->ctx_->cancel = &load->running_->cancel;
  load->ctx_->memory = &load->running_->memory;
  load->held_ = MemoryReservation(&load->running_->memory);
  Status bound = [&]() -> Status {
    load->binder_ =
        std::make_unique<sql::Binder>(s.BindContextFor(*load->ctx_, &load->parameter_types_));
    // Bound as `INSERT INTO t (cols) DEFAULT VALUES` would be: the same name
    // resolution, privilege checks and defaults.
    sql::InsertStmt insert(copy.location);
    insert.table = copy.table;
    insert.columns = copy.columns;
    TDB_ASSIGN_OR_RETURN(load->plan_, sql::PlanWrite(*load->binder_, insert));
    if (load->plan_->kind != sql::PlanKind::kInsert) {
      return Status(ErrorCode::kInternal, "COPY FROM bound to something other than an insert");
    }
    load->insert_ = &load->plan_->As<sql::InsertNode>();
    TDB_RETURN_IF_ERROR(load->insert_->table->CheckWrite(load->ctx_->request));
    const Schema& schema = *load->insert_->table->schema();
    load->targets_ = load->insert_->targets;
    load->target_of_column_.assign(schema.num_fields(), -1);
    for (size_t i = 0; i < load->targets_.size(); ++i) {
      load->target_of_column_[load->targets_[i]] = static_cast<int>(i);
      load->names_.push_back(schema.field(load->targets_[i]).name);
    }
    // Keys a generated _rowid fills cannot collide: inside BEGIN too, such rows need no
    // check now and wait packed until the commit or a read of the table (pgbench -i
    // loads its keyless tables so).
    const std::vector<size_t> key = schema.PrimaryKeyIndices();
    load->pack_ =
        load->local_ != nullptr || (key.size() == 1 && schema.field(key[0]).name == kRowIdColumn &&
                                    load->target_of_column_[key[0]] < 0);
    if (load->pack_) load->check_now_ = false;
    load->table_label_ = copy.table.ToString();
    for (size_t t : load->targets_)
      load->types_.push_back(schema.field(t).type);
    if (format.kind == sql::CopyFormatKind::kParquet) return Status::Ok();  // WriteRow only
    TDB_ASSIGN_OR_RETURN(sql::CopyDecoder decoder, sql::CopyDecoder::Make(format, load->names_));
    load->decoder_.emplace(std::move(decoder));
    load->binary_ = format.kind == sql::CopyFormatKind::kBinary;
    return Status::Ok();
  }();
  if (!bound.ok()) {
    TDB_RETURN_IF_ERROR(load->Fail(bound));
  }
  return load;
}

CopyLoad::~CopyLoad() {
  Abort();
}

Status CopyLoad::Write(std::string_view data) {
  if (!failed_.ok()) return failed_;
  if (done_) return Status(ErrorCode::kInvalidArgument, "COPY data after the end of the COPY");
  if (!decoder_) return Fail(Status(ErrorCode::kInternal, "COPY FORMAT parquet fed as bytes"));
  Status s = decoder_->Feed(data, [this](uint64_t line, const std::vector<sql::CopyField>& f) {
    return OnRecord(line, f);
  });
  if (!s.ok()) return Fail(std::move(s));
  return Status::Ok();
}

Status CopyLoad::OnRecord(uint64_t line, const std::vector<sql::CopyField>& fields) {
  const auto where = [&](size_t target) {
    return "COPY " + table_label_ + ", line " + std::to_string(line) +
           (target < names_.size() ? ", column " + names_[target] : std::string()) + ": ";
  };
  if (fields.size() < targets_.size()) {
    return Status(
        ErrorCode::kInvalidTextRepresentation,
        where(fields.size()) + "missing data for column \"" + names_[fields.size()] + "\"");
  }
  if (fields.size() > targets_.size()) {
    return Status(ErrorCode::kInvalidTextRepresentation,
                  where(SIZE_MAX) + "extra data after last expected column");
  }
  std::vector<Value> values;
  values.reserve(targets_.size());
  for (size_t t = 0; t < targets_.size(); ++t) {
    const sql::CopyField& f = fields[t];
    const DataType type = types_[t];
    if (f.null) {
      values.push_back(Value::Null(type));
    } else if (type == DataType::kText && !binary_) {
      values.push_back(Value::Text(std::string(f.text)));
    } else {
      Result<Value> v =
          binary_ ? sql::ParseBinaryField(f.text, type) : sql::ParseTextAs(f.text, type);
      if (!v.ok()) return Status(v.status().code(), where(t) + std::string(v.status().message()));
      values.push_back(std::move(*v));
    }
  }
  return AddRow(std::move(values), where(SIZE_MAX));
}

Status CopyLoad::WriteRow(uint64_t row, std::vector<Value> values) {
  if (!failed_.ok()) return failed_;
  if (done_) return Status(ErrorCode::kInvalidArgument, "COPY data after the end of the COPY");
  Status s =
      AddRow(std::move(values), "COPY " + table_label_ + ", row " + std::to_string(row) + ": ");
  if (!s.ok()) return Fail(std::move(s));
  return Status::Ok();
}

Status CopyLoad::AddRow(std::vector<Value> values, const std::string& where) {
  assert(values.size() == targets_.size());
  const TableProvider& table = *insert_->table;
  const Schema& schema = *table.schema();
  std::vector<Value> row;
  row.reserve(schema.num_fields());
  for (size_t c = 0; c < schema.num_fields(); ++c) {
    const int t = target_of_column_[c];
    if (t >= 0) {
      row.push_back(std::move(values[static_cast<size_t>(t)]));
      continue;
    }
    Result<Value> v = sql::EvaluateConstant(*insert_->defaults->exprs[c], *ctx_);
    if (!v.ok()) return Status(v.status().code(), where + std::string(v.status().message()));
    row.push_back(std::move(*v));
  }
  for (size_t c = 0; c < schema.num_fields(); ++c) {
    // NUMERIC(p,s) columns round and range-check what COPY loads, as INSERT does.
    const Field& f = schema.field(c);
    if (f.numeric_precision == 0 || row[c].is_null() || row[c].type() != DataType::kNumeric) {
      continue;
    }
    Result<Numeric> n =
        ApplyNumericTypmod(row[c].as_numeric(), f.numeric_precision, f.numeric_scale);
    if (!n.ok()) {
      return Status(n.status().code(),
                    where + "column " + f.name + ": " + std::string(n.status().message()))
          .WithDetail(std::string(n.status().detail()));
    }
    row[c] = Value::FromNumeric(*n);
  }
  if (Status s = sql::CheckNotNull(table, row); !s.ok()) {
    return Status(s.code(), where + std::string(s.message()));
  }
  if (Status s = sql::CheckConstraints(insert_->defaults.get(), table, row, *ctx_); !s.ok()) {
    return Status(s.code(), where + std::string(s.message())).WithDetail(std::string(s.detail()));
  }
  const size_t bytes = PendingRowBytes(row, /*overlay=*/!pack_);
  buffered_bytes_ += bytes;
  TDB_RETURN_IF_ERROR(held_.Grow(bytes));
  writes_.push_back(HotWrite::Insert(std::move(row)));
  ++rows_;
  if (writes_.size() >= kGroupRows) {
    TDB_RETURN_IF_ERROR(ctx_->cancel->Check());
    TDB_RETURN_IF_ERROR(FlushWrites());
  }
  return Status::Ok();
}

Status CopyLoad::FlushWrites() {
  if (writes_.empty()) return Status::Ok();
  std::vector<HotWrite> group;
  group.swap(writes_);
  writes_.reserve(kGroupRows);
  TDB_RETURN_IF_ERROR(
      insert_->table->Write(ctx_->request, std::move(group), check_now_, /*pack=*/pack_));
  // Rows as values in a transaction cost what they cost in the buffer; packed, what
  // the transaction's packed rows hold.
  handed_bytes_ =
      pack_ ? ctx_->request.transaction->packed_bytes() : handed_bytes_ + buffered_bytes_;
  buffered_bytes_ = 0;
  return held_.Resize(handed_bytes_);
}

Result<uint64_t> CopyLoad::Finish() {
  if (!failed_.ok()) return failed_;
  if (done_) return rows_;
  Status s = decoder_
                 ? decoder_->Finish([this](uint64_t line, const std::vector<sql::CopyField>& f) {
                     return OnRecord(line, f);
                   })
                 : Status::Ok();
  if (s.ok()) s = ctx_->cancel->Check();
  if (s.ok()) s = FlushWrites();
  if (s.ok() && local_ != nullptr) {
    Engine& db = *session_->db_;
    const auto counts = local_->WriteCounts();
    s = local_->Commit(&db.tables());
    if (s.ok()) {
      for (const auto& [table, n] : counts)
        db.flush_scheduler().RecordWrites(*table, n);
    }
  }
  if (!s.ok()) return Fail(std::move(s));
  done_ = true;
  End();
  if (statement_ != nullptr) statement_->CopyInFinished(rows_);
  return rows_;
}

void CopyLoad::Abort() {
  if (done_ || !failed_.ok()) return;
  (void)Fail(Status(ErrorCode::kQueryCanceled, "COPY from stdin failed: the client aborted it"));
}

Status CopyLoad::Fail(Status error) {
  if (failed_.ok()) failed_ = error;
  writes_.clear();
  if (local_ != nullptr) {
    local_->Rollback();
  } else if (session_->transaction_ != nullptr) {
    session_->aborted_ = true;  // rows already added to it: the transaction fails
  }
  End();
  return error;
}

void CopyLoad::End() {
  held_.Reset();
  if (running_ != nullptr && top_level_) session_->EndStatement(running_);
}

}  // namespace tenantdb
