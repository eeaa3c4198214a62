// PgCatalogProvider and PgCatalogTables: the read-only `pg_catalog` and
// `information_schema` namespaces, PostgreSQL's catalogs as views over tenantdb's catalog
// (PgCatalogSnapshot), so psql's \d family, drivers and ORMs can introspect tenantdb.
//
//   pg_catalog   pg_namespace pg_class pg_attribute pg_type pg_index pg_constraint
//                pg_attrdef pg_am pg_database pg_roles pg_user pg_settings pg_tablespace
//                pg_collation, and, always empty because tenantdb has no such objects,
//                pg_description pg_proc pg_inherits pg_partitioned_table pg_policy
//                pg_statistic_ext pg_publication pg_publication_namespace
//                pg_publication_rel pg_auth_members pg_trigger
//   information_schema  schemata tables columns key_column_usage table_constraints
//
// Only the columns tools read are present, with PostgreSQL's names; types map to
// tenantdb's (oid -> BIGINT, name/"char"/pg_node_tree -> TEXT, int2vector and arrays ->
// TEXT holding PostgreSQL's array literal, e.g. '{1,2}'). OIDs follow pg_oids.h.
// Each USER/SHARED/STREAM table is a relkind 'r' relation; a declared primary key is a
// unique btree index <table>_pkey (relkind 'i') and a 'p' constraint of that name.
// Defaults are shown as their SQL text in pg_attrdef.adbin (pg_get_expr returns it).
//
// Who sees what: pg_catalog lists every namespace and table, as system.tables and
// SHOW TABLES do (names are not rows); information_schema.tables / columns /
// key_column_usage / table_constraints list only tables the role may read (the
// providers' CheckRead), as PostgreSQL's information_schema lists only what the user
// has a privilege on; pg_roles / pg_user follow system.users (role user sees itself and
// root). Writes fail with insufficient_privilege.
// Thread safety: immutable; see table_provider.h.
#pragma once

#include <vector>

#include "tables/table_provider.h"

namespace tenantdb {

enum class PgCatalogKind : uint8_t {
  kNamespace,
  kClass,
  kAttribute,
  kType,
  kIndex,
  kConstraint,
  kAttrdef,
  kAm,
  kDatabase,
  kRoles,
  kUser,
  kSettings,
  kTablespace,
  kCollation,
  kEmpty,  // a catalog of objects tenantdb does not have
  kSchemata,
  kTables,
  kColumns,
  kKeyColumnUsage,
  kTableConstraints,
};

class PgCatalogProvider final : public TableProvider {
 public:
  PgCatalogProvider(TableDefinition definition, const StorageInfo* storage, PgCatalogKind kind)
      : TableProvider(std::move(definition), storage), kind_(kind) {}

  Status CheckRead(const RequestContext& ctx) const override;
  Status CheckWrite(const RequestContext& ctx) const override;
  Result<BatchStreamPtr> Scan(const RequestContext& ctx, const ScanRequest& request) const override;
  Result<std::optional<std::vector<Value>>> Get(const RequestContext& ctx,
                                                const std::vector<Value>& key) const override;
  Status Write(const RequestContext& ctx, std::vector<HotWrite> writes, bool check_now,
               bool pack = false) const override;

 private:
  PgCatalogKind kind_;
};

// The rows of one catalog (pg_catalog_rows.cc, information_schema_rows.cc).
Status FillPgCatalog(PgCatalogKind kind, const RequestContext& ctx, Batch* out);
Status FillInformationSchema(PgCatalogKind kind, const RequestContext& ctx, Batch* out);

// The pg_catalog and information_schema tables, made once per Engine.
class PgCatalogTables {
 public:
  // `storage`: any registered storage (these tables store nothing; an entry needs one).
  explicit PgCatalogTables(const StorageInfo* storage);
  // Error undefined_table.
  Result<TableEntryRef> Find(const TableId& id) const;
  const std::vector<RefPtr<PgCatalogProvider>>& all() const { return tables_; }

 private:
  std::vector<RefPtr<PgCatalogProvider>> tables_;
};

// Whether `ns` is pg_catalog or information_schema.
bool IsPgCatalogNamespace(std::string_view ns);

}  // namespace tenantdb
