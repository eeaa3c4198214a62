// SemiJoin: the SEMI, ANTI and null-aware ANTI joins (JoinNode::LeftOnly) that
// decorrelated EXISTS / IN / NOT EXISTS / NOT IN subqueries become. The right input is
// built into a hash table on its keys once (JoinHashTable); each left batch is probed, and a left
// row is emitted once — SEMI when some right row matches its keys and the residual
// condition, ANTI when none does. Left rows stream; only the right side is held (charged
// to the statement's memory).
//
// NOT IN's null-aware ANTI (PostgreSQL's semantics of `x NOT IN (subquery)` in a WHERE:
// a row survives only when the predicate is TRUE): among the right rows that match the
// keys and condition (the subquery's rows for this left row), the row is dropped when
// one equals x, when x is NULL and there is any, or when one's value is NULL. So besides
// the table on keys + value, the build keeps the rows per keys alone (for a NULL x) and
// the rows whose value is NULL per keys.
#include "absl/container/flat_hash_map.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/join_hash_table.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/operators/join_support.h"
#include "sql/exec/row_key.h"

namespace tenantdb::sql {

namespace {

using RowLists = absl::flat_hash_map<std::string, std::vector<uint32_t>>;

class SemiJoinOperator final : public Operator {
 public:
  SemiJoinOperator(const JoinNode& plan, OperatorPtr left, OperatorPtr right, ExecContext& ctx)
      : plan_(plan),
        left_(std::move(left)),
        right_op_(std::move(right)),
        ctx_(ctx),
        pair_schema_(PairSchema(plan)),
        right_(plan.children[1]->schema),
        held_(ctx.memory) {
    assert(plan.LeftOnly());
    assert(null_aware() == (plan.null_aware_left != nullptr));
  }

  Result<std::optional<Batch>> Next() override {
    if (!built_) {
      built_ = true;
      TDB_RETURN_IF_ERROR(Build());
    }
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> left, left_->Next());
      if (!left.has_value()) return std::optional<Batch>();
      TDB_ASSIGN_OR_RETURN(std::vector<bool> matched, Matches(*left));
      const bool want = plan_.join_type == JoinType::kSemi;
      std::vector<uint32_t> rows;
      for (size_t r = 0; r < matched.size(); ++r)
        if (matched[r] == want) rows.push_back(static_cast<uint32_t>(r));
      if (rows.empty()) continue;
      Batch kept = rows.size() == left->num_rows() ? std::move(*left) : TakeRows(*left, rows);
      Batch out(plan_.schema);  // the plan's names for the same columns
      for (size_t c = 0; c < out.num_columns(); ++c)
        out.mutable_column(c) = std::move(kept.mutable_column(c));
      return std::optional<Batch>(std::move(out));
    }
  }

 private:
  // Candidate pairs evaluated at once: bounds the pair batch however many right rows
  // share a key.
  static constexpr size_t kMaxPairs = 1 << 14;

  bool null_aware() const { return plan_.join_type == JoinType::kAntiNullAware; }

  Status Build() {
    TDB_ASSIGN_OR_RETURN(right_, Drain(*right_op_, plan_.children[1]->schema, ctx_, &held_));
    std::vector<std::optional<ColumnVector>> storage;
    TDB_ASSIGN_OR_RETURN(std::vector<const ColumnVector*> keys,
                         EvaluateViews(plan_.right_keys, right_, ctx_, &storage));
    std::optional<ColumnVector> value;
    if (null_aware()) {
      TDB_ASSIGN_OR_RETURN(value, Evaluate(*plan_.null_aware_right, right_, ctx_));
    }
    const size_t right_bytes = held_.bytes();
    if (!null_aware()) {
      std::vector<DataType> probe_types;
      for (const auto& e : plan_.left_keys)
        probe_types.push_back(e->type);
      TDB_RETURN_IF_ERROR(table_.Build(keys, right_.num_rows(), probe_types, [&]() -> Status {
        TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        return held_.Resize(right_bytes + table_.MemoryBytes());
      }));
      return held_.Resize(right_bytes + table_.MemoryBytes());
    }
    size_t entry_bytes = 0;
    auto add = [&](RowLists& lists, const std::string& key, size_t row) {
      auto [it, inserted] = lists.try_emplace(key);
      if (inserted) entry_bytes += StringHeapBytes(it->first) + sizeof(*it);
      it->second.push_back(static_cast<uint32_t>(row));
      entry_bytes += sizeof(uint32_t);
    };
    std::string key;
    for (size_t r = 0; r < right_.num_rows(); ++r) {
      if (r % kCheckEveryRows == kCheckEveryRows - 1) {
        TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        TDB_RETURN_IF_ERROR(held_.Resize(right_bytes + entry_bytes));
      }
      if (!JoinKeyBytes(keys, r, &key)) continue;  // a NULL key equals no left row
      add(by_keys_, key, r);
      if (value->IsNull(r)) {
        add(null_values_, key, r);
      } else {
        AppendKeyValue(*value, r, &key);
        add(null_aware_table_, key, r);
      }
    }
    return held_.Resize(right_bytes + entry_bytes);
  }

  // Whether each row of `left` has a matching right row (for the null-aware ANTI join:
  // one that makes NOT IN other than TRUE).
  Result<std::vector<bool>> Matches(const Batch& left) {
    std::vector<std::optional<ColumnVector>> storage;
    TDB_ASSIGN_OR_RETURN(std::vector<const ColumnVector*> keys,
                         EvaluateViews(plan_.left_keys, left, ctx_, &storage));
    std::optional<ColumnVector> value;
    if (null_aware()) {
      TDB_ASSIGN_OR_RETURN(value, Evaluate(*plan_.null_aware_left, left, ctx_));
    }
    std::vector<bool> matched(left.num_rows(), false);
    std::vector<uint32_t> lrows, rrows;
    auto flush = [&]() -> Status {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      Batch pairs = PairRows(pair_schema_, left, lrows, right_, rrows);
      TDB_ASSIGN_OR_RETURN(std::vector<uint32_t> kept,
                           PassingPairs(plan_.condition.get(), pairs, ctx_));
      for (uint32_t i : kept)
        matched[lrows[i]] = true;
      lrows.clear();
      rrows.clear();
      return Status::Ok();
    };
    std::string key;
    if (!null_aware()) {
      for (size_t r = 0; r < left.num_rows(); ++r) {
        const uint32_t first = table_.Find(keys, r, &key);
        if (first == JoinHashTable::kEnd) continue;  // also a NULL key: never equal
        if (!plan_.condition) {
          matched[r] = true;
          continue;
        }
        for (uint32_t rr = first; rr != JoinHashTable::kEnd; rr = table_.Next(rr)) {
          lrows.push_back(static_cast<uint32_t>(r));
          rrows.push_back(rr);
        }
        if (lrows.size() >= kMaxPairs) TDB_RETURN_IF_ERROR(flush());
      }
      if (!lrows.empty()) TDB_RETURN_IF_ERROR(flush());
      return matched;
    }
    const std::vector<uint32_t>* lists[2];
    for (size_t r = 0; r < left.num_rows(); ++r) {
      if (!JoinKeyBytes(keys, r, &key)) continue;  // NULL = anything is never true
      size_t n = 0;
      auto find = [&](const RowLists& in, const std::string& k) {
        if (auto it = in.find(k); it != in.end()) lists[n++] = &it->second;
      };
      if (value->IsNull(r)) {
        find(by_keys_, key);  // NULL NOT IN (any row) is NULL
      } else {
        find(null_values_, key);  // x NOT IN (..., NULL) is NULL unless x matched
        AppendKeyValue(*value, r, &key);
        find(null_aware_table_, key);
      }
      if (!plan_.condition) {
        matched[r] = n > 0;
        continue;
      }
      for (size_t i = 0; i < n; ++i) {
        for (uint32_t rr : *lists[i]) {
          lrows.push_back(static_cast<uint32_t>(r));
          rrows.push_back(rr);
        }
      }
      if (lrows.size() >= kMaxPairs) TDB_RETURN_IF_ERROR(flush());
    }
    if (!lrows.empty()) TDB_RETURN_IF_ERROR(flush());
    return matched;
  }

  const JoinNode& plan_;
  OperatorPtr left_;
  OperatorPtr right_op_;
  ExecContext& ctx_;
  std::shared_ptr<const Schema> pair_schema_;
  bool built_ = false;
  Batch right_;
  // Right rows by their keys (SEMI and ANTI).
  JoinHashTable table_;
  // Null-aware ANTI: right rows by keys + value (non-NULL values), by keys alone, and
  // those whose value is NULL.
  RowLists null_aware_table_;
  RowLists by_keys_;
  RowLists null_values_;
  MemoryReservation held_;  // right_ and the tables
};

}  // namespace

Result<OperatorPtr> MakeSemiJoin(const JoinNode& plan, OperatorPtr left, OperatorPtr right,
                                 ExecContext& ctx) {
  if (plan.hash_left) return MakeLeftHashedSemiJoin(plan, std::move(left), std::move(right), ctx);
  return OperatorPtr(
      std::make_unique<SemiJoinOperator>(plan, std::move(left), std::move(right), ctx));
}

}  // namespace tenantdb::sql
