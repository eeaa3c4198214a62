#include "storage/compaction.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <set>

#include "storage/cold/batch_file.h"
#include "storage/cold/parquet_reader.h"
#include "storage/hot/key_codec.h"
#include "storage/row_merge.h"
#include "storage/table_store.h"

namespace tenantdb {

namespace {}  // namespace

Result<Batch> CompactRows(const std::vector<const Batch*>& newest_first, const HotTable& table) {
  TDB_ASSIGN_OR_RETURN(Batch live, MergeNewestWins(newest_first, table.schema()));
  // Key order, as a flush writes: the manifest's min/max keys and min/max statistics
  // stay tight, and the file reads back in the order the hot store scans.
  std::vector<std::string> keys(live.num_rows());
  for (size_t r = 0; r < live.num_rows(); ++r) {
    TDB_ASSIGN_OR_RETURN(keys[r], table.KeyBytesOf(live, r));
  }
  std::vector<size_t> order(live.num_rows());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  Batch out(ColdFileSchema(*table.schema()));
  const size_t deleted = live.num_columns();
  for (size_t r : order) {
    for (size_t c = 0; c < live.num_columns(); ++c)
      out.mutable_column(c).AppendFrom(live.column(c), r);
    out.mutable_column(deleted).AppendInt64(0);
  }
  return out;
}

Result<CompactionStats> TableStore::Compact(const TableEntry& table, size_t min_files) {
  if (table.type() == TableType::kStream || table.type() == TableType::kSystem) {
    return Status(ErrorCode::kInvalidArgument, "table " + table.id().ToString() + " is " +
                                                   std::string(TableTypeName(table.type())) +
                                                   " and has no cold files to compact");
  }
  std::lock_guard<std::mutex> serialize(FlushMutex(table.table_number()));
  CompactionStats stats;
  TDB_ASSIGN_OR_RETURN(bool exists, TableExists(table.table_number()));
  if (!exists) return stats;  // dropped: its files are the erasure's
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  if (table.type() == TableType::kShared) {
    TDB_RETURN_IF_ERROR(CompactUser(table, hot_table, nullptr, min_files, &stats));
    return stats;
  }
  TDB_ASSIGN_OR_RETURN(std::vector<UserId> users,
                       catalog_->ListManifestUsers(table.table_number()));
  for (const UserId& user : users) {
    if (user.empty()) continue;  // not a USER table's manifest
    TDB_RETURN_IF_ERROR(CompactUser(table, hot_table, &user, min_files, &stats));
  }
  return stats;
}

Status TableStore::CompactUser(const TableEntry& table, const HotTable& hot_table,
                               const UserId* user, size_t min_files, CompactionStats* stats) {
  const uint32_t number = table.table_number();
  TDB_ASSIGN_OR_RETURN(Manifest manifest,
                       catalog_->ReadManifest(number, PersistentCatalog::ManifestUser(user)));
  if (!manifest.files.empty() && manifest.files.size() < std::max<size_t>(min_files, 1)) {
    return Status::Ok();
  }
  TDB_ASSIGN_OR_RETURN(std::string dir, ColdDirectory(table, user));

  // 1. Strays first: unlisted files of this table are never read, so they can go. (A
  //    directory whose every row was deleted has no listed file, but may have strays of
  //    the compaction that emptied it.)
  std::set<uint64_t> listed;
  for (const ManifestFile& f : manifest.files)
    listed.insert(f.batch_number);
  TDB_RETURN_IF_ERROR(RemoveUnlistedFiles(dir, number, listed).status());
  if (manifest.files.empty()) return Status::Ok();

  // 2. Every listed file, newest first, merged. Files written under older schema
  //    versions read in the current layout by column id; dropped columns' values are
  //    not carried over.
  const std::shared_ptr<const Schema> layout = ColdFileSchema(*table.schema());
  std::vector<Batch> batches;
  size_t rows_in = 0;
  uint64_t bytes_in = 0;
  for (auto it = manifest.files.rbegin(); it != manifest.files.rend(); ++it) {
    const std::string path = dir + "/" + it->file_name;
    TDB_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path));
    TDB_ASSIGN_OR_RETURN(std::vector<Batch> groups, reader->Read(layout));
    for (Batch& b : groups) {
      rows_in += b.num_rows();
      batches.push_back(std::move(b));
    }
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(path, ec);
    bytes_in += ec ? 0 : size;
  }
  std::vector<const Batch*> newest_first;
  for (const Batch& b : batches)
    newest_first.push_back(&b);
  TDB_ASSIGN_OR_RETURN(Batch rows, CompactRows(newest_first, hot_table));
  batches.clear();
  // One file that already holds only live rows: rewriting it would change nothing.
  if (manifest.files.size() == 1 && rows.num_rows() == rows_in) return Status::Ok();

  // 3. The new file, durably, under its final name (unless every row was deleted).
  rocksdb::WriteBatch batch;
  uint64_t bytes_out = 0;
  if (rows.num_rows() > 0) {
    ManifestFile file;
    file.batch_number = manifest.next_batch_number;
    file.file_name = BatchFileName(number, file.batch_number);
    TDB_RETURN_IF_ERROR(WriteBatchFile(dir, number, file.batch_number, rows, table.schema_version(),
                                       options_.parquet));
    file.row_count = rows.num_rows();
    TDB_ASSIGN_OR_RETURN(file.min_key, hot_table.KeyBytesOf(rows, 0));
    TDB_ASSIGN_OR_RETURN(file.max_key, hot_table.KeyBytesOf(rows, rows.num_rows() - 1));
    file.created_us = options_.clock->NowUnixMicros();
    std::error_code ec;
    const uint64_t size = std::filesystem::file_size(dir + "/" + file.file_name, ec);
    bytes_out = ec ? 0 : size;
    catalog_->AppendManifestUpdate(&batch, number, PersistentCatalog::ManifestUser(user), file);
  }

  // 4. The old entries out and the new one in, atomically. The manifest counter stays
  //    (HasManifest remains true, so reads keep merging cold even with no file left).
  for (const ManifestFile& f : manifest.files)
    catalog_->AppendManifestRemoval(&batch, number, PersistentCatalog::ManifestUser(user),
                                    f.batch_number);
  const Status written = kv_->Write(&batch);
  ManifestChanged(number, user);
  TDB_RETURN_IF_ERROR(written);
  compactions_committed_.fetch_add(1);

  // 5. The old files. A crash here leaves them unlisted: step 1 of the next flush or
  //    compaction of this directory removes them, and no read uses them meanwhile.
  //    Legacy names (batch-<n>.parquet) are removed here by name, as nothing else can.
  for (const ManifestFile& f : manifest.files) {
    std::error_code ec;
    std::filesystem::remove(dir + "/" + f.file_name, ec);
    if (ec) {
      return Status(ErrorCode::kIoError,
                    "cannot remove " + dir + "/" + f.file_name + ": " + ec.message());
    }
  }
  TDB_RETURN_IF_ERROR(SyncDirectory(dir));

  stats->directories += 1;
  counters_.compactions.fetch_add(1, std::memory_order_relaxed);
  stats->files_in += manifest.files.size();
  stats->files_out += rows.num_rows() > 0 ? 1 : 0;
  stats->rows_in += rows_in;
  stats->rows_out += rows.num_rows();
  stats->bytes_in += bytes_in;
  stats->bytes_out += bytes_out;
  return Status::Ok();
}

}  // namespace tenantdb
