#include "tables/system_table_provider.h"

#include <algorithm>
#include <string>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "common/heap_meter.h"
#include "storage/table_store.h"

namespace tenantdb {

namespace {

struct ColumnSpec {
  const char* name;
  DataType type;
};

struct TableSpec {
  const char* name;
  SystemTableKind kind;
  std::vector<ColumnSpec> columns;
};

const std::vector<TableSpec>& Specs() {
  static const auto* specs = new std::vector<TableSpec>{
      {"namespaces",
       SystemTableKind::kNamespaces,
       {{"namespace_id", DataType::kText}, {"created_at", DataType::kTimestampTz}}},
      {"tables",
       SystemTableKind::kTables,
       {{"namespace_id", DataType::kText},
        {"table_name", DataType::kText},
        {"table_type", DataType::kText},
        {"table_number", DataType::kBigInt},
        {"schema_version", DataType::kInt},
        {"storage_id", DataType::kText},
        {"flush_policy", DataType::kText},
        {"ttl_seconds", DataType::kInt},
        {"access_level", DataType::kText},
        {"primary_key", DataType::kText},
        {"created_at", DataType::kTimestampTz},
        {"indexes", DataType::kText}}},
      {"columns",
       SystemTableKind::kColumns,
       {{"namespace_id", DataType::kText},
        {"table_name", DataType::kText},
        {"column_name", DataType::kText},
        {"ordinal_position", DataType::kInt},
        {"data_type", DataType::kText},
        {"is_nullable", DataType::kBoolean},
        {"is_primary_key", DataType::kBoolean},
        {"column_default", DataType::kText}}},
      {"storages",
       SystemTableKind::kStorages,
       {{"storage_id", DataType::kText},
        {"base_directory", DataType::kText},
        {"user_tables_template", DataType::kText},
        {"shared_tables_template", DataType::kText}}},
      // Never a password hash: has_password says whether one is set.
      {"users",
       SystemTableKind::kUsers,
       {{"user_id", DataType::kText},
        {"role", DataType::kText},
        {"has_password", DataType::kBoolean},
        {"created_at", DataType::kTimestampTz}}},
      {"jobs",
       SystemTableKind::kJobs,
       {{"job_id", DataType::kBigInt},
        {"job_name", DataType::kText},
        {"started_at", DataType::kTimestampTz},
        {"finished_at", DataType::kTimestampTz},
        {"status", DataType::kText},
        {"detail", DataType::kText}}},
      {"stats",
       SystemTableKind::kStats,
       {{"metric_name", DataType::kText}, {"metric_value", DataType::kDouble}}},
      // Last, so the tables above keep their numbers.
      {"table_statistics",
       SystemTableKind::kTableStatistics,
       {{"namespace_id", DataType::kText},
        {"table_name", DataType::kText},
        {"table_type", DataType::kText},
        {"row_count", DataType::kBigInt},
        {"user_count", DataType::kBigInt},
        {"analyzed_at", DataType::kTimestampTz},
        {"analyzed_rows", DataType::kBigInt}}},
      {"column_statistics",
       SystemTableKind::kColumnStatistics,
       {{"namespace_id", DataType::kText},
        {"table_name", DataType::kText},
        {"column_name", DataType::kText},
        {"ordinal_position", DataType::kInt},
        {"distinct_values", DataType::kDouble},
        {"null_fraction", DataType::kDouble},
        {"min_value", DataType::kText},
        {"max_value", DataType::kText}}},
  };
  return *specs;
}

// The primary key's columns, comma-separated ("_rowid" for a SHARED table without one).
// "name (a, b), other UNIQUE (c)": the table's indexes in index-number order; NULL
// when it has none.
Value IndexesText(TableStore* store, const TableDefinition& t) {
  if (store == nullptr) return Value::Null(DataType::kText);
  HotIndexList list = store->hot().indexes().Get(t.table_number);
  if (list == nullptr || list->empty()) return Value::Null(DataType::kText);
  std::vector<HotIndex> sorted(list->begin(), list->end());
  std::sort(sorted.begin(), sorted.end(),
            [](const HotIndex& a, const HotIndex& b) { return a.index_number < b.index_number; });
  std::string out;
  for (const HotIndex& index : sorted) {
    auto positions = IndexColumnPositions(index, *t.schema);
    if (!positions.ok()) continue;
    std::string columns;
    for (size_t p : *positions)
      columns += (columns.empty() ? "" : ", ") + t.schema->field(p).name;
    out += (out.empty() ? "" : ", ") + index.name + (index.unique ? " UNIQUE (" : " (") + columns +
           ")";
  }
  return Value::Text(std::move(out));
}

std::string PrimaryKeyText(const Schema& schema) {
  std::string out;
  for (size_t i : schema.PrimaryKeyIndices())
    out += (out.empty() ? "" : ", ") + schema.field(i).name;
  return out;
}

Value TextOrNull(const std::string& s) {
  return s.empty() ? Value::Null(DataType::kText) : Value::Text(s);
}

}  // namespace

Status SystemTableProvider::CheckRead(const RequestContext&) const {
  return Status::Ok();
}

Status SystemTableProvider::CheckWrite(const RequestContext&) const {
  return Status(ErrorCode::kInsufficientPrivilege,
                "system table " + id().ToString() + " is read-only");
}

Result<std::optional<std::vector<Value>>> SystemTableProvider::Get(
    const RequestContext&, const std::vector<Value>&) const {
  return Status(ErrorCode::kFeatureNotSupported,
                "system table " + id().ToString() + " has no primary key");
}

Status SystemTableProvider::Write(const RequestContext& ctx, std::vector<HotWrite>, bool,
                                  bool) const {
  return CheckWrite(ctx);
}

Result<BatchStreamPtr> SystemTableProvider::Scan(const RequestContext& ctx,
                                                 const ScanRequest&) const {
  if (ctx.system == nullptr) {
    return Status(ErrorCode::kInternal, "system table read without its sources");
  }
  Batch out(schema());
  TDB_RETURN_IF_ERROR(Fill(ctx, &out));
  // Small catalog views: built whole, then handed out as a stream.
  std::vector<Batch> batches;
  batches.push_back(std::move(out));
  return MakeVectorStream(std::move(batches));
}

Status SystemTableProvider::Fill(const RequestContext& ctx, Batch* out) const {
  const SystemSources& src = *ctx.system;
  switch (kind_) {
    case SystemTableKind::kNamespaces: {
      TDB_ASSIGN_OR_RETURN(auto namespaces, src.catalog->ListNamespaces());
      for (const NamespaceInfo& ns : namespaces) {
        TDB_RETURN_IF_ERROR(out->AppendRow(
            {Value::Text(std::string(ns.id.str())), Value::TimestampTz(ns.created_us)}));
      }
      // The built-in namespace of these tables, there since the epoch.
      TDB_RETURN_IF_ERROR(
          out->AppendRow({Value::Text(std::string(kSystemNamespace)), Value::TimestampTz(0)}));
      return Status::Ok();
    }
    case SystemTableKind::kTables:
    case SystemTableKind::kColumns: {
      TDB_ASSIGN_OR_RETURN(auto namespaces, src.catalog->ListNamespaces());
      for (const NamespaceInfo& ns : namespaces) {
        TDB_ASSIGN_OR_RETURN(auto tables, src.catalog->ListTables(ns.id));
        for (const TableDefinition& t : tables) {
          const Value ns_name = Value::Text(std::string(t.id.ns().str()));
          const Value table_name = Value::Text(std::string(t.id.table().str()));
          if (kind_ == SystemTableKind::kTables) {
            TDB_RETURN_IF_ERROR(out->AppendRow(
                {ns_name, table_name, Value::Text(std::string(TableTypeName(t.type))),
                 Value::BigInt(t.table_number), Value::Int(static_cast<int32_t>(t.schema_version)),
                 Value::Text(std::string(t.storage_id.str())),
                 TextOrNull(t.flush_policy.ToString()),
                 t.type == TableType::kStream ? Value::Int(static_cast<int32_t>(t.ttl_seconds))
                                              : Value::Null(DataType::kInt),
                 t.type == TableType::kShared
                     ? Value::Text(std::string(AccessLevelName(t.access_level)))
                     : Value::Null(DataType::kText),
                 Value::Text(PrimaryKeyText(*t.schema)), Value::TimestampTz(t.created_us),
                 IndexesText(src.tables, t)}));
            continue;
          }
          for (size_t i = 0; i < t.schema->num_fields(); ++i) {
            const Field& f = t.schema->field(i);
            TDB_RETURN_IF_ERROR(out->AppendRow(
                {ns_name, table_name, Value::Text(f.name), Value::Int(static_cast<int32_t>(i + 1)),
                 Value::Text(std::string(DataTypeName(f.type))), Value::Boolean(f.nullable),
                 Value::Boolean(f.primary_key), TextOrNull(f.default_expr)}));
          }
        }
      }
      return Status::Ok();
    }
    case SystemTableKind::kStorages: {
      TDB_ASSIGN_OR_RETURN(auto storages, src.catalog->ListStorages());
      // `local` is built in and not stored in the catalog.
      if (auto local = src.storages->Get(StorageId::Find("local")); local.ok()) {
        const StorageInfo& s = **local;
        TDB_RETURN_IF_ERROR(
            out->AppendRow({Value::Text(std::string(s.id.str())), Value::Text(s.base_directory),
                            Value::Text(s.user_tables_template.text()),
                            Value::Text(s.shared_tables_template.text())}));
      }
      for (const StorageSpec& spec : storages) {
        if (spec.id.str() == "local") continue;
        TDB_RETURN_IF_ERROR(out->AppendRow(
            {Value::Text(std::string(spec.id.str())), Value::Text(spec.base_directory),
             Value::Text(spec.user_template), Value::Text(spec.shared_template)}));
      }
      return Status::Ok();
    }
    case SystemTableKind::kUsers:
      return FillUsers(ctx, out);
    case SystemTableKind::kJobs:
      return FillJobs(ctx, out);
    case SystemTableKind::kTableStatistics:
    case SystemTableKind::kColumnStatistics:
      return FillStatistics(ctx, out);
    case SystemTableKind::kStats: {
      const SchemaCache::Stats cache = src.cache->stats();
      const SchemaPool::Stats pool = src.pool->stats();
      // Figures that describe configuration or the catalog everyone can read are global
      // and harmless; the others count every user's requests and memory.
      struct Metric {
        const char* name;
        double value;
        bool counts_activity;
      };
      const Metric metrics[] = {
          {"cache_hits", double(cache.hits), true},
          {"cache_misses", double(cache.misses), true},
          {"cache_evictions", double(cache.evictions), true},
          {"cache_entries", double(cache.entries), true},
          {"cache_capacity", double(cache.capacity), false},
          {"cache_hit_rate", cache.hit_rate(), true},
          {"unique_schemas", double(pool.unique_schemas), false},
          {"schema_intern_calls", double(pool.intern_calls), true},
          {"schema_dedup_rate", pool.dedup_rate, false},
          {"heap_bytes", double(HeapBytesInUse()), true},
      };
      const bool all = CanSeeAllUsersActivity(ctx.role);
      for (const Metric& m : metrics) {
        if (m.counts_activity && !all) continue;
        TDB_RETURN_IF_ERROR(out->AppendRow({Value::Text(m.name), Value::Double(m.value)}));
      }
      if (src.tables != nullptr && all) {
        const HotUserCache::Stats rows = src.tables->hot().user_cache_stats();
        const std::pair<const char*, double> row_metrics[] = {
            {"row_cache_hits", double(rows.hits)},
            {"row_cache_misses", double(rows.misses)},
            {"row_cache_fills", double(rows.fills)},
            {"row_cache_evictions", double(rows.evictions)},
            {"row_cache_invalidations", double(rows.invalidations)},
            {"row_cache_entries", double(rows.entries)},
            {"row_cache_bytes", double(rows.bytes)},
        };
        for (const auto& [name, value] : row_metrics)
          TDB_RETURN_IF_ERROR(out->AppendRow({Value::Text(name), Value::Double(value)}));
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status SystemTableProvider::FillUsers(const RequestContext& ctx, Batch* out) const {
  if (!ctx.system->user_rows) return Status::Ok();
  // Role user sees its own row only: other user ids are other tenants' data. Roles that
  // act for users (service and up) see them all.
  const bool all = ctx.role >= Role::kService;
  for (const std::vector<Value>& row : ctx.system->user_rows()) {
    if (!all && (ctx.user == nullptr || row[0].as_bytes() != ctx.user->str())) continue;
    TDB_RETURN_IF_ERROR(out->AppendRow(row));
  }
  return Status::Ok();
}

Status SystemTableProvider::FillJobs(const RequestContext& ctx, Batch* out) const {
  if (!ctx.system->job_rows) return Status::Ok();
  // That a job ran, when, and whether it failed is global; its detail ("flushed 1 tables,
  // 12 rows", "expired 3 rows") or error message sums up every user's data.
  const size_t detail = schema()->num_fields() - 1;
  const bool all = CanSeeAllUsersActivity(ctx.role);
  for (std::vector<Value>& row : ctx.system->job_rows()) {
    if (!all) row[detail] = Value::Null(DataType::kText);
    TDB_RETURN_IF_ERROR(out->AppendRow(row));
  }
  return Status::Ok();
}

SystemTables::SystemTables(const StorageInfo* storage) {
  // The names are made once per process and never freed (the tables always exist).
  const NamespaceId ns = NamespaceId::Make(kSystemNamespace).value();
  ns.MakeImmortal();
  uint32_t number = 0;
  for (const TableSpec& spec : Specs()) {
    std::vector<Field> fields;
    for (const ColumnSpec& c : spec.columns)
      fields.push_back(Field{c.name, c.type, true, false, ""});
    TableDefinition def;
    const TableName name = TableName::Make(spec.name).value();
    name.MakeImmortal();
    def.id = TableId(ns, name);
    def.table_number = ++number;
    def.type = TableType::kSystem;
    def.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
    def.storage_id = storage->id;
    tables_.push_back(MakeRef<SystemTableProvider>(std::move(def), storage, spec.kind));
  }
}

Result<TableEntryRef> SystemTables::Find(const TableId& id) const {
  for (const auto& t : tables_) {
    if (t->id() == id) return TableEntryRef(t);
  }
  return Status(ErrorCode::kUndefinedTable,
                "relation \"" + id.ToString() +
                    "\" does not exist; the system tables are namespaces, tables, columns, "
                    "storages, users, jobs, stats, table_statistics and column_statistics");
}

}  // namespace tenantdb
