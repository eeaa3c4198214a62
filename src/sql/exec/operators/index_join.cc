// IndexJoin: a join with an index_probe (sql/planner/plan/join_node.h), an index nested
// loop. For each left batch it reads only the right table's rows whose key starts with
// the batch's distinct key values — one point read per key when the keys fix the whole
// primary key, a key-range read per key for a leading part of it, one read of all the
// keys' entries for a secondary index — through the provider with the request's context,
// exactly as the scan would (the user's own rows of a USER table, the transaction's
// pending writes merged in). The scan's filter is applied to those rows; then they are
// hashed on every key pair, and the batch is joined with them as the hash join would:
// INNER, LEFT (unmatched left rows NULL-extended), SEMI or ANTI (left columns only).
//
// The provider ignores a secondary index while the transaction has pending writes to the
// table (it would read the whole table per batch): IndexJoinProbes says so, and
// BuildOperator then runs the plain hash join over the scan instead.
#include "absl/container/flat_hash_map.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/operator_stats.h"
#include "sql/exec/operators/join_support.h"
#include "tables/transaction.h"

namespace tenantdb::sql {

namespace {

class IndexJoinOperator final : public Operator {
 public:
  IndexJoinOperator(const JoinNode& plan, OperatorPtr left, ExecContext& ctx)
      : plan_(plan),
        scan_(plan.children[1]->As<ScanNode>()),
        left_(std::move(left)),
        ctx_(ctx),
        pair_schema_(PairSchema(plan)),
        held_(ctx.memory) {
    assert(plan.index_probe.has_value());
    // EXPLAIN ANALYZE: the probed scan counts the rows the probes read (one loop per
    // read), so a plan shows how little of the table it touched.
    if (ctx.stats != nullptr) scan_stats_ = &ctx.stats->For(scan_);
  }

  Result<std::optional<Batch>> Next() override {
    if (!checked_) {
      checked_ = true;
      TDB_RETURN_IF_ERROR(scan_.table->CheckRead(ctx_.request));
    }
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> left, left_->Next());
      if (!left.has_value()) return std::optional<Batch>();
      TDB_ASSIGN_OR_RETURN(Batch out, Join(*left));
      if (out.num_rows() > 0) return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // The right rows whose probe key equals one of `probes` (each the values of the
  // probe's key pairs), through the scan's filter.
  Result<Batch> Read(const std::vector<std::vector<Value>>& probes) {
    std::vector<ScanRequest> requests;
    if (plan_.index_probe->index) {
      ScanRequest& request = requests.emplace_back();
      request.index = plan_.index_probe->index;
      for (const auto& key : probes)
        request.index_ranges.emplace_back(HotKeyBound{key, true}, HotKeyBound{key, true});
    } else {
      // Equal inclusive bounds on the whole key are one point read (TableProvider::Scan).
      for (const auto& key : probes) {
        ScanRequest& request = requests.emplace_back();
        request.lower = HotKeyBound{key, true};
        request.upper = HotKeyBound{key, true};
      }
    }
    Batch rows(scan_.schema);
    for (ScanRequest& request : requests) {
      request.wanted = scan_.wanted_columns;
      TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, scan_.table->Scan(ctx_.request, request));
      while (true) {
        TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream->Next());
        if (!batch.has_value()) break;
        if (batch->num_rows() == 0) continue;
        std::vector<uint32_t> keep;
        if (scan_.filter) {
          TDB_ASSIGN_OR_RETURN(ColumnVector pass, Evaluate(*scan_.filter, *batch, ctx_));
          keep = SelectedRows(pass);
        } else {
          keep.resize(batch->num_rows());
          for (size_t i = 0; i < keep.size(); ++i)
            keep[i] = static_cast<uint32_t>(i);
        }
        for (size_t c = 0; c < rows.num_columns(); ++c) {
          const ColumnVector& from =
              batch->column(scan_.output_columns.empty() ? c : scan_.output_columns[c]);
          rows.mutable_column(c).AppendRows(from, keep);
        }
      }
      TDB_RETURN_IF_ERROR(held_.Resize(BatchBytes(rows)));
    }
    if (scan_stats_ != nullptr) {
      scan_stats_->loops += requests.size();
      scan_stats_->rows += rows.num_rows();
    }
    return rows;
  }

  Result<Batch> Join(const Batch& left) {
    std::vector<std::optional<ColumnVector>> left_storage, right_storage;
    TDB_ASSIGN_OR_RETURN(std::vector<const ColumnVector*> left_keys,
                         EvaluateViews(plan_.left_keys, left, ctx_, &left_storage));
    // The batch's distinct probe keys (rows with a NULL key match nothing).
    std::vector<std::vector<Value>> probes;
    absl::flat_hash_map<std::string, size_t> seen;
    std::vector<const ColumnVector*> probe_columns;
    for (size_t pair : plan_.index_probe->key_pairs)
      probe_columns.push_back(left_keys[pair]);
    std::string bytes;
    for (size_t r = 0; r < left.num_rows(); ++r) {
      if (!JoinKeyBytes(probe_columns, r, &bytes)) continue;
      if (!seen.try_emplace(bytes, probes.size()).second) continue;
      std::vector<Value>& key = probes.emplace_back();
      for (const ColumnVector* c : probe_columns)
        key.push_back(c->GetValue(r));
    }
    Batch right(scan_.schema);
    if (!probes.empty()) {
      TDB_ASSIGN_OR_RETURN(right, Read(probes));
    }
    // Hash the rows read on every key pair, then pair each left row with its matches.
    TDB_ASSIGN_OR_RETURN(std::vector<const ColumnVector*> right_keys,
                         EvaluateViews(plan_.right_keys, right, ctx_, &right_storage));
    absl::flat_hash_map<std::string, std::vector<uint32_t>> table;
    for (size_t r = 0; r < right.num_rows(); ++r) {
      if (JoinKeyBytes(right_keys, r, &bytes)) table[bytes].push_back(static_cast<uint32_t>(r));
    }
    std::vector<uint32_t> lrows, rrows;
    for (size_t r = 0; r < left.num_rows(); ++r) {
      if (!JoinKeyBytes(left_keys, r, &bytes)) continue;
      auto it = table.find(bytes);
      if (it == table.end()) continue;
      for (uint32_t rr : it->second) {
        lrows.push_back(static_cast<uint32_t>(r));
        rrows.push_back(rr);
      }
    }
    const bool left_only = plan_.LeftOnly();
    Batch pairs = PairRows(left_only ? pair_schema_ : plan_.schema, left, lrows, right, rrows);
    TDB_ASSIGN_OR_RETURN(std::vector<uint32_t> kept,
                         PassingPairs(plan_.condition.get(), pairs, ctx_));
    std::vector<bool> matched(left.num_rows(), false);
    for (uint32_t i : kept)
      matched[lrows[i]] = true;
    if (left_only) {
      const bool want = plan_.join_type == JoinType::kSemi;
      std::vector<uint32_t> rows;
      for (size_t r = 0; r < left.num_rows(); ++r)
        if (matched[r] == want) rows.push_back(static_cast<uint32_t>(r));
      Batch taken = TakeRows(left, rows);
      Batch out(plan_.schema);
      for (size_t c = 0; c < out.num_columns(); ++c)
        out.mutable_column(c) = std::move(taken.mutable_column(c));
      return out;
    }
    Batch out = kept.size() == pairs.num_rows() ? std::move(pairs) : TakeRows(pairs, kept);
    if (plan_.join_type == JoinType::kLeft) {
      const size_t lw = left.num_columns();
      for (size_t r = 0; r < left.num_rows(); ++r) {
        if (matched[r]) continue;
        for (size_t c = 0; c < lw; ++c)
          out.mutable_column(c).AppendFrom(left.column(c), r);
        for (size_t c = lw; c < out.num_columns(); ++c)
          out.mutable_column(c).AppendNull();
      }
    }
    return out;
  }

  const JoinNode& plan_;
  const ScanNode& scan_;
  OperatorPtr left_;
  ExecContext& ctx_;
  std::shared_ptr<const Schema> pair_schema_;
  bool checked_ = false;
  NodeStats* scan_stats_ = nullptr;
  MemoryReservation held_;  // the right rows read for the current batch
};

}  // namespace

bool IndexJoinProbes(const JoinNode& plan, const ExecContext& ctx) {
  if (!plan.index_probe || !plan.index_probe->index) return true;
  if (ctx.request.transaction == nullptr) return true;
  const TableProvider& table = *plan.children[1]->As<ScanNode>().table;
  const UserId* owner = IsPerUser(table.type()) ? ctx.request.user : nullptr;
  return ctx.request.transaction->Find(table, owner) == nullptr;
}

Result<OperatorPtr> MakeIndexJoin(const JoinNode& plan, OperatorPtr left, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<IndexJoinOperator>(plan, std::move(left), ctx));
}

}  // namespace tenantdb::sql
