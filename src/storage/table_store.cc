#include "storage/table_store.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <filesystem>
#include <limits>
#include <set>
#include <span>

#include "storage/cold/batch_file.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold_point_lookup.h"
#include "storage/hot/hot_batch_reader.h"
#include "storage/hot/key_codec.h"
#include "storage/version_sources.h"

namespace tenantdb {

namespace {

// Whether `a` and `b` have the same number of columns, of the same types.
bool SameColumnTypes(const Batch& a, const Batch& b) {
  if (a.num_columns() != b.num_columns()) return false;
  for (size_t c = 0; c < a.num_columns(); ++c) {
    if (a.column(c).type() != b.column(c).type()) return false;
  }
  return true;
}

// The SchemaLookup of every HotTable this store builds. It also carries the table's
// entry, which the store-wide cold probe recovers with std::function::target(): the
// probe is told only the HotTable, and needs the entry's storage to find its files.
struct CatalogSchemaLookup {
  const PersistentCatalog* catalog;
  TableEntryRef entry;
  Result<std::shared_ptr<const Schema>> operator()(uint32_t version) const {
    if (version == entry->schema_version()) return entry->schema();
    return catalog->GetSchemaVersion(entry->table_number(), version);
  }
};

// A flush deleting at least this many hot keys compacts the table's RocksDB range
// (CompactFlushedRange).
constexpr size_t kCompactHotRangeAfterDeletes = 4096;

}  // namespace

TableStore::TableStore(KvStore* kv, PersistentCatalog* catalog, Options options)
    : kv_(kv), catalog_(catalog), options_(std::move(options)) {
  ChangeLog::Options change_options = options_.changes;
  if (!change_options.now_micros) {
    change_options.now_micros = [clock = options_.clock] { return clock->NowUnixMicros(); };
  }
  changes_ = std::make_unique<ChangeLog>(kv, std::move(change_options));
  HotStore::Options hot_options;
  hot_options.clock = options_.clock;
  hot_options.changes = changes_.get();
  hot_options.user_cache_bytes = options_.user_cache_bytes;
  hot_options.user_cache_max_earned_rows = options_.user_cache_max_earned_rows;
  hot_options.cold_probe = [this](const HotTable& table, const UserId* user,
                                  const std::vector<Value>& key) {
    return RetryIfCompacted<bool>([&] { return ProbeCold(table, user, key); });
  };
  hot_options.cold_row = [this](const HotTable& table, const UserId* user,
                                const std::vector<Value>& key) {
    return RetryIfCompacted<std::optional<std::vector<Value>>>(
        [&] { return ColdRow(table, user, key); });
  };
  hot_ = std::make_unique<HotStore>(kv, std::move(hot_options));
  cold_cache_ = std::make_unique<ColdReadCache>(options_.cold_cache_bytes);
  statistics_ =
      std::make_unique<TableStatisticsStore>(catalog, &hot_->row_counts(), options_.clock);
}

TableStore::~TableStore() {
  // Best effort: a store that cannot write now loses only the figures since the last
  // checkpoint, which ANALYZE recounts.
  if (!kv_->read_only()) (void)statistics_->Checkpoint();
}

std::shared_ptr<const Schema> TableStore::ColdLayout(
    const std::shared_ptr<const Schema>& schema) const {
  std::lock_guard<std::mutex> lock(cold_layouts_mu_);
  auto it = cold_layouts_.find(schema.get());
  if (it != cold_layouts_.end()) return it->second.second;
  // Bounded: schemas in use are few; start over rather than track recency.
  if (cold_layouts_.size() >= 4096) cold_layouts_.clear();
  std::shared_ptr<const Schema> layout = ColdFileSchema(*schema);
  cold_layouts_.emplace(schema.get(), std::make_pair(schema, layout));
  return layout;
}

Result<ManifestCache::EntryRef> TableStore::CachedManifest(const TableEntry& table,
                                                           const UserId* user) const {
  const std::string_view user_part = user != nullptr ? user->str() : std::string_view();
  return manifests_.Get(table.table_number(), user_part, [&]() -> Result<ManifestCache::Entry> {
    ManifestCache::Entry entry;
    TDB_ASSIGN_OR_RETURN(
        entry.manifest,
        catalog_->ReadManifest(table.table_number(), PersistentCatalog::ManifestUser(user)));
    TDB_ASSIGN_OR_RETURN(entry.directory, ColdDirectory(table, user));
    const std::string key_prefix =
        std::to_string(table.table_number()) + "/" + std::string(user_part) + "/";
    for (const ManifestFile& f : entry.manifest.files) {
      entry.paths.push_back(entry.directory + "/" + f.file_name);
      entry.file_keys.push_back(key_prefix + std::to_string(f.batch_number));
    }
    return entry;
  });
}

void TableStore::ManifestChanged(uint32_t table_number, const UserId* user) const {
  manifests_.Invalidate(table_number, user != nullptr ? user->str() : std::string_view());
}

Result<std::optional<std::vector<Value>>> TableStore::ColdVersion(
    const TableEntry& entry, const HotTable& table, const UserId* user,
    const std::vector<Value>& key) const {
  std::string key_bytes;
  TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), key, &key_bytes));
  const std::shared_ptr<const Schema> layout = ColdLayout(entry.schema());
  // A compaction may delete a listed file between our manifest read and its open: then
  // the manifest has changed (and its cache entry is gone), and a fresh read of it
  // finds the key where it now is.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    TDB_ASSIGN_OR_RETURN(ManifestCache::EntryRef cached, CachedManifest(entry, user));
    const std::vector<ManifestFile>& files = cached->manifest.files;
    bool file_gone = false;
    // Newest file first: the first file holding the key has its newest cold version.
    for (size_t i = files.size(); i-- > 0;) {
      if (key_bytes < files[i].min_key || key_bytes > files[i].max_key) continue;
      const std::string& path = cached->paths[i];
      auto row =
          LookupColdRow(*cold_cache_, cached->file_keys[i], path, layout, table, key, key_bytes);
      if (!row.ok()) {
        std::error_code ec;
        if (row.status().code() == ErrorCode::kIoError && !std::filesystem::exists(path, ec)) {
          file_gone = true;
          // The entry may be one a compaction has since replaced: read the catalog again.
          ManifestChanged(entry.table_number(), user);
          break;
        }
        return row.status();
      }
      if (row->has_value()) return row;
    }
    if (!file_gone) return std::optional<std::vector<Value>>();
  }
  return Status(ErrorCode::kIoError, "the cold files of " + entry.id().ToString() +
                                         " kept changing during a primary-key lookup; retry");
}

// A read of cold files lists them from the manifest, then opens them. A compaction
// that commits in between deletes some of those files (after bumping
// compactions_committed_), and the open fails; the same read from the new manifest
// finds the same rows in the compacted file. Any other failure is returned as is.
template <typename T>
Result<T> TableStore::RetryIfCompacted(const std::function<Result<T>()>& read) const {
  constexpr int kAttempts = 16;  // each retry needs a compaction of the same directory
  for (int attempt = 1;; ++attempt) {
    const uint64_t before = compactions_committed_.load();
    Result<T> result = read();
    if (result.ok() || attempt == kAttempts || compactions_committed_.load() == before) {
      return result;
    }
  }
}

Result<HotTable> TableStore::HotTableFor(const TableEntry& table) const {
  return HotTable::FromEntry(table, CatalogSchemaLookup{catalog_, TableEntryRef(&table)});
}

Result<std::string> TableStore::ColdDirectory(const TableEntry& table, const UserId* user) const {
  TDB_ASSIGN_OR_RETURN(std::string relative, table.StoragePath(user, std::nullopt));
  return table.storage().base_directory + "/" + relative;
}

namespace {

// A stream that keeps the HotTable its inner stream reads alive.
class HotTableStream final : public BatchStream {
 public:
  HotTableStream(std::shared_ptr<const HotTable> table, BatchStreamPtr inner)
      : table_(std::move(table)), inner_(std::move(inner)) {}
  Result<std::optional<Batch>> Next() override { return inner_->Next(); }

 private:
  std::shared_ptr<const HotTable> table_;  // first: destroyed after the stream
  BatchStreamPtr inner_;
};

bool BelowLower(std::string_view key, const EncodedKeyBound& b) {
  const std::string_view cut = key.substr(0, b.key.size());
  return cut < b.key || (!b.inclusive && cut == b.key);
}

bool AboveUpper(std::string_view key, const EncodedKeyBound& b) {
  const std::string_view cut = key.substr(0, b.key.size());
  return cut > b.key || (!b.inclusive && cut == b.key);
}

}  // namespace

Result<std::vector<std::unique_ptr<VersionSource>>> TableStore::OpenColdSources(
    const TableEntry& table, const UserId* user, const std::shared_ptr<const Schema>& requested,
    const std::vector<size_t>& key_columns, const std::optional<EncodedKeyBound>& lower,
    const std::optional<EncodedKeyBound>& upper) const {
  TDB_ASSIGN_OR_RETURN(
      Manifest manifest,
      catalog_->ReadManifest(table.table_number(), PersistentCatalog::ManifestUser(user)));
  std::vector<std::unique_ptr<VersionSource>> out;
  if (manifest.files.empty()) return out;
  TDB_ASSIGN_OR_RETURN(std::string dir, ColdDirectory(table, user));
  for (auto it = manifest.files.rbegin(); it != manifest.files.rend(); ++it) {
    // A file whose keys all lie outside the bounds holds neither rows nor deletes that
    // matter to this read (its min/max keys are encoded like the bounds).
    const bool has_range = !it->min_key.empty() || !it->max_key.empty();
    if (has_range && lower && BelowLower(it->max_key, *lower)) continue;
    if (has_range && upper && AboveUpper(it->min_key, *upper)) continue;
    const std::string path = dir + "/" + it->file_name;
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<ParquetReader> reader, ParquetReader::Open(path));
    out.push_back(
        std::make_unique<ColdFileSource>(std::move(reader), path, requested, key_columns));
  }
  return out;
}

Result<RekeyGate::Pass> TableStore::EnterGate(const TableEntry& table) const {
  const RekeyGate::Use use{table.table_number(), table.schema_version()};
  return hot_->rekey_gate().Enter(std::span<const RekeyGate::Use>(&use, 1));
}

Result<BatchStreamPtr> TableStore::OpenScan(const TableEntry& table, const UserId* user,
                                            const ReadOptions& options) const {
  // Inside the gate until the stream holds its snapshot and files: a rewrite under a new
  // key cannot land in between, and a reader of the old layout after it is refused.
  TDB_ASSIGN_OR_RETURN(RekeyGate::Pass pass, EnterGate(table));
  return OpenScanInGate(table, user, options);
}

Result<BatchStreamPtr> TableStore::OpenScanInGate(const TableEntry& table, const UserId* user,
                                                  const ReadOptions& options) const {
  TDB_ASSIGN_OR_RETURN(HotTable made, HotTableFor(table));
  auto hot_table = std::make_shared<const HotTable>(std::move(made));
  const uint64_t finished_before = flushes_finished_.load();
  bool cold = false;
  if (table.type() != TableType::kStream) {
    // From the manifest cache: a user whose rows were never flushed costs no catalog read.
    TDB_ASSIGN_OR_RETURN(ManifestCache::EntryRef manifest, CachedManifest(table, user));
    cold = manifest->manifest.claimed;
  }
  if (!cold) {
    HotScanOptions scan;
    scan.lower = options.lower;
    scan.upper = options.upper;
    scan.limit = options.limit;
    scan.wanted = options.wanted;
    scan.snapshot = options.snapshot;
    if (options.limit == 0 && options.snapshot == nullptr) {
      scan.order = options.order;
      scan.top_n = options.top_n;
    }
    TDB_ASSIGN_OR_RETURN(BatchStreamPtr hot,
                         hot_->NewBatchScan(*hot_table, user, scan, options_.scan_batch_rows));
    // A flush that moved rows of this user between the check and the scan's snapshot
    // would leave them out of both; only then (rarely) is the check repeated.
    if (flushes_started_.load() != finished_before) {
      TDB_ASSIGN_OR_RETURN(
          cold, catalog_->HasManifest(table.table_number(), PersistentCatalog::ManifestUser(user)));
    }
    if (!cold) return BatchStreamPtr(std::make_unique<HotTableStream>(hot_table, std::move(hot)));
  }

  // Hot and cold merged. The columns read: the wanted ones, the key and `_deleted`.
  const Schema& fields = *table.schema();
  MergeOptions merge;
  merge.table_schema = table.schema();
  merge.limit = options.limit;
  merge.batch_rows = options_.scan_batch_rows;
  merge.table_layout = !options.projected;
  for (size_t i = 0; i < fields.num_fields(); ++i) {
    const bool wanted = options.wanted.empty() || (i < options.wanted.size() && options.wanted[i]);
    if (!wanted && !fields.field(i).primary_key) continue;
    if (fields.field(i).primary_key) merge.key_columns.push_back(merge.projection.size());
    merge.projection.push_back(i);
  }
  if (options.lower) {
    EncodedKeyBound b{"", options.lower->inclusive};
    TDB_RETURN_IF_ERROR(AppendKeyColumns(hot_table->key_types(), options.lower->key, &b.key));
    merge.lower = std::move(b);
  }
  if (options.upper) {
    EncodedKeyBound b{"", options.upper->inclusive};
    TDB_RETURN_IF_ERROR(AppendKeyColumns(hot_table->key_types(), options.upper->key, &b.key));
    merge.upper = std::move(b);
  }

  // 1. The hot rows first: the iterator's snapshot must predate the manifest read.
  HotScanOptions hot_options;
  hot_options.lower = options.lower;
  hot_options.upper = options.upper;
  hot_options.include_tombstones = true;
  hot_options.raw_current_rows = true;
  hot_options.snapshot = options.snapshot;
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotRowIterator> iterator,
                       hot_->NewScan(*hot_table, user, hot_options));
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<HotBatchReader> reader,
                       HotBatchReader::Make(*hot_table, std::move(iterator), merge.projection, {},
                                            /*tombstones=*/true));
  std::vector<std::unique_ptr<VersionSource>> sources;
  sources.push_back(
      std::make_unique<HotVersionSource>(std::move(reader), hot_table, merge.batch_rows));

  // 2. Then every batch file, opened now (see the header comment on compactions).
  const std::shared_ptr<const Schema> layout = ColdLayout(table.schema());
  std::vector<Field> requested_fields;
  for (size_t i : merge.projection)
    requested_fields.push_back(layout->field(i));
  requested_fields.push_back(layout->field(layout->num_fields() - 1));  // `_deleted`
  auto requested = std::make_shared<const Schema>(std::move(requested_fields), layout->metadata());
  TDB_ASSIGN_OR_RETURN(std::vector<std::unique_ptr<VersionSource>> files,
                       RetryIfCompacted<std::vector<std::unique_ptr<VersionSource>>>([&] {
                         return OpenColdSources(table, user, requested, merge.key_columns,
                                                merge.lower, merge.upper);
                       }));
  for (auto& f : files)
    sources.push_back(std::move(f));
  return BatchStreamPtr(std::make_unique<MergeStream>(std::move(sources), std::move(merge)));
}

Result<std::vector<Batch>> TableStore::ReadRows(const TableEntry& table, const UserId* user,
                                                const ReadOptions& options) const {
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, OpenScan(table, user, options));
  return DrainStream(*stream);
}

Result<Batch> TableStore::ReadRows(const TableEntry& table, const UserId* user) const {
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, OpenScan(table, user, ReadOptions()));
  Batch all(table.schema());
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream->Next());
    if (!batch.has_value()) break;
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      for (size_t c = 0; c < all.num_columns(); ++c)
        all.mutable_column(c).AppendFrom(batch->column(c), r);
    }
  }
  return all;
}

Result<std::optional<std::vector<Value>>> TableStore::GetRow(const TableEntry& table,
                                                             const UserId* user,
                                                             const std::vector<Value>& key) const {
  TDB_ASSIGN_OR_RETURN(RekeyGate::Pass pass, EnterGate(table));
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  // A cached user: a live hot row is the newest version.
  TDB_ASSIGN_OR_RETURN(auto cached, hot_->FindCachedRow(hot_table, user, key));
  if (cached.has_value() && cached->row.has_value()) {
    return std::optional<std::vector<Value>>(cached->entry->rows->GetRow(*cached->row));
  }
  return UncachedRow(table, hot_table, user, key, cached.has_value());
}

Result<bool> TableStore::AppendRowTo(const TableEntry& table, const UserId* user,
                                     const std::vector<Value>& key, Batch* out) const {
  TDB_ASSIGN_OR_RETURN(RekeyGate::Pass pass, EnterGate(table));
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  TDB_ASSIGN_OR_RETURN(auto cached, hot_->FindCachedRow(hot_table, user, key));
  if (cached.has_value() && cached->row.has_value()) {
    const Batch& rows = *cached->entry->rows;
    const auto row = static_cast<uint32_t>(*cached->row);
    if (!SameColumnTypes(rows, *out)) {
      // Not expected (the cache is keyed by the schema version): AppendRow says what differs.
      TDB_RETURN_IF_ERROR(out->AppendRow(rows.GetRow(row)));
      return true;
    }
    for (size_t c = 0; c < out->num_columns(); ++c)
      out->mutable_column(c).AppendRows(rows.column(c), std::span<const uint32_t>(&row, 1));
    return true;
  }
  TDB_ASSIGN_OR_RETURN(std::optional<std::vector<Value>> found,
                       UncachedRow(table, hot_table, user, key, cached.has_value()));
  if (!found.has_value()) return false;
  TDB_RETURN_IF_ERROR(out->AppendRow(*found));
  return true;
}

Result<std::optional<std::vector<Value>>> TableStore::UncachedRow(const TableEntry& table,
                                                                  const HotTable& hot_table,
                                                                  const UserId* user,
                                                                  const std::vector<Value>& key,
                                                                  bool cache_has_no_hot_row) const {
  // No live hot row means none at all unless the user has cold files (where a hot
  // tombstone may hide an old version).
  if (cache_has_no_hot_row) {
    TDB_ASSIGN_OR_RETURN(ManifestCache::EntryRef manifest, CachedManifest(table, user));
    if (!manifest->manifest.claimed) return std::optional<std::vector<Value>>();
  }
  TDB_ASSIGN_OR_RETURN(std::optional<HotRow> version, hot_->GetVersion(hot_table, user, key));
  if (version.has_value()) {
    if (version->is_tombstone()) return std::optional<std::vector<Value>>();
    return std::optional<std::vector<Value>>(std::move(version->values));
  }
  // ColdVersion reads the manifest (empty for users with no cold files) first thing.
  TDB_ASSIGN_OR_RETURN(auto cold, ColdVersion(table, hot_table, user, key));
  if (!cold.has_value() || cold->back().as_bool()) return std::optional<std::vector<Value>>();
  cold->pop_back();  // `_deleted`
  return cold;
}

Result<bool> TableStore::ProbeCold(const HotTable& table, const UserId* user,
                                   const std::vector<Value>& key) const {
  const auto* lookup = table.lookup().target<CatalogSchemaLookup>();
  if (lookup == nullptr) return false;  // a HotTable not built here has no cold files
  const TableEntry& entry = *lookup->entry;
  if (entry.type() == TableType::kStream) return false;
  TDB_ASSIGN_OR_RETURN(auto cold, ColdVersion(entry, table, user, key));
  return cold.has_value() && !cold->back().as_bool();
}

Result<std::optional<std::vector<Value>>> TableStore::ColdRow(const HotTable& table,
                                                              const UserId* user,
                                                              const std::vector<Value>& key) const {
  const auto* lookup = table.lookup().target<CatalogSchemaLookup>();
  if (lookup == nullptr) return std::optional<std::vector<Value>>();
  const TableEntry& entry = *lookup->entry;
  if (entry.type() == TableType::kStream) return std::optional<std::vector<Value>>();
  TDB_ASSIGN_OR_RETURN(auto cold, ColdVersion(entry, table, user, key));
  if (!cold.has_value() || cold->back().as_bool()) return std::optional<std::vector<Value>>();
  cold->pop_back();  // `_deleted`
  return cold;
}

std::mutex& TableStore::FlushMutex(uint32_t table_number) {
  std::lock_guard<std::mutex> lock(flush_mutexes_mu_);
  auto& m = flush_mutexes_[table_number];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

Result<FlushStats> TableStore::Flush(const TableEntry& table) {
  if (table.type() == TableType::kStream || table.type() == TableType::kSystem) {
    return Status(ErrorCode::kInvalidArgument, "table " + table.id().ToString() + " is " +
                                                   std::string(TableTypeName(table.type())) +
                                                   " and is never flushed");
  }
  // A refused request is not a flush job: only what gets this far is counted.
  const int64_t start = options_.clock->MonotonicMicros();
  Result<FlushStats> result = FlushTable(table);
  counters_.flush_duration.Record(
      std::chrono::microseconds(options_.clock->MonotonicMicros() - start));
  if (result.ok()) {
    // The flush is done whatever happens to the figures: a failed checkpoint leaves them
    // marked changed for the next one.
    (void)statistics_->AfterFlush(table);
    counters_.flushed_rows.fetch_add(result->rows, std::memory_order_relaxed);
    counters_.flushed_bytes.fetch_add(result->bytes, std::memory_order_relaxed);
  } else {
    counters_.flushes_failed.fetch_add(1, std::memory_order_relaxed);
  }
  counters_.flushes.fetch_add(1, std::memory_order_relaxed);
  return result;
}

Result<FlushStats> TableStore::FlushTable(const TableEntry& table) {
  // A store that cannot take the manifest update must not write Parquet files either.
  TDB_RETURN_IF_ERROR(kv_->CheckWritable());
  std::lock_guard<std::mutex> serialize(FlushMutex(table.table_number()));
  FlushStats stats;
  // Dropped before we got the lock: its erasure may already have run, and a file
  // written now would never be erased.
  TDB_ASSIGN_OR_RETURN(bool exists, TableExists(table.table_number()));
  if (!exists) return stats;
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  // The automatic compaction policy (Options::compact_after_files).
  auto compact_if_due = [&](const UserId* user) -> Status {
    if (options_.compact_after_files == 0) return Status::Ok();
    CompactionStats compacted;
    TDB_RETURN_IF_ERROR(
        CompactUser(table, hot_table, user, options_.compact_after_files + 1, &compacted));
    stats.compactions += compacted.directories;
    return Status::Ok();
  };
  if (table.type() == TableType::kShared) {
    TDB_ASSIGN_OR_RETURN(size_t rows, FlushUser(table, hot_table, nullptr, &stats));
    stats.users += rows > 0 ? 1 : 0;
    if (rows > 0) TDB_RETURN_IF_ERROR(compact_if_due(nullptr));
  } else {
    TDB_ASSIGN_OR_RETURN(std::vector<std::string> users, hot_->ListUsers(hot_table));
    for (const std::string& name : users) {
      TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(name));
      TDB_ASSIGN_OR_RETURN(size_t rows, FlushUser(table, hot_table, &user, &stats));
      stats.users += rows > 0 ? 1 : 0;
      if (rows > 0) TDB_RETURN_IF_ERROR(compact_if_due(&user));
    }
  }
  CompactFlushedRange(table.table_number(), stats.hot_keys_deleted);
  return stats;
}

void TableStore::CompactFlushedRange(uint32_t table_number, size_t deleted) const {
  // A flush leaves one RocksDB tombstone per key it moved, which every later scan of the
  // table would step over one by one until RocksDB compacts them away on its own (after
  // a 1M-row flush that was 2/3 of a scan of the flushed rows). A big flush compacts the
  // table's range once, after all its users, so they go at once; one call per user
  // rewrote the overlapping files once per user (5x slower flushes of many users).
  // Failing costs only speed.
  if (deleted < kCompactHotRangeAfterDeletes) return;
  const std::string first = EncodeTablePrefix(table_number);
  const bool last_number = table_number == std::numeric_limits<uint32_t>::max();
  const std::string past = last_number ? std::string() : EncodeTablePrefix(table_number + 1);
  const rocksdb::Slice begin(first), end(past);
  rocksdb::CompactRangeOptions compact;
  (void)kv_->db()->CompactRange(compact, kv_->family(KvFamily::kRows), &begin,
                                last_number ? nullptr : &end);
}

Result<bool> TableStore::TableExists(uint32_t table_number) const {
  auto found = catalog_->FindTableByNumber(table_number);
  if (found.ok()) return true;
  if (found.status().code() == ErrorCode::kNotFound) return false;
  return found.status();
}

Result<size_t> TableStore::FlushUser(const TableEntry& table, const HotTable& hot_table,
                                     const UserId* user, FlushStats* stats) {
  // 1. Every hot version of this user's rows, deletes included, in key order.
  HotScanOptions options;
  options.include_tombstones = true;
  TDB_ASSIGN_OR_RETURN(auto scan, hot_->NewScan(hot_table, user, options));
  Batch rows(ColdFileSchema(*table.schema()));
  std::vector<std::string> keys;
  std::vector<std::string> versions;  // the stored bytes, to spot a key rewritten since
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, scan->Next());
    if (!more) break;
    const HotRow& row = scan->row();
    for (size_t i = 0; i < row.values.size(); ++i)
      rows.mutable_column(i).Append(row.values[i]);
    rows.mutable_column(row.values.size()).AppendInt64(row.is_tombstone() ? 1 : 0);
    keys.push_back(scan->key());
    versions.push_back(scan->value_bytes());
  }
  scan.reset();
  if (keys.empty()) return size_t{0};

  // 2. Files a crashed flush or compaction left behind (not in the manifest) go before
  //    we add ours. A first flush of this user claims the manifest before writing, so a
  //    DROP's erasure finds the directory even if we crash before step 4.
  TDB_RETURN_IF_ERROR(
      catalog_->ClaimManifest(table.table_number(), PersistentCatalog::ManifestUser(user)));
  ManifestChanged(table.table_number(), user);
  TDB_ASSIGN_OR_RETURN(
      Manifest manifest,
      catalog_->ReadManifest(table.table_number(), PersistentCatalog::ManifestUser(user)));
  TDB_ASSIGN_OR_RETURN(std::string dir, ColdDirectory(table, user));
  std::set<uint64_t> listed;
  for (const ManifestFile& f : manifest.files)
    listed.insert(f.batch_number);
  TDB_RETURN_IF_ERROR(RemoveUnlistedFiles(dir, table.table_number(), listed).status());

  // 3. The file, durably, under its final name.
  const uint64_t number = manifest.next_batch_number;
  TDB_RETURN_IF_ERROR(WriteBatchFile(dir, table.table_number(), number, rows,
                                     table.schema_version(), options_.parquet));
  ManifestFile file;
  file.batch_number = number;
  file.file_name = BatchFileName(table.table_number(), number);
  file.row_count = rows.num_rows();
  TDB_ASSIGN_OR_RETURN(file.min_key, hot_table.KeyBytesOf(rows, 0));
  TDB_ASSIGN_OR_RETURN(file.max_key, hot_table.KeyBytesOf(rows, rows.num_rows() - 1));
  file.created_us = options_.clock->NowUnixMicros();
  std::error_code ec;
  const uint64_t bytes = std::filesystem::file_size(dir + "/" + file.file_name, ec);

  // 4. Manifest and hot deletes in one batch, for the keys that still hold the versions
  //    written; writers of those keys wait on the locks until it is applied.
  KeyLocks::Guard locked = hot_->LockKeys(keys);
  rocksdb::WriteBatch batch;
  catalog_->AppendManifestUpdate(&batch, table.table_number(),
                                 PersistentCatalog::ManifestUser(user), file);
  size_t kept = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    // Byte equality, not value equality: exact, and NaN-proof.
    TDB_ASSIGN_OR_RETURN(std::optional<std::string> now, kv_->Get(KvFamily::kRows, keys[i]));
    if (!now || *now != versions[i]) {
      ++kept;
      continue;
    }
    batch.Delete(kv_->family(KvFamily::kRows), keys[i]);
  }
  flushes_started_.fetch_add(1);
  const Status written = kv_->Write(&batch);
  flushes_finished_.fetch_add(1);
  ManifestChanged(table.table_number(), user);
  hot_->InvalidateCached(hot_table, user);
  TDB_RETURN_IF_ERROR(written);
  // 5. The deletes are RocksDB tombstones, counted for Flush (CompactFlushedRange).
  stats->rows += rows.num_rows();
  stats->rows_kept_hot += kept;
  stats->hot_keys_deleted += keys.size() - kept;
  stats->bytes += ec ? 0 : bytes;
  return rows.num_rows();
}

Result<std::vector<std::pair<TableId, uint64_t>>> TableStore::CountHotRows() const {
  // Keys start with the 4-byte big-endian table number (key_codec.h), so each table's
  // keys are one run: count a run, then look its table up once.
  std::vector<std::pair<uint32_t, uint64_t>> runs;
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kRows);
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    if (key.size() < 4) {
      return Status(ErrorCode::kCorruption,
                    "hot row key of " + std::to_string(key.size()) + " bytes has no table number");
    }
    const auto* b = reinterpret_cast<const uint8_t*>(key.data());
    const uint32_t number =
        (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
    if (runs.empty() || runs.back().first != number) runs.emplace_back(number, 0);
    ++runs.back().second;
  }
  if (!it->status().ok()) return FromRocksStatus(it->status(), "counting hot rows");
  std::vector<std::pair<TableId, uint64_t>> counts;
  for (const auto& [number, rows] : runs) {
    auto id = catalog_->FindTableByNumber(number);
    if (!id.ok()) {
      if (id.status().code() == ErrorCode::kNotFound) continue;  // dropped; rows await cleanup
      return id.status();
    }
    counts.emplace_back(std::move(*id), rows);
  }
  return counts;
}

Result<size_t> TableStore::ExpireStream(const TableEntry& table) {
  if (table.type() != TableType::kStream) {
    return Status(ErrorCode::kInvalidArgument,
                  "table " + table.id().ToString() + " is not a STREAM table");
  }
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  const std::optional<int64_t> cutoff = hot_->ExpiryCutoff(hot_table);
  if (!cutoff) return size_t{0};
  return hot_->DeleteExpired(hot_table, *cutoff);
}

}  // namespace tenantdb
