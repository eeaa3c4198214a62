// Scan: reads a table through its provider, with the plan's key bounds and limit pushed
// into the read, and applies the residual filter to each batch. The provider's stream
// is pulled one batch per Next(), so a scan holds one batch, not the table.
//
// The plan's filter and outputs number the table's columns. The provider may return
// only the columns the scan reads (ScanRequest::projected; BatchStream::columns() says
// which): the filter is then rebound to that narrower layout once, so no batch carries
// NULL columns for the fields nobody reads.
#include <cassert>
#include <string>

#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"

namespace tenantdb::sql {

namespace {

class ScanOperator final : public Operator {
 public:
  ScanOperator(const ScanNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (!started_) {
      started_ = true;
      TDB_RETURN_IF_ERROR(plan_.table->CheckRead(ctx_.request));
      ScanRequest request;
      TDB_ASSIGN_OR_RETURN(request.lower, Bound(plan_.lower));
      TDB_ASSIGN_OR_RETURN(request.upper, Bound(plan_.upper));
      request.limit = plan_.scan_limit;
      request.wanted = plan_.wanted_columns;
      // A subquery in the filter may read this row at another level: not rebound.
      request.projected = plan_.filter == nullptr || !HasSubquery(*plan_.filter);
      request.order = plan_.scan_order;
      request.top_n = plan_.scan_top_n;
      if (plan_.index) {
        TDB_RETURN_IF_ERROR(IndexRanges(*plan_.index, &request));
        if (plan_.index->ordered) {
          request.index_order =
              ScanRequest::IndexOrder{plan_.index->descending, plan_.index->top_n};
        }
      }
      TDB_ASSIGN_OR_RETURN(stream_, plan_.table->Scan(ctx_.request, request));
      // An ordered index read: the first top_n rows the filter accepts are the answer.
      if (plan_.index && plan_.index->ordered && stream_->ordered())
        remaining_ = plan_.index->top_n;
    }
    while (stream_ != nullptr) {
      // Per batch pulled, not per batch returned: a filter that keeps nothing reads the
      // whole table inside one Next().
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> next, stream_->Next());
      if (!next.has_value()) {
        stream_.reset();  // releases the storage iterators and open files at once
        break;
      }
      Batch batch = std::move(*next);
      if (batch.num_rows() == 0) continue;
      TDB_RETURN_IF_ERROR(Rebind());
      std::vector<uint32_t> rows;
      if (plan_.filter) {
        const BoundExpr& filter = projected_filter_ ? *projected_filter_ : *plan_.filter;
        TDB_ASSIGN_OR_RETURN(ColumnVector keep, Evaluate(filter, batch, ctx_));
        rows = SelectedRows(keep);
        if (rows.empty()) continue;
        if (rows.size() == batch.num_rows()) rows.clear();
      }
      // The columns the plan returns (the filter read the table's row), then the rows
      // the filter kept: only the returned columns are copied.
      batch = Output(std::move(batch));
      if (!rows.empty()) batch = TakeRows(batch, rows);
      if (remaining_.has_value()) {
        if (batch.num_rows() >= *remaining_) {
          if (batch.num_rows() > *remaining_) {
            std::vector<uint32_t> first(*remaining_);
            for (uint32_t r = 0; r < first.size(); ++r)
              first[r] = r;
            batch = TakeRows(batch, first);
          }
          stream_.reset();  // enough rows: read no further entries
        } else {
          *remaining_ -= batch.num_rows();
        }
      }
      return std::optional<Batch>(std::move(batch));
    }
    return std::optional<Batch>();
  }

 private:
  // `rows` (the table's columns) as the plan returns them: its output columns, with the
  // plan's names and aliases.
  Batch Output(Batch rows) const {
    const size_t width = plan_.schema->num_fields();
    std::vector<ColumnVector> out;
    out.reserve(width);
    for (size_t c = 0; c < width; ++c) {
      size_t from = plan_.output_columns.empty() ? c : plan_.output_columns[c];
      if (!position_.empty()) {
        assert(position_[from] != kAbsent);
        from = position_[from];
      }
      out.push_back(std::move(rows.mutable_column(from)));
    }
    return Batch(plan_.schema, std::move(out));
  }

  static bool HasSubquery(const BoundExpr& e) {
    if (e.kind == BoundExprKind::kSubquery) return true;
    for (const auto& c : e.children)
      if (HasSubquery(*c)) return true;
    return false;
  }

  // Once the stream says it returns a projection: where each table column is in it, and
  // the filter over those positions.
  Status Rebind() {
    const std::vector<size_t>* columns = stream_->columns();
    if (columns == nullptr || rebound_) return Status::Ok();
    rebound_ = true;
    const size_t width = plan_.table->schema()->num_fields();
    position_.assign(width, kAbsent);
    for (size_t j = 0; j < columns->size(); ++j)
      position_[(*columns)[j]] = j;
    if (plan_.filter) {
      projected_filter_ = plan_.filter->Clone();
      TDB_RETURN_IF_ERROR(Renumber(projected_filter_.get()));
    }
    return Status::Ok();
  }
  Status Renumber(BoundExpr* e) const {
    if (e->kind == BoundExprKind::kColumn && e->outer_level == 0) {
      if (e->column >= position_.size() || position_[e->column] == kAbsent) {
        return Status(ErrorCode::kInternal, "scan filter reads column " +
                                                std::to_string(e->column) +
                                                " the table read did not return");
      }
      e->column = position_[e->column];
    }
    for (auto& c : e->children)
      TDB_RETURN_IF_ERROR(Renumber(c.get()));
    return Status::Ok();
  }

  Result<std::optional<HotKeyBound>> Bound(const std::optional<BoundKeyBound>& bound) {
    if (!bound.has_value()) return std::optional<HotKeyBound>();
    HotKeyBound out;
    out.inclusive = bound->inclusive;
    for (const auto& e : bound->key) {
      TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*e, ctx_));
      // NULL never equals a key: an empty range.
      if (v.is_null()) return Status(ErrorCode::kNotFound, "");
      out.key.push_back(std::move(v));
    }
    return std::optional<HotKeyBound>(std::move(out));
  }

  // The index read's ranges: one point per equality / IN value (a NULL value matches
  // nothing and is skipped), or the range.
  Status IndexRanges(const IndexChoice& choice, ScanRequest* request) {
    request->index = choice.index;
    for (const auto& point : choice.points) {
      HotKeyBound bound;
      bool null = false;
      for (const auto& e : point) {
        TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*e, ctx_));
        null = null || v.is_null();
        bound.key.push_back(std::move(v));
      }
      if (!null) request->index_ranges.emplace_back(bound, bound);
    }
    if (choice.lower || choice.upper) {
      auto lower = Bound(choice.lower);
      auto upper = Bound(choice.upper);
      if (!lower.ok() || !upper.ok()) return Status::Ok();  // NULL bound: nothing matches
      request->index_ranges.emplace_back(std::move(*lower), std::move(*upper));
    }
    if (choice.points.empty() && !choice.lower && !choice.upper) {
      request->index_ranges.emplace_back();  // the whole index (an ordered read)
    }
    if (request->index_ranges.empty()) {
      // Every value was NULL: no row matches; an empty range says so.
      HotKeyBound empty;
      empty.inclusive = false;
      request->index_ranges.emplace_back(empty, empty);
    }
    return Status::Ok();
  }

  const ScanNode& plan_;
  ExecContext& ctx_;
  bool started_ = false;
  BatchStreamPtr stream_;
  std::optional<size_t> remaining_;  // rows an ordered index read still owes (plan top_n)
  // A projected read: each table column's position in the batches (kAbsent: not read),
  // and the filter renumbered to them.
  static constexpr size_t kAbsent = static_cast<size_t>(-1);
  bool rebound_ = false;
  std::vector<size_t> position_;
  BoundExprPtr projected_filter_;
};

// A scan whose key bound is NULL matches nothing.
class EmptyOperator final : public Operator {
 public:
  Result<std::optional<Batch>> Next() override { return std::optional<Batch>(); }
};

class NullSafeScan final : public Operator {
 public:
  NullSafeScan(const ScanNode& plan, ExecContext& ctx) : scan_(plan, ctx) {}
  Result<std::optional<Batch>> Next() override {
    auto r = scan_.Next();
    if (!r.ok() && r.status().code() == ErrorCode::kNotFound && r.status().message().empty()) {
      return std::optional<Batch>();
    }
    return r;
  }

 private:
  ScanOperator scan_;
};

}  // namespace

Result<OperatorPtr> MakeScan(const ScanNode& plan, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<NullSafeScan>(plan, ctx));
}

}  // namespace tenantdb::sql
