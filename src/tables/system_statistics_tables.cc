// system.table_statistics and system.column_statistics: the figures the planner
// estimates from (storage/table_statistics_store.h), one row per table / per column of an
// analyzed table. Built on each scan, like the other system tables.
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "storage/table_store.h"
#include "tables/system_table_provider.h"

namespace tenantdb {

namespace {

Value BigIntOrNull(int64_t v) {
  return v >= 0 ? Value::BigInt(v) : Value::Null(DataType::kBigInt);
}

Value DoubleOrNull(double v) {
  return v >= 0 ? Value::Double(v) : Value::Null(DataType::kDouble);
}

Value TextOf(const std::optional<Value>& v) {
  return v.has_value() ? Value::Text(v->ToString()) : Value::Null(DataType::kText);
}

}  // namespace

Status SystemTableProvider::FillStatistics(const RequestContext& ctx, Batch* out) const {
  const SystemSources& src = *ctx.system;
  if (src.tables == nullptr || src.cache == nullptr) return Status::Ok();
  const bool all = CanSeeAllUsersActivity(ctx.role);
  TDB_ASSIGN_OR_RETURN(auto namespaces, src.catalog->ListNamespaces());
  for (const NamespaceInfo& ns : namespaces) {
    TDB_ASSIGN_OR_RETURN(auto tables, src.catalog->ListTables(ns.id));
    for (const TableDefinition& t : tables) {
      // Per-user tables' figures sum up every user's rows: dba and system only. SHARED
      // tables: whoever may read them.
      if (!all && t.type != TableType::kShared) continue;
      auto entry = src.cache->Get(t.id);
      if (!entry.ok()) {
        if (entry.status().code() == ErrorCode::kNotFound) continue;  // dropped meanwhile
        return entry.status();
      }
      const auto& provider = static_cast<const TableProvider&>(**entry);
      if (!all && !provider.CheckRead(ctx).ok()) continue;
      auto estimate = src.tables->statistics().Get(provider, nullptr);
      if (!estimate.ok()) return estimate.status();
      const Value ns_name = Value::Text(std::string(t.id.ns().str()));
      const Value table_name = Value::Text(std::string(t.id.table().str()));
      const TableStatsRecord* analyzed = estimate->analyzed.get();
      if (kind_ == SystemTableKind::kTableStatistics) {
        const RowCounts::Figures& c = estimate->counts;
        TDB_RETURN_IF_ERROR(
            out->AppendRow({ns_name, table_name, Value::Text(std::string(TableTypeName(t.type))),
                            c.known ? Value::BigInt(c.rows) : Value::Null(DataType::kBigInt),
                            c.known ? BigIntOrNull(c.users) : Value::Null(DataType::kBigInt),
                            analyzed != nullptr ? Value::TimestampTz(analyzed->analyzed_us)
                                                : Value::Null(DataType::kTimestampTz),
                            analyzed != nullptr ? BigIntOrNull(analyzed->analyzed_rows)
                                                : Value::Null(DataType::kBigInt)}));
        continue;
      }
      if (analyzed == nullptr) continue;
      const Schema& schema = *provider.schema();
      for (size_t i = 0; i < schema.num_fields(); ++i) {
        const Field& f = schema.field(i);
        for (const ColumnStatsRecord& c : analyzed->columns) {
          if (f.id == 0 || c.column_id != f.id) continue;
          TDB_RETURN_IF_ERROR(
              out->AppendRow({ns_name, table_name, Value::Text(f.name),
                              Value::Int(static_cast<int32_t>(i + 1)), DoubleOrNull(c.distinct),
                              DoubleOrNull(c.null_fraction), TextOf(c.min), TextOf(c.max)}));
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace tenantdb
