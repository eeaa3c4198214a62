#include "engine/database.h"

#include <chrono>
#include <vector>

namespace tenantdb {

Result<std::unique_ptr<Database>> Database::Open(const std::string& directory, Options options) {
  auto db = std::make_unique<Database>(PrivateTag{});
  db->directory_ = directory;
  TDB_ASSIGN_OR_RETURN(db->kv_, KvStore::Open(directory, options.kv));
  db->pool_ = std::make_unique<SchemaPool>();
  TDB_ASSIGN_OR_RETURN(db->catalog_, PersistentCatalog::Open(db->kv_.get(), db->pool_.get()));
  db->storages_ = std::make_unique<StorageRegistry>(directory + "/storage");
  TDB_RETURN_IF_ERROR(db->catalog_->LoadStorages(db->storages_.get()));
  SchemaCache::Options cache_options;
  cache_options.capacity = options.cache_capacity;
  db->cache_ = std::make_unique<SchemaCache>(cache_options, db->catalog_->Loader(*db->storages_));
  db->table_store_ = std::make_unique<TableStore>(db->kv_.get(), db->catalog_.get());
  db->flush_scheduler_ = std::make_unique<FlushScheduler>(db->cache_.get(), db->table_store_.get());
  db->jobs_ = std::make_unique<JobRunner>();
  if (options.background_jobs) {
    FlushScheduler* scheduler = db->flush_scheduler_.get();
    Database* self = db.get();
    db->jobs_->AddPeriodic("flush", std::chrono::seconds(1),
                           [scheduler] { return scheduler->CheckAndFlush(); });
    db->jobs_->AddPeriodic("stream_ttl", std::chrono::seconds(10),
                           [self] { return self->ExpireStreams(); });
    db->jobs_->Start();
  }
  return db;
}

Database::~Database() {
  if (jobs_) jobs_->Stop();  // before anything a job uses goes away
}

Result<std::string> Database::ExpireStreams() {
  std::vector<TableId> streams;
  TDB_RETURN_IF_ERROR(catalog_->ForEachTable([&](const TableId& id, const TableRecord& record) {
    if (record.type == TableType::kStream) streams.push_back(id);
    return Status::Ok();
  }));
  size_t removed = 0;
  for (const TableId& id : streams) {
    auto entry = cache_->Get(id);
    if (!entry.ok()) continue;  // dropped meanwhile
    TDB_ASSIGN_OR_RETURN(size_t n, table_store_->ExpireStream(**entry));
    removed += n;
  }
  return "expired " + std::to_string(removed) + " rows in " + std::to_string(streams.size()) +
         " stream tables";
}

}  // namespace tenantdb
