// HashAggregate: groups its input by the key expressions in a hash table keyed by the
// keys' bytes (row_key.h) and folds count, count(DISTINCT), sum, avg, min, max,
// string_agg, json_agg, bool_and (every), bool_or, percentile_cont and percentile_disc per group.
// Without GROUP BY it returns exactly one row, even for no input. An aggregate with ORDER
// BY in its arguments whose result depends on input order holds each group's inputs and
// sort keys and folds them sorted once the input is exhausted.
//
// sum over integers is BIGINT and fails with numeric_out_of_range on overflow (where
// PostgreSQL would widen to NUMERIC, which tenantdb does not have).
//
// The groups (their key values, hash table slots and key bytes), the aggregate states,
// count(DISTINCT) sets and held ordered inputs are charged to the statement's memory after every
// input batch; row loops poll the cancel token every kCheckEveryRows rows.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <optional>
#include <span>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/integer_key.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/row_key.h"
#include "sql/exec/sort_key_compare.h"
#include "sql/function/json_text.h"
#include "types/array_value.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {

namespace {

// The inputs of one group of an aggregate with ORDER BY inside its arguments, held until
// the group is complete: each row's argument and sort keys.
struct OrderedInputs {
  std::optional<ColumnVector> argument;
  std::vector<ColumnVector> keys;
  size_t MemoryBytes() const {
    size_t bytes = argument ? argument->MemoryBytes() : 0;
    for (const ColumnVector& k : keys)
      bytes += k.MemoryBytes();
    return bytes;
  }
};

// What an aggregate keeps beyond numbers, allocated only by the groups that need it.
struct AggExtra {
  Value extreme = Value::Null(DataType::kText);  // min / max of other types, any_value,
                                                 // the sum of intervals
  std::string text;                              // string_agg, json_agg, array_agg
  std::unique_ptr<ColumnVector> inputs;          // percentile_*: the non-NULL inputs
  std::unique_ptr<absl::flat_hash_set<std::string>> distinct;
  std::unique_ptr<OrderedInputs> ordered;  // ORDER BY in the arguments: replayed at the end
};

// One group's state of one aggregate. Kept small (a GROUP BY over millions of keys holds
// one per group and aggregate, and the vector of them grows by moving them).
struct AggState {
  Numeric numeric_sum;  // sum / avg of NUMERIC (exact); min / max of NUMERIC
  int64_t count = 0;
  int64_t sum_int = 0;  // sum of integers; min / max of integer-like types
  double sum_double = 0;
  bool has_value = false;
  std::unique_ptr<AggExtra> extra;

  AggExtra& Extra() {
    if (extra == nullptr) extra = std::make_unique<AggExtra>();
    return *extra;
  }
};

// The groups' states, one per group and aggregate, in chunks of kGroupsPerChunk groups:
// a new group never moves the states before it (a GROUP BY over millions of keys would
// otherwise copy them all, into freshly faulted pages, at every doubling of one vector).
// The first chunk grows with the groups, so a few groups hold a few states.
class GroupStates {
 public:
  explicit GroupStates(size_t per_group) : per_group_(per_group) {}
  // Grows to `groups` groups (never shrinks).
  void Resize(size_t groups) {
    if (groups <= groups_) return;
    groups_ = groups;
    if (chunks_.empty()) chunks_.emplace_back();
    chunks_[0].resize(std::min(groups, kGroupsPerChunk) * per_group_);
    while (chunks_.size() * kGroupsPerChunk < groups)
      chunks_.emplace_back(kGroupsPerChunk * per_group_);
  }
  AggState& at(size_t group, size_t aggregate) {
    assert(group < groups_ && aggregate < per_group_);
    return chunks_[group / kGroupsPerChunk][(group % kGroupsPerChunk) * per_group_ + aggregate];
  }
  size_t MemoryBytes() const {
    size_t bytes = chunks_.capacity() * sizeof(std::vector<AggState>);
    for (const auto& c : chunks_)
      bytes += c.capacity() * sizeof(AggState);
    return bytes;
  }

 private:
  static constexpr size_t kGroupsPerChunk = 4096;
  size_t per_group_;
  size_t groups_ = 0;
  std::vector<std::vector<AggState>> chunks_;
};

// Whether the aggregate's result can depend on the order of its inputs (string_agg,
// json_agg; sum and avg of floats round in input order).
bool OrderMatters(const AggregateCall& call) {
  switch (call.function) {
    case AggregateFunction::kCount:
    case AggregateFunction::kCountStar:
    case AggregateFunction::kMin:
    case AggregateFunction::kMax:
    case AggregateFunction::kBoolAnd:
    case AggregateFunction::kBoolOr:
    case AggregateFunction::kPercentileCont:
    case AggregateFunction::kPercentileDisc:
    case AggregateFunction::kAnyValue:  // every input of a group is equal
      return false;
    default:
      return !call.order_by.empty();
  }
}

class HashAggregateOperator final : public Operator {
 public:
  HashAggregateOperator(const AggregateNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan), child_(std::move(child)), ctx_(ctx), held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    if (done_) return std::optional<Batch>();
    done_ = true;
    const size_t num_keys = plan_.group_keys.size();
    const size_t num_aggs = plan_.aggregates.size();
    // GROUPING SETS: each input row joins one group per set (keys outside the set NULL),
    // and the output has the set's number after the keys.
    const std::vector<std::vector<size_t>>& sets = plan_.grouping_sets;
    const size_t first_agg = num_keys + (sets.empty() ? 0 : 1);
    std::vector<std::vector<bool>> in_set(sets.size(), std::vector<bool>(num_keys, false));
    for (size_t s = 0; s < sets.size(); ++s)
      for (size_t k : sets[s])
        in_set[s][k] = true;
    Batch out(plan_.schema);
    absl::flat_hash_map<std::string, uint32_t> groups;
    GroupStates states(num_aggs);
    size_t num_groups = 0;
    std::string key;
    // The batch's key and argument columns: views of its own columns or of the results in
    // the *_storage vectors (plain column references are not copied).
    std::vector<const ColumnVector*> key_columns(num_keys);
    std::vector<std::optional<ColumnVector>> key_storage(num_keys);
    std::vector<const ColumnVector*> args(num_aggs);
    std::vector<std::optional<ColumnVector>> arg_storage(num_aggs);
    std::vector<std::optional<ColumnVector>> filters(num_aggs);
    std::vector<std::vector<ColumnVector>> order_keys(num_aggs);  // ORDER BY in arguments
    absl::flat_hash_map<int64_t, uint32_t> int_groups;
    std::optional<uint32_t> null_group;
    std::vector<uint32_t> group_of;
    size_t key_bytes = 0;       // heap bytes of the keys in `groups`
    size_t distinct_bytes = 0;  // what count(DISTINCT) sets hold
    while (true) {
      TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, child_->Next());
      if (!batch.has_value()) break;
      const size_t n = batch->num_rows();
      for (size_t k = 0; k < num_keys; ++k) {
        TDB_ASSIGN_OR_RETURN(key_columns[k],
                             EvaluateView(*plan_.group_keys[k], *batch, ctx_, &key_storage[k]));
      }
      for (size_t a = 0; a < num_aggs; ++a) {
        if (plan_.aggregates[a].argument) {
          TDB_ASSIGN_OR_RETURN(
              args[a], EvaluateView(*plan_.aggregates[a].argument, *batch, ctx_, &arg_storage[a]));
        }
        if (plan_.aggregates[a].filter) {
          TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*plan_.aggregates[a].filter, *batch, ctx_));
          filters[a] = std::move(v);
        }
        if (OrderMatters(plan_.aggregates[a])) {
          order_keys[a].clear();
          for (const SortKey& k : plan_.aggregates[a].order_by) {
            TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*k.expr, *batch, ctx_));
            order_keys[a].push_back(std::move(v));
          }
        }
      }
      // Pass 1: the group of every row. One integer key (the common GROUP BY user_id /
      // day / status) hashes the value itself instead of building key bytes.
      group_of.resize(n);
      auto new_group = [&](size_t r) {
        const auto g = static_cast<uint32_t>(num_groups++);
        for (size_t k = 0; k < num_keys; ++k)
          out.mutable_column(k).AppendFrom(*key_columns[k], r);
        states.Resize(num_groups);
        return g;
      };
      if (!sets.empty()) {
        for (size_t s = 0; s < sets.size(); ++s) {
          for (size_t r = 0; r < n; ++r) {
            if (r % kCheckEveryRows == kCheckEveryRows - 1) {
              TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
            }
            key.assign(reinterpret_cast<const char*>(&s), sizeof s);
            for (size_t k : sets[s])
              AppendKeyValue(*key_columns[k], r, &key);
            auto [it, inserted] = groups.try_emplace(key, 0);
            if (inserted) {
              it->second = NewSetGroup(s, &key_columns, r, in_set[s], &out, &num_groups);
              states.Resize(num_groups);
              key_bytes += StringHeapBytes(it->first);
            }
            group_of[r] = it->second;
          }
          TDB_RETURN_IF_ERROR(
              AccumulateAll(args, filters, order_keys, group_of, &states, &distinct_bytes));
        }
      } else if (num_keys == 1 && IsIntegerLike(key_columns[0]->type())) {
        const ColumnVector& c = *key_columns[0];
        for (size_t r = 0; r < n; ++r) {
          if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
          if (c.IsNull(r)) {
            if (!null_group) null_group = new_group(r);
            group_of[r] = *null_group;
            continue;
          }
          auto [it, inserted] = int_groups.try_emplace(IntegerAt(c, r), 0);
          if (inserted) it->second = new_group(r);
          group_of[r] = it->second;
        }
      } else if (num_keys > 0) {
        for (size_t r = 0; r < n; ++r) {
          if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
          key.clear();
          for (const ColumnVector* c : key_columns)
            AppendKeyValue(*c, r, &key);
          auto [it, inserted] = groups.try_emplace(key, 0);
          if (inserted) {
            it->second = new_group(r);
            key_bytes += StringHeapBytes(it->first);
          }
          group_of[r] = it->second;
        }
      } else {
        if (num_groups == 0) {
          num_groups = 1;
          states.Resize(1);
        }
        std::fill(group_of.begin(), group_of.end(), 0);
      }
      // Pass 2 (grouping sets ran it per set above).
      if (sets.empty()) {
        TDB_RETURN_IF_ERROR(
            AccumulateAll(args, filters, order_keys, group_of, &states, &distinct_bytes));
      }
      // What the groups hold now: their key values, states, hash tables and DISTINCT sets.
      size_t held = key_bytes + distinct_bytes + states.MemoryBytes() +
                    HashSlotsBytes(groups.capacity(), sizeof(std::pair<std::string, uint32_t>)) +
                    HashSlotsBytes(int_groups.capacity(), sizeof(std::pair<int64_t, uint32_t>));
      for (size_t k = 0; k < num_keys; ++k)
        held += out.column(k).MemoryBytes();
      TDB_RETURN_IF_ERROR(held_.Resize(held));
    }
    if (sets.empty() && num_keys == 0 && num_groups == 0) {
      num_groups = 1;
      states.Resize(1);
    }
    // An empty grouping set has its one row even without input (as the plain aggregate).
    for (size_t s = 0; s < sets.size(); ++s) {
      if (!sets[s].empty()) continue;
      key.assign(reinterpret_cast<const char*>(&s), sizeof s);
      if (groups.contains(key)) continue;
      groups.emplace(key, NewSetGroup(s, &key_columns, kNoRow, in_set[s], &out, &num_groups));
      states.Resize(num_groups);
    }
    for (size_t a = 0; a < num_aggs; ++a) {
      ColumnVector& col = out.mutable_column(first_agg + a);
      const AggregateCall& call = plan_.aggregates[a];
      for (size_t g = 0; g < num_groups; ++g) {
        TDB_ASSIGN_OR_RETURN(Value v, FinishOrdered(call, states.at(g, a)));
        col.Append(v);
      }
    }
    // The groups are freed on return; the output is its holder's to charge.
    held_.Reset();
    return std::optional<Batch>(std::move(out));
  }

 private:
  // The Value of type `t` (IsIntegerKey) whose integer is `v`.
  static Value IntegerValue(DataType t, int64_t v) {
    switch (t) {
      case DataType::kBoolean:
        return Value::Boolean(v != 0);
      case DataType::kSmallInt:
        return Value::SmallInt(static_cast<int16_t>(v));
      case DataType::kInt:
        return Value::Int(static_cast<int32_t>(v));
      case DataType::kDate:
        return Value::Date(static_cast<int32_t>(v));
      case DataType::kTimestamp:
        return Value::Timestamp(v);
      case DataType::kTimestampTz:
        return Value::TimestampTz(v);
      default:
        return Value::BigInt(v);
    }
  }

  // Pass 2: each aggregate over the batch's rows (group_of[r]: row r's group), typed loops
  // for the common cases.
  Status AccumulateAll(const std::vector<const ColumnVector*>& args,
                       const std::vector<std::optional<ColumnVector>>& filters,
                       const std::vector<std::vector<ColumnVector>>& order_keys,
                       const std::vector<uint32_t>& group_of, GroupStates* states,
                       size_t* distinct_bytes) {
    const size_t num_aggs = plan_.aggregates.size();
    const size_t n = group_of.size();
    for (size_t a = 0; a < num_aggs; ++a) {
      const AggregateCall& call = plan_.aggregates[a];
      const ColumnVector* arg = args[a];
      const bool ordered = OrderMatters(call);
      if (!filters[a] && !call.distinct && !ordered) {
        TDB_ASSIGN_OR_RETURN(bool done, AccumulateBatch(call, arg, group_of, a, states));
        if (done) continue;
      }
      for (size_t r = 0; r < n; ++r) {
        if (r % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
        if (filters[a] && (filters[a]->IsNull(r) || filters[a]->values<uint8_t>()[r] == 0)) {
          continue;
        }
        AggState* state = &states->at(group_of[r], a);
        if (ordered) {
          Hold(arg, order_keys[a], r, state, distinct_bytes);
          continue;
        }
        TDB_RETURN_IF_ERROR(Accumulate(call, arg, r, state, distinct_bytes));
      }
    }
    return Status::Ok();
  }

  // Keeps row `r`'s argument and sort keys in the group's OrderedInputs (charged with the
  // DISTINCT sets: what the group holds grows by it).
  static void Hold(const ColumnVector* arg, const std::vector<ColumnVector>& keys, size_t r,
                   AggState* s, size_t* held_bytes) {
    std::unique_ptr<OrderedInputs>& ordered = s->Extra().ordered;
    if (ordered == nullptr) {
      ordered = std::make_unique<OrderedInputs>();
      if (arg != nullptr) ordered->argument.emplace(arg->type());
      for (const ColumnVector& k : keys)
        ordered->keys.emplace_back(k.type());
    }
    OrderedInputs& in = *ordered;
    const size_t before = in.MemoryBytes();
    if (arg != nullptr) in.argument->AppendFrom(*arg, r);
    for (size_t k = 0; k < keys.size(); ++k)
      in.keys[k].AppendFrom(keys[k], r);
    *held_bytes += in.MemoryBytes() - before;
  }

  // A group's value of an aggregate with ORDER BY in its arguments: its held inputs
  // sorted (stably: equal keys keep their input order), then accumulated in that order.
  Result<Value> FinishOrdered(const AggregateCall& call, const AggState& held) const {
    if (held.extra == nullptr || held.extra->ordered == nullptr) return Finish(call, held);
    const OrderedInputs& in = *held.extra->ordered;
    const size_t n = in.keys.empty() ? 0 : in.keys[0].size();
    std::vector<uint32_t> order(n);
    for (uint32_t i = 0; i < n; ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return CompareSortKeys(in.keys, call.order_by, a, b) < 0;
    });
    AggState s;
    size_t bytes = 0;
    for (size_t i = 0; i < n; ++i) {
      if (i % kCheckEveryRows == kCheckEveryRows - 1) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      TDB_RETURN_IF_ERROR(
          Accumulate(call, in.argument ? &*in.argument : nullptr, order[i], &s, &bytes));
    }
    return Finish(call, s);
  }

  // A new group of grouping set `s` for row `r` (or, r = kNoRow, for no row: the empty set's
  // group over no input): its keys in `out`, NULL outside the set, then the set's number.
  uint32_t NewSetGroup(size_t s, const std::vector<const ColumnVector*>* key_columns, size_t r,
                       const std::vector<bool>& in_set, Batch* out, size_t* num_groups) const {
    const size_t num_keys = plan_.group_keys.size();
    for (size_t k = 0; k < num_keys; ++k) {
      if (in_set[k] && r != kNoRow) {
        out->mutable_column(k).AppendFrom(*(*key_columns)[k], r);
      } else {
        out->mutable_column(k).AppendNull();
      }
    }
    out->mutable_column(num_keys).Append(Value::Int(static_cast<int32_t>(s)));
    return static_cast<uint32_t>((*num_groups)++);
  }
  static constexpr size_t kNoRow = static_cast<size_t>(-1);

  // count(*), count(x), and sum / avg of integers or floats without FILTER or DISTINCT,
  // folded over a whole batch; false for anything else (the caller goes row by row).
  static Result<bool> AccumulateBatch(const AggregateCall& call, const ColumnVector* arg,
                                      const std::vector<uint32_t>& group_of, size_t a,
                                      GroupStates* states) {
    const size_t n = group_of.size();
    if (call.function == AggregateFunction::kCountStar) {
      for (size_t r = 0; r < n; ++r)
        ++states->at(group_of[r], a).count;
      return true;
    }
    if (arg == nullptr) return false;
    const bool nulls = arg->null_count() > 0;
    if (call.function == AggregateFunction::kCount) {
      for (size_t r = 0; r < n; ++r) {
        if (!nulls || !arg->IsNull(r)) ++states->at(group_of[r], a).count;
      }
      return true;
    }
    if (call.function != AggregateFunction::kSum && call.function != AggregateFunction::kAvg) {
      return false;
    }
    const bool avg = call.function == AggregateFunction::kAvg;
    if (arg->type() == DataType::kNumeric) {
      std::span<const Numeric> values = arg->values<Numeric>();
      for (size_t r = 0; r < n; ++r) {
        if (nulls && arg->IsNull(r)) continue;
        AggState& s = states->at(group_of[r], a);
        ++s.count;
        TDB_RETURN_IF_ERROR(AddToNumericSum(values[r], &s));
      }
      return true;
    }
    auto fold = [&](const auto& values, bool integer) {
      for (size_t r = 0; r < n; ++r) {
        if (nulls && arg->IsNull(r)) continue;
        AggState& s = states->at(group_of[r], a);
        ++s.count;
        s.has_value = true;
        if (integer && !avg) {
          if (__builtin_add_overflow(s.sum_int, static_cast<int64_t>(values[r]), &s.sum_int)) {
            return false;
          }
        } else {
          s.sum_double += static_cast<double>(values[r]);
        }
      }
      return true;
    };
    bool ok = true;
    switch (arg->type()) {
      case DataType::kSmallInt:
        ok = fold(arg->values<int16_t>(), true);
        break;
      case DataType::kInt:
        ok = fold(arg->values<int32_t>(), true);
        break;
      case DataType::kBigInt:
        ok = fold(arg->values<int64_t>(), true);
        break;
      case DataType::kReal:
        ok = fold(arg->values<float>(), false);
        break;
      case DataType::kDouble:
        ok = fold(arg->values<double>(), false);
        break;
      default:
        return false;
    }
    if (!ok) return Status(ErrorCode::kNumericOutOfRange, "bigint out of range in sum()");
    return true;
  }

  // The group's NUMERIC sum plus `v`: one 128-bit addition while the scales agree (every
  // value of a NUMERIC(p, s) column has scale s) and the sum stays within 38 digits.
  static Status AddToNumericSum(const Numeric& v, AggState* s) {
    if (!s->has_value) {
      s->numeric_sum = v;
      s->has_value = true;
      return Status::Ok();
    }
    __int128 sum;
    if (v.scale == s->numeric_sum.scale &&
        !__builtin_add_overflow(s->numeric_sum.unscaled, v.unscaled, &sum) &&
        sum < kNumericSumLimit && sum > -kNumericSumLimit) {
      s->numeric_sum.unscaled = sum;
      return Status::Ok();
    }
    TDB_ASSIGN_OR_RETURN(s->numeric_sum, AddNumerics(s->numeric_sum, v));
    return Status::Ok();
  }
  static inline const __int128 kNumericSumLimit = NumericPow10(38);

  // `distinct_bytes` grows by what a count(DISTINCT) set takes on.
  static Status Accumulate(const AggregateCall& call, const ColumnVector* arg, size_t row,
                           AggState* s, size_t* distinct_bytes) {
    if (call.function == AggregateFunction::kCountStar) {
      ++s->count;
      return Status::Ok();
    }
    // json_agg keeps NULL inputs (as null); every other aggregate skips them.
    const bool json_null = (call.function == AggregateFunction::kJsonAgg ||
                            call.function == AggregateFunction::kArrayAgg) &&
                           arg->IsNull(row);
    if (arg->IsNull(row) && !json_null) return Status::Ok();
    if (call.distinct) {
      auto& distinct = s->Extra().distinct;
      if (!distinct) distinct = std::make_unique<absl::flat_hash_set<std::string>>();
      std::string k;
      AppendKeyValue(*arg, row, &k);
      const size_t slots = distinct->capacity();
      auto [it, inserted] = distinct->insert(std::move(k));
      if (!inserted) return Status::Ok();
      *distinct_bytes +=
          StringHeapBytes(*it) + HashSlotsBytes(distinct->capacity() - slots, sizeof(std::string));
    }
    ++s->count;
    switch (call.function) {
      case AggregateFunction::kCount:
      case AggregateFunction::kCountStar:
        return Status::Ok();
      case AggregateFunction::kSum:
      case AggregateFunction::kAvg: {
        const DataType t = arg->type();
        if (t == DataType::kNumeric) {
          // avg divides the exact sum at the end.
          TDB_RETURN_IF_ERROR(AddToNumericSum(arg->values<Numeric>()[row], s));
          return Status::Ok();
        }
        if (t == DataType::kInterval) {
          // The running sum of intervals lives in `extreme`.
          const Interval v = arg->values<Interval>()[row];
          Value& sum = s->Extra().extreme;
          if (!s->has_value) {
            sum = Value::FromInterval(v);
          } else {
            TDB_ASSIGN_OR_RETURN(Interval total, AddIntervals(sum.as_interval(), v));
            sum = Value::FromInterval(total);
          }
          s->has_value = true;
          return Status::Ok();
        }
        if (IsInteger(t)) {
          const int64_t v = IntegerAt(*arg, row);
          if (call.function == AggregateFunction::kAvg) {
            s->sum_double += static_cast<double>(v);
          } else if (__builtin_add_overflow(s->sum_int, v, &s->sum_int)) {
            return Status(ErrorCode::kNumericOutOfRange, "bigint out of range in sum()");
          }
        } else {
          s->sum_double +=
              t == DataType::kReal ? double{arg->values<float>()[row]} : arg->values<double>()[row];
        }
        s->has_value = true;
        return Status::Ok();
      }
      case AggregateFunction::kPercentileCont:
      case AggregateFunction::kPercentileDisc: {
        // Charged with the DISTINCT sets: what the group holds grows by it.
        auto& inputs = s->Extra().inputs;
        if (inputs == nullptr) inputs = std::make_unique<ColumnVector>(arg->type());
        const size_t before = inputs->MemoryBytes();
        inputs->Append(arg->GetValue(row));
        *distinct_bytes += inputs->MemoryBytes() - before;
        return Status::Ok();
      }
      case AggregateFunction::kBoolAnd:
      case AggregateFunction::kBoolOr: {
        // has_value: some input was not NULL; sum_int: how many were true.
        s->has_value = true;
        s->sum_int += arg->values<uint8_t>()[row] != 0 ? 1 : 0;
        return Status::Ok();
      }
      case AggregateFunction::kJsonAgg: {
        std::string& text = s->Extra().text;
        const size_t before = text.capacity();
        text += s->has_value ? "," : "[";
        if (json_null) {
          text += "null";
        } else {
          TDB_ASSIGN_OR_RETURN(std::string element, JsonText(arg->GetValue(row)));
          text += element;
        }
        s->has_value = true;
        *distinct_bytes += text.capacity() - before;
        return Status::Ok();
      }
      case AggregateFunction::kArrayAgg: {
        // text: the elements' encodings; count (counted above): how many.
        std::string& text = s->Extra().text;
        const size_t before = text.capacity();
        AppendArrayElement(json_null ? Value::Null(arg->type()) : arg->GetValue(row), &text);
        s->has_value = true;
        *distinct_bytes += text.capacity() - before;
        return Status::Ok();
      }
      case AggregateFunction::kStringAgg: {
        // Charged with the DISTINCT sets: what the group holds grows by it.
        std::string& text = s->Extra().text;
        const size_t before = text.capacity();
        if (s->has_value) text += call.separator;
        text += arg->GetValue(row).as_bytes();
        s->has_value = true;
        *distinct_bytes += text.capacity() - before;
        return Status::Ok();
      }
      case AggregateFunction::kAnyValue:
        if (!s->has_value) {
          s->Extra().extreme = arg->GetValue(row);
          s->has_value = true;
        }
        return Status::Ok();
      case AggregateFunction::kMin:
      case AggregateFunction::kMax: {
        const bool min = call.function == AggregateFunction::kMin;
        const bool first = !s->has_value;
        s->has_value = true;
        // Integer-like and NUMERIC extremes live in the state itself.
        if (IsIntegerLike(arg->type())) {
          const int64_t v = IntegerAt(*arg, row);
          if (first || (min ? v < s->sum_int : v > s->sum_int)) s->sum_int = v;
          return Status::Ok();
        }
        if (arg->type() == DataType::kNumeric) {
          // A tie takes the later value, as PostgreSQL's numeric_smaller / numeric_larger
          // do (min(1.0, 1.00) is 1.00).
          const Numeric& v = arg->values<Numeric>()[row];
          const int c = first ? 0 : CompareNumerics(v, s->numeric_sum);
          if (first || (min ? c <= 0 : c >= 0)) s->numeric_sum = v;
          return Status::Ok();
        }
        Value& extreme = s->Extra().extreme;
        if (first) {
          extreme = arg->GetValue(row);
          return Status::Ok();
        }
        // Compare in place against the current extreme.
        ColumnVector current(arg->type());
        current.Append(extreme);
        const int c = CompareAcross(*arg, row, current, 0);
        if (min ? c < 0 : c > 0) extreme = arg->GetValue(row);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  // percentile_cont / percentile_disc of a group's inputs, as PostgreSQL computes them
  // (orderedsetaggs.c): disc is the first value whose position reaches fraction * n,
  // cont interpolates between the values at floor and ceil of fraction * (n - 1).
  static Result<Value> Percentile(const AggregateCall& call, const AggState& s) {
    if (s.extra == nullptr || s.extra->inputs == nullptr || s.extra->inputs->size() == 0 ||
        call.fraction_is_null) {
      return Value::Null(call.type);
    }
    if (!(call.fraction >= 0 && call.fraction <= 1)) {
      char f[32];
      std::snprintf(f, sizeof(f), "%g", call.fraction);
      return Status(ErrorCode::kNumericOutOfRange,
                    std::string("percentile value ") + f + " is not between 0 and 1");
    }
    const ColumnVector& v = *s.extra->inputs;
    std::vector<uint32_t> order(v.size());
    for (uint32_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      const int c = CompareInColumn(v, a, b);
      return call.descending ? c > 0 : c < 0;
    });
    const double n = static_cast<double>(v.size());
    if (call.function == AggregateFunction::kPercentileDisc) {
      const double position = std::ceil(call.fraction * n);
      const size_t row = position <= 1 ? 0 : static_cast<size_t>(position) - 1;
      return v.GetValue(order[row]);
    }
    const double at = call.fraction * (n - 1);
    const size_t lo = static_cast<size_t>(std::floor(at));
    const size_t hi = static_cast<size_t>(std::ceil(at));
    const double low = v.values<double>()[order[lo]];
    if (lo == hi) return Value::Double(low);
    const double high = v.values<double>()[order[hi]];
    return Value::Double(low + (at - static_cast<double>(lo)) * (high - low));
  }

  static Result<Value> Finish(const AggregateCall& call, const AggState& s) {
    switch (call.function) {
      case AggregateFunction::kCount:
      case AggregateFunction::kCountStar:
        return Value::BigInt(s.count);
      case AggregateFunction::kSum:
        if (!s.has_value) return Value::Null(call.type);
        if (call.type == DataType::kNumeric) return Value::FromNumeric(s.numeric_sum);
        if (call.type == DataType::kInterval) return s.extra->extreme;
        if (call.type == DataType::kBigInt) return Value::BigInt(s.sum_int);
        if (call.type == DataType::kReal) return Value::Real(static_cast<float>(s.sum_double));
        return Value::Double(s.sum_double);
      case AggregateFunction::kAvg:
        if (!s.has_value) return Value::Null(call.type);
        if (call.type == DataType::kInterval) {
          TDB_ASSIGN_OR_RETURN(Interval avg, DivideInterval(s.extra->extreme.as_interval(),
                                                            static_cast<double>(s.count)));
          return Value::FromInterval(avg);
        }
        if (call.type == DataType::kNumeric) {
          TDB_ASSIGN_OR_RETURN(Numeric avg,
                               DivideNumerics(s.numeric_sum, NumericFromInt64(s.count)));
          return Value::FromNumeric(avg);
        }
        return Value::Double(s.sum_double / static_cast<double>(s.count));
      case AggregateFunction::kMin:
      case AggregateFunction::kMax:
        if (!s.has_value) return Value::Null(call.type);
        if (IsIntegerLike(call.type)) return IntegerValue(call.type, s.sum_int);
        if (call.type == DataType::kNumeric) return Value::FromNumeric(s.numeric_sum);
        return s.extra->extreme;
      case AggregateFunction::kAnyValue:
        return s.has_value ? s.extra->extreme : Value::Null(call.type);
      case AggregateFunction::kStringAgg:
        return s.has_value ? Value::Text(s.extra->text) : Value::Null(call.type);
      case AggregateFunction::kJsonAgg:
        return s.has_value ? Value::Json(s.extra->text + "]") : Value::Null(call.type);
      case AggregateFunction::kArrayAgg:
        if (!s.has_value) return Value::Null(call.type);
        return Value::Array(ElementType(call.type),
                            EncodeArrayBody(static_cast<uint32_t>(s.count), s.extra->text));
      case AggregateFunction::kBoolAnd:
        return s.has_value ? Value::Boolean(s.sum_int == s.count) : Value::Null(call.type);
      case AggregateFunction::kBoolOr:
        return s.has_value ? Value::Boolean(s.sum_int > 0) : Value::Null(call.type);
      case AggregateFunction::kPercentileCont:
      case AggregateFunction::kPercentileDisc:
        return Percentile(call, s);
    }
    return Value::Null(call.type);
  }

  const AggregateNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
  bool done_ = false;
  MemoryReservation held_;  // the groups while they are built
};

}  // namespace

Result<OperatorPtr> MakeAggregate(const AggregateNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<HashAggregateOperator>(plan, std::move(child), ctx));
}

}  // namespace tenantdb::sql
