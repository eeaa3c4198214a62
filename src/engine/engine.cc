#include "engine/engine.h"

#include "engine/constraint_ddl.h"
#include "engine/index_ddl.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "tables/table_provider.h"

namespace tenantdb {

Result<std::unique_ptr<Engine>> Engine::Open(const std::string& directory, Options options) {
  auto db = std::make_unique<Engine>(PrivateTag{});
  db->directory_ = directory;
  db->clock_ = options.clock;
  options.kv.clock = options.clock;
  db->statement_mem_ = std::max(options.statement_mem, size_t{64} << 10);
  db->statement_timeout_ = std::max(options.statement_timeout, std::chrono::milliseconds(0));
  db->statement_cache_ = std::make_unique<sql::StatementCache>(options.statement_cache_entries);
  db->plan_cache_ = std::make_unique<PlanCache>(options.plan_cache_entries);
  db->memory_ = std::make_unique<MemoryTracker>(
      "global_mem", options.global_mem, nullptr,
      "the statements running on this database together hold that much; retry when fewer "
      "run, or raise the database option global_mem");
  TDB_ASSIGN_OR_RETURN(db->kv_, KvStore::Open(directory, options.kv));
  db->pool_ = std::make_unique<SchemaPool>();
  TDB_ASSIGN_OR_RETURN(db->catalog_,
                       PersistentCatalog::Open(db->kv_.get(), db->pool_.get(), options.clock));
  Accounts::Options account_options;
  account_options.min_password_length = options.min_password_length;
  account_options.hash_params = options.password_hash_params;
  account_options.clock = options.clock;
  db->accounts_ = std::make_unique<Accounts>(db->catalog_.get(), std::move(account_options));
  db->storages_ = std::make_unique<StorageRegistry>(directory + "/storage");
  TDB_RETURN_IF_ERROR(db->catalog_->LoadStorages(db->storages_.get()));
  // Unqualified names resolve in `default` until USE; it always exists.
  if (Status s = db->catalog_->CreateNamespace(NamespaceId::Make("default").value());
      !s.ok() && s.code() != ErrorCode::kAlreadyExists) {
    return s;
  }
  TDB_ASSIGN_OR_RETURN(const StorageInfo* local, db->storages_->Get(StorageId::Find("local")));
  db->system_tables_ = std::make_unique<SystemTables>(local);
  db->pg_catalog_tables_ = std::make_unique<PgCatalogTables>(local);
  SchemaCache::Options cache_options;
  cache_options.capacity = options.cache_capacity;
  db->cache_ = std::make_unique<SchemaCache>(cache_options, db->ProviderLoader());
  db->views_ = std::make_unique<ViewRegistry>(db->catalog_.get());
  db->relation_names_ = std::make_unique<CatalogRelationNames>(db->catalog_.get());
  TableStore::Options store_options;
  store_options.user_cache_bytes = options.user_cache_bytes;
  store_options.user_cache_max_earned_rows = options.user_cache_max_earned_rows;
  store_options.clock = options.clock;
  store_options.compact_after_files = options.compact_after_files;
  store_options.changes = options.changes;
  db->table_store_ =
      std::make_unique<TableStore>(db->kv_.get(), db->catalog_.get(), std::move(store_options));
  // Before any write: every write must maintain the built indexes.
  TDB_RETURN_IF_ERROR(LoadIndexes(*db));
  TDB_RETURN_IF_ERROR(LoadChecks(*db));
  db->change_feed_ =
      std::make_unique<ChangeFeed>(db->cache_.get(), db->catalog_.get(), db->table_store_.get());
  db->flush_scheduler_ =
      std::make_unique<FlushScheduler>(db->cache_.get(), db->table_store_.get(), options.clock);
  db->jobs_ = std::make_unique<JobRunner>(/*history=*/1000, options.clock);
  {
    Engine* self = db.get();
    db->auto_analyzer_ =
        std::make_unique<AutoAnalyzer>(db->cache_.get(), db->table_store_.get(), db->catalog_.get(),
                                       options.clock, [self] { self->BumpSchemaEpoch(); });
    AutoAnalyzer* analyzer = db->auto_analyzer_.get();
    db->flush_scheduler_->OnFlushed([analyzer](const TableEntry& t) { analyzer->Flushed(t); });
  }
  db->system_sources_ = db->MakeSystemSources();
  // A read-only database has nothing to flush or expire; the jobs would only fail.
  if (options.background_jobs && !db->kv_->read_only()) {
    FlushScheduler* scheduler = db->flush_scheduler_.get();
    Engine* self = db.get();
    db->jobs_->AddPeriodic("flush", std::chrono::seconds(1),
                           [scheduler] { return scheduler->CheckAndFlush(); });
    // Column statistics of the tables flushed since, when their rows moved enough.
    AutoAnalyzer* analyzer = db->auto_analyzer_.get();
    db->jobs_->AddPeriodic("auto_analyze", std::chrono::seconds(5),
                           [analyzer] { return analyzer->AnalyzeDue(); });
    db->jobs_->AddPeriodic("stream_ttl", std::chrono::seconds(10),
                           [self] { return self->ExpireStreams(); });
    // DROP triggers it; the period is a safety net for a failed run.
    db->jobs_->AddPeriodic("erase", std::chrono::seconds(60),
                           [self] { return self->EraseDropped(); });
    // Logout and refresh revoke tokens until their expiry; past it the entry is useless.
    Accounts* accounts = db->accounts_.get();
    db->jobs_->AddPeriodic("change_log_trim", options.change_trim_period,
                           [self] { return self->TrimChanges(); });
    db->jobs_->AddPeriodic("revoked_tokens", std::chrono::seconds(60),
                           [accounts] { return accounts->PruneRevokedTokens(); });
    db->jobs_->Start();
    // Resume erasures a previous process (or one opened without jobs) did not finish.
    auto pending = db->catalog_->ListPendingErasures();
    if (!pending.ok() || !pending->empty()) db->jobs_->Trigger("erase");
  }
  return db;
}

SystemSources Engine::MakeSystemSources() {
  SystemSources sources;
  sources.catalog = catalog_.get();
  sources.cache = cache_.get();
  sources.pool = pool_.get();
  sources.storages = storages_.get();
  sources.tables = table_store_.get();
  sources.checks = &checks_;
  for (const auto& t : system_tables_->all())
    sources.virtual_tables.emplace_back(t);
  for (const auto& t : pg_catalog_tables_->all())
    sources.virtual_tables.emplace_back(t);
  JobRunner* jobs = jobs_.get();
  sources.job_rows = [jobs] {
    std::vector<std::vector<Value>> rows;
    for (const JobRecord& r : jobs->History()) {
      // A running job (an index build): no end yet, its latest progress as the detail.
      rows.push_back({Value::BigInt(static_cast<int64_t>(r.job_id)), Value::Text(r.task),
                      Value::TimestampTz(r.started_at_micros),
                      r.running ? Value::Null(DataType::kTimestampTz)
                                : Value::TimestampTz(r.finished_at_micros),
                      Value::Text(r.running       ? "running"
                                  : r.status.ok() ? "ok"
                                                  : std::string(r.status.code_name())),
                      Value::Text(r.status.ok() ? r.detail : std::string(r.status.message()))});
    }
    return rows;
  };
  PersistentCatalog* catalog = catalog_.get();
  sources.user_rows = [catalog] {
    std::vector<std::vector<Value>> rows;
    auto users = catalog->ListUserRecords();
    if (!users.ok()) return rows;
    for (const auto& [id, user] : *users) {
      // Never the hash itself.
      rows.push_back({Value::Text(std::string(id.str())),
                      Value::Text(std::string(RoleName(user.role))),
                      Value::Boolean(!user.password_hash.empty()),
                      user.created_us != 0 ? Value::TimestampTz(user.created_us)
                                           : Value::Null(DataType::kTimestampTz)});
    }
    return rows;
  };
  return sources;
}

SchemaCache::Loader Engine::ProviderLoader() {
  return [this](const TableId& id) -> Result<TableEntryRef> {
    if (id.ns().str() == kSystemNamespace) return system_tables_->Find(id);
    if (IsPgCatalogNamespace(id.ns().str())) return pg_catalog_tables_->Find(id);
    TDB_ASSIGN_OR_RETURN(TableDefinition def, catalog_->GetTable(id));
    auto storage = storages_->Get(def.storage_id);
    if (!storage.ok()) {
      return Status(ErrorCode::kInternal, "table " + id.ToString() + " uses storage '" +
                                              std::string(def.storage_id.str()) +
                                              "', which is not in the storage registry");
    }
    TDB_ASSIGN_OR_RETURN(RefPtr<TableProvider> provider,
                         MakeTableProvider(std::move(def), *storage));
    return TableEntryRef(std::move(provider));
  };
}

Engine::~Engine() {
  if (jobs_) jobs_->Stop();  // before anything a job uses goes away
}

Result<std::string> Engine::ExpireStreams() {
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
  if (removed == 0) return std::string();  // not recorded: see JobRunner
  return "expired " + std::to_string(removed) + " rows in " + std::to_string(streams.size()) +
         " stream tables";
}

Result<std::string> Engine::EraseDropped() {
  TDB_ASSIGN_OR_RETURN(ErasureStats stats, table_store_->EraseDropped(*storages_));
  if (stats.tables == 0) return std::string();  // not recorded: see JobRunner
  return "erased " + std::to_string(stats.tables) +
         " dropped tables: " + std::to_string(stats.files) + " files in " +
         std::to_string(stats.directories) + " directories";
}

Result<std::string> Engine::TrimChanges() {
  TDB_ASSIGN_OR_RETURN(ChangeTrimStats stats, table_store_->changes().Trim());
  if (stats.removed == 0) return std::string();  // not recorded: see JobRunner
  return "trimmed " + std::to_string(stats.removed) + " changes in " +
         std::to_string(stats.slices) + " slices";
}

}  // namespace tenantdb
