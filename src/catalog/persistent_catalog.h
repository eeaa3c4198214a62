// PersistentCatalog: namespaces, tables with every schema version, storages, the table
// number counter and flush manifests, stored in the KvStore's `catalog` family (layout
// in catalog_codec.h). The source of truth behind the SchemaCache: a cache miss calls
// Loader(), which reads one table from here.
//
// Lazy: Open() reads one counter and nothing else, so opening a catalog of a million
// tables costs what opening RocksDB costs; tables are read when first asked for. The
// catalog keeps no per-table state in memory at all (the SchemaCache is the one cache);
// it remembers recently read user records (user_record_cache.h), which every bearer-token
// check reads.
//
// Every mutation is one RocksDB WriteBatch (atomic) written through KvStore::Write
// (synced to the WAL when the store is opened with sync_writes). DDL is serialized by
// one mutex; reads take no lock of ours (RocksDB reads are thread-safe). DDL does not
// touch any SchemaCache: the caller invalidates the cache after a successful change.
//
// Table numbers start at kFirstTableNumber (lower ones are kept for built-in tables),
// are allocated under the DDL mutex and persisted in the same batch as the table, and
// are never reused, even after a drop and a restart.
//
// Complexity: point operations are one or two RocksDB reads and one write; listing and
// cascading drops scan the namespace's key range.
//
// Thread safety: every method may be called concurrently. The KvStore and SchemaPool
// passed to Open() must outlive the catalog, and so must the Clock that stamps created
// times (namespaces, tables, schema versions).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "catalog/catalog_records.h"
#include "catalog/role.h"
#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "catalog/table_definition.h"
#include "catalog/table_stats_record.h"
#include "catalog/user_record_cache.h"
#include "common/status.h"
#include "ids/identifier.h"
#include "ids/table_id.h"
#include "kv/kv_store.h"
#include "tenantdb/clock.h"

namespace rocksdb {
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

class PersistentCatalog {
 public:
  static constexpr uint32_t kFirstTableNumber = 1024;

  // Opens the catalog stored in `store` (an empty store is an empty catalog). Reads only
  // the table-number counter. Errors: io_error, corruption.
  static Result<std::unique_ptr<PersistentCatalog>> Open(KvStore* store, SchemaPool* pool,
                                                         const Clock* clock = &Clock::System());
  PersistentCatalog(const PersistentCatalog&) = delete;
  PersistentCatalog& operator=(const PersistentCatalog&) = delete;

  // Extra operations a caller adds to the batch of a drop, for each table dropped: the
  // hot-row layer range-deletes the table's rows here so they go in the same batch.
  using DropHook = std::function<void(rocksdb::WriteBatch*, const TableDefinition&)>;

  // ---- namespaces ----
  // Errors: reserved_name (`system`, `information_schema`, `pg_*`), already_exists.
  Status CreateNamespace(const NamespaceId& ns, NamespaceOptions options = {});
  // Without `cascade`, a namespace that still has tables is an invalid_argument error;
  // with it, its tables go in the same batch, each as DropTable drops one.
  // Errors: not_found, reserved_name, invalid_argument.
  Status DropNamespace(const NamespaceId& ns, bool cascade, const DropHook& hook = {});
  // Error: not_found.
  Result<NamespaceInfo> GetNamespace(const NamespaceId& ns) const;
  // Ok when `ns` exists, else not_found. Names found are remembered (DropNamespace
  // forgets them), so the check every request that names a namespace makes is no read.
  Status NamespaceExists(const NamespaceId& ns) const;
  // In name order.
  Result<std::vector<NamespaceInfo>> ListNamespaces() const;

  // ---- tables ----
  // Validates `definition` (TableDefinition::Validate), assigns its table_number,
  // schema_version 1 and, when its columns have none, column ids 1..n, and stores it; an empty
  // storage_id means `local`. Returns the stored definition. Errors: invalid_argument,
  // reserved_name (namespace `system` and the other reserved ones), not_found (namespace or
  // storage), already_exists.
  Result<TableDefinition> CreateTable(TableDefinition definition);
  // Creates all or none of `definitions` in one batch (bulk loads, tests, benchmarks).
  // Errors as CreateTable, for the first definition that fails. `hook` runs under the
  // DDL mutex for each table once its number is assigned: it adds to the same batch what
  // must be created with the table, taking numbers from `*next_number` (the table-number
  // counter, advanced past what it takes); its error writes nothing and is returned.
  using CreateHook = std::function<Status(rocksdb::WriteBatch*, const TableDefinition& created,
                                          uint64_t* next_number)>;
  Result<std::vector<TableDefinition>> CreateTables(std::vector<TableDefinition> definitions,
                                                    const CreateHook& hook = {});
  // ---- constraints (persistent_catalog_constraints.cc) ----
  // CREATE TABLE with UNIQUE and CHECK constraints, in one batch with the table: each
  // (name, record) of `unique` becomes a ready index (the table is empty) numbered from
  // the table-number counter, and `checks` the table's check record. Returns the table
  // and the indexes as stored. `publish` sees them under the DDL mutex just before the
  // batch is written (so the caller can make them known in memory before the table can
  // be found); when the write then fails, the caller undoes what it published. Errors:
  // those of CreateTable; duplicate_table when an index name is taken by a relation of
  // the namespace.
  struct CreatedTable {
    TableDefinition table;
    std::vector<std::pair<std::string, IndexRecord>> indexes;
  };
  Result<CreatedTable> CreateTableWithConstraints(
      TableDefinition definition, std::vector<std::pair<std::string, IndexRecord>> unique,
      std::vector<CheckConstraint> checks,
      const std::function<void(const CreatedTable&)>& publish = {});
  // Calls `fn` for every table with CHECK constraints (at open), in table-number order.
  Status ForEachChecks(
      const std::function<Status(uint32_t, std::vector<CheckConstraint>)>& fn) const;
  // Makes `schema` the current one as version current+1; earlier versions stay readable
  // through GetSchemaVersion (rows and files written under them need them). `schema` was
  // derived from version `base_version`, which must still be the current one. Its columns
  // keep the ids of the current version's columns they are, and new columns take ids
  // from NextColumnId() up: ids are never reused (field.h). The primary key (column
  // names, types and order) may not change: every stored row is keyed by it; the one
  // exception, a SHARED table's generated `_rowid` key replaced by columns of its own,
  // needs a `hook` that rewrites the rows (TableStore::RewriteWithKey).
  // Errors: not_found; serialization_failure when another ALTER got there first;
  // invalid_argument (key changed, an id reused or missing).
  // `hook` adds to the same batch what must change with the schema, atomically (a
  // rewrite of the rows under a new key); its error writes nothing and is returned.
  using AlterHook = std::function<Status(rocksdb::WriteBatch*, const TableDefinition& next)>;
  Result<TableDefinition> AlterTable(const TableId& id, uint32_t base_version,
                                     std::shared_ptr<const Schema> schema,
                                     const AlterHook& hook = {});
  // The smallest column id no version of the table has used: the id of the next column
  // ALTER TABLE ... ADD COLUMN adds. O(schema versions). Errors: not_found, corruption.
  Result<uint32_t> NextColumnId(const TableId& id) const;
  // Changes the options that do not affect stored data (flush policy, access level,
  // TTL); unset members stay as they are. No new schema version. Errors: not_found,
  // invalid_argument (the result fails TableDefinition::Validate).
  struct TableOptionsChange {
    std::optional<FlushPolicy> flush_policy;
    std::optional<AccessLevel> access_level;
    std::optional<uint32_t> ttl_seconds;
  };
  Result<TableDefinition> AlterTableOptions(const TableId& id, const TableOptionsChange& change);
  // Removes the table and all its schema versions in one batch (plus what `hook` adds),
  // and in the same batch records a PendingErasure: the table's manifests stay until the
  // erasure job has deleted the files they name (ListPendingErasures). Error: not_found.
  Status DropTable(const TableId& id, const DropHook& hook = {});
  // The current definition, schema interned through the pool. Errors: not_found,
  // corruption.
  Result<TableDefinition> GetTable(const TableId& id) const;
  // Version `version` of a table's schema. Errors: not_found, corruption.
  Result<std::shared_ptr<const Schema>> GetSchemaVersion(uint32_t table_number,
                                                         uint32_t version) const;
  // The tables of `ns` in name order. Errors: not_found (namespace), corruption.
  Result<std::vector<TableDefinition>> ListTables(const NamespaceId& ns) const;
  // The table numbered `table_number` (for jobs that start from a hot-row key, which
  // begins with the number). Errors: not_found (never created, or dropped), corruption.
  Result<TableId> FindTableByNumber(uint32_t table_number) const;
  // Calls `fn` for every table in (namespace, name) order without reading schemas
  // (system.tables, policy checks); stops at and returns the first error `fn` returns.
  Status ForEachTable(const std::function<Status(const TableId&, const TableRecord&)>& fn) const;

  // ---- views (persistent_catalog_views.cc) ----
  // Stores `view` as `id`. With `replace`, an existing view of that name is overwritten
  // (its created time kept). Errors: reserved_name, not_found (namespace), already_exists
  // (a table of that name, or a view when not `replace`).
  Status CreateView(const TableId& id, ViewRecord view, bool replace);
  // Removes the views in one batch. Error: not_found (the first missing one).
  Status DropViews(const std::vector<TableId>& ids);
  // The view `id`, or nullopt. Errors: io_error, corruption.
  Result<std::optional<ViewRecord>> GetView(const TableId& id) const;
  // Calls `fn` for every view of `ns` (every namespace when `ns` is empty) in
  // (namespace, name) order; stops at and returns the first error `fn` returns.
  Status ForEachView(const NamespaceId& ns,
                     const std::function<Status(const TableId&, const ViewRecord&)>& fn) const;

  // ---- secondary indexes (persistent_catalog_indexes.cc) ----
  // Records `index` (not ready) under (ns, name) with a fresh index_number from the
  // table-number counter, which it returns. Errors: duplicate_table (an index or a table
  // of that name in `ns`, 42P07 as in PostgreSQL), not_found (namespace).
  Result<IndexRecord> CreateIndex(const NamespaceId& ns, const std::string& name,
                                  IndexRecord index);
  // Marks the index built. Error: not_found.
  Status SetIndexReady(const NamespaceId& ns, const std::string& name);
  // Removes the index's record, and with `batch_extra` adds the caller's operations (the
  // removal of its entries) to the same batch. Error: not_found.
  Status DropIndex(
      const NamespaceId& ns, const std::string& name,
      const std::function<void(rocksdb::WriteBatch*, const IndexRecord&)>& batch_extra = {});
  // The index (ns, name), or nullopt.
  Result<std::optional<IndexRecord>> GetIndex(const NamespaceId& ns, const std::string& name) const;
  // Calls `fn` for every index of every namespace, in (namespace, name) order.
  Status ForEachIndex(const std::function<Status(const NamespaceId&, const std::string&,
                                                 const IndexRecord&)>& fn) const;

  // ---- relation names (persistent_catalog_names.cc), for "did you mean" hints ----
  // Whether `id` names a table or a view. One or two point reads.
  Result<bool> RelationExists(const TableId& id) const;
  // The names of up to `limit` tables, then up to `limit` views, of `ns` (keys only: no
  // schema is read).
  Result<std::vector<std::string>> ListRelationNames(const NamespaceId& ns, size_t limit) const;

  // ---- storages ----
  // Validates `spec` like StorageRegistry::Add, persists it, then adds it to `registry`.
  // Errors: already_exists (persisted or in the registry, e.g. `local`),
  // invalid_path_template, invalid_argument.
  Result<const StorageInfo*> RegisterStorage(StorageRegistry* registry, StorageSpec spec);
  // The persisted storages in id order (not `local`, which every registry builds in).
  Result<std::vector<StorageSpec>> ListStorages() const;
  // Adds every persisted storage to `registry` (call once after Open).
  Status LoadStorages(StorageRegistry* registry) const;

  // ---- users and credentials ----
  // Every change below takes the next value of one catalog-wide counter as the user's
  // credentials_version, in the same batch as the change: versions only grow, so a
  // user dropped and created again never gets back a version an old token carries.
  // The catalog stores password hashes (password_hash.h), never passwords; callers hash
  // before calling (and outside any lock: hashing takes tens of milliseconds).
  //
  // Records a user with `role` and `password_hash` (empty: no password; such a user
  // cannot log in). Errors: already_exists, reserved_name, invalid_argument.
  Result<UserRecord> CreateUser(const UserId& user, Role role, std::string password_hash = {});
  // The stored user: for a built-in principal its fixed role over whatever is stored
  // (`root` exists without a record: no password, version 0). nullopt for a user never
  // created (such users act with role `user`: a USER table's rows need no registration).
  Result<std::optional<UserRecord>> GetUser(const UserId& user) const;
  // GetUser() without the copy (a request's credentials check reads the role and version,
  // not the hash): null for a user never created. Shared with the record cache.
  Result<std::shared_ptr<const UserRecord>> GetUserShared(const UserId& user) const;
  // Changes whenever a user record is written (after the write, before it returns to its
  // caller): equal values before and after a read mean no user changed in between.
  uint64_t UserRecordsGeneration() const { return user_records_.Generation(); }
  // The role part of GetUser().
  Result<std::optional<Role>> GetUserRole(const UserId& user) const;
  // Changes the role and/or replaces the password hash (empty: removes the password)
  // in one batch, advancing the version once. `root` may get a password (its record is
  // written then) but no other role; `system` (the engine's own id) neither. Errors:
  // not_found, reserved_name, invalid_argument (nothing to change).
  Result<UserRecord> UpdateUser(const UserId& user, std::optional<Role> role,
                                std::optional<std::string> password_hash);
  Result<UserRecord> SetUserPassword(const UserId& user, std::string password_hash) {
    return UpdateUser(user, std::nullopt, std::move(password_hash));
  }
  Result<UserRecord> SetUserRole(const UserId& user, Role role) {
    return UpdateUser(user, role, std::nullopt);
  }
  // Removes the user's record (not its rows). Errors: not_found, reserved_name.
  Status DropUser(const UserId& user);
  // Every user: the built-in `root`, then the created users in id order.
  Result<std::vector<std::pair<UserId, UserRecord>>> ListUserRecords() const;
  // ListUserRecords() with the roles only.
  Result<std::vector<std::pair<UserId, Role>>> ListUsers() const;

  // ---- revoked tokens: token id (a JWT's jti) -> expiry, Unix seconds ----
  // Errors: invalid_argument (an empty or over-long id), io_error.
  Status RevokeToken(std::string_view token_id, int64_t expires_at_unix_s);
  // Whether `token_id` is recorded with an expiry not before `now_unix_s`.
  Result<bool> IsTokenRevoked(std::string_view token_id, int64_t now_unix_s) const;
  // Deletes the entries that expired before `now_unix_s` (their tokens fail on expiry
  // anyway); returns how many. One scan of the revoked-token keys.
  Result<size_t> PruneRevokedTokens(int64_t now_unix_s);
  static constexpr size_t kMaxTokenIdBytes = 128;

  // ---- the SchemaCache ----
  // A loader that builds a TableEntry from the stored definition, with its storage from
  // `registry`. not_found for missing tables. The catalog and `registry` must outlive
  // the cache that calls the loader.
  SchemaCache::Loader Loader(const StorageRegistry& registry) const;

  // ---- flush manifests ----
  // The manifest owner of a table's rows: `user`, or the empty id for SHARED tables.
  static const UserId& ManifestUser(const UserId* user) {
    static const UserId kShared;
    return user != nullptr ? *user : kShared;
  }
  // The files recorded for (table_number, user); `user` empty for SHARED tables.
  // Errors: io_error, corruption.
  Result<Manifest> ReadManifest(uint32_t table_number, const UserId& user) const;
  // Whether a flush ever claimed (ClaimManifest) or recorded a file for (table, user):
  // one point read, where ReadManifest scans. Reads use it to skip the cold tier of
  // users who have none.
  Result<bool> HasManifest(uint32_t table_number, const UserId& user) const;
  // Adds to `batch` (the flush's own batch, which also deletes the flushed hot rows) the
  // record of `file` and advances the next batch number past file.batch_number. Does not
  // write; the manifest changes when the caller's batch does. The caller serializes
  // flushes of one (table, user) and takes the batch number from ReadManifest().
  void AppendManifestUpdate(rocksdb::WriteBatch* batch, uint32_t table_number, const UserId& user,
                            const ManifestFile& file) const;
  // Adds to `batch` the removal of file `batch_number` (after compaction replaced it).
  void AppendManifestRemoval(rocksdb::WriteBatch* batch, uint32_t table_number, const UserId& user,
                             uint64_t batch_number) const;

  // Records that (table_number, user) may get cold files, before the first one is
  // written (a no-op when a manifest exists): a file left by a flush that crashed before
  // its manifest update is then still found by the erasure of a dropped table, which
  // visits exactly the users with a manifest. HasManifest is true from here on.
  Status ClaimManifest(uint32_t table_number, const UserId& user);
  // The users with a manifest of `table_number` (the empty id for a SHARED table's), in
  // key order. Errors: io_error, corruption.
  Result<std::vector<UserId>> ListManifestUsers(uint32_t table_number) const;
  // Deletes the manifest of (table_number, user): every file record and the counter.
  // Only for dropped tables, once their files are gone (a live table's manifest counter
  // must never go back: batch numbers are never reused).
  Status DeleteManifest(uint32_t table_number, const UserId& user);

  // ---- erasure of dropped tables' cold files ----
  // The dropped tables whose files may still be on disk, in table-number order.
  Result<std::vector<PendingErasure>> ListPendingErasures() const;
  // Removes the record of `table_number`'s erasure. Error: internal while a manifest of
  // the table is left (its files might still be on disk).
  Status FinishErasure(uint32_t table_number);

  // ---- table statistics (table_stats_record.h; persistent_catalog_stats.cc) ----
  // The statistics record of `table_number`, or nullopt when it has none (a table made
  // before statistics existed, or dropped). CreateTables writes an empty one (no rows)
  // and the drop of a table deletes it in the same batch. Errors: io_error, corruption.
  Result<std::optional<TableStatsRecord>> ReadTableStats(uint32_t table_number) const;
  // Writes the records, in one batch, skipping tables dropped meanwhile (checked under
  // the DDL lock, so a record never outlives its table). Errors: io_error.
  Status WriteTableStats(const std::vector<std::pair<uint32_t, TableStatsRecord>>& records);

  // The number the next CreateTable will use.
  uint32_t next_table_number() const;

 private:
  struct PrivateTag {};

 public:
  PersistentCatalog(PrivateTag, KvStore* store, SchemaPool* pool, const Clock* clock,
                    uint32_t next_table_number);

 private:
  Result<std::optional<TableRecord>> ReadTableRecord(const TableId& id) const;
  Result<TableDefinition> ToDefinition(const TableId& id, const TableRecord& record) const;
  // Adds the deletion of `table` (record, versions, manifests, hook) to `batch`.
  Status StageDrop(rocksdb::WriteBatch* batch, const TableDefinition& table,
                   const DropHook& hook) const;
  Status CheckNamespaceExists(const NamespaceId& ns) const;
  Status CheckStorageExists(const StorageId& id) const;
  // Reads the credentials-version counter, puts its next value in `batch` and returns
  // the value to use. Call with ddl_mu_ held.
  Result<uint64_t> NextCredentialsVersion(rocksdb::WriteBatch* batch) const;
  // The stored user record (built-in principals included, role not fixed up).
  Result<std::shared_ptr<const UserRecord>> ReadUserRecord(const UserId& user) const;
  // The largest column id of any of versions 1..current_version.
  Result<uint32_t> MaxColumnId(uint32_t table_number, uint32_t current_version) const;
  // `schema` interned, with ids 1..n when its columns have none (a new table).
  Result<std::shared_ptr<const Schema>> WithFirstColumnIds(const Schema& schema) const;

  KvStore* const store_;
  SchemaPool* const pool_;
  const Clock* const clock_;
  mutable std::mutex ddl_mu_;
  uint32_t next_table_number_;  // guarded by ddl_mu_
  // Users' stored records, read on every bearer-token check; the user writes below are
  // the only writers of those keys and invalidate it.
  mutable UserRecordCache user_records_;
  // Namespaces known to exist (NamespaceExists); `namespace_drops_` counts drops, so a
  // lookup that raced one does not remember what it read before it.
  mutable std::mutex known_namespaces_mu_;
  mutable std::unordered_set<std::string> known_namespaces_;
  mutable uint64_t namespace_drops_ = 0;
};

}  // namespace tenantdb
