// HotStore's reads through the HotUserCache (hot_user_cache.h): filling a user's whole
// entry, serving scans and point reads from an entry, and the newest-rows tail of a user
// with too many rows for a whole entry.
#include <algorithm>
#include <cassert>
#include <span>

#include "storage/hot/hot_scan_order.h"
#include "storage/hot/hot_store.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

// Appends the scan's current row, every column, to `rows` (`targets` are its columns).
Status AppendCurrentRow(const HotRowIterator& scan, const Schema& fields,
                        std::vector<ColumnVector*>& targets, Batch* rows) {
  if (scan.raw()) return DecodeRowBodyInto(scan.row_body(), fields, targets, {});
  const std::vector<Value>& values = scan.row().values;
  for (size_t c = 0; c < values.size(); ++c)
    rows->mutable_column(c).Append(values[c]);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const HotUserCache::Entry>> HotStore::CachedUserRows(
    const HotTable& table, const UserId& user) const {
  std::shared_ptr<const HotUserCache::Entry> cached =
      user_cache_.Find(table.table_number(), user.str(), table.schema_version());
  if (cached != nullptr) return cached;
  return FillUserRows(table, user, user_cache_.max_entry_rows());
}

size_t HotStore::EstimatedUserRows(const HotTable& table, const UserId& user) const {
  const std::optional<RowCounts::Figures> figures =
      row_counts_.Get(table.table_number(), user.str());
  // Unknown: as many as an earned entry may hold, so the reads pay for the largest fill.
  if (!figures.has_value() || !figures->known) return user_cache_.max_earned_rows();
  int64_t rows = 0;
  if (figures->slice.has_value()) {
    rows = *figures->slice;
  } else {
    rows = (figures->users > 0 ? figures->rows / figures->users : figures->rows) +
           figures->slice_delta;
  }
  return static_cast<size_t>(std::max<int64_t>(rows, 0));
}

Result<std::shared_ptr<const HotUserCache::Entry>> HotStore::FillUserRows(const HotTable& table,
                                                                          const UserId& user,
                                                                          size_t max_rows) const {
  // Read before the iterator exists (see HotUserCache: a write after this rejects us).
  const uint64_t generation = user_cache_.Generation(table.table_number(), user.str());
  HotScanOptions all;
  all.raw_current_rows = true;
  all.limit = max_rows + 1;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> scan, NewScan(table, &user, all));
  const Schema& fields = *table.schema();
  auto entry = std::make_shared<HotUserCache::Entry>();
  entry->schema_version = table.schema_version();
  entry->rows = std::make_unique<Batch>(table.schema());
  Batch& rows = *entry->rows;
  std::vector<ColumnVector*> targets(fields.num_fields());
  for (size_t c = 0; c < targets.size(); ++c)
    targets[c] = &rows.mutable_column(c);
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, scan->Next());
    if (!more) break;
    if (entry->keys.size() == max_rows) {
      // Too many to cache: remember that, so reads of this user skip the fill.
      // A marker holds nothing: clear() (or `= {}`) would keep the keys' capacity, room
      // for max_rows strings that the cache charges, so markers would crowd out entries.
      entry->rows.reset();
      std::vector<std::string>().swap(entry->keys);
      entry->too_big_to_earn = max_rows >= user_cache_.max_earned_rows();
      entry->known_rows = max_rows + 1;
      break;
    }
    entry->keys.emplace_back(scan->key_columns());
    TDB_RETURN_IF_ERROR(AppendCurrentRow(*scan, fields, targets, &rows));
  }
  user_cache_.Insert(table.table_number(), user.str(), generation, entry);
  return std::shared_ptr<const HotUserCache::Entry>(std::move(entry));
}

Result<std::vector<Batch>> HotStore::ScanCached(const HotUserCache::Entry& entry,
                                                const HotTable& table,
                                                const HotScanOptions& options,
                                                size_t batch_rows) const {
  const Batch& all = *entry.rows;
  const std::vector<std::string>& keys = entry.keys;
  auto first_at_or_after = [&](std::string_view bound) {
    return static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), bound) - keys.begin());
  };
  // The same byte bounds as NewScan, on the key columns alone.
  size_t begin = 0, end = keys.size();
  if (options.lower) {
    std::string bound;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.lower->key, &bound));
    if (!options.lower->inclusive) bound = PrefixSuccessor(bound);
    begin = bound.empty() ? keys.size() : first_at_or_after(bound);
  }
  if (options.upper) {
    std::string bound;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.upper->key, &bound));
    if (options.upper->inclusive) bound = PrefixSuccessor(bound);
    if (!bound.empty()) end = std::min(end, first_at_or_after(bound));
  }
  std::vector<uint32_t> rows;
  const std::optional<bool> key_order =
      options.top_n > 0 ? KeyOrderDirection(*table.schema(), options) : std::nullopt;
  if (key_order.has_value()) {
    // ORDER BY the key LIMIT n: the range's first or last n rows, no sort.
    const size_t n = std::min(options.top_n, end > begin ? end - begin : size_t{0});
    rows.reserve(n);
    for (size_t i = 0; i < n; ++i)
      rows.push_back(static_cast<uint32_t>(*key_order ? begin + i : end - 1 - i));
  } else {
    rows.reserve(end > begin ? end - begin : 0);
    for (size_t r = begin; r < end; ++r)
      rows.push_back(static_cast<uint32_t>(r));
  }
  if (key_order.has_value()) {
    // Already the top rows, in order.
  } else if (options.top_n > 0 && !options.order.empty()) {
    for (const HotSortKey& k : options.order) {
      if (k.column >= all.num_columns()) {
        return Status(ErrorCode::kInvalidArgument,
                      "sort column position " + std::to_string(k.column) + " is out of range");
      }
    }
    KeepTopRows(all, options.order, options.top_n, &rows);
  } else if (options.limit != 0 && rows.size() > options.limit) {
    rows.resize(options.limit);
  }
  std::vector<Batch> out;
  for (size_t first = 0; first < rows.size(); first += batch_rows) {
    const size_t last = std::min(rows.size(), first + batch_rows);
    Batch& batch = out.emplace_back(table.schema());
    for (size_t c = 0; c < all.num_columns(); ++c) {
      ColumnVector& dst = batch.mutable_column(c);
      const ColumnVector& src = all.column(c);
      const bool wanted =
          options.wanted.empty() || (c < options.wanted.size() && options.wanted[c]);
      if (wanted) {
        dst.AppendRows(src, std::span<const uint32_t>(rows.data() + first, last - first));
      } else {
        dst.AppendNulls(last - first);
      }
    }
  }
  return out;
}

Result<std::optional<std::vector<Batch>>> HotStore::ScanTail(const HotUserCache::Entry& entry,
                                                             const HotTable& table,
                                                             const HotScanOptions& options,
                                                             size_t batch_rows) const {
  using Answer = std::optional<std::vector<Batch>>;
  assert(entry.rows != nullptr && !entry.complete);
  if (entry.keys.empty()) return Answer();
  const std::string& first = entry.keys.front();
  // The tail holds every row whose key is at least `first`: a range that starts there
  // (or later) is all in it.
  if (options.lower) {
    std::string bound;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.lower->key, &bound));
    if (bound >= first) {
      TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows, ScanCached(entry, table, options, batch_rows));
      return Answer(std::move(rows));
    }
  }
  // A range reaching below the tail: only its last top_n rows in descending key order,
  // when the tail has that many in range (any row below the tail sorts after them).
  if (options.top_n == 0 || KeyOrderDirection(*table.schema(), options) != false) {
    return Answer();
  }
  size_t end = entry.keys.size();
  if (options.upper) {
    std::string bound;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.upper->key, &bound));
    if (options.upper->inclusive) bound = PrefixSuccessor(bound);
    if (!bound.empty()) {
      end = static_cast<size_t>(std::lower_bound(entry.keys.begin(), entry.keys.end(), bound) -
                                entry.keys.begin());
    }
  }
  if (end < options.top_n) return Answer();
  TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows, ScanCached(entry, table, options, batch_rows));
  return Answer(std::move(rows));
}

Result<std::vector<Batch>> HotStore::ScanNewestIntoTail(const HotTable& table, const UserId& user,
                                                        const HotScanOptions& options,
                                                        size_t batch_rows,
                                                        const HotUserCache::Entry& replaced) const {
  assert(!options.lower && !options.upper && options.top_n > 0);
  // Read before the iterator exists (see HotUserCache: a write after this rejects us).
  const uint64_t generation = user_cache_.Generation(table.table_number(), user.str());
  HotScanOptions newest;
  newest.reverse = true;
  newest.limit = options.top_n;
  newest.raw_current_rows = true;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> scan, NewScan(table, &user, newest));
  const Schema& fields = *table.schema();
  Batch descending(table.schema());
  std::vector<ColumnVector*> targets(fields.num_fields());
  for (size_t c = 0; c < targets.size(); ++c)
    targets[c] = &descending.mutable_column(c);
  std::vector<std::string> keys;
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, scan->Next());
    if (!more) break;
    keys.emplace_back(scan->key_columns());
    TDB_RETURN_IF_ERROR(AppendCurrentRow(*scan, fields, targets, &descending));
  }
  // The entry keeps its rows in ascending key order, like a whole one.
  auto entry = std::make_shared<HotUserCache::Entry>();
  entry->schema_version = table.schema_version();
  entry->complete = false;
  entry->writes_since_made = replaced.writes_since_made;
  entry->known_rows = replaced.known_rows;
  entry->rows = std::make_unique<Batch>(table.schema());
  const size_t n = keys.size();
  for (size_t c = 0; c < fields.num_fields(); ++c) {
    ColumnVector& dst = entry->rows->mutable_column(c);
    dst.Reserve(n);
    for (size_t i = n; i-- > 0;)
      dst.AppendFrom(descending.column(c), i);
  }
  std::reverse(keys.begin(), keys.end());
  entry->keys = std::move(keys);
  // Fewer rows than asked for: that is every row the user has, a whole entry.
  if (n < options.top_n) entry->complete = true;
  TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows, ScanCached(*entry, table, options, batch_rows));
  user_cache_.Insert(table.table_number(), user.str(), generation, entry);
  return rows;
}

}  // namespace tenantdb
