#include "catalog/persistent_catalog.h"

#include <algorithm>

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "catalog/catalog_codec.h"
#include "catalog/catalog_scan.h"
#include "catalog/path_template.h"

namespace tenantdb {

namespace {

constexpr std::string_view kNextTableNumber = "next_table_number";

rocksdb::Slice ToSlice(const std::string& s) {
  return rocksdb::Slice(s.data(), s.size());
}

Status NotFound(std::string what) {
  return Status(ErrorCode::kNotFound, std::move(what) + " does not exist");
}

Status TableNotFound(const TableId& id) {
  return NotFound("table " + id.ToString());
}

Status NamespaceNotFound(const NamespaceId& ns) {
  return NotFound("namespace " + std::string(ns.str()));
}

template <typename Fn>
Status ScanPrefix(const KvStore& store, const std::string& prefix, Fn fn) {
  return ScanCatalogPrefix(store, prefix, std::move(fn));
}

// The primary-key columns of `schema` as (name, type), in field order.
std::vector<std::pair<std::string_view, DataType>> KeyColumns(const Schema& schema) {
  std::vector<std::pair<std::string_view, DataType>> out;
  for (size_t i : schema.PrimaryKeyIndices())
    out.emplace_back(schema.field(i).name, schema.field(i).type);
  return out;
}

// The definition a table record describes, without its schema.
TableDefinition DefinitionWithoutSchema(const TableId& id, const TableRecord& record) {
  TableDefinition def;
  def.id = id;
  def.table_number = record.table_number;
  def.type = record.type;
  def.access_level = record.access_level;
  def.schema_version = record.schema_version;
  def.storage_id = record.storage_id;
  def.flush_policy = record.flush_policy;
  def.ttl_seconds = record.ttl_seconds;
  def.created_us = record.created_us;
  return def;
}

}  // namespace

PersistentCatalog::PersistentCatalog(PrivateTag, KvStore* store, SchemaPool* pool,
                                     const Clock* clock, uint32_t next_table_number)
    : store_(store), pool_(pool), clock_(clock), next_table_number_(next_table_number) {}

Result<std::unique_ptr<PersistentCatalog>> PersistentCatalog::Open(KvStore* store, SchemaPool* pool,
                                                                   const Clock* clock) {
  TDB_ASSIGN_OR_RETURN(auto counter, store->Get(KvFamily::kCatalog, CounterKey(kNextTableNumber)));
  uint32_t next = kFirstTableNumber;
  if (counter.has_value()) {
    TDB_ASSIGN_OR_RETURN(uint64_t stored, DecodeCounterValue(*counter));
    if (stored < kFirstTableNumber || stored > UINT32_MAX) {
      return Status(ErrorCode::kCorruption, "catalog table-number counter is out of range");
    }
    next = static_cast<uint32_t>(stored);
  }
  return std::make_unique<PersistentCatalog>(PrivateTag{}, store, pool, clock, next);
}

uint32_t PersistentCatalog::next_table_number() const {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  return next_table_number_;
}

// ---- namespaces ----

Status PersistentCatalog::CreateNamespace(const NamespaceId& ns, NamespaceOptions options) {
  if (ns.empty()) return Status(ErrorCode::kInvalidArgument, "namespace name is empty");
  TDB_RETURN_IF_ERROR(ns.CheckNotReserved());
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = NamespaceKey(ns);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (existing.has_value()) {
    return Status(ErrorCode::kAlreadyExists,
                  "namespace " + std::string(ns.str()) + " already exists");
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), key,
            EncodeNamespaceValue(NamespaceInfo{ns, clock_->NowUnixMicros(), std::move(options)}));
  return store_->Write(&batch);
}

Status PersistentCatalog::DropNamespace(const NamespaceId& ns, bool cascade, const DropHook& hook) {
  TDB_RETURN_IF_ERROR(ns.CheckNotReserved());
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_RETURN_IF_ERROR(CheckNamespaceExists(ns));
  rocksdb::WriteBatch batch;
  size_t tables = 0;
  TDB_RETURN_IF_ERROR(
      ScanPrefix(*store_, TableKeyPrefix(ns), [&](std::string_view key, std::string_view value) {
        ++tables;
        if (!cascade) return Status::Ok();
        TDB_ASSIGN_OR_RETURN(TableId id, DecodeTableKey(key));
        TDB_ASSIGN_OR_RETURN(TableRecord record, DecodeTableValue(value));
        return StageDrop(&batch, DefinitionWithoutSchema(id, record), hook);
      }));
  size_t views = 0;
  TDB_RETURN_IF_ERROR(
      ScanPrefix(*store_, ViewKeyPrefix(ns), [&](std::string_view key, std::string_view) {
        ++views;
        if (cascade) batch.Delete(store_->family(KvFamily::kCatalog), ToSlice(std::string(key)));
        return Status::Ok();
      }));
  if (tables + views > 0 && !cascade) {
    return Status(ErrorCode::kInvalidArgument,
                  "namespace " + std::string(ns.str()) + " still has " +
                      (tables > 0 ? std::to_string(tables) + " table(s)" : "") +
                      (tables > 0 && views > 0 ? " and " : "") +
                      (views > 0 ? std::to_string(views) + " view(s)" : "") +
                      "; drop them first or use CASCADE");
  }
  batch.Delete(store_->family(KvFamily::kCatalog), NamespaceKey(ns));
  const Status written = store_->Write(&batch);
  std::lock_guard<std::mutex> known_lock(known_namespaces_mu_);
  known_namespaces_.erase(std::string(ns.str()));
  ++namespace_drops_;
  return written;
}

Status PersistentCatalog::CheckNamespaceExists(const NamespaceId& ns) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, NamespaceKey(ns)));
  if (!value.has_value()) return NamespaceNotFound(ns);
  return Status::Ok();
}

Result<NamespaceInfo> PersistentCatalog::GetNamespace(const NamespaceId& ns) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, NamespaceKey(ns)));
  if (!value.has_value()) return NamespaceNotFound(ns);
  return DecodeNamespaceValue(ns, *value);
}

Status PersistentCatalog::NamespaceExists(const NamespaceId& ns) const {
  constexpr size_t kMaxKnownNamespaces = 4096;
  uint64_t drops = 0;
  {
    std::lock_guard<std::mutex> lock(known_namespaces_mu_);
    if (known_namespaces_.count(std::string(ns.str())) > 0) return Status::Ok();
    drops = namespace_drops_;
  }
  TDB_RETURN_IF_ERROR(CheckNamespaceExists(ns));
  std::lock_guard<std::mutex> lock(known_namespaces_mu_);
  if (namespace_drops_ == drops) {
    if (known_namespaces_.size() >= kMaxKnownNamespaces) known_namespaces_.clear();
    known_namespaces_.insert(std::string(ns.str()));
  }
  return Status::Ok();
}

Result<std::vector<NamespaceInfo>> PersistentCatalog::ListNamespaces() const {
  std::vector<NamespaceInfo> out;
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, KindPrefix(CatalogRecordKind::kNamespace),
                                 [&](std::string_view key, std::string_view value) {
                                   TDB_ASSIGN_OR_RETURN(NamespaceId ns, DecodeNamespaceKey(key));
                                   TDB_ASSIGN_OR_RETURN(NamespaceInfo info,
                                                        DecodeNamespaceValue(ns, value));
                                   out.push_back(std::move(info));
                                   return Status::Ok();
                                 }));
  return out;
}

// ---- tables ----

Status PersistentCatalog::CheckStorageExists(const StorageId& id) const {
  if (id.str() == StorageRegistry::kLocalStorage) return Status::Ok();
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, StorageKey(id)));
  if (!value.has_value()) return NotFound("storage " + std::string(id.str()));
  return Status::Ok();
}

Result<TableDefinition> PersistentCatalog::CreateTable(TableDefinition definition) {
  std::vector<TableDefinition> one;
  one.push_back(std::move(definition));
  TDB_ASSIGN_OR_RETURN(auto created, CreateTables(std::move(one)));
  return std::move(created.front());
}

Result<std::vector<TableDefinition>> PersistentCatalog::CreateTables(
    std::vector<TableDefinition> definitions, const CreateHook& hook) {
  static const StorageId kLocal = [] {
    StorageId id = *StorageId::Make(StorageRegistry::kLocalStorage);
    id.MakeImmortal();
    return id;
  }();
  for (TableDefinition& def : definitions) {
    if (def.id.empty() || def.id.ns().empty()) {
      return Status(ErrorCode::kInvalidArgument, "a table needs a namespace and a name");
    }
    TDB_RETURN_IF_ERROR(def.id.ns().CheckNotReserved());
    if (def.type == TableType::kSystem) {
      return Status(ErrorCode::kInvalidArgument,
                    "table " + def.id.ToString() + ": SYSTEM tables are built in");
    }
    if (def.storage_id.empty()) def.storage_id = kLocal;
    if (def.schema) {
      TDB_ASSIGN_OR_RETURN(def.schema, WithFirstColumnIds(*def.schema));
    }
    TDB_RETURN_IF_ERROR(def.Validate());
  }

  std::lock_guard<std::mutex> lock(ddl_mu_);
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  rocksdb::WriteBatch batch;
  absl::flat_hash_set<NamespaceId> namespaces_seen;
  absl::flat_hash_set<StorageId> storages_seen;
  absl::flat_hash_set<TableId> tables_seen;
  uint64_t next = next_table_number_;
  const int64_t now = clock_->NowUnixMicros();
  for (TableDefinition& def : definitions) {
    if (namespaces_seen.insert(def.id.ns()).second) {
      TDB_RETURN_IF_ERROR(CheckNamespaceExists(def.id.ns()));
    }
    if (storages_seen.insert(def.storage_id).second) {
      TDB_RETURN_IF_ERROR(CheckStorageExists(def.storage_id));
    }
    const std::string key = TableKey(def.id);
    TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
    if (existing.has_value() || !tables_seen.insert(def.id).second) {
      return Status(ErrorCode::kAlreadyExists, "table " + def.id.ToString() + " already exists");
    }
    TDB_ASSIGN_OR_RETURN(auto view, store_->Get(KvFamily::kCatalog, ViewKey(def.id)));
    if (view.has_value()) {
      return Status(ErrorCode::kAlreadyExists,
                    "a view named " + def.id.ToString() + " already exists");
    }
    if (next > UINT32_MAX) {
      return Status(ErrorCode::kInternal, "the catalog has run out of table numbers");
    }
    def.table_number = static_cast<uint32_t>(next++);
    def.schema_version = 1;
    def.created_us = now;
    TableRecord record{def.table_number, def.type,         def.access_level, def.schema_version,
                       def.storage_id,   def.flush_policy, def.ttl_seconds,  now};
    batch.Put(cf, key, EncodeTableValue(record));
    batch.Put(cf, SchemaVersionKey(def.table_number, 1), EncodeSchemaValue(*def.schema));
    batch.Put(cf, TableByNumberKey(def.table_number), EncodeTableByNumberValue(def.id));
    // Known from the start: a new table holds no rows (the storage layer counts from here).
    batch.Put(cf, TableStatsKey(def.table_number),
              EncodeTableStatsValue(EmptyTableStats(IsPerUser(def.type))));
    // Reading back interns through our pool; hand out the pooled schema now as well.
    def.schema = pool_->Intern(def.schema->fields(), def.schema->metadata());
    if (hook) TDB_RETURN_IF_ERROR(hook(&batch, def, &next));
  }
  batch.Put(cf, CounterKey(kNextTableNumber), EncodeCounterValue(next));
  TDB_RETURN_IF_ERROR(store_->Write(&batch));
  next_table_number_ = static_cast<uint32_t>(next);
  return definitions;
}

Result<uint32_t> PersistentCatalog::MaxColumnId(uint32_t table_number,
                                                uint32_t current_version) const {
  uint32_t max_id = 0;
  for (uint32_t v = 1; v <= current_version; ++v) {
    TDB_ASSIGN_OR_RETURN(std::shared_ptr<const Schema> schema, GetSchemaVersion(table_number, v));
    for (const Field& f : schema->fields())
      max_id = std::max(max_id, f.id);
  }
  return max_id;
}

Result<uint32_t> PersistentCatalog::NextColumnId(const TableId& id) const {
  TDB_ASSIGN_OR_RETURN(auto record, ReadTableRecord(id));
  if (!record.has_value()) return TableNotFound(id);
  TDB_ASSIGN_OR_RETURN(uint32_t max_id, MaxColumnId(record->table_number, record->schema_version));
  return max_id + 1;
}

Result<std::shared_ptr<const Schema>> PersistentCatalog::WithFirstColumnIds(
    const Schema& schema) const {
  size_t without = 0;
  for (const Field& f : schema.fields())
    without += f.id == 0 ? 1 : 0;
  if (without == 0) return pool_->Intern(schema.fields(), schema.metadata());
  if (without != schema.num_fields()) {
    return Status(ErrorCode::kInvalidArgument,
                  "a new table's columns need ids for all or none of its columns");
  }
  std::vector<Field> fields = schema.fields();
  for (size_t i = 0; i < fields.size(); ++i)
    fields[i].id = static_cast<uint32_t>(i + 1);
  return pool_->Intern(std::move(fields), schema.metadata());
}

Result<TableDefinition> PersistentCatalog::AlterTable(const TableId& id, uint32_t base_version,
                                                      std::shared_ptr<const Schema> schema,
                                                      const AlterHook& hook) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_ASSIGN_OR_RETURN(auto record, ReadTableRecord(id));
  if (!record.has_value()) return TableNotFound(id);
  TDB_ASSIGN_OR_RETURN(TableDefinition current, ToDefinition(id, *record));
  if (!schema) return Status(ErrorCode::kInvalidArgument, "ALTER TABLE needs a schema");
  if (current.schema_version != base_version) {
    // The new schema was derived from an older version: its column ids could collide
    // with a column added meanwhile, or bring back one dropped meanwhile.
    return Status(ErrorCode::kSerializationFailure,
                  "table " + id.ToString() + " was altered by another statement meanwhile; retry");
  }
  // The one key change allowed: a SHARED table's generated `_rowid` key replaced by
  // columns of its own (ALTER TABLE ... ADD PRIMARY KEY, whose hook rewrites the rows:
  // stored rows are keyed by the key).
  const auto old_key = KeyColumns(*current.schema);
  const bool replaces_rowid = hook && old_key.size() == 1 && old_key[0].first == "_rowid" &&
                              old_key[0].second == DataType::kBigInt &&
                              !schema->FieldIndex("_rowid").has_value() &&
                              !schema->PrimaryKeyIndices().empty();
  if (!replaces_rowid && KeyColumns(*schema) != old_key) {
    return Status(ErrorCode::kInvalidArgument,
                  "table " + id.ToString() +
                      ": the primary key cannot be changed (every stored row is keyed by it)");
  }
  // A column keeps its id for life, and an id is never given to another column: every
  // id is either one of the current version's or above every id the table ever had.
  TDB_ASSIGN_OR_RETURN(uint32_t max_id, MaxColumnId(record->table_number, current.schema_version));
  for (const Field& f : schema->fields()) {
    if (f.id != 0 && (f.id > max_id || current.schema->FieldIndexById(f.id))) continue;
    return Status(ErrorCode::kInvalidArgument,
                  "table " + id.ToString() + ": column " + f.name + " has id " +
                      std::to_string(f.id) +
                      ", which is neither a current column's nor a new one (ids are never reused)");
  }
  TableDefinition next = current;
  next.schema = pool_->Intern(schema->fields(), schema->metadata());
  next.schema_version = current.schema_version + 1;
  TDB_RETURN_IF_ERROR(next.Validate());
  record->schema_version = next.schema_version;
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  rocksdb::WriteBatch batch;
  batch.Put(cf, TableKey(id), EncodeTableValue(*record));
  batch.Put(cf, SchemaVersionKey(record->table_number, next.schema_version),
            EncodeSchemaValue(*next.schema));
  if (hook) TDB_RETURN_IF_ERROR(hook(&batch, next));
  TDB_RETURN_IF_ERROR(store_->Write(&batch));
  return next;
}

Result<TableDefinition> PersistentCatalog::AlterTableOptions(const TableId& id,
                                                             const TableOptionsChange& change) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_ASSIGN_OR_RETURN(auto record, ReadTableRecord(id));
  if (!record.has_value()) return TableNotFound(id);
  TDB_ASSIGN_OR_RETURN(TableDefinition def, ToDefinition(id, *record));
  if (change.flush_policy) def.flush_policy = *change.flush_policy;
  if (change.access_level) def.access_level = *change.access_level;
  if (change.ttl_seconds) def.ttl_seconds = *change.ttl_seconds;
  TDB_RETURN_IF_ERROR(def.Validate());
  record->flush_policy = def.flush_policy;
  record->access_level = def.access_level;
  record->ttl_seconds = def.ttl_seconds;
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), TableKey(id), EncodeTableValue(*record));
  TDB_RETURN_IF_ERROR(store_->Write(&batch));
  return def;
}

// Point deletes rather than DeleteRange: the keys are known (versions 1..current) or few
// (manifests), and range tombstones would stay in the catalog family's read path until
// compaction, slowing every later table lookup a little per dropped table.
Status PersistentCatalog::StageDrop(rocksdb::WriteBatch* batch, const TableDefinition& table,
                                    const DropHook& hook) const {
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  const uint32_t n = table.table_number;
  batch->Delete(cf, TableKey(table.id));
  batch->Delete(cf, TableByNumberKey(n));
  for (uint32_t v = 1; v <= table.schema_version; ++v)
    batch->Delete(cf, SchemaVersionKey(n, v));
  batch->Delete(cf, ChecksKey(n));  // a no-op for the tables without CHECK constraints
  // The manifests stay: with this record they are the erasure job's list of directories
  // whose files must go (catalog_records.h, PendingErasure). Table numbers are never
  // reused, so no live table ever reads them.
  PendingErasure erasure;
  erasure.table_number = n;
  erasure.id = table.id;
  erasure.type = table.type;
  erasure.storage_id = table.storage_id;
  batch->Delete(cf, TableStatsKey(n));
  batch->Put(cf, PendingErasureKey(n), EncodePendingErasureValue(erasure));
  if (hook) hook(batch, table);
  return Status::Ok();
}

Status PersistentCatalog::DropTable(const TableId& id, const DropHook& hook) {
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_ASSIGN_OR_RETURN(auto record, ReadTableRecord(id));
  if (!record.has_value()) return TableNotFound(id);
  TableDefinition def = DefinitionWithoutSchema(id, *record);
  if (hook) {
    // Give the hook the full definition (with the schema) when it can be read.
    auto full = ToDefinition(id, *record);
    if (full.ok()) def = std::move(full).value();
  }
  rocksdb::WriteBatch batch;
  TDB_RETURN_IF_ERROR(StageDrop(&batch, def, hook));
  return store_->Write(&batch);
}

Result<std::optional<TableRecord>> PersistentCatalog::ReadTableRecord(const TableId& id) const {
  if (id.empty()) return std::optional<TableRecord>();
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, TableKey(id)));
  if (!value.has_value()) return std::optional<TableRecord>();
  auto record = DecodeTableValue(*value);
  if (!record.ok()) {
    return Status(ErrorCode::kCorruption,
                  "table " + id.ToString() + ": " + std::string(record.status().message()));
  }
  return std::optional<TableRecord>(std::move(record).value());
}

Result<TableDefinition> PersistentCatalog::ToDefinition(const TableId& id,
                                                        const TableRecord& record) const {
  auto schema = GetSchemaVersion(record.table_number, record.schema_version);
  if (!schema.ok()) {
    // The table record names a version that must exist: its absence is damage, unless
    // the table was dropped between the two reads (then the table is simply gone).
    if (schema.status().code() != ErrorCode::kNotFound) return schema.status();
    TDB_ASSIGN_OR_RETURN(auto again, ReadTableRecord(id));
    if (!again.has_value()) return TableNotFound(id);
    return Status(ErrorCode::kCorruption, "table " + id.ToString() + ": schema version " +
                                              std::to_string(record.schema_version) +
                                              " is missing");
  }
  TableDefinition def = DefinitionWithoutSchema(id, record);
  def.schema = std::move(schema).value();
  return def;
}

Result<TableDefinition> PersistentCatalog::GetTable(const TableId& id) const {
  TDB_ASSIGN_OR_RETURN(auto record, ReadTableRecord(id));
  if (!record.has_value()) return TableNotFound(id);
  return ToDefinition(id, *record);
}

Result<std::shared_ptr<const Schema>> PersistentCatalog::GetSchemaVersion(uint32_t table_number,
                                                                          uint32_t version) const {
  TDB_ASSIGN_OR_RETURN(auto value,
                       store_->Get(KvFamily::kCatalog, SchemaVersionKey(table_number, version)));
  if (!value.has_value()) {
    return NotFound("schema version " + std::to_string(version) + " of table number " +
                    std::to_string(table_number));
  }
  TDB_ASSIGN_OR_RETURN(DecodedSchema decoded, DecodeSchemaValue(*value));
  return pool_->Intern(std::move(decoded.fields), std::move(decoded.metadata));
}

Result<std::vector<TableDefinition>> PersistentCatalog::ListTables(const NamespaceId& ns) const {
  TDB_RETURN_IF_ERROR(CheckNamespaceExists(ns));
  std::vector<TableDefinition> out;
  TDB_RETURN_IF_ERROR(
      ScanPrefix(*store_, TableKeyPrefix(ns), [&](std::string_view key, std::string_view value) {
        TDB_ASSIGN_OR_RETURN(TableId id, DecodeTableKey(key));
        TDB_ASSIGN_OR_RETURN(TableRecord record, DecodeTableValue(value));
        auto def = ToDefinition(id, record);
        if (!def.ok()) {
          // Dropped while we scanned: skip it.
          if (def.status().code() == ErrorCode::kNotFound) return Status::Ok();
          return def.status();
        }
        out.push_back(std::move(def).value());
        return Status::Ok();
      }));
  return out;
}

Result<TableId> PersistentCatalog::FindTableByNumber(uint32_t table_number) const {
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, TableByNumberKey(table_number)));
  if (!value.has_value()) return NotFound("table number " + std::to_string(table_number));
  return DecodeTableByNumberValue(*value);
}

Status PersistentCatalog::ForEachTable(
    const std::function<Status(const TableId&, const TableRecord&)>& fn) const {
  return ScanPrefix(*store_, KindPrefix(CatalogRecordKind::kTable),
                    [&](std::string_view key, std::string_view value) {
                      TDB_ASSIGN_OR_RETURN(TableId id, DecodeTableKey(key));
                      TDB_ASSIGN_OR_RETURN(TableRecord record, DecodeTableValue(value));
                      return fn(id, record);
                    });
}

// ---- storages ----

Result<const StorageInfo*> PersistentCatalog::RegisterStorage(StorageRegistry* registry,
                                                              StorageSpec spec) {
  // The checks StorageRegistry::Add makes, made before anything is persisted so a bad
  // spec never reaches the disk.
  if (spec.id.empty()) return Status(ErrorCode::kInvalidArgument, "storage id is empty");
  if (spec.base_directory.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "storage '" + std::string(spec.id.str()) + "' needs a base directory");
  }
  TDB_ASSIGN_OR_RETURN(PathTemplate user, PathTemplate::Parse(spec.user_template));
  TDB_ASSIGN_OR_RETURN(PathTemplate shared, PathTemplate::Parse(spec.shared_template));
  if (!user.has_user() || shared.has_user()) {
    return Status(ErrorCode::kInvalidPathTemplate,
                  "storage '" + std::string(spec.id.str()) +
                      "': the user-table template must contain {userId} and the shared-table "
                      "template must not");
  }
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = StorageKey(spec.id);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (existing.has_value() || registry->Get(spec.id).ok()) {
    return Status(ErrorCode::kAlreadyExists,
                  "storage '" + std::string(spec.id.str()) + "' already exists");
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), key, EncodeStorageValue(spec));
  TDB_RETURN_IF_ERROR(store_->Write(&batch));
  return registry->Add(spec.id, spec.base_directory, spec.user_template, spec.shared_template);
}

Result<std::vector<StorageSpec>> PersistentCatalog::ListStorages() const {
  std::vector<StorageSpec> out;
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, KindPrefix(CatalogRecordKind::kStorage),
                                 [&](std::string_view key, std::string_view value) {
                                   TDB_ASSIGN_OR_RETURN(StorageId id, DecodeStorageKey(key));
                                   TDB_ASSIGN_OR_RETURN(StorageSpec spec,
                                                        DecodeStorageValue(id, value));
                                   out.push_back(std::move(spec));
                                   return Status::Ok();
                                 }));
  return out;
}

Status PersistentCatalog::LoadStorages(StorageRegistry* registry) const {
  TDB_ASSIGN_OR_RETURN(std::vector<StorageSpec> specs, ListStorages());
  for (StorageSpec& spec : specs) {
    if (registry->Get(spec.id).ok()) continue;  // loaded before
    auto added = registry->Add(spec.id, std::move(spec.base_directory), spec.user_template,
                               spec.shared_template);
    if (!added.ok()) {
      return Status(ErrorCode::kCorruption,
                    "stored storage '" + std::string(spec.id.str()) +
                        "' is invalid: " + std::string(added.status().message()));
    }
  }
  return Status::Ok();
}

// ---- the SchemaCache ----

SchemaCache::Loader PersistentCatalog::Loader(const StorageRegistry& registry) const {
  return [this, &registry](const TableId& id) -> Result<TableEntryRef> {
    TDB_ASSIGN_OR_RETURN(TableDefinition def, GetTable(id));
    auto storage = registry.Get(def.storage_id);
    if (!storage.ok()) {
      // The table exists; its storage is missing from the registry (LoadStorages not
      // called, or a different registry): not the caller's not_found.
      return Status(ErrorCode::kInternal, "table " + id.ToString() + " uses storage '" +
                                              std::string(def.storage_id.str()) +
                                              "', which is not in the storage registry");
    }
    return TableEntryRef(MakeRef<TableEntry>(std::move(def), *storage));
  };
}

// ---- users and credentials ----

namespace {

constexpr std::string_view kNextCredentialsVersion = "next_credentials_version";

Status UserNotFound(const UserId& user) {
  return Status(ErrorCode::kNotFound, "user \"" + std::string(user.str()) + "\" does not exist");
}

Status BuiltinUnchangeable(const UserId& user, std::string_view what) {
  return Status(ErrorCode::kReservedName, "user \"" + std::string(user.str()) +
                                              "\" is built in; its " + std::string(what) +
                                              " cannot be changed");
}

}  // namespace

Result<uint64_t> PersistentCatalog::NextCredentialsVersion(rocksdb::WriteBatch* batch) const {
  const std::string key = CounterKey(kNextCredentialsVersion);
  TDB_ASSIGN_OR_RETURN(auto stored, store_->Get(KvFamily::kCatalog, key));
  uint64_t next = 1;  // 0 is the version of records written before credentials existed
  if (stored.has_value()) {
    TDB_ASSIGN_OR_RETURN(next, DecodeCounterValue(*stored));
  }
  batch->Put(store_->family(KvFamily::kCatalog), key, EncodeCounterValue(next + 1));
  return next;
}

Result<std::shared_ptr<const UserRecord>> PersistentCatalog::ReadUserRecord(
    const UserId& user) const {
  if (std::shared_ptr<const UserRecord> cached = user_records_.Find(user.str())) return cached;
  const uint64_t generation = user_records_.Generation();  // before the read: see the cache
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, UserKey(user)));
  if (!value.has_value()) return std::shared_ptr<const UserRecord>();
  TDB_ASSIGN_OR_RETURN(UserRecord record, DecodeUserValue(*value));
  auto shared = std::make_shared<const UserRecord>(std::move(record));
  user_records_.Insert(user.str(), shared, generation, user);
  return shared;
}

Result<UserRecord> PersistentCatalog::CreateUser(const UserId& user, Role role,
                                                 std::string password_hash) {
  if (user.empty()) return Status(ErrorCode::kInvalidArgument, "user name is empty");
  TDB_RETURN_IF_ERROR(user.CheckNotReserved());
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = UserKey(user);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (existing.has_value()) {
    return Status(ErrorCode::kAlreadyExists, "user " + std::string(user.str()) + " already exists");
  }
  rocksdb::WriteBatch batch;
  UserRecord record;
  record.role = role;
  TDB_ASSIGN_OR_RETURN(record.credentials_version, NextCredentialsVersion(&batch));
  record.created_us = clock_->NowUnixMicros();
  record.password_hash = std::move(password_hash);
  batch.Put(store_->family(KvFamily::kCatalog), key, EncodeUserValue(record));
  const Status written = store_->Write(&batch);
  user_records_.Invalidate(user.str());
  TDB_RETURN_IF_ERROR(written);
  return record;
}

Result<std::shared_ptr<const UserRecord>> PersistentCatalog::GetUserShared(
    const UserId& user) const {
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const UserRecord> record, ReadUserRecord(user));
  // A built-in principal's role is fixed: no stored record (even one written before its
  // id was reserved) can lower it.
  if (std::optional<Role> builtin = BuiltinUserRole(user.str());
      builtin && (record == nullptr || record->role != *builtin)) {
    UserRecord fixed = record != nullptr ? *record : UserRecord();
    fixed.role = *builtin;
    return std::shared_ptr<const UserRecord>(std::make_shared<const UserRecord>(std::move(fixed)));
  }
  return record;
}

Result<std::optional<UserRecord>> PersistentCatalog::GetUser(const UserId& user) const {
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const UserRecord> record, GetUserShared(user));
  if (record == nullptr) return std::optional<UserRecord>();
  return std::optional<UserRecord>(*record);
}

Result<std::optional<Role>> PersistentCatalog::GetUserRole(const UserId& user) const {
  if (std::optional<Role> builtin = BuiltinUserRole(user.str())) return builtin;
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const UserRecord> record, ReadUserRecord(user));
  if (record == nullptr) return std::optional<Role>();
  return std::optional<Role>(record->role);
}

Result<UserRecord> PersistentCatalog::UpdateUser(const UserId& user, std::optional<Role> role,
                                                 std::optional<std::string> password_hash) {
  if (!role && !password_hash) {
    return Status(ErrorCode::kInvalidArgument,
                  "nothing to change for user " + std::string(user.str()));
  }
  const bool builtin = BuiltinUserRole(user.str()).has_value();
  if (builtin && role) return BuiltinUnchangeable(user, "role");
  if (builtin && user.str() != kRootUserId) return BuiltinUnchangeable(user, "password");
  std::lock_guard<std::mutex> lock(ddl_mu_);
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const UserRecord> stored, ReadUserRecord(user));
  std::optional<UserRecord> record;
  if (stored != nullptr) record = *stored;
  if (!record.has_value()) {
    if (!builtin) return UserNotFound(user);
    record.emplace();  // root's first password: its record starts now
    record->created_us = clock_->NowUnixMicros();
  }
  if (builtin) record->role = Role::kSystem;
  rocksdb::WriteBatch batch;
  TDB_ASSIGN_OR_RETURN(record->credentials_version, NextCredentialsVersion(&batch));
  if (role) record->role = *role;
  if (password_hash) record->password_hash = std::move(*password_hash);
  batch.Put(store_->family(KvFamily::kCatalog), UserKey(user), EncodeUserValue(*record));
  const Status written = store_->Write(&batch);
  user_records_.Invalidate(user.str());
  TDB_RETURN_IF_ERROR(written);
  return std::move(*record);
}

Status PersistentCatalog::DropUser(const UserId& user) {
  if (BuiltinUserRole(user.str())) {
    return Status(ErrorCode::kReservedName,
                  "user \"" + std::string(user.str()) + "\" is built in and cannot be dropped");
  }
  std::lock_guard<std::mutex> lock(ddl_mu_);
  const std::string key = UserKey(user);
  TDB_ASSIGN_OR_RETURN(auto existing, store_->Get(KvFamily::kCatalog, key));
  if (!existing.has_value()) return UserNotFound(user);
  rocksdb::WriteBatch batch;
  batch.Delete(store_->family(KvFamily::kCatalog), key);
  const Status written = store_->Write(&batch);
  user_records_.Invalidate(user.str());
  return written;
}

Result<std::vector<std::pair<UserId, UserRecord>>> PersistentCatalog::ListUserRecords() const {
  std::vector<std::pair<UserId, UserRecord>> users;
  TDB_ASSIGN_OR_RETURN(UserId root, UserId::Make(kRootUserId));
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> root_record, GetUser(root));
  users.emplace_back(std::move(root), std::move(root_record).value_or(UserRecord{}));
  const std::string prefix = KindPrefix(CatalogRecordKind::kUser);
  TDB_RETURN_IF_ERROR(
      ScanPrefix(*store_, prefix, [&](std::string_view key, std::string_view value) -> Status {
        TDB_ASSIGN_OR_RETURN(UserId id, UserId::Make(key.substr(prefix.size())));
        if (BuiltinUserRole(id.str())) return Status::Ok();  // root is listed above
        TDB_ASSIGN_OR_RETURN(UserRecord record, DecodeUserValue(value));
        users.emplace_back(std::move(id), std::move(record));
        return Status::Ok();
      }));
  return users;
}

Result<std::vector<std::pair<UserId, Role>>> PersistentCatalog::ListUsers() const {
  TDB_ASSIGN_OR_RETURN(auto records, ListUserRecords());
  std::vector<std::pair<UserId, Role>> users;
  users.reserve(records.size());
  for (auto& [id, record] : records)
    users.emplace_back(std::move(id), record.role);
  return users;
}

// ---- revoked tokens ----

Status PersistentCatalog::RevokeToken(std::string_view token_id, int64_t expires_at_unix_s) {
  if (token_id.empty() || token_id.size() > kMaxTokenIdBytes) {
    return Status(ErrorCode::kInvalidArgument,
                  "a token id must have 1 to " + std::to_string(kMaxTokenIdBytes) + " bytes");
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), RevokedTokenKey(token_id),
            EncodeRevokedTokenValue(expires_at_unix_s));
  return store_->Write(&batch);
}

Result<bool> PersistentCatalog::IsTokenRevoked(std::string_view token_id,
                                               int64_t now_unix_s) const {
  if (token_id.empty() || token_id.size() > kMaxTokenIdBytes) return false;
  TDB_ASSIGN_OR_RETURN(auto value, store_->Get(KvFamily::kCatalog, RevokedTokenKey(token_id)));
  if (!value.has_value()) return false;
  TDB_ASSIGN_OR_RETURN(int64_t expires, DecodeRevokedTokenValue(*value));
  return expires >= now_unix_s;
}

Result<size_t> PersistentCatalog::PruneRevokedTokens(int64_t now_unix_s) {
  rocksdb::WriteBatch batch;
  size_t pruned = 0;
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, KindPrefix(CatalogRecordKind::kRevokedToken),
                                 [&](std::string_view key, std::string_view value) -> Status {
                                   auto expires = DecodeRevokedTokenValue(value);
                                   // An entry that does not decode is useless: drop it too.
                                   if (!expires.ok() || *expires < now_unix_s) {
                                     batch.Delete(store_->family(KvFamily::kCatalog),
                                                  rocksdb::Slice(key.data(), key.size()));
                                     ++pruned;
                                   }
                                   return Status::Ok();
                                 }));
  if (pruned > 0) TDB_RETURN_IF_ERROR(store_->Write(&batch));
  return pruned;
}

// ---- flush manifests ----

Result<Manifest> PersistentCatalog::ReadManifest(uint32_t table_number, const UserId& user) const {
  Manifest manifest;
  TDB_ASSIGN_OR_RETURN(auto counter,
                       store_->Get(KvFamily::kCatalog, ManifestCounterKey(table_number, user)));
  if (counter.has_value()) {
    manifest.claimed = true;
    TDB_ASSIGN_OR_RETURN(manifest.next_batch_number, DecodeCounterValue(*counter));
  }
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, ManifestFileKeyPrefix(table_number, user),
                                 [&](std::string_view, std::string_view value) {
                                   TDB_ASSIGN_OR_RETURN(ManifestFile file,
                                                        DecodeManifestFileValue(value));
                                   manifest.files.push_back(std::move(file));
                                   return Status::Ok();
                                 }));
  return manifest;
}

Result<bool> PersistentCatalog::HasManifest(uint32_t table_number, const UserId& user) const {
  TDB_ASSIGN_OR_RETURN(auto counter,
                       store_->Get(KvFamily::kCatalog, ManifestCounterKey(table_number, user)));
  return counter.has_value();
}

void PersistentCatalog::AppendManifestUpdate(rocksdb::WriteBatch* batch, uint32_t table_number,
                                             const UserId& user, const ManifestFile& file) const {
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  batch->Put(cf, ManifestFileKey(table_number, user, file.batch_number),
             EncodeManifestFileValue(file));
  batch->Put(cf, ManifestCounterKey(table_number, user), EncodeCounterValue(file.batch_number + 1));
}

Status PersistentCatalog::ClaimManifest(uint32_t table_number, const UserId& user) {
  TDB_ASSIGN_OR_RETURN(bool exists, HasManifest(table_number, user));
  if (exists) return Status::Ok();
  rocksdb::WriteBatch batch;
  batch.Put(store_->family(KvFamily::kCatalog), ManifestCounterKey(table_number, user),
            EncodeCounterValue(1));
  return store_->Write(&batch);
}

Result<std::vector<UserId>> PersistentCatalog::ListManifestUsers(uint32_t table_number) const {
  std::vector<UserId> users;
  const std::string prefix = ManifestCounterTableKeyPrefix(table_number);
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, prefix, [&](std::string_view key, std::string_view) {
    const std::string_view name = key.substr(prefix.size());
    if (name.empty()) {
      users.emplace_back();  // a SHARED table's manifest
      return Status::Ok();
    }
    auto user = UserId::Make(name);
    if (!user.ok()) return Status(ErrorCode::kCorruption, "a manifest key with a bad user id");
    users.push_back(std::move(user).value());
    return Status::Ok();
  }));
  return users;
}

Status PersistentCatalog::DeleteManifest(uint32_t table_number, const UserId& user) {
  rocksdb::ColumnFamilyHandle* cf = store_->family(KvFamily::kCatalog);
  rocksdb::WriteBatch batch;
  TDB_RETURN_IF_ERROR(ScanPrefix(*store_, ManifestFileKeyPrefix(table_number, user),
                                 [&](std::string_view key, std::string_view) {
                                   batch.Delete(cf, rocksdb::Slice(key.data(), key.size()));
                                   return Status::Ok();
                                 }));
  batch.Delete(cf, ManifestCounterKey(table_number, user));
  return store_->Write(&batch);
}

Result<std::vector<PendingErasure>> PersistentCatalog::ListPendingErasures() const {
  std::vector<PendingErasure> out;
  TDB_RETURN_IF_ERROR(ScanPrefix(
      *store_, KindPrefix(CatalogRecordKind::kPendingErasure),
      [&](std::string_view key, std::string_view value) {
        if (key.size() != 5) {
          return Status(ErrorCode::kCorruption, "a pending-erasure key of the wrong size");
        }
        uint32_t n = 0;
        for (size_t i = 1; i < 5; ++i)
          n = (n << 8) | static_cast<uint8_t>(key[i]);
        TDB_ASSIGN_OR_RETURN(PendingErasure e, DecodePendingErasureValue(n, value));
        out.push_back(std::move(e));
        return Status::Ok();
      }));
  return out;
}

Status PersistentCatalog::FinishErasure(uint32_t table_number) {
  bool manifests_left = false;
  for (const std::string& prefix :
       {ManifestTableKeyPrefix(table_number), ManifestCounterTableKeyPrefix(table_number)}) {
    TDB_RETURN_IF_ERROR(ScanPrefix(*store_, prefix, [&](std::string_view, std::string_view) {
      manifests_left = true;
      return Status::Ok();
    }));
  }
  if (manifests_left) {
    return Status(ErrorCode::kInternal, "table number " + std::to_string(table_number) +
                                            " still has manifests; erase their files first");
  }
  rocksdb::WriteBatch batch;
  batch.Delete(store_->family(KvFamily::kCatalog), PendingErasureKey(table_number));
  return store_->Write(&batch);
}

void PersistentCatalog::AppendManifestRemoval(rocksdb::WriteBatch* batch, uint32_t table_number,
                                              const UserId& user, uint64_t batch_number) const {
  batch->Delete(store_->family(KvFamily::kCatalog),
                ManifestFileKey(table_number, user, batch_number));
}

}  // namespace tenantdb
