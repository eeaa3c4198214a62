// PersistentCatalog's table statistics records (table_stats_record.h, kind 0x0E): one per
// table, written by the storage layer's checkpoints and by ANALYZE, dropped with the table.
#include <rocksdb/write_batch.h>

#include "catalog/catalog_codec.h"
#include "catalog/persistent_catalog.h"

namespace tenantdb {

Result<std::optional<TableStatsRecord>> PersistentCatalog::ReadTableStats(
    uint32_t table_number) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, TableStatsKey(table_number)));
  if (!value.has_value()) return std::optional<TableStatsRecord>();
  TDB_ASSIGN_OR_RETURN(TableStatsRecord record, DecodeTableStatsValue(*value));
  return std::optional<TableStatsRecord>(std::move(record));
}

Status PersistentCatalog::WriteTableStats(
    const std::vector<std::pair<uint32_t, TableStatsRecord>>& records) {
  if (records.empty()) return Status::Ok();
  // Under the DDL lock: a DROP that deleted the record cannot slip in between the
  // existence check and the write and leave a record of a table that is gone.
  std::lock_guard<std::mutex> lock(ddl_mu_);
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  rocksdb::WriteBatch batch;
  for (const auto& [number, record] : records) {
    TDB_ASSIGN_OR_RETURN(auto table, store_->Get(KvFamily::kCatalog, TableByNumberKey(number)));
    if (!table.has_value()) continue;
    batch.Put(cf, TableStatsKey(number), EncodeTableStatsValue(record));
  }
  if (batch.Count() == 0) return Status::Ok();
  return store_->Write(&batch);
}

}  // namespace tenantdb
