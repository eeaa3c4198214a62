// Window: collects its input, and for each distinct window (PARTITION BY + ORDER BY; calls
// with the same window share one sort) orders the rows by partition and order keys, then
// computes each call per partition:
//   ranking   row_number, rank, dense_rank, percent_rank, cume_dist, ntile from the
//             position and the peer groups (rows equal on the ORDER BY keys);
//   offsets   lag / lead from the row `offset` positions away in the partition;
//   frames    first_value, last_value, nth_value and the aggregates over the frame, the
//             rows ROWS / RANGE / GROUPS bounds select around each row (minus EXCLUDE).
// Aggregates slide over the frames: frame starts and ends only move forward through a
// partition, so count / sum / avg add the rows entering and subtract the rows leaving
// (integer and interval sums; an interval sum is checked for overflow at each step), and
// min / max keep a monotonic queue (O(n) per partition, not O(n * frame)). Floating
// sums restart instead of subtracting when the start moves, so no rounding is left behind
// by rows that left the frame (PostgreSQL does the same); frames with EXCLUDE are summed
// row by row. RANGE offsets find each row's bounds by binary search on the ORDER BY key
// (window_range.h says where a bound falls for each key type).
//
// Output: the input rows with one column per call, in the last window's order.
// The rows, key columns, sort orders and results are charged to the statement's memory;
// loops poll the cancel token every kCheckEveryRows rows.
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <numeric>

#include "sql/exec/cancellable_sort.h"
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/memory_estimate.h"
#include "sql/exec/operators/window_range.h"
#include "sql/exec/row_key.h"
#include "sql/exec/sort_key_compare.h"
#include "types/interval.h"
#include "types/numeric.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kOutputRows = 1 << 12;

double NumberAt(const ColumnVector& c, size_t r) {
  switch (c.type()) {
    case DataType::kReal:
      return c.values<float>()[r];
    case DataType::kDouble:
      return c.values<double>()[r];
    default:
      return static_cast<double>(IntegerAt(c, r));
  }
}

// A ROWS or GROUPS offset (a non-negative BIGINT) as a count, saturated far beyond any
// partition's size so that position + count cannot overflow.
int64_t CountOffset(const std::optional<Value>& offset) {
  return offset ? std::min(offset->as_int64(), int64_t{1} << 62) : 0;
}

// A call's frame offsets, evaluated once: they are constants (the binder refuses
// variables). Absent for UNBOUNDED and CURRENT ROW bounds.
struct FrameOffsets {
  std::optional<Value> start;
  std::optional<Value> end;
};

// A RANGE frame with an offset over one partition: the ORDER BY key's axis, and the
// positions whose key is not NULL (NULLs sort to one end; the offsets search the rest).
struct RangeSearch {
  RangeSearch(const ColumnVector& k, bool descending, size_t begin, size_t end)
      : key(&k), axis(k, descending), non_null_begin(begin), non_null_end(end) {}
  const ColumnVector* key;
  RangeAxis axis;
  size_t non_null_begin;
  size_t non_null_end;
};

bool Passes(const ColumnVector* filter, size_t row) {
  return filter == nullptr || (!filter->IsNull(row) && filter->values<uint8_t>()[row] != 0);
}

// Whether rows a and b have equal values (NULLs equal) in every column.
bool SameKeys(const std::vector<ColumnVector>& columns, uint32_t a, uint32_t b) {
  for (const ColumnVector& c : columns) {
    const bool an = c.IsNull(a), bn = c.IsNull(b);
    if (an != bn) return false;
    if (!an && CompareInColumn(c, a, b) != 0) return false;
  }
  return true;
}

// One partition of a sorted window: positions [begin, end) of `order`, and its peer groups.
struct Partition {
  size_t begin = 0;
  size_t end = 0;
  std::vector<size_t> group_starts;  // ascending; group g is [starts[g], starts[g+1] or end)
  std::vector<uint32_t> group_of;    // the group of each position, from `begin`
  size_t rows() const { return end - begin; }
  size_t GroupOf(size_t p) const { return group_of[p - begin]; }
  size_t GroupStart(size_t g) const { return group_starts[g]; }
  size_t GroupEnd(size_t g) const {
    return g + 1 < group_starts.size() ? group_starts[g + 1] : end;
  }
};

// The frame of one row, as up to three ascending position intervals (EXCLUDE cuts holes).
struct FrameRows {
  size_t start = 0, end = 0;  // before exclusion
  std::pair<size_t, size_t> parts[3];
  int num_parts = 0;
  size_t size() const {
    size_t n = 0;
    for (int i = 0; i < num_parts; ++i)
      n += parts[i].second - parts[i].first;
    return n;
  }
  // The k-th (0-based) position of the frame; the frame has more than k rows.
  size_t At(size_t k) const {
    for (int i = 0; i < num_parts; ++i) {
      const size_t n = parts[i].second - parts[i].first;
      if (k < n) return parts[i].first + k;
      k -= n;
    }
    assert(false);
    return 0;
  }
};

class WindowOperator final : public Operator {
 public:
  WindowOperator(const WindowNode& plan, OperatorPtr child, ExecContext& ctx)
      : plan_(plan),
        child_(std::move(child)),
        ctx_(ctx),
        all_(plan.children[0]->schema),
        held_(ctx.memory) {}

  Result<std::optional<Batch>> Next() override {
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    if (!computed_) {
      computed_ = true;
      TDB_RETURN_IF_ERROR(Compute());
    }
    if (next_ >= order_.size()) {
      order_ = {};
      results_ = {};
      all_ = Batch(plan_.children[0]->schema);
      held_.Reset();
      return std::optional<Batch>();
    }
    const size_t end = std::min(order_.size(), next_ + kOutputRows);
    std::vector<uint32_t> slice(order_.begin() + static_cast<ptrdiff_t>(next_),
                                order_.begin() + static_cast<ptrdiff_t>(end));
    next_ = end;
    Batch rows = TakeRows(all_, slice);
    Batch out(plan_.schema);
    const size_t width = rows.num_columns();
    for (size_t c = 0; c < width; ++c)
      out.mutable_column(c) = std::move(rows.mutable_column(c));
    for (size_t k = 0; k < results_.size(); ++k) {
      ColumnVector& col = out.mutable_column(width + k);
      col.Reserve(slice.size());
      for (uint32_t r : slice)
        col.Append(results_[k][r]);
    }
    return std::optional<Batch>(std::move(out));
  }

 private:
  Status Compute() {
    TDB_ASSIGN_OR_RETURN(all_, Drain(*child_, plan_.children[0]->schema, ctx_, &held_));
    const size_t n = all_.num_rows();
    base_bytes_ = held_.bytes();
    results_.assign(plan_.calls.size(), {});
    for (auto& r : results_)
      r.assign(n, Value::Null(DataType::kBigInt));
    extra_bytes_ = plan_.calls.size() * n * sizeof(Value) + 2 * n * sizeof(uint32_t);
    TDB_RETURN_IF_ERROR(Charge());
    offsets_.resize(plan_.calls.size());
    for (size_t i = 0; i < plan_.calls.size(); ++i) {
      const WindowCall& call = plan_.calls[i];
      TDB_ASSIGN_OR_RETURN(offsets_[i].start, Offset(call, call.frame.start_offset, "starting"));
      TDB_ASSIGN_OR_RETURN(offsets_[i].end, Offset(call, call.frame.end_offset, "ending"));
    }
    std::vector<bool> done(plan_.calls.size(), false);
    for (size_t i = 0; i < plan_.calls.size(); ++i) {
      if (done[i]) continue;
      const std::string spec = plan_.calls[i].SpecString();
      std::vector<size_t> same;
      for (size_t j = i; j < plan_.calls.size(); ++j) {
        if (!done[j] && plan_.calls[j].SpecString() == spec) {
          same.push_back(j);
          done[j] = true;
        }
      }
      TDB_RETURN_IF_ERROR(ComputeWindow(same));
    }
    return Status::Ok();
  }

  Status Charge() { return held_.Resize(base_bytes_ + extra_bytes_ + key_bytes_); }

  // The calls `indices`, which share one window.
  Status ComputeWindow(const std::vector<size_t>& indices) {
    const WindowCall& first = plan_.calls[indices[0]];
    const size_t n = all_.num_rows();
    std::vector<ColumnVector> partition_keys, order_keys;
    key_bytes_ = 0;
    for (const auto& e : first.partition_by) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*e, all_, ctx_));
      key_bytes_ += v.MemoryBytes();
      partition_keys.push_back(std::move(v));
    }
    for (const SortKey& k : first.order_by) {
      TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*k.expr, all_, ctx_));
      key_bytes_ += v.MemoryBytes();
      order_keys.push_back(std::move(v));
    }
    TDB_RETURN_IF_ERROR(Charge());
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), 0);
    auto less = [&](uint32_t a, uint32_t b) {
      for (const ColumnVector& c : partition_keys) {
        const bool an = c.IsNull(a), bn = c.IsNull(b);
        if (an || bn) {
          if (an && bn) continue;
          return bn;  // NULL partitions last
        }
        const int cmp = CompareInColumn(c, a, b);
        if (cmp != 0) return cmp < 0;
      }
      const int c = CompareSortKeys(order_keys, first.order_by, a, b);
      return c != 0 ? c < 0 : a < b;
    };
    std::vector<uint32_t> scratch;
    TDB_RETURN_IF_ERROR(CancellableSort(order_, scratch, less, *ctx_.cancel));
    scratch = {};

    // Each call's argument columns, evaluated once over all rows.
    std::vector<std::vector<ColumnVector>> args(indices.size());
    std::vector<std::optional<ColumnVector>> filters(indices.size());
    for (size_t c = 0; c < indices.size(); ++c) {
      const WindowCall& call = plan_.calls[indices[c]];
      for (const auto& e : call.args) {
        TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*e, all_, ctx_));
        key_bytes_ += v.MemoryBytes();
        args[c].push_back(std::move(v));
      }
      if (call.filter) {
        TDB_ASSIGN_OR_RETURN(ColumnVector v, Evaluate(*call.filter, all_, ctx_));
        key_bytes_ += v.MemoryBytes();
        filters[c] = std::move(v);
      }
    }
    TDB_RETURN_IF_ERROR(Charge());

    Partition part;
    size_t since_check = 0;
    for (size_t begin = 0; begin < n;) {
      size_t end = begin + 1;
      while (end < n && SameKeys(partition_keys, order_[begin], order_[end]))
        ++end;
      part.begin = begin;
      part.end = end;
      part.group_starts.clear();
      part.group_of.resize(end - begin);
      for (size_t p = begin; p < end; ++p) {
        if (p == begin || !SameKeys(order_keys, order_[p - 1], order_[p])) {
          part.group_starts.push_back(p);
        }
        part.group_of[p - begin] = static_cast<uint32_t>(part.group_starts.size() - 1);
      }
      for (size_t c = 0; c < indices.size(); ++c) {
        TDB_RETURN_IF_ERROR(ComputeCall(plan_.calls[indices[c]], offsets_[indices[c]],
                                        results_[indices[c]], part, args[c],
                                        filters[c] ? &*filters[c] : nullptr, order_keys));
      }
      since_check += end - begin;
      if (since_check >= kCheckEveryRows) {
        since_check = 0;
        TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      }
      begin = end;
    }
    key_bytes_ = 0;
    return Charge();
  }

  // A frame offset, evaluated before any row is framed (PostgreSQL checks them when the
  // window starts, so even over no rows): never NULL, and for ROWS / GROUPS not negative.
  // A negative RANGE offset is refused by RangeAxis when a bound needs it, as in_range
  // does.
  Result<std::optional<Value>> Offset(const WindowCall& call, const BoundExprPtr& expr,
                                      const char* which) {
    if (!expr) return std::optional<Value>();
    TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*expr, ctx_));
    if (v.is_null()) {
      return Status(ErrorCode::kNullValueNotAllowed,
                    std::string("frame ") + which + " offset must not be null");
    }
    if (call.frame.unit != FrameUnit::kRange && v.as_int64() < 0) {
      return Status(ErrorCode::kInvalidPrecedingOrFollowingSize,
                    std::string("frame ") + which + " offset must not be negative");
    }
    return std::optional<Value>(std::move(v));
  }

  Status ComputeCall(const WindowCall& call, const FrameOffsets& offsets, std::vector<Value>& out,
                     const Partition& part, const std::vector<ColumnVector>& args,
                     const ColumnVector* filter, const std::vector<ColumnVector>& order_keys) {
    const size_t rows = part.rows();
    switch (call.function) {
      case WindowFunction::kRowNumber:
        for (size_t p = part.begin; p < part.end; ++p)
          out[order_[p]] = Value::BigInt(static_cast<int64_t>(p - part.begin + 1));
        return Status::Ok();
      case WindowFunction::kRank:
        for (size_t p = part.begin; p < part.end; ++p) {
          const size_t gs = part.GroupStart(part.GroupOf(p));
          out[order_[p]] = Value::BigInt(static_cast<int64_t>(gs - part.begin + 1));
        }
        return Status::Ok();
      case WindowFunction::kDenseRank:
        for (size_t p = part.begin; p < part.end; ++p)
          out[order_[p]] = Value::BigInt(static_cast<int64_t>(part.GroupOf(p) + 1));
        return Status::Ok();
      case WindowFunction::kPercentRank:
        for (size_t p = part.begin; p < part.end; ++p) {
          const size_t gs = part.GroupStart(part.GroupOf(p));
          out[order_[p]] = Value::Double(
              rows > 1 ? static_cast<double>(gs - part.begin) / static_cast<double>(rows - 1) : 0);
        }
        return Status::Ok();
      case WindowFunction::kCumeDist:
        for (size_t p = part.begin; p < part.end; ++p) {
          const size_t ge = part.GroupEnd(part.GroupOf(p));
          out[order_[p]] =
              Value::Double(static_cast<double>(ge - part.begin) / static_cast<double>(rows));
        }
        return Status::Ok();
      case WindowFunction::kNtile: {
        // The bucket count is the partition's first row's (PostgreSQL reads it once).
        const ColumnVector& buckets = args[0];
        const uint32_t first = order_[part.begin];
        if (buckets.IsNull(first)) {
          for (size_t p = part.begin; p < part.end; ++p)
            out[order_[p]] = Value::Null(DataType::kInt);
          return Status::Ok();
        }
        const int64_t b = IntegerAt(buckets, first);
        if (b <= 0) {
          return Status(ErrorCode::kInvalidArgument, "argument of ntile must be greater than zero");
        }
        const size_t nb = static_cast<size_t>(b);
        const size_t q = rows / nb, r = rows % nb;
        for (size_t p = part.begin; p < part.end; ++p) {
          const size_t i = p - part.begin;
          const size_t big = r * (q + 1);  // the first r buckets hold q + 1 rows
          const size_t bucket = i < big ? i / (q + 1) : r + (i - big) / q;
          out[order_[p]] = Value::Int(static_cast<int32_t>(bucket + 1));
        }
        return Status::Ok();
      }
      case WindowFunction::kLag:
      case WindowFunction::kLead: {
        const ColumnVector& value = args[0];
        const ColumnVector* offset = args.size() > 1 ? &args[1] : nullptr;
        const ColumnVector* fallback = args.size() > 2 ? &args[2] : nullptr;
        for (size_t p = part.begin; p < part.end; ++p) {
          const uint32_t row = order_[p];
          int64_t k = 1;
          if (offset != nullptr) {
            if (offset->IsNull(row)) {
              out[row] = Value::Null(call.type);
              continue;
            }
            k = IntegerAt(*offset, row);
          }
          if (call.function == WindowFunction::kLag) k = -k;
          const int64_t target = static_cast<int64_t>(p) + k;
          if (target >= static_cast<int64_t>(part.begin) &&
              target < static_cast<int64_t>(part.end)) {
            out[row] = value.GetValue(order_[static_cast<size_t>(target)]);
          } else {
            out[row] = fallback != nullptr ? fallback->GetValue(row) : Value::Null(call.type);
          }
        }
        return Status::Ok();
      }
      case WindowFunction::kFirstValue:
      case WindowFunction::kLastValue:
      case WindowFunction::kNthValue:
      case WindowFunction::kAggregate:
        return ComputeOverFrames(call, offsets, out, part, args, filter, order_keys);
    }
    return Status::Ok();
  }

  // A ROWS or GROUPS frame bound: the partition's ends when unbounded, `current` for
  // CURRENT ROW, and `shifted(-n)` / `shifted(n)` for n PRECEDING / n FOLLOWING (rows or
  // peer groups away from the current one).
  template <typename Shifted>
  static size_t RowsOrGroupsBound(FrameBoundKind kind, const std::optional<Value>& offset,
                                  const Partition& part, size_t current, Shifted shifted) {
    switch (kind) {
      case FrameBoundKind::kUnboundedPreceding:
        return part.begin;
      case FrameBoundKind::kPreceding:
        return shifted(-CountOffset(offset));
      case FrameBoundKind::kCurrentRow:
        return current;
      case FrameBoundKind::kFollowing:
        return shifted(CountOffset(offset));
      case FrameBoundKind::kUnboundedFollowing:
        return part.end;
    }
    return current;
  }

  // The frame of position p (FrameRows: before and after EXCLUDE). `range` is set for
  // RANGE frames with an offset.
  Result<FrameRows> FrameOf(const WindowCall& call, const Partition& part, size_t p,
                            const FrameOffsets& offsets, const RangeSearch* range) const {
    const std::optional<Value>& start_offset = offsets.start;
    const std::optional<Value>& end_offset = offsets.end;
    const WindowFrame& f = call.frame;
    const size_t g = part.GroupOf(p);
    const size_t gs = part.GroupStart(g), ge = part.GroupEnd(g);
    const int64_t ps = static_cast<int64_t>(part.begin), pe = static_cast<int64_t>(part.end);
    auto clamp = [&](int64_t x) { return static_cast<size_t>(std::clamp(x, ps, pe)); };
    size_t start = part.begin, end = part.end;
    switch (f.unit) {
      case FrameUnit::kRows: {
        const int64_t ip = static_cast<int64_t>(p);
        start = RowsOrGroupsBound(f.start, start_offset, part, p,
                                  [&](int64_t d) { return clamp(ip + d); });
        end = RowsOrGroupsBound(f.end, end_offset, part, p + 1,
                                [&](int64_t d) { return clamp(ip + d + 1); });
        break;
      }
      case FrameUnit::kGroups: {
        const int64_t ng = static_cast<int64_t>(part.group_starts.size());
        const int64_t ig = static_cast<int64_t>(g);
        start = RowsOrGroupsBound(f.start, start_offset, part, gs, [&](int64_t d) {
          const int64_t x = ig + d;
          return x < 0 ? part.begin : x >= ng ? part.end : part.GroupStart(static_cast<size_t>(x));
        });
        end = RowsOrGroupsBound(f.end, end_offset, part, ge, [&](int64_t d) {
          const int64_t x = ig + d;
          return x < 0 ? part.begin : x >= ng ? part.end : part.GroupEnd(static_cast<size_t>(x));
        });
        break;
      }
      case FrameUnit::kRange: {
        // Offsets need the one ORDER BY key; a NULL key's frame is its peers.
        const uint32_t row = order_[p];
        const bool null_key = range == nullptr || range->key->IsNull(row);
        // The first position in the non-NULL run whose key is not before `bound` (after
        // it when `inclusive` is false), in the sort's direction.
        auto search = [&](const RangePoint& bound, bool inclusive) {
          size_t lo = range->non_null_begin, hi = range->non_null_end;
          while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            const RangePoint k = range->axis.At(order_[mid]);
            const bool before =
                inclusive ? range->axis.Before(k, bound) : !range->axis.Before(bound, k);
            if (before) {
              lo = mid + 1;
            } else {
              hi = mid;
            }
          }
          return lo;
        };
        // Where `offset` PRECEDING / FOLLOWING puts the bound; `inclusive` for a start.
        auto offset_bound = [&](const std::optional<Value>& offset, bool preceding,
                                bool inclusive) -> Result<size_t> {
          TDB_ASSIGN_OR_RETURN(RangePoint bound, range->axis.Bound(row, *offset, preceding));
          return search(bound, inclusive);
        };
        switch (f.start) {
          case FrameBoundKind::kUnboundedPreceding:
            start = part.begin;
            break;
          case FrameBoundKind::kCurrentRow:
            start = gs;
            break;
          case FrameBoundKind::kPreceding:
            if (null_key) {
              start = gs;
            } else {
              TDB_ASSIGN_OR_RETURN(start, offset_bound(start_offset, true, true));
            }
            break;
          case FrameBoundKind::kFollowing:
            if (null_key) {
              start = gs;
            } else {
              TDB_ASSIGN_OR_RETURN(start, offset_bound(start_offset, false, true));
            }
            break;
          case FrameBoundKind::kUnboundedFollowing:
            start = part.end;
            break;
        }
        switch (f.end) {
          case FrameBoundKind::kUnboundedPreceding:
            end = part.begin;
            break;
          case FrameBoundKind::kCurrentRow:
            end = ge;
            break;
          case FrameBoundKind::kPreceding:
            if (null_key) {
              end = ge;
            } else {
              TDB_ASSIGN_OR_RETURN(end, offset_bound(end_offset, true, false));
            }
            break;
          case FrameBoundKind::kFollowing:
            if (null_key) {
              end = ge;
            } else {
              TDB_ASSIGN_OR_RETURN(end, offset_bound(end_offset, false, false));
            }
            break;
          case FrameBoundKind::kUnboundedFollowing:
            end = part.end;
            break;
        }
        break;
      }
    }
    FrameRows frame;
    frame.start = start;
    frame.end = std::max(start, end);
    auto add = [&](size_t a, size_t b) {
      a = std::max(a, frame.start);
      b = std::min(b, frame.end);
      if (a < b) frame.parts[frame.num_parts++] = {a, b};
    };
    switch (f.exclusion) {
      case FrameExclusion::kNoOthers:
        add(frame.start, frame.end);
        break;
      case FrameExclusion::kCurrentRow:
        add(frame.start, p);
        add(p + 1, frame.end);
        break;
      case FrameExclusion::kGroup:
        add(frame.start, gs);
        add(ge, frame.end);
        break;
      case FrameExclusion::kTies:
        add(frame.start, gs);
        add(p, p + 1);
        add(ge, frame.end);
        break;
    }
    return frame;
  }

  Status ComputeOverFrames(const WindowCall& call, const FrameOffsets& offsets,
                           std::vector<Value>& out, const Partition& part,
                           const std::vector<ColumnVector>& args, const ColumnVector* filter,
                           const std::vector<ColumnVector>& order_keys) {
    std::optional<RangeSearch> range;
    if (call.frame.unit == FrameUnit::kRange && !order_keys.empty() &&
        (offsets.start.has_value() || offsets.end.has_value())) {
      range.emplace(order_keys[0], call.order_by[0].descending, part.begin, part.end);
      // NULL keys sort to one end of the partition; the offsets search the rest.
      while (range->non_null_begin < range->non_null_end &&
             range->key->IsNull(order_[range->non_null_begin]))
        ++range->non_null_begin;
      while (range->non_null_end > range->non_null_begin &&
             range->key->IsNull(order_[range->non_null_end - 1]))
        --range->non_null_end;
    }
    const RangeSearch* range_search = range ? &*range : nullptr;
    if (call.function != WindowFunction::kAggregate) {
      const ColumnVector& value = args[0];
      for (size_t p = part.begin; p < part.end; ++p) {
        TDB_ASSIGN_OR_RETURN(const FrameRows frame, FrameOf(call, part, p, offsets, range_search));
        const uint32_t row = order_[p];
        const size_t size = frame.size();
        size_t k = 0;
        if (call.function == WindowFunction::kLastValue) {
          k = size - 1;
        } else if (call.function == WindowFunction::kNthValue) {
          const ColumnVector& nth = args[1];
          if (nth.IsNull(row)) {
            out[row] = Value::Null(call.type);
            continue;
          }
          const int64_t want = IntegerAt(nth, row);
          if (want <= 0) {
            return Status(ErrorCode::kInvalidArgument,
                          "argument of nth_value must be greater than zero");
          }
          k = static_cast<size_t>(want - 1);
        }
        out[row] =
            size > 0 && k < size ? value.GetValue(order_[frame.At(k)]) : Value::Null(call.type);
      }
      return Status::Ok();
    }
    // Aggregates: slide [cur_start, cur_end) along the frames.
    const ColumnVector* arg = args.empty() ? nullptr : &args[0];
    Accumulator acc(call, arg, filter, order_);
    size_t cur_start = part.begin, cur_end = part.begin;
    for (size_t p = part.begin; p < part.end; ++p) {
      TDB_ASSIGN_OR_RETURN(const FrameRows frame, FrameOf(call, part, p, offsets, range_search));
      const uint32_t row = order_[p];
      if (call.frame.exclusion != FrameExclusion::kNoOthers) {
        Accumulator one(call, arg, filter, order_);
        for (int i = 0; i < frame.num_parts; ++i)
          for (size_t q = frame.parts[i].first; q < frame.parts[i].second; ++q)
            TDB_RETURN_IF_ERROR(one.Add(q));
        TDB_ASSIGN_OR_RETURN(out[row], one.Finish());
        continue;
      }
      const bool restart = frame.start < cur_start || frame.end < cur_end ||
                           frame.start >= cur_end || (frame.start > cur_start && !acc.CanRemove());
      if (restart) {
        acc.Reset();
        cur_start = cur_end = frame.start;
      }
      // Rows leave before rows enter, as in PostgreSQL, so a sum of intervals overflows
      // (22008) exactly when PostgreSQL's does.
      while (cur_start < frame.start)
        TDB_RETURN_IF_ERROR(acc.Remove(cur_start++));
      while (cur_end < frame.end)
        TDB_RETURN_IF_ERROR(acc.Add(cur_end++));
      TDB_ASSIGN_OR_RETURN(out[row], acc.Finish());
    }
    return Status::Ok();
  }

  // An aggregate's running state over a contiguous run of positions [start, end) that
  // only moves forward.
  class Accumulator {
   public:
    Accumulator(const WindowCall& call, const ColumnVector* arg, const ColumnVector* filter,
                const std::vector<uint32_t>& order)
        : call_(call), arg_(arg), filter_(filter), order_(order) {}

    void Reset() {
      count_ = 0;
      sum_int_ = 0;
      sum_double_ = 0;
      sum_interval_ = Interval{};
      sum_numeric_ = Numeric{};
      trues_ = 0;
      extremes_.clear();
    }

    // Floating sums are not subtracted (rounding); the caller restarts instead.
    bool CanRemove() const {
      const AggregateFunction f = call_.aggregate;
      if (f != AggregateFunction::kSum && f != AggregateFunction::kAvg) return true;
      return IsExactNumeric(arg_->type()) || arg_->type() == DataType::kInterval;
    }

    // Adds position p; fails only when a sum of intervals leaves INTERVAL's range.
    Status Add(size_t p) {
      const uint32_t row = order_[p];
      if (!Passes(filter_, row)) return Status::Ok();
      if (call_.aggregate == AggregateFunction::kCountStar) {
        ++count_;
        return Status::Ok();
      }
      if (arg_->IsNull(row)) return Status::Ok();
      ++count_;
      switch (call_.aggregate) {
        case AggregateFunction::kSum:
        case AggregateFunction::kAvg:
          if (arg_->type() == DataType::kInterval) {
            TDB_ASSIGN_OR_RETURN(sum_interval_,
                                 AddIntervals(sum_interval_, arg_->values<Interval>()[row]));
          } else if (arg_->type() == DataType::kNumeric) {
            // Exact, so a sliding frame subtracts leaving rows (Remove) like integers.
            TDB_ASSIGN_OR_RETURN(sum_numeric_,
                                 AddNumerics(sum_numeric_, arg_->values<Numeric>()[row]));
          } else if (IsInteger(arg_->type())) {
            sum_int_ += IntegerAt(*arg_, row);
          } else {
            sum_double_ += NumberAt(*arg_, row);
          }
          break;
        case AggregateFunction::kMin:
        case AggregateFunction::kMax:
          // Keep positions whose values can still be the extreme: drop the back while the
          // new value is at least as good.
          while (!extremes_.empty() && !Better(order_[extremes_.back()], row))
            extremes_.pop_back();
          extremes_.push_back(p);
          break;
        case AggregateFunction::kBoolAnd:
        case AggregateFunction::kBoolOr:
          trues_ += arg_->values<uint8_t>()[row] != 0 ? 1 : 0;
          break;
        default:
          break;
      }
      return Status::Ok();
    }

    // Removes position p, the first of the run; fails as Add does.
    Status Remove(size_t p) {
      const uint32_t row = order_[p];
      if (!Passes(filter_, row)) return Status::Ok();
      if (call_.aggregate == AggregateFunction::kCountStar) {
        --count_;
        return Status::Ok();
      }
      if (arg_->IsNull(row)) return Status::Ok();
      --count_;
      switch (call_.aggregate) {
        case AggregateFunction::kSum:
        case AggregateFunction::kAvg:
          // CanRemove: integers and intervals only (PostgreSQL's interval_mi inverse).
          if (arg_->type() == DataType::kInterval) {
            TDB_ASSIGN_OR_RETURN(sum_interval_,
                                 SubtractIntervals(sum_interval_, arg_->values<Interval>()[row]));
          } else if (arg_->type() == DataType::kNumeric) {
            TDB_ASSIGN_OR_RETURN(sum_numeric_,
                                 SubtractNumerics(sum_numeric_, arg_->values<Numeric>()[row]));
          } else {
            sum_int_ -= IntegerAt(*arg_, row);
          }
          break;
        case AggregateFunction::kMin:
        case AggregateFunction::kMax:
          if (!extremes_.empty() && extremes_.front() == p) extremes_.pop_front();
          break;
        case AggregateFunction::kBoolAnd:
        case AggregateFunction::kBoolOr:
          trues_ -= arg_->values<uint8_t>()[row] != 0 ? 1 : 0;
          break;
        default:
          break;
      }
      return Status::Ok();
    }

    Result<Value> Finish() const {
      switch (call_.aggregate) {
        case AggregateFunction::kCount:
        case AggregateFunction::kCountStar:
          return Value::BigInt(count_);
        case AggregateFunction::kSum:
          if (count_ == 0) return Value::Null(call_.type);
          if (call_.type == DataType::kInterval) return Value::FromInterval(sum_interval_);
          if (call_.type == DataType::kNumeric) return Value::FromNumeric(sum_numeric_);
          if (call_.type == DataType::kBigInt) {
            if (sum_int_ > std::numeric_limits<int64_t>::max() ||
                sum_int_ < std::numeric_limits<int64_t>::min()) {
              return Status(ErrorCode::kNumericOutOfRange, "bigint out of range in sum()");
            }
            return Value::BigInt(static_cast<int64_t>(sum_int_));
          }
          if (call_.type == DataType::kReal) return Value::Real(static_cast<float>(sum_double_));
          return Value::Double(sum_double_);
        case AggregateFunction::kAvg: {
          if (count_ == 0) return Value::Null(call_.type);
          if (call_.type == DataType::kInterval) {
            // PostgreSQL's interval_avg: the sum divided by the count, fractional months
            // and days cascading down.
            TDB_ASSIGN_OR_RETURN(Interval avg,
                                 DivideInterval(sum_interval_, static_cast<double>(count_)));
            return Value::FromInterval(avg);
          }
          if (call_.type == DataType::kNumeric) {
            TDB_ASSIGN_OR_RETURN(Numeric avg,
                                 DivideNumerics(sum_numeric_, NumericFromInt64(count_)));
            return Value::FromNumeric(avg);
          }
          const double sum = IsInteger(arg_->type()) ? static_cast<double>(sum_int_) : sum_double_;
          return Value::Double(sum / static_cast<double>(count_));
        }
        case AggregateFunction::kMin:
        case AggregateFunction::kMax:
          if (extremes_.empty()) return Value::Null(call_.type);
          return arg_->GetValue(order_[extremes_.front()]);
        case AggregateFunction::kBoolAnd:
          return count_ == 0 ? Value::Null(call_.type) : Value::Boolean(trues_ == count_);
        case AggregateFunction::kBoolOr:
          return count_ == 0 ? Value::Null(call_.type) : Value::Boolean(trues_ > 0);
        case AggregateFunction::kStringAgg:
        case AggregateFunction::kJsonAgg:
        case AggregateFunction::kArrayAgg:
        case AggregateFunction::kPercentileCont:
        case AggregateFunction::kPercentileDisc:
        case AggregateFunction::kAnyValue:  // GROUP BY's alone
          break;                            // refused by the binder (binder_window.cc)
      }
      return Value::Null(call_.type);
    }

   private:
    // Whether the value of `kept` beats `incoming` strictly (so `incoming` does not evict
    // it from the queue): for min, kept < incoming.
    bool Better(uint32_t kept, uint32_t incoming) const {
      const int c = CompareInColumn(*arg_, kept, incoming);
      return call_.aggregate == AggregateFunction::kMin ? c < 0 : c > 0;
    }

    const WindowCall& call_;
    const ColumnVector* arg_;
    const ColumnVector* filter_;
    const std::vector<uint32_t>& order_;
    int64_t count_ = 0;     // rows in the frame passing FILTER with a non-NULL argument
    int64_t trues_ = 0;     // bool_and / bool_or: how many of them are true
    __int128 sum_int_ = 0;  // wide: a frame's partial sums may pass int64 on the way
    double sum_double_ = 0;
    Interval sum_interval_;        // sum / avg of INTERVAL
    Numeric sum_numeric_;          // sum / avg of NUMERIC
    std::deque<size_t> extremes_;  // positions, values monotonic from the front
  };

  const WindowNode& plan_;
  OperatorPtr child_;
  ExecContext& ctx_;
  bool computed_ = false;
  Batch all_;
  std::vector<uint32_t> order_;              // the last window's sorted rows
  std::vector<std::vector<Value>> results_;  // per call, per input row
  std::vector<FrameOffsets> offsets_;        // per call
  size_t next_ = 0;
  size_t base_bytes_ = 0;   // the input rows
  size_t extra_bytes_ = 0;  // results and sort orders
  size_t key_bytes_ = 0;    // the current window's key and argument columns
  MemoryReservation held_;
};

}  // namespace

Result<OperatorPtr> MakeWindow(const WindowNode& plan, OperatorPtr child, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<WindowOperator>(plan, std::move(child), ctx));
}

}  // namespace tenantdb::sql
