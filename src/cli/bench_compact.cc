// The compaction part of `tenantdb bench storage`: a SHARED chat-message table of N rows
// is flushed; then a quarter of its rows are updated and another quarter deleted (so 50%
// of the rows are superseded or gone) and it is flushed again, leaving two batch files,
// the second with N/2 versions. TableStore::Compact then rewrites them as one file of
// the N*3/4 live rows. Reported: row versions read per second of compaction (1.5 N /
// seconds) and the bytes of the table's cold files before and after.
#include <cstdio>
#include <filesystem>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "storage/hot/hot_store.h"
#include "storage/table_store.h"

namespace tenantdb::cli {

namespace {

uint64_t BytesBelow(const std::string& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return 0;
  for (const auto& item : std::filesystem::recursive_directory_iterator(dir)) {
    if (item.is_regular_file()) bytes += item.file_size();
  }
  return bytes;
}

}  // namespace

Result<CompactFigures> MeasureCompaction(const std::string& dir, size_t rows) {
  SchemaPool pool;
  TDB_ASSIGN_OR_RETURN(auto kv, KvStore::Open(dir));
  TDB_ASSIGN_OR_RETURN(auto catalog, PersistentCatalog::Open(kv.get(), &pool));
  StorageRegistry storages(dir + "/storage");
  TDB_RETURN_IF_ERROR(catalog->CreateNamespace(*NamespaceId::Make("bench")));
  TableDefinition d;
  d.id = *TableId::Make("bench", "compacted");
  d.type = TableType::kShared;
  d.schema = pool.Intern({{"id", DataType::kBigInt, false, true, ""},
                          {"thread_id", DataType::kText, false, false, ""},
                          {"role", DataType::kText, false, false, ""},
                          {"content", DataType::kText, false, false, ""},
                          {"created_at", DataType::kTimestamp, true, false, ""}});
  d.storage_id = storages.local()->id;
  TDB_RETURN_IF_ERROR(catalog->CreateTable(d).status());
  TDB_ASSIGN_OR_RETURN(TableEntryRef entry, catalog->Loader(storages)(d.id));
  TableStore::Options store_options;
  store_options.compact_after_files = 0;  // only the timed compaction
  TableStore store(kv.get(), catalog.get(), store_options);
  TDB_ASSIGN_OR_RETURN(HotTable table, store.HotTableFor(*entry));
  auto row = [](int64_t id, const char* what) {
    return std::vector<Value>{
        Value::BigInt(id), Value::Text("t" + std::to_string(id % 50)), Value::Text("user"),
        Value::Text(std::string(what) + " message " + std::to_string(id) + " about something"),
        Value::Timestamp(1'700'000'000'000'000LL + id)};
  };
  // The rows are written through a hot store without the cold-key probe: with it, each
  // update or delete of a flushed row would read the whole first file (until cold point
  // reads get an index), which would take hours here. Upserts need no probe, and a delete
  // after an upsert in the same batch leaves a tombstone; after the second flush the files
  // are what updates and deletes through the probe would have produced.
  HotStore::Options writer_options;
  HotStore writer(kv.get(), writer_options);
  // Writes in synced batches of about 1,000; `make` returns the writes of one id.
  auto apply = [&](size_t count, auto make) -> Status {
    std::vector<HotWrite> writes;
    for (size_t i = 0; i < count; ++i) {
      for (HotWrite& w : make(int64_t(i)))
        writes.push_back(std::move(w));
      if (writes.size() >= 1000 || (i + 1 == count && !writes.empty())) {
        TDB_RETURN_IF_ERROR(writer.ApplyBatch(table, nullptr, writes));
        writes.clear();
      }
    }
    return Status::Ok();
  };
  TDB_RETURN_IF_ERROR(apply(rows, [&](int64_t id) {
    return std::vector<HotWrite>{HotWrite::Insert(row(id, "original"))};
  }));
  TDB_RETURN_IF_ERROR(store.Flush(*entry).status());
  // Half of the rows: updated (ids 1 mod 4) or deleted (ids 3 mod 4).
  TDB_RETURN_IF_ERROR(apply(rows, [&](int64_t id) {
    std::vector<HotWrite> w;
    if (id % 4 == 1) w.push_back(HotWrite::Upsert(row(id, "edited")));
    if (id % 4 == 3) {
      w.push_back(HotWrite::Upsert(row(id, "doomed")));
      w.push_back(HotWrite::Delete({Value::BigInt(id)}));
    }
    return w;
  }));
  TDB_RETURN_IF_ERROR(store.Flush(*entry).status());
  TDB_ASSIGN_OR_RETURN(std::string cold_dir, store.ColdDirectory(*entry, nullptr));

  CompactFigures f;
  f.bytes_before = BytesBelow(cold_dir);
  const double start = NowSeconds();
  TDB_ASSIGN_OR_RETURN(CompactionStats stats, store.Compact(*entry));
  const double seconds = NowSeconds() - start;
  f.bytes_after = BytesBelow(cold_dir);
  f.compact_rows_per_s = double(stats.rows_in) / seconds;
  const size_t live = rows - rows / 4;  // the deleted ids are 3 mod 4
  if (stats.rows_out != live || stats.files_in != 2 || stats.files_out != 1) {
    return Status(ErrorCode::kInternal, "compaction bench: " + std::to_string(stats.files_in) +
                                            " files in, " + std::to_string(stats.rows_out) +
                                            " rows out, expected 2 files and " +
                                            std::to_string(live) + " rows");
  }
  std::fprintf(stderr,
               "storage: compact: SHARED table of %zu rows, 25%% updated and 25%% deleted after "
               "a flush: %zu versions in %zu files (%.1f MB) -> %zu rows in 1 file (%.1f MB) "
               "in %.2f s\n",
               rows, stats.rows_in, stats.files_in, double(f.bytes_before) / 1e6, stats.rows_out,
               double(f.bytes_after) / 1e6, seconds);
  return f;
}

}  // namespace tenantdb::cli
