// PgCatalogSnapshot: tenantdb's catalog as PostgreSQL's catalogs number it — every
// namespace, every table (user tables and the built-in read-only ones of system,
// pg_catalog and information_schema) and every view, with its OID (pg_oids.h) — read
// at one moment from the persistent catalog. pg_catalog.*, information_schema.* and the
// catalog functions (pg_table_is_visible, pg_get_indexdef, has_table_privilege, ...)
// build on it.
//
// Cost: one catalog listing per namespace (the schemas are interned, shared pointers);
// built per scan or per function call, so it is always current and costs nothing at rest.
// Thread safety: a value; the loader reads thread-safe components.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/table_definition.h"
#include "tables/request_context.h"

namespace tenantdb {

struct PgRelation {
  int64_t oid = 0;
  std::string ns;  // tenantdb's name (`default`, not `public`)
  std::string name;
  TableType type = TableType::kShared;
  uint32_t table_number = 0;  // 0 for the built-in tables
  std::shared_ptr<const Schema> schema;
  // A primary key a user declared (not the hidden _rowid of a SHARED table without one):
  // it is shown as the index <name>_pkey and a 'p' constraint.
  bool has_primary_key = false;
  // A view (CREATE VIEW): `schema` holds its columns as recorded; no table number.
  bool is_view = false;
  std::string view_query;  // the view's SELECT, as stored
  // The primary-key index OID, when has_primary_key.
  int64_t index_oid() const { return oid + 1; }
  // The fields PostgreSQL tools see (without _rowid), with their 1-based attnum.
  std::vector<std::pair<int16_t, const Field*>> VisibleFields() const;
};

struct PgCatalogSnapshot {
  std::vector<std::string> namespaces;  // tenantdb names, user namespaces then built-in
  std::vector<PgRelation> relations;

  // The relation with `oid` (a table's, or with `index_oid` its primary-key index's).
  const PgRelation* FindRelation(int64_t oid, bool* is_index = nullptr) const;
  // The relation `name` in tenantdb namespace `ns`.
  const PgRelation* FindRelation(std::string_view ns, std::string_view name) const;
};

// Reads the catalog through `src` (virtual_tables included). Errors: the catalog's.
Result<PgCatalogSnapshot> LoadPgCatalogSnapshot(const SystemSources& src);

// The relation with `oid` (a table's, or its primary-key index's: *is_index) without
// listing the catalog: the table-number lookup for user tables, the built-in list for
// the others. nullopt when none has it. For the per-row catalog functions.
std::optional<PgRelation> LookupRelation(const SystemSources& src, int64_t oid, bool* is_index);

// Whether `ctx` may read (`write` false) or write `relation` (the provider's own check).
bool RelationAccessible(const RequestContext& ctx, const PgRelation& relation, bool write);

// The namespaces an unqualified name searches, in order: the session's, then
// pg_catalog (information_schema and system only by qualified names), as PostgreSQL's
// search_path with pg_catalog last.
std::vector<std::string> SearchPath(const RequestContext& ctx);
// Whether `relation` is found by its unqualified name (pg_table_is_visible): its
// namespace is on the search path and no earlier one has a relation of that name.
bool RelationVisible(const RequestContext& ctx, const PgRelation& relation);

}  // namespace tenantdb
