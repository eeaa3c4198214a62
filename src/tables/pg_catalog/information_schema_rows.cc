// The rows of information_schema's tables (pg_catalog_tables.h): tables, columns and
// constraints (primary key, UNIQUE, CHECK) of the tables the role may read, and every
// namespace.
#include <algorithm>
#include <string>

#include "catalog/check_registry.h"
#include "storage/table_store.h"

#include "tables/pg_catalog/pg_catalog_snapshot.h"
#include "tables/pg_catalog/pg_catalog_tables.h"
#include "tables/pg_catalog/pg_oids.h"

namespace tenantdb {

namespace {

Value Text(std::string s) {
  return Value::Text(std::move(s));
}
Value NullText() {
  return Value::Null(DataType::kText);
}
Value NullInt() {
  return Value::Null(DataType::kInt);
}
Value Int(int32_t v) {
  return Value::Int(v);
}

// numeric_precision of the numeric types (binary radix for integers and floats).
std::optional<int32_t> NumericPrecision(DataType type) {
  switch (type) {
    case DataType::kSmallInt:
      return 16;
    case DataType::kInt:
      return 32;
    case DataType::kBigInt:
      return 64;
    case DataType::kReal:
      return 24;
    case DataType::kDouble:
      return 53;
    default:
      return std::nullopt;
  }
}

// The UNIQUE constraints' indexes of table `table_number`, in creation order.
std::vector<HotIndex> UniqueConstraints(const SystemSources& src, uint32_t table_number) {
  std::vector<HotIndex> out;
  if (src.tables == nullptr || table_number == 0) return out;
  if (HotIndexList list = src.tables->hot().indexes().Get(table_number)) {
    for (const HotIndex& index : *list)
      if (index.constraint) out.push_back(index);
  }
  std::sort(out.begin(), out.end(),
            [](const HotIndex& a, const HotIndex& b) { return a.index_number < b.index_number; });
  return out;
}

}  // namespace

Status FillInformationSchema(PgCatalogKind kind, const RequestContext& ctx, Batch* out) {
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, LoadPgCatalogSnapshot(*ctx.system));
  const Value catalog = Text(std::string(kPgDatabaseName));
  if (kind == PgCatalogKind::kSchemata) {
    for (const std::string& ns : snap.namespaces) {
      TDB_RETURN_IF_ERROR(
          out->AppendRow({catalog, Text(PgNamespaceName(ns)), Text(std::string(kRootUserId)),
                          NullText(), NullText(), Text("UTF8"), NullText()}));
    }
    return Status::Ok();
  }
  for (const PgRelation& r : snap.relations) {
    if (!RelationAccessible(ctx, r, /*write=*/false)) continue;
    const Value schema = Text(PgNamespaceName(r.ns));
    const Value table = Text(r.name);
    const std::string pkey = r.name + "_pkey";
    switch (kind) {
      case PgCatalogKind::kTables:
        TDB_RETURN_IF_ERROR(
            out->AppendRow({catalog, schema, table,
                            Text(r.type == TableType::kSystem || r.is_view ? "VIEW" : "BASE TABLE"),
                            NullText(), NullText(), NullText(), NullText(), NullText(),
                            Text(RelationAccessible(ctx, r, /*write=*/true) ? "YES" : "NO"),
                            Text("NO"), NullText()}));
        break;
      case PgCatalogKind::kColumns:
        for (const auto& [attnum, f] : r.VisibleFields()) {
          const PgTypeInfo& t = PgTypeOf(f->type);
          const auto precision = NumericPrecision(f->type);
          const bool datetime = t.category == 'D';
          TDB_RETURN_IF_ERROR(
              out->AppendRow({catalog,
                              schema,
                              table,
                              Text(f->name),
                              Int(attnum),
                              f->default_expr.empty() ? NullText() : Text(f->default_expr),
                              Text(f->nullable ? "YES" : "NO"),
                              Text(std::string(t.format_name)),
                              NullInt(),
                              f->type == DataType::kText ? Int(1073741824) : NullInt(),
                              precision ? Int(*precision) : NullInt(),
                              precision ? Int(2) : NullInt(),
                              precision && *precision <= 64 && f->type != DataType::kReal &&
                                      f->type != DataType::kDouble
                                  ? Int(0)
                                  : NullInt(),
                              datetime ? Int(f->type == DataType::kDate ? 0 : 6) : NullInt(),
                              catalog,
                              Text("pg_catalog"),
                              Text(std::string(t.name)),
                              Text("NO"),
                              Text("NEVER"),
                              Text(RelationAccessible(ctx, r, /*write=*/true) ? "YES" : "NO")}));
        }
        break;
      case PgCatalogKind::kKeyColumnUsage: {
        int32_t position = 0;
        for (const auto& [attnum, f] : r.VisibleFields()) {
          if (!r.has_primary_key || !f->primary_key) continue;
          TDB_RETURN_IF_ERROR(out->AppendRow({catalog, schema, Text(pkey), catalog, schema, table,
                                              Text(f->name), Int(++position), NullInt()}));
        }
        for (const HotIndex& index : UniqueConstraints(*ctx.system, r.table_number)) {
          auto positions = IndexColumnPositions(index, *r.schema);
          if (!positions.ok()) continue;
          position = 0;
          for (size_t p : *positions) {
            TDB_RETURN_IF_ERROR(
                out->AppendRow({catalog, schema, Text(index.name), catalog, schema, table,
                                Text(r.schema->field(p).name), Int(++position), NullInt()}));
          }
        }
        break;
      }
      case PgCatalogKind::kTableConstraints: {
        auto row = [&](const std::string& name, const char* type) {
          return out->AppendRow({catalog, schema, Text(name), catalog, schema, table, Text(type),
                                 Text("NO"), Text("NO"), Text("YES"), Text("YES")});
        };
        if (r.has_primary_key) TDB_RETURN_IF_ERROR(row(pkey, "PRIMARY KEY"));
        for (const HotIndex& index : UniqueConstraints(*ctx.system, r.table_number))
          TDB_RETURN_IF_ERROR(row(index.name, "UNIQUE"));
        const CheckRegistry* checks = ctx.system->checks;
        if (CheckList list =
                checks != nullptr && r.table_number != 0 ? checks->Get(r.table_number) : nullptr) {
          for (const CheckConstraint& check : *list)
            TDB_RETURN_IF_ERROR(row(check.name, "CHECK"));
        }
        break;
      }
      default:
        break;
    }
  }
  return Status::Ok();
}

}  // namespace tenantdb
