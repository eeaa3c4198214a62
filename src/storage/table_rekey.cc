// TableStore::RewriteWithKey: ALTER TABLE ... ADD PRIMARY KEY on a SHARED table that
// holds rows (see table_store.h). The rows are few enough to hold in memory for the
// statements that do this (pgbench -i adds its keys after loading); the rewrite is one
// batch so that no crash can leave rows keyed two ways.
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "storage/cold/batch_file.h"
#include "storage/table_store.h"

namespace tenantdb {

Result<TableDefinition> TableStore::RewriteWithKey(const TableEntry& table, uint32_t base_version,
                                                   std::shared_ptr<const Schema> schema) {
  if (table.type() != TableType::kShared) {
    return Status(ErrorCode::kInvalidArgument,
                  "table " + table.id().ToString() + " is " +
                      std::string(TableTypeName(table.type())) +
                      ": only a SHARED table's rows can be keyed anew");
  }
  const uint32_t number = table.table_number();
  // No flush or compaction may move rows or files meanwhile; no writer or reader may
  // act on the table (the gate waits for the ones inside to leave).
  std::lock_guard<std::mutex> serialize(FlushMutex(number));
  RekeyGate& gate = hot_->rekey_gate();
  TDB_RETURN_IF_ERROR(gate.Begin(number));
  uint32_t new_key_version = 0;
  struct Reopen {
    RekeyGate& gate;
    uint32_t number;
    const uint32_t& version;
    ~Reopen() { gate.Finish(number, version); }
  } reopen{gate, number, new_key_version};

  // Every live row, hot and cold, in the old layout; then in the new one, by column id.
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, OpenScanInGate(table, nullptr, ReadOptions()));
  TDB_ASSIGN_OR_RETURN(std::vector<Batch> batches, DrainStream(*stream));
  stream.reset();
  const Schema& old_fields = *table.schema();
  std::vector<size_t> source;
  for (const Field& f : schema->fields()) {
    std::optional<size_t> at = old_fields.FieldIndexById(f.id);
    if (!at.has_value()) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "ADD PRIMARY KEY on a table with rows cannot be combined with ADD COLUMN "
                    "in one ALTER TABLE; run them as two statements");
    }
    source.push_back(*at);
  }
  std::vector<std::vector<Value>> rows;
  for (const Batch& b : batches) {
    for (size_t r = 0; r < b.num_rows(); ++r) {
      std::vector<Value>& row = rows.emplace_back();
      row.reserve(source.size());
      for (size_t c : source)
        row.push_back(b.column(c).GetValue(r));
    }
  }
  batches.clear();
  TDB_ASSIGN_OR_RETURN(Manifest manifest,
                       catalog_->ReadManifest(number, PersistentCatalog::ManifestUser(nullptr)));

  auto stage = [&](rocksdb::WriteBatch* batch, const TableDefinition& next) -> Status {
    TDB_ASSIGN_OR_RETURN(HotTable keyed, HotTable::FromDefinition(next));
    TDB_RETURN_IF_ERROR(hot_->StageRewrite(keyed, rows, table.id().ToString(), batch));
    // The files' rows are hot rows now; the counter stays (batch numbers never repeat).
    for (const ManifestFile& f : manifest.files)
      catalog_->AppendManifestRemoval(batch, number, PersistentCatalog::ManifestUser(nullptr),
                                      f.batch_number);
    return Status::Ok();
  };
  Result<TableDefinition> altered = catalog_->AlterTable(table.id(), base_version, schema, stage);
  ManifestChanged(number, nullptr);
  hot_->InvalidateTable(number);
  if (!altered.ok()) return altered.status();
  new_key_version = altered->schema_version;

  // The old files, now unlisted. A crash before this leaves them for the next flush of
  // the directory (RemoveUnlistedFiles); no read uses them.
  if (!manifest.files.empty()) {
    TDB_ASSIGN_OR_RETURN(std::string dir, ColdDirectory(table, nullptr));
    for (const ManifestFile& f : manifest.files) {
      std::error_code ec;
      std::filesystem::remove(dir + "/" + f.file_name, ec);
    }
    TDB_RETURN_IF_ERROR(SyncDirectory(dir));
  }
  return altered;
}

}  // namespace tenantdb
