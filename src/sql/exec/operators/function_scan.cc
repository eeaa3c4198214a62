// FunctionScan: generate_series(start, stop [, step]), unnest(array) and the JSON table functions.
// The arguments are evaluated on the first Next(); rows stream in batches of kBatchRows, so a LIMIT
// above a huge series stops it early. Like PostgreSQL: a NULL argument gives no rows, a step of 0
// is invalid_argument ("step size cannot equal zero"), and a series that would pass the type's
// range ends at its last value instead of overflowing. A JSON document is expanded whole on the
// first Next() (it is one value, already in memory). read_parquet streams its files one row group
// per batch, opening each file when it gets to it; read_csv streams its files in batches of about
// kBatchRows, converting only the wanted columns (CsvFileReader).
#include <cstdint>

#include "sql/copy/csv_file_reader.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/operator_stats.h"
#include "storage/cold/parquet_reader.h"
#include "types/array_value.h"
#include "types/interval.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kBatchRows = 1024;

class GenerateSeriesOperator final : public Operator {
 public:
  GenerateSeriesOperator(const FunctionScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_RETURN_IF_ERROR(Start());
    }
    if (done_) return std::optional<Batch>();
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    Batch out(plan_.schema);
    ColumnVector& column = out.mutable_column(0);
    column.Reserve(kBatchRows);
    for (size_t n = 0; n < kBatchRows && !done_; ++n) {
      if (step_ > 0 ? next_ > stop_ : next_ < stop_) {
        done_ = true;
        break;
      }
      column.AppendInt64(next_);
      // Stop rather than overflow past the type's last value.
      if (__builtin_add_overflow(next_, step_, &next_) || next_ > max_ || next_ < min_) {
        done_ = true;
      }
    }
    if (out.num_rows() == 0) return std::optional<Batch>();
    return std::optional<Batch>(std::move(out));
  }

 private:
  Status Start() {
    int64_t values[3] = {0, 0, 1};
    for (size_t i = 0; i < plan_.args.size(); ++i) {
      TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*plan_.args[i], ctx_));
      if (v.is_null()) {
        done_ = true;
        return Status::Ok();
      }
      values[i] = v.as_int64();
    }
    if (values[2] == 0) {
      return Status(ErrorCode::kInvalidArgument, "step size cannot equal zero");
    }
    next_ = values[0];
    stop_ = values[1];
    step_ = values[2];
    if (plan_.columns[0].type == DataType::kInt) {
      min_ = INT32_MIN;
      max_ = INT32_MAX;
    }
    return Status::Ok();
  }

  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  bool started_ = false;
  bool done_ = false;
  int64_t next_ = 0, stop_ = 0, step_ = 1;
  int64_t min_ = INT64_MIN, max_ = INT64_MAX;
};

// generate_series(start, stop, step interval) over TIMESTAMP or TIMESTAMPTZ: each value
// is the previous one plus the step (calendar arithmetic: a month step from Jan 31 gives
// Feb 29, then Mar 29, as in PostgreSQL).
class TimestampSeriesOperator final : public Operator {
 public:
  TimestampSeriesOperator(const FunctionScanNode& plan, ExecContext& ctx)
      : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_RETURN_IF_ERROR(Start());
    }
    if (done_) return std::optional<Batch>();
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    Batch out(plan_.schema);
    ColumnVector& column = out.mutable_column(0);
    column.Reserve(kBatchRows);
    for (size_t n = 0; n < kBatchRows && !done_; ++n) {
      if (ascending_ ? next_ > stop_ : next_ < stop_) {
        done_ = true;
        break;
      }
      column.AppendInt64(next_);
      Result<int64_t> following = AddInterval(next_, step_);
      if (!following.ok()) {
        done_ = true;  // past the last timestamp: the series ends, as PostgreSQL's
      } else {
        next_ = *following;
      }
    }
    if (out.num_rows() == 0) return std::optional<Batch>();
    return std::optional<Batch>(std::move(out));
  }

 private:
  Status Start() {
    std::vector<Value> values;
    for (size_t i = 0; i < 3; ++i) {
      TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*plan_.args[i], ctx_));
      if (v.is_null()) {
        done_ = true;
        return Status::Ok();
      }
      values.push_back(std::move(v));
    }
    step_ = values[2].as_interval();
    const int sign = CompareIntervals(step_, Interval{});
    if (sign == 0) return Status(ErrorCode::kInvalidArgument, "step size cannot equal zero");
    ascending_ = sign > 0;
    next_ = values[0].as_int64();
    stop_ = values[1].as_int64();
    return Status::Ok();
  }

  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  bool started_ = false;
  bool done_ = false;
  bool ascending_ = true;
  int64_t next_ = 0, stop_ = 0;
  Interval step_;
};

class JsonExpandOperator final : public Operator {
 public:
  JsonExpandOperator(const FunctionScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_ASSIGN_OR_RETURN(Value doc, EvaluateConstant(*plan_.args[0], ctx_));
      if (!doc.is_null()) {
        TDB_ASSIGN_OR_RETURN(rows_, ExpandJson(doc, *plan_.json, plan_.jsonb));
      }
    }
    if (next_ >= rows_.size()) return std::optional<Batch>();
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    Batch out(plan_.schema);
    const bool keyed =
        *plan_.json == JsonExpansion::kEach || *plan_.json == JsonExpansion::kEachText;
    for (size_t n = 0; n < kBatchRows && next_ < rows_.size(); ++n, ++next_) {
      JsonRow& row = rows_[next_];
      if (*plan_.json == JsonExpansion::kObjectKeys) {
        out.mutable_column(0).AppendBytes(*row.key);
        continue;
      }
      if (keyed) out.mutable_column(0).AppendBytes(*row.key);
      out.mutable_column(keyed ? 1 : 0).Append(row.value);
    }
    return std::optional<Batch>(std::move(out));
  }

 private:
  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  bool started_ = false;
  std::vector<JsonRow> rows_;
  size_t next_ = 0;
};

// unnest(array): the array's elements, one row each.
class UnnestOperator final : public Operator {
 public:
  UnnestOperator(const FunctionScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_ASSIGN_OR_RETURN(Value array, EvaluateConstant(*plan_.args[0], ctx_));
      if (!array.is_null()) {
        TDB_ASSIGN_OR_RETURN(elements_, DecodeArray(ElementType(array.type()), array.as_bytes()));
      }
    }
    if (next_ >= elements_.size()) return std::optional<Batch>();
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    Batch out(plan_.schema);
    for (size_t n = 0; n < kBatchRows && next_ < elements_.size(); ++n, ++next_)
      out.mutable_column(0).Append(elements_[next_]);
    return std::optional<Batch>(std::move(out));
  }

 private:
  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  bool started_ = false;
  std::vector<Value> elements_;
  size_t next_ = 0;
};

class ParquetScanOperator final : public Operator {
 public:
  ParquetScanOperator(const FunctionScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {
    // Read only the wanted columns (projection_pushdown.cc); the others are NULL.
    if (plan_.wanted_columns.empty()) {
      read_schema_ = plan_.file_schema;
      return;
    }
    std::vector<Field> fields;
    for (size_t i = 0; i < plan_.wanted_columns.size(); ++i) {
      if (plan_.wanted_columns[i]) {
        fields.push_back(plan_.file_schema->field(i));
        read_position_.push_back(i);
      }
    }
    read_schema_ = std::make_shared<const Schema>(std::move(fields), SchemaMetadata());
  }

  Result<std::optional<Batch>> Next() override {
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      if (reader_ == nullptr) {
        if (file_ == plan_.files.size()) return std::optional<Batch>();
        TDB_ASSIGN_OR_RETURN(reader_, ParquetReader::Open(plan_.files[file_]));
        group_ = 0;
      }
      if (group_ == reader_->num_row_groups()) {
        reader_.reset();
        ++file_;
        continue;
      }
      if (!ranges_.has_value()) {
        TDB_ASSIGN_OR_RETURN(ranges_, RowGroupRanges());
      }
      if (!reader_->RowGroupMayMatch(group_, *ranges_)) {
        ++group_;
        if (ctx_.stats != nullptr) ++ctx_.stats->For(plan_).row_groups_skipped;
        continue;
      }
      TDB_ASSIGN_OR_RETURN(Batch read, reader_->ReadRowGroup(group_++, read_schema_));
      const size_t rows = read.num_rows();
      if (rows == 0) continue;
      Batch out(plan_.schema);
      if (read_position_.empty()) {
        for (size_t c = 0; c < out.num_columns(); ++c)
          out.mutable_column(c) = std::move(read.mutable_column(c));
      } else {
        std::vector<bool> filled(out.num_columns(), false);
        for (size_t k = 0; k < read_position_.size(); ++k) {
          out.mutable_column(read_position_[k]) = std::move(read.mutable_column(k));
          filled[read_position_[k]] = true;
        }
        for (size_t c = 0; c < out.num_columns(); ++c) {
          if (filled[c]) continue;
          for (size_t r = 0; r < rows; ++r)
            out.mutable_column(c).AppendNull();
        }
      }
      return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // The plan's row-group bounds as column ranges, their values evaluated once.
  Result<std::vector<ParquetColumnRange>> RowGroupRanges() {
    std::vector<ParquetColumnRange> ranges;
    for (const FunctionScanNode::RowGroupBound& b : plan_.row_group_bounds) {
      TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*b.value, ctx_));
      ParquetColumnRange range{plan_.file_schema->field(b.column).name, std::nullopt, std::nullopt};
      // Inclusive bounds: `x > 5` reads the groups `x >= 5` would (skipping is all
      // they do; the filter above decides each row).
      if (b.op == ScalarOp::kEqual || b.op == ScalarOp::kGreater ||
          b.op == ScalarOp::kGreaterEqual) {
        range.min = v;
      }
      if (b.op == ScalarOp::kEqual || b.op == ScalarOp::kLess || b.op == ScalarOp::kLessEqual) {
        range.max = v;
      }
      ranges.push_back(std::move(range));
    }
    return ranges;
  }

  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  std::optional<std::vector<ParquetColumnRange>> ranges_;
  size_t file_ = 0;
  size_t group_ = 0;
  std::unique_ptr<ParquetReader> reader_;
  std::shared_ptr<const Schema> read_schema_;
  std::vector<size_t> read_position_;  // output column of each read column (empty: all)
};

class CsvScanOperator final : public Operator {
 public:
  CsvScanOperator(const FunctionScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      if (reader_ == nullptr) {
        if (file_ == plan_.files.size()) return std::optional<Batch>();
        TDB_ASSIGN_OR_RETURN(reader_, CsvFileReader::Open(plan_.files[file_], *plan_.csv,
                                                          plan_.schema, plan_.wanted_columns));
      }
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, reader_->Next(kBatchRows));
      if (batch.has_value()) return batch;
      reader_.reset();
      ++file_;
    }
  }

 private:
  const FunctionScanNode& plan_;
  ExecContext& ctx_;
  size_t file_ = 0;
  std::unique_ptr<CsvFileReader> reader_;
};

}  // namespace

Result<OperatorPtr> MakeFunctionScan(const FunctionScanNode& plan, ExecContext& ctx) {
  if (plan.csv.has_value()) return OperatorPtr(std::make_unique<CsvScanOperator>(plan, ctx));
  if (!plan.files.empty()) return OperatorPtr(std::make_unique<ParquetScanOperator>(plan, ctx));
  if (plan.json.has_value()) return OperatorPtr(std::make_unique<JsonExpandOperator>(plan, ctx));
  if (plan.function == "unnest") return OperatorPtr(std::make_unique<UnnestOperator>(plan, ctx));
  if (IsTemporal(plan.columns[0].type)) {
    return OperatorPtr(std::make_unique<TimestampSeriesOperator>(plan, ctx));
  }
  return OperatorPtr(std::make_unique<GenerateSeriesOperator>(plan, ctx));
}

}  // namespace tenantdb::sql
