// SystemTableProvider and SystemTables: the read-only `system` namespace.
//
//   system.namespaces  namespace_id, created_at
//   system.tables      namespace_id, table_name, table_type, table_number, schema_version,
//                      storage_id, flush_policy, ttl_seconds, access_level, primary_key
//                      (its columns, comma-separated), created_at
//   system.columns     namespace_id, table_name, column_name, ordinal_position,
//                      data_type, is_nullable, is_primary_key, column_default
//   system.storages    storage_id, base_directory, user_tables_template,
//                      shared_tables_template
//   system.users       user_id, role, has_password, created_at (never a password hash)
//   system.jobs        job_id, job_name, started_at, finished_at, status, detail
//   system.stats       metric_name, metric_value: cache hits / misses / evictions /
//                      entries / capacity / hit rate, unique schemas, schema intern calls,
//                      dedup rate, process heap bytes
//   system.table_statistics   namespace_id, table_name, table_type, row_count,
//                      user_count, analyzed_at, analyzed_rows: the planner's row figures
//                      (storage/table_statistics_store.h; NULL where unknown)
//   system.column_statistics  namespace_id, table_name, column_name, ordinal_position,
//                      distinct_values, null_fraction, min_value, max_value (as text):
//                      the last ANALYZE's figures, one row per column of analyzed tables
//
// Rows are built on each scan from ctx.system (catalog, cache, pool, storages and the
// engine's job and user lists), so they are always current and cost nothing at rest.
// Every role may read them, and sees what is its own or global and harmless: role user
// sees only its own row of system.users; below dba, system.jobs' detail is NULL and
// system.stats leaves out the figures that count every user's activity (cache hits,
// heap bytes, row cache), since they tell one user about the others' data
// (CanSeeAllUsersActivity). For the same reason the two statistics tables show roles
// below dba only the SHARED tables they may read (a USER table's counts and min / max
// sum up every user's rows). Any write fails with insufficient_privilege.
// Thread safety: immutable; see table_provider.h.
#pragma once

#include <vector>

#include "tables/table_provider.h"

namespace tenantdb {

inline constexpr std::string_view kSystemNamespace = "system";

enum class SystemTableKind : uint8_t {
  kNamespaces,
  kTables,
  kColumns,
  kStorages,
  kUsers,
  kJobs,
  kStats,
  kTableStatistics,
  kColumnStatistics,
};

class SystemTableProvider final : public TableProvider {
 public:
  SystemTableProvider(TableDefinition definition, const StorageInfo* storage, SystemTableKind kind)
      : TableProvider(std::move(definition), storage), kind_(kind) {}

  Status CheckRead(const RequestContext& ctx) const override;
  Status CheckWrite(const RequestContext& ctx) const override;
  Result<BatchStreamPtr> Scan(const RequestContext& ctx, const ScanRequest& request) const override;
  Result<std::optional<std::vector<Value>>> Get(const RequestContext& ctx,
                                                const std::vector<Value>& key) const override;
  Status Write(const RequestContext& ctx, std::vector<HotWrite> writes, bool check_now,
               bool pack = false) const override;

 private:
  Status Fill(const RequestContext& ctx, Batch* out) const;
  Status FillUsers(const RequestContext& ctx, Batch* out) const;
  Status FillJobs(const RequestContext& ctx, Batch* out) const;
  // system.table_statistics and system.column_statistics (system_statistics_tables.cc).
  Status FillStatistics(const RequestContext& ctx, Batch* out) const;
  SystemTableKind kind_;
};

// The built-in system tables, made once per Engine.
class SystemTables {
 public:
  // `storage` is any registered storage (system tables store nothing; an entry needs one).
  explicit SystemTables(const StorageInfo* storage);
  // Error undefined_table naming the system tables.
  Result<TableEntryRef> Find(const TableId& id) const;
  const std::vector<RefPtr<SystemTableProvider>>& all() const { return tables_; }

 private:
  std::vector<RefPtr<SystemTableProvider>> tables_;
};

}  // namespace tenantdb
