#include "storage/hot/hot_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "storage/cold/batch_file.h"
#include "storage/hot/hot_batch_reader.h"
#include "storage/hot/hot_scan_order.h"
#include "storage/hot/index_writer.h"
#include "storage/hot/key_codec.h"
#include "types/column_compare.h"

namespace tenantdb {

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// A tombstone's values: the key in its columns, NULL elsewhere.
Result<std::vector<Value>> TombstoneValues(const HotTable& table, std::string_view key_suffix) {
  TDB_ASSIGN_OR_RETURN(std::vector<Value> key, DecodeKeyColumns(table.key_types(), key_suffix));
  std::vector<Value> values;
  values.reserve(table.schema()->num_fields());
  for (const Field& f : table.schema()->fields())
    values.push_back(Value::Null(f.type));
  for (size_t i = 0; i < key.size(); ++i)
    values[table.key_indices()[i]] = std::move(key[i]);
  return values;
}

// The oldest write time a scan shows: the caller's bound and the TTL's, whichever is later.
std::optional<int64_t> VisibleSince(const HotScanOptions& options, std::optional<int64_t> cutoff) {
  if (!options.written_since_micros) return cutoff;
  if (!cutoff) return options.written_since_micros;
  return std::max(*options.written_since_micros, *cutoff);
}

}  // namespace

// ---- HotRowIterator ---------------------------------------------------------------

// Out of line: rocksdb::Iterator is incomplete in the header.
HotRowIterator::HotRowIterator(PrivateTag) {}
HotRowIterator::~HotRowIterator() = default;

Result<const HotRowIterator::Projection*> HotRowIterator::ProjectionFor(uint32_t version) {
  for (const Projection& p : projections_) {
    if (p.version == version) return &p;
  }
  if (version > table_->schema_version() || !table_->lookup()) {
    return Status(ErrorCode::kNotFound,
                  "hot row written under schema version " + std::to_string(version) +
                      ", which is unknown at version " + std::to_string(table_->schema_version()));
  }
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const Schema> stored, table_->lookup()(version));
  if (stored == nullptr) return Status(ErrorCode::kNotFound, "schema version lookup failed");
  TDB_ASSIGN_OR_RETURN(RowProjection projection, RowProjection::Make(*stored, *table_->schema()));
  projections_.push_back({version, std::move(stored), std::move(projection)});
  return &projections_.back();
}

Result<bool> HotRowIterator::Next() {
  if (it_ == nullptr) return false;
  while (true) {
    if (limit_ != 0 && returned_ >= limit_) return false;
    if (!started_) {
      if (!reverse_) {
        it_->Seek(ToSlice(start_));
      } else if (end_.empty()) {
        it_->SeekToLast();
      } else {
        // The last key before the exclusive end.
        it_->SeekForPrev(ToSlice(end_));
        if (it_->Valid() && it_->key() == ToSlice(end_)) it_->Prev();
      }
      started_ = true;
    } else if (reverse_) {
      it_->Prev();
    } else {
      it_->Next();
    }
    if (!it_->Valid()) {
      TDB_RETURN_IF_ERROR(FromRocksStatus(it_->status(), "scanning hot rows"));
      return false;
    }
    const rocksdb::Slice k = it_->key();
    const std::string_view key(k.data(), k.size());
    if (!end_.empty() && key >= std::string_view(end_)) return false;
    if (reverse_ && key < std::string_view(start_)) return false;
    if (!key.starts_with(prefix_)) return false;
    const rocksdb::Slice v = it_->value();
    std::string_view body;
    TDB_ASSIGN_OR_RETURN(RowHeader header,
                         DecodeRowHeader(std::string_view(v.data(), v.size()), &body));
    if (header.kind == RowKind::kTombstone && !include_tombstones_) continue;
    if (written_since_micros_ && header.write_micros < *written_since_micros_) continue;
    std::string_view key_columns = key.substr(prefix_.size());
    if (all_users_) {
      TDB_ASSIGN_OR_RETURN(user_, DecodeUserId(key, &key_columns));
    }
    key_columns_ = key_columns;
    row_.header = header;
    raw_ = false;
    if (raw_current_rows_ && header.kind != RowKind::kTombstone &&
        header.schema_version == table_->schema_version()) {
      // The caller decodes the body; the iterator's slices stay valid until Next().
      raw_ = true;
      body_ = body;
      row_.values.clear();
      ++returned_;
      return true;
    }
    if (header.kind == RowKind::kTombstone) {
      TDB_ASSIGN_OR_RETURN(row_.values, TombstoneValues(*table_, key_columns));
    } else if (header.schema_version == table_->schema_version()) {
      TDB_ASSIGN_OR_RETURN(row_.values, DecodeRowBody(body, *table_->schema()));
    } else {
      TDB_ASSIGN_OR_RETURN(const Projection* p, ProjectionFor(header.schema_version));
      TDB_ASSIGN_OR_RETURN(std::vector<Value> stored, DecodeRowBody(body, *p->schema));
      row_.values = p->projection.Apply(std::move(stored));
    }
    key_.assign(key);
    value_.assign(v.data(), v.size());
    ++returned_;
    return true;
  }
}

// ---- HotStore -----------------------------------------------------------------------

HotStore::HotStore(KvStore* kv, Options options)
    : kv_(kv),
      options_(std::move(options)),
      user_cache_(options_.user_cache_bytes, options_.user_cache_max_rows,
                  options_.user_cache_max_earned_rows) {}

Result<std::string> HotStore::KeyPrefix(const HotTable& table, const UserId* user) const {
  if (table.per_user()) {
    if (user == nullptr || user->empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    std::string(TableTypeName(table.type())) +
                        " table rows belong to a user; the request names none");
    }
    return EncodeUserPrefix(table.table_number(), user->str());
  }
  if (user != nullptr && !user->empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "SHARED table rows belong to no user; the request names user '" +
                      std::string(user->str()) + "'");
  }
  return EncodeTablePrefix(table.table_number());
}

Result<std::string> HotStore::RowKey(const HotTable& table, const std::string& prefix,
                                     const std::vector<Value>& row) const {
  if (row.size() != table.schema()->num_fields()) {
    return Status(ErrorCode::kInvalidArgument,
                  "row has " + std::to_string(row.size()) + " values but the table has " +
                      std::to_string(table.schema()->num_fields()) + " columns");
  }
  std::string key = prefix;
  for (size_t i = 0; i < table.key_indices().size(); ++i) {
    TDB_RETURN_IF_ERROR(AppendKeyColumn(table.key_types()[i], row[table.key_indices()[i]], &key));
  }
  return key;
}

Result<std::string> HotStore::EncodeKey(const HotTable& table, const UserId* user,
                                        const std::vector<Value>& key) const {
  TDB_RETURN_IF_ERROR(CheckWholeKey(table.key_types(), key.size()));
  TDB_ASSIGN_OR_RETURN(std::string out, KeyPrefix(table, user));
  TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), key, &out));
  return out;
}

std::optional<int64_t> HotStore::ExpiryCutoffAt(const HotTable& table, int64_t now) {
  if (table.ttl_seconds() == 0) return std::nullopt;
  return now - int64_t{table.ttl_seconds()} * 1'000'000;
}

std::optional<int64_t> HotStore::ExpiryCutoff(const HotTable& table) const {
  return ExpiryCutoffAt(table, options_.clock->NowUnixMicros());
}

Result<std::optional<HotRow>> HotStore::GetVersion(const HotTable& table, const UserId* user,
                                                   const std::vector<Value>& key) const {
  TDB_ASSIGN_OR_RETURN(std::string encoded, EncodeKey(table, user, key));
  TDB_ASSIGN_OR_RETURN(std::optional<std::string> stored, kv_->Get(KvFamily::kRows, encoded));
  if (!stored.has_value()) return std::optional<HotRow>();
  if (const std::optional<int64_t> cutoff = ExpiryCutoff(table)) {
    TDB_ASSIGN_OR_RETURN(RowHeader header, DecodeRowHeader(*stored));
    if (header.write_micros < *cutoff) return std::optional<HotRow>();  // expired: none
  }
  TDB_ASSIGN_OR_RETURN(DecodedRow decoded,
                       DecodeRow(*stored, *table.schema(), table.schema_version(), table.lookup()));
  HotRow row{decoded.header, std::move(decoded.values)};
  if (row.is_tombstone()) {
    row.values.clear();
    for (const Field& f : table.schema()->fields())
      row.values.push_back(Value::Null(f.type));
    for (size_t i = 0; i < key.size(); ++i)
      row.values[table.key_indices()[i]] = key[i];
  }
  return std::optional<HotRow>(std::move(row));
}

Result<std::optional<std::vector<Value>>> HotStore::Get(const HotTable& table, const UserId* user,
                                                        const std::vector<Value>& key) const {
  TDB_ASSIGN_OR_RETURN(std::optional<HotRow> row, GetVersion(table, user, key));
  if (!row.has_value() || row->is_tombstone()) return std::optional<std::vector<Value>>();
  return std::optional<std::vector<Value>>(std::move(row->values));
}

Result<std::unique_ptr<HotRowIterator>> HotStore::NewScan(const HotTable& table, const UserId* user,
                                                          const HotScanOptions& options) const {
  TDB_ASSIGN_OR_RETURN(const std::string prefix, KeyPrefix(table, user));
  auto scan = std::make_unique<HotRowIterator>(HotRowIterator::PrivateTag{});
  scan->table_ = &table;
  scan->prefix_ = prefix;
  scan->limit_ = options.limit;
  scan->include_tombstones_ = options.include_tombstones;
  scan->raw_current_rows_ = options.raw_current_rows;
  scan->reverse_ = options.reverse;
  scan->written_since_micros_ = VisibleSince(options, ExpiryCutoff(table));
  scan->start_ = prefix;
  scan->end_ = PrefixSuccessor(prefix);  // empty: no bound
  bool empty = false;
  if (options.lower) {
    std::string bound = prefix;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.lower->key, &bound));
    if (!options.lower->inclusive) {
      // Past every key that starts with the bound (all of them equal it on those columns).
      bound = PrefixSuccessor(bound);
      if (bound.empty()) empty = true;
    }
    if (bound > scan->start_) scan->start_ = std::move(bound);
  }
  if (options.upper) {
    std::string bound = prefix;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), options.upper->key, &bound));
    if (options.upper->inclusive) bound = PrefixSuccessor(bound);
    if (!bound.empty() && (scan->end_.empty() || bound < scan->end_)) scan->end_ = std::move(bound);
  }
  if (!empty && (scan->end_.empty() || scan->start_ < scan->end_)) {
    scan->lower_bound_ = ToSlice(scan->start_);
    scan->upper_bound_ = ToSlice(scan->end_);
    scan->it_ =
        kv_->NewIterator(KvFamily::kRows, options.pin_rows, options.snapshot, &scan->lower_bound_,
                         scan->end_.empty() ? nullptr : &scan->upper_bound_);
  }
  return scan;
}

Result<std::vector<Batch>> HotStore::Scan(const HotTable& table, const UserId* user,
                                          const HotScanOptions& options, size_t batch_rows) const {
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, NewBatchScan(table, user, options, batch_rows));
  return DrainStream(*stream);
}

Result<BatchStreamPtr> HotStore::NewBatchScan(const HotTable& table, const UserId* user,
                                              const HotScanOptions& options,
                                              size_t batch_rows) const {
  if (batch_rows == 0) batch_rows = 1;
  // The cached rows of a user (at most user_cache_max_rows) and a top-N result are small
  // and built whole; everything else streams from the RocksDB iterator.
  if (user_cache_.enabled() && table.type() == TableType::kUser && user != nullptr &&
      !options.include_tombstones && !options.written_since_micros && options.columns.empty() &&
      options.snapshot == nullptr) {
    TDB_ASSIGN_OR_RETURN(std::shared_ptr<const HotUserCache::Entry> entry,
                         CachedUserRows(table, *user));
    if (entry != nullptr && entry->rows != nullptr && entry->complete) {
      TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows, ScanCached(*entry, table, options, batch_rows));
      return MakeVectorStream(std::move(rows));
    }
    if (entry != nullptr && entry->rows != nullptr) {
      TDB_ASSIGN_OR_RETURN(std::optional<std::vector<Batch>> rows,
                           ScanTail(*entry, table, options, batch_rows));
      if (rows.has_value()) return MakeVectorStream(std::move(*rows));
    }
    // A user with too many rows for a whole entry: their newest rows become a tail.
    if (entry != nullptr && options.top_n > 0 && !options.lower && !options.upper &&
        KeyOrderDirection(*table.schema(), options) == false) {
      TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows,
                           ScanNewestIntoTail(table, *user, options, batch_rows, *entry));
      return MakeVectorStream(std::move(rows));
    }
  }
  if (options.top_n > 0 && !options.order.empty()) {
    TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows, ScanTopN(table, user, options, batch_rows));
    return MakeVectorStream(std::move(rows));
  }
  // Live rows of the current version decode straight into the batch (a column asked for
  // twice goes through Values: one decoded column cannot fill two outputs).
  HotScanOptions scan_options = options;
  std::vector<size_t> sorted = options.columns;
  std::sort(sorted.begin(), sorted.end());
  scan_options.raw_current_rows = std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> scan, NewScan(table, user, scan_options));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotBatchReader> reader,
                       HotBatchReader::Make(table, std::move(scan), options.columns, options.wanted,
                                            options.include_tombstones));
  return BatchStreamPtr(std::make_unique<HotBatchStream>(std::move(reader), batch_rows));
}

Result<std::optional<std::optional<std::vector<Value>>>> HotStore::CachedRow(
    const HotTable& table, const UserId* user, const std::vector<Value>& key) const {
  using Answer = std::optional<std::optional<std::vector<Value>>>;
  TDB_ASSIGN_OR_RETURN(std::optional<CachedRowAt> at, FindCachedRow(table, user, key));
  if (!at.has_value()) return Answer();
  if (!at->row.has_value()) return Answer(std::optional<std::vector<Value>>());
  return Answer(at->entry->rows->GetRow(*at->row));
}

Result<std::optional<HotStore::CachedRowAt>> HotStore::FindCachedRow(
    const HotTable& table, const UserId* user, const std::vector<Value>& key) const {
  using Answer = std::optional<CachedRowAt>;
  if (!user_cache_.enabled() || table.type() != TableType::kUser || user == nullptr) {
    return Answer();
  }
  TDB_RETURN_IF_ERROR(CheckWholeKey(table.key_types(), key.size()));
  std::shared_ptr<const HotUserCache::Entry> entry =
      user_cache_.Find(table.table_number(), user->str(), table.schema_version());
  if (entry == nullptr && user_cache_.NotePointMiss(table.table_number(), user->str())) {
    TDB_ASSIGN_OR_RETURN(entry, CachedUserRows(table, *user));
  }
  // A marker or a tail: this read goes to RocksDB, and a run of such reads earns a whole
  // entry (hot_user_cache.h).
  if (entry != nullptr && !(entry->rows != nullptr && entry->complete) && !entry->too_big_to_earn &&
      user_cache_.NoteUncachedPointRead(
          table.table_number(), user->str(),
          std::max(EstimatedUserRows(table, *user), entry->known_rows))) {
    TDB_ASSIGN_OR_RETURN(entry, FillUserRows(table, *user, user_cache_.max_earned_rows()));
  }
  if (entry == nullptr || entry->rows == nullptr) return Answer();
  std::string bytes;
  TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), key, &bytes));
  // A tail knows nothing of keys below its first.
  if (!entry->complete && (entry->keys.empty() || bytes < entry->keys.front())) return Answer();
  auto it = std::lower_bound(entry->keys.begin(), entry->keys.end(), bytes);
  if (it == entry->keys.end() || *it != bytes) return Answer(CachedRowAt{std::move(entry), {}});
  const auto row = static_cast<size_t>(it - entry->keys.begin());
  return Answer(CachedRowAt{std::move(entry), row});
}

Result<std::vector<Batch>> HotStore::ScanTopN(const HotTable& table, const UserId* user,
                                              const HotScanOptions& options,
                                              size_t batch_rows) const {
  if (options.include_tombstones || options.limit != 0 || !options.columns.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "a top-N scan returns whole live rows; it takes no limit, columns or tombstones");
  }
  const std::shared_ptr<const Schema>& schema = table.schema();
  const Schema& fields = *schema;
  const size_t width = fields.num_fields();
  std::vector<bool> sort_columns(width, false);
  for (const HotSortKey& k : options.order) {
    if (k.column >= width) {
      return Status(ErrorCode::kInvalidArgument,
                    "sort column position " + std::to_string(k.column) + " is out of range");
    }
    sort_columns[k.column] = true;
  }
  HotScanOptions scan_options;
  scan_options.lower = options.lower;
  scan_options.upper = options.upper;
  scan_options.written_since_micros = options.written_since_micros;
  scan_options.raw_current_rows = true;
  if (const std::optional<bool> ascending = KeyOrderDirection(fields, options)) {
    // ORDER BY the key LIMIT n: the range's first (or last) n live rows, read in that
    // order, instead of every row in range sorted.
    scan_options.limit = options.top_n;
    scan_options.reverse = !*ascending;
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> scan, NewScan(table, user, scan_options));
    std::vector<ColumnVector*> targets(width, nullptr);
    std::vector<Batch> out;
    while (true) {
      TDB_ASSIGN_OR_RETURN(bool more, scan->Next());
      if (!more) break;
      if (out.empty() || out.back().num_rows() >= batch_rows) out.emplace_back(schema);
      Batch& batch = out.back();
      if (scan->raw()) {
        for (size_t c = 0; c < width; ++c)
          targets[c] = &batch.mutable_column(c);
        TDB_RETURN_IF_ERROR(DecodeRowBodyInto(scan->row_body(), fields, targets, options.wanted));
        continue;
      }
      const std::vector<Value>& values = scan->row().values;
      for (size_t c = 0; c < width; ++c)
        batch.mutable_column(c).Append(values[c]);
    }
    return out;
  }
  // Bodies are decoded after the scan (only the winners'), so they must outlive Next().
  scan_options.pin_rows = true;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> scan, NewScan(table, user, scan_options));

  // Pass 1: the sort columns of every row (the others stay NULL and are not copied), and
  // where each row's body is. Rows of an older schema version come decoded already.
  Batch keys(schema);
  // Only the sort columns of `keys` grow (the others stay empty and are never read).
  std::vector<ColumnVector*> targets(width, nullptr);
  for (const HotSortKey& k : options.order)
    targets[k.column] = &keys.mutable_column(k.column);
  std::vector<std::string_view> bodies;
  std::vector<std::pair<uint32_t, std::vector<Value>>> decoded;  // by row, ascending
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, scan->Next());
    if (!more) break;
    const auto row = static_cast<uint32_t>(bodies.size());
    if (scan->raw()) {
      TDB_RETURN_IF_ERROR(DecodeRowBodyInto(scan->row_body(), fields, targets, sort_columns));
      bodies.push_back(scan->row_body());
      continue;
    }
    const std::vector<Value>& values = scan->row().values;
    for (size_t c = 0; c < width; ++c) {
      if (sort_columns[c]) keys.mutable_column(c).Append(values[c]);
    }
    bodies.emplace_back();
    decoded.emplace_back(row, values);
  }

  // Pass 2: the first top_n rows in ORDER BY order; equal rows keep key order.
  std::vector<uint32_t> order(bodies.size());
  std::iota(order.begin(), order.end(), 0);
  KeepTopRows(keys, options.order, options.top_n, &order);

  // Pass 3: decode the winners whole, in order.
  std::vector<Batch> out;
  for (uint32_t row : order) {
    if (out.empty() || out.back().num_rows() >= batch_rows) {
      out.emplace_back(schema);
    }
    Batch& batch = out.back();
    if (bodies[row].data() != nullptr) {
      for (size_t c = 0; c < width; ++c)
        targets[c] = &batch.mutable_column(c);
      TDB_RETURN_IF_ERROR(DecodeRowBodyInto(bodies[row], fields, targets, options.wanted));
      continue;
    }
    auto it = std::lower_bound(decoded.begin(), decoded.end(), row,
                               [](const auto& entry, uint32_t r) { return entry.first < r; });
    for (size_t c = 0; c < width; ++c)
      batch.mutable_column(c).Append(it->second[c]);
  }
  return out;
}

Result<std::unique_ptr<HotRowIterator>> HotStore::NewTableScan(
    const HotTable& table, const HotScanOptions& options) const {
  if (options.lower || options.upper) {
    return Status(ErrorCode::kInvalidArgument,
                  "a whole-table scan takes no key bounds; scan one user's rows for that");
  }
  if (options.reverse) {
    return Status(ErrorCode::kInvalidArgument,
                  "a whole-table scan runs in key order only; scan one user's rows in reverse");
  }
  auto scan = std::make_unique<HotRowIterator>(HotRowIterator::PrivateTag{});
  scan->table_ = &table;
  scan->prefix_ = EncodeTablePrefix(table.table_number());
  scan->all_users_ = table.per_user();
  scan->limit_ = options.limit;
  scan->include_tombstones_ = options.include_tombstones;
  scan->written_since_micros_ = VisibleSince(options, ExpiryCutoff(table));
  scan->start_ = scan->prefix_;
  scan->end_ = PrefixSuccessor(scan->prefix_);
  scan->lower_bound_ = ToSlice(scan->start_);
  scan->upper_bound_ = ToSlice(scan->end_);
  scan->it_ = kv_->NewIterator(KvFamily::kRows, false, nullptr, &scan->lower_bound_,
                               scan->end_.empty() ? nullptr : &scan->upper_bound_);
  return scan;
}

Result<std::vector<std::string>> HotStore::ListUsers(const HotTable& table) const {
  if (!table.per_user()) {
    return Status(ErrorCode::kInvalidArgument, "SHARED table rows belong to no user");
  }
  const std::string prefix = EncodeTablePrefix(table.table_number());
  std::vector<std::string> users;
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows);
  std::string cursor = prefix;
  while (true) {
    it->Seek(ToSlice(cursor));
    if (!it->Valid() || !it->key().starts_with(ToSlice(prefix))) break;
    std::string_view rest;
    TDB_ASSIGN_OR_RETURN(std::string user,
                         DecodeUserId(std::string_view(it->key().data(), it->key().size()), &rest));
    // Past every key of this user: its prefix's successor (a user prefix ends in the
    // terminator byte 0x01, so the successor always exists).
    cursor = PrefixSuccessor(EncodeUserPrefix(table.table_number(), user));
    users.push_back(std::move(user));
  }
  TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "listing the users of a table"));
  return users;
}

Result<size_t> HotStore::DeleteExpired(const HotTable& table, int64_t cutoff_micros) {
  if (table.type() != TableType::kStream) {
    return Status(ErrorCode::kInvalidArgument, "only STREAM tables expire rows");
  }
  constexpr size_t kChunk = 1024;
  const std::string prefix = EncodeTablePrefix(table.table_number());
  rocksdb::ColumnFamilyHandle* rows = kv_->family(KvFamily::kRows);
  size_t removed = 0;
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows);
  it->Seek(ToSlice(prefix));
  while (true) {
    // Collect a chunk of candidates without locks, then re-check each under its lock.
    std::vector<std::string> keys;
    for (; it->Valid() && it->key().starts_with(ToSlice(prefix)) && keys.size() < kChunk;
         it->Next()) {
      TDB_ASSIGN_OR_RETURN(
          RowHeader h, DecodeRowHeader(std::string_view(it->value().data(), it->value().size())));
      if (h.write_micros < cutoff_micros) keys.emplace_back(it->key().data(), it->key().size());
    }
    TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "scanning for expired rows"));
    if (keys.empty()) break;
    KeyLocks::Guard guard = locks_.Lock(keys);
    rocksdb::WriteBatch batch;
    // An expired row's index entries go with it (in the same batch), or they would pile
    // up as stale entries of a table that never flushes.
    const HotIndexList indexes = indexes_.Get(table.table_number());
    IndexWriter index_writer(kv_, &batch, nullptr);
    // Live rows removed per user, for the row counts once the batch is written.
    absl::flat_hash_map<std::string, int64_t> live_removed;
    for (const std::string& key : keys) {
      TDB_ASSIGN_OR_RETURN(std::optional<std::string> now, kv_->Get(KvFamily::kRows, key));
      if (!now.has_value()) continue;
      TDB_ASSIGN_OR_RETURN(RowHeader h, DecodeRowHeader(*now));
      if (h.write_micros >= cutoff_micros) continue;  // rewritten since we looked
      if (indexes != nullptr && !indexes->empty() && h.kind == RowKind::kLive) {
        std::string_view rest;
        TDB_ASSIGN_OR_RETURN(std::string user_id, DecodeUserId(key, &rest));
        TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(user_id));
        TDB_ASSIGN_OR_RETURN(DecodedRow row, DecodeRow(*now, *table.schema(),
                                                       table.schema_version(), table.lookup()));
        const IndexWriter::Group group = IndexWriter::Prepare(indexes, table, &user);
        TDB_RETURN_IF_ERROR(index_writer.Stage(group, table, &user, key, key.size() - rest.size(),
                                               &row.values, nullptr));
      }
      if (h.kind == RowKind::kLive) {
        std::string_view rest;
        TDB_ASSIGN_OR_RETURN(std::string user_id, DecodeUserId(key, &rest));
        ++live_removed[user_id];
      }
      batch.Delete(rows, ToSlice(key));
      ++removed;
    }
    if (batch.Count() > 0) {
      const Status written = kv_->Write(&batch);
      user_cache_.InvalidateTable(table.table_number());
      TDB_RETURN_IF_ERROR(written);
      for (const auto& [user_id, n] : live_removed)
        row_counts_.Add(table.table_number(), user_id, -n);
    }
  }
  return removed;
}

void HotStore::InvalidateCached(const HotTable& table, const UserId* user) {
  if (table.per_user() && user != nullptr)
    user_cache_.Invalidate(table.table_number(), user->str());
}

}  // namespace tenantdb
