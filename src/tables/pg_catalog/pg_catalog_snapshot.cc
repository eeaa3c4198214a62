#include "tables/pg_catalog/pg_catalog_snapshot.h"

#include "catalog/namespace_alias.h"
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "tables/pg_catalog/pg_oids.h"
#include "tables/system_table_provider.h"
#include "tables/table_provider.h"

namespace tenantdb {

namespace {

int64_t VirtualTableOidBase(std::string_view ns) {
  if (ns == kPgCatalogNamespace) return kPgCatalogTableOidBase;
  if (ns == kInformationSchemaNamespace) return kInformationSchemaTableOidBase;
  return kSystemTableOidBase;
}

bool IsVirtualNamespace(std::string_view ns) {
  return ns == kPgCatalogNamespace || ns == kInformationSchemaNamespace;
}

// A view as a relation: its recorded columns as the schema.
PgRelation ViewRelation(const TableId& id, const ViewRecord& view) {
  PgRelation r;
  r.ns = std::string(id.ns().str());
  r.name = std::string(id.table().str());
  r.oid = ViewOid(r.ns, r.name);
  r.type = TableType::kShared;
  r.is_view = true;
  r.view_query = view.query;
  std::vector<Field> fields;
  uint32_t column_id = 0;
  for (const auto& [name, type] : view.columns) {
    Field f;
    f.name = name;
    f.type = type;
    f.id = ++column_id;
    fields.push_back(std::move(f));
  }
  r.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata());
  return r;
}

bool DeclaredPrimaryKey(const Schema& schema) {
  for (size_t i : schema.PrimaryKeyIndices())
    if (schema.field(i).name == kRowIdColumn) return false;
  return !schema.PrimaryKeyIndices().empty();
}

}  // namespace

std::vector<std::pair<int16_t, const Field*>> PgRelation::VisibleFields() const {
  std::vector<std::pair<int16_t, const Field*>> out;
  int16_t attnum = 0;
  for (const Field& f : schema->fields()) {
    if (f.name == kRowIdColumn) continue;
    out.emplace_back(++attnum, &f);
  }
  return out;
}

const PgRelation* PgCatalogSnapshot::FindRelation(int64_t oid, bool* is_index) const {
  for (const PgRelation& r : relations) {
    if (r.oid == oid) {
      if (is_index != nullptr) *is_index = false;
      return &r;
    }
    if (r.has_primary_key && r.index_oid() == oid) {
      if (is_index != nullptr) *is_index = true;
      return &r;
    }
  }
  return nullptr;
}

const PgRelation* PgCatalogSnapshot::FindRelation(std::string_view ns,
                                                  std::string_view name) const {
  for (const PgRelation& r : relations)
    if (r.ns == ns && r.name == name) return &r;
  return nullptr;
}

Result<PgCatalogSnapshot> LoadPgCatalogSnapshot(const SystemSources& src) {
  PgCatalogSnapshot out;
  TDB_ASSIGN_OR_RETURN(auto namespaces, src.catalog->ListNamespaces());
  for (const NamespaceInfo& ns : namespaces) {
    out.namespaces.emplace_back(ns.id.str());
    TDB_ASSIGN_OR_RETURN(auto tables, src.catalog->ListTables(ns.id));
    for (TableDefinition& t : tables) {
      PgRelation r;
      r.oid = TableOid(t.table_number);
      r.ns = std::string(t.id.ns().str());
      r.name = std::string(t.id.table().str());
      r.type = t.type;
      r.table_number = t.table_number;
      r.has_primary_key = DeclaredPrimaryKey(*t.schema);
      r.schema = std::move(t.schema);
      out.relations.push_back(std::move(r));
    }
    TDB_RETURN_IF_ERROR(
        src.catalog->ForEachView(ns.id, [&](const TableId& id, const ViewRecord& view) {
          out.relations.push_back(ViewRelation(id, view));
          return Status::Ok();
        }));
  }
  for (std::string_view builtin :
       {kSystemNamespace, kPgCatalogNamespace, kInformationSchemaNamespace}) {
    out.namespaces.emplace_back(builtin);
  }
  for (const TableEntryRef& t : src.virtual_tables) {
    PgRelation r;
    r.ns = std::string(t->id().ns().str());
    r.name = std::string(t->id().table().str());
    r.oid = VirtualTableOidBase(r.ns) + t->table_number();
    r.type = TableType::kSystem;
    r.schema = t->schema();
    out.relations.push_back(std::move(r));
  }
  return out;
}

std::optional<PgRelation> LookupRelation(const SystemSources& src, int64_t oid, bool* is_index) {
  if (IsViewOid(oid)) {
    // Views have no number to look up by: the namespaces' views are listed (a catalog
    // scan per call; views are few).
    if (src.catalog == nullptr) return std::nullopt;
    auto namespaces = src.catalog->ListNamespaces();
    if (!namespaces.ok()) return std::nullopt;
    std::optional<PgRelation> found;
    for (const NamespaceInfo& ns : *namespaces) {
      Status s = src.catalog->ForEachView(ns.id, [&](const TableId& id, const ViewRecord& view) {
        if (!found && ViewOid(id.ns().str(), id.table().str()) == oid) {
          found = ViewRelation(id, view);
        }
        return Status::Ok();
      });
      if (!s.ok() || found) break;
    }
    if (found && is_index != nullptr) *is_index = false;
    return found;
  }
  bool index = false;
  if (auto number = TableNumberOfOid(oid, &index); number.has_value()) {
    if (src.catalog == nullptr || src.cache == nullptr) return std::nullopt;
    auto id = src.catalog->FindTableByNumber(*number);
    if (!id.ok()) return std::nullopt;
    auto entry = src.cache->Get(*id);
    if (!entry.ok()) return std::nullopt;
    PgRelation r;
    r.oid = TableOid(*number);
    r.ns = std::string(id->ns().str());
    r.name = std::string(id->table().str());
    r.type = (*entry)->type();
    r.table_number = *number;
    r.schema = (*entry)->schema();
    r.has_primary_key = DeclaredPrimaryKey(*r.schema);
    if (index && !r.has_primary_key) return std::nullopt;
    if (is_index != nullptr) *is_index = index;
    return r;
  }
  for (const TableEntryRef& t : src.virtual_tables) {
    const std::string_view ns = t->id().ns().str();
    if (VirtualTableOidBase(ns) + t->table_number() != oid) continue;
    PgRelation r;
    r.ns = std::string(ns);
    r.name = std::string(t->id().table().str());
    r.oid = oid;
    r.type = TableType::kSystem;
    r.schema = t->schema();
    if (is_index != nullptr) *is_index = false;
    return r;
  }
  return std::nullopt;
}

bool RelationAccessible(const RequestContext& ctx, const PgRelation& relation, bool write) {
  if (relation.type == TableType::kSystem) return !write;
  // A view is read-only; reading it checks the tables it reads, as the reader.
  if (relation.is_view) return !write;
  if (ctx.system == nullptr || ctx.system->cache == nullptr) return false;
  auto id = TableId::Make(relation.ns, relation.name);
  if (!id.ok()) return false;
  auto entry = ctx.system->cache->Get(*id);
  if (!entry.ok()) return false;
  const auto* provider = static_cast<const TableProvider*>(entry->get());
  return (write ? provider->CheckWrite(ctx) : provider->CheckRead(ctx)).ok();
}

std::vector<std::string> SearchPath(const RequestContext& ctx) {
  std::vector<std::string> path;
  path.push_back(ctx.current_namespace != nullptr ? *ctx.current_namespace
                                                  : std::string(kDefaultNamespace));
  if (path[0] != kPgCatalogNamespace) path.emplace_back(kPgCatalogNamespace);
  return path;
}

namespace {

bool RelationExists(const SystemSources& src, std::string_view ns, std::string_view name) {
  for (const TableEntryRef& t : src.virtual_tables)
    if (t->id().ns().str() == ns && t->id().table().str() == name) return true;
  if (ns == kSystemNamespace || IsVirtualNamespace(ns) || src.cache == nullptr) return false;
  auto id = TableId::Make(ns, name);
  return id.ok() && src.cache->Get(*id).ok();
}

}  // namespace

bool RelationVisible(const RequestContext& ctx, const PgRelation& relation) {
  if (ctx.system == nullptr) return false;
  for (const std::string& ns : SearchPath(ctx)) {
    if (ns == relation.ns) return true;
    if (RelationExists(*ctx.system, ns, relation.name)) return false;
  }
  return false;
}

}  // namespace tenantdb
