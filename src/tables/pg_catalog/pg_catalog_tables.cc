#include "tables/pg_catalog/pg_catalog_tables.h"

#include <string>

#include "tables/pg_catalog/pg_oids.h"

namespace tenantdb {

namespace {

constexpr DataType O = DataType::kBigInt;  // oid
constexpr DataType T = DataType::kText;    // text, name, "char", arrays as literals
constexpr DataType B = DataType::kBoolean;
constexpr DataType S = DataType::kSmallInt;
constexpr DataType I = DataType::kInt;
constexpr DataType R = DataType::kReal;
constexpr DataType Z = DataType::kTimestampTz;

struct ColumnSpec {
  const char* name;
  DataType type;
};

struct TableSpec {
  std::string_view ns;
  const char* name;
  PgCatalogKind kind;
  std::vector<ColumnSpec> columns;
};

// Columns in PostgreSQL 15's order, the ones tools read (see the header).
const std::vector<TableSpec>& Specs() {
  using K = PgCatalogKind;
  constexpr std::string_view P = kPgCatalogNamespace;
  constexpr std::string_view IS = kInformationSchemaNamespace;
  static const auto* specs = new std::vector<TableSpec>{
      {P,
       "pg_namespace",
       K::kNamespace,
       {{"oid", O}, {"nspname", T}, {"nspowner", O}, {"nspacl", T}}},
      {P,
       "pg_class",
       K::kClass,
       {{"oid", O},
        {"relname", T},
        {"relnamespace", O},
        {"reltype", O},
        {"reloftype", O},
        {"relowner", O},
        {"relam", O},
        {"relfilenode", O},
        {"reltablespace", O},
        {"relpages", I},
        {"reltuples", R},
        {"relallvisible", I},
        {"reltoastrelid", O},
        {"relhasindex", B},
        {"relisshared", B},
        {"relpersistence", T},
        {"relkind", T},
        {"relnatts", S},
        {"relchecks", S},
        {"relhasrules", B},
        {"relhastriggers", B},
        {"relhassubclass", B},
        {"relrowsecurity", B},
        {"relforcerowsecurity", B},
        {"relispopulated", B},
        {"relreplident", T},
        {"relispartition", B},
        {"relrewrite", O},
        {"relacl", T},
        {"reloptions", T},
        {"relpartbound", T}}},
      {P,
       "pg_attribute",
       K::kAttribute,
       {{"attrelid", O},       {"attname", T},      {"atttypid", O},     {"attstattarget", I},
        {"attlen", S},         {"attnum", S},       {"attndims", I},     {"attcacheoff", I},
        {"atttypmod", I},      {"attbyval", B},     {"attalign", T},     {"attstorage", T},
        {"attcompression", T}, {"attnotnull", B},   {"atthasdef", B},    {"atthasmissing", B},
        {"attidentity", T},    {"attgenerated", T}, {"attisdropped", B}, {"attislocal", B},
        {"attinhcount", I},    {"attcollation", O}, {"attacl", T},       {"attoptions", T},
        {"attfdwoptions", T}}},
      {P, "pg_type", K::kType, {{"oid", O},          {"typname", T},     {"typnamespace", O},
                                {"typowner", O},     {"typlen", S},      {"typbyval", B},
                                {"typtype", T},      {"typcategory", T}, {"typispreferred", B},
                                {"typisdefined", B}, {"typdelim", T},    {"typrelid", O},
                                {"typelem", O},      {"typarray", O},    {"typinput", T},
                                {"typoutput", T},    {"typreceive", T},  {"typsend", T},
                                {"typalign", T},     {"typstorage", T},  {"typnotnull", B},
                                {"typbasetype", O},  {"typtypmod", I},   {"typndims", I},
                                {"typcollation", O}, {"typdefault", T}}},
      {P,
       "pg_index",
       K::kIndex,
       {{"indexrelid", O},     {"indrelid", O},       {"indnatts", S},
        {"indnkeyatts", S},    {"indisunique", B},    {"indnullsnotdistinct", B},
        {"indisprimary", B},   {"indisexclusion", B}, {"indimmediate", B},
        {"indisclustered", B}, {"indisvalid", B},     {"indcheckxmin", B},
        {"indisready", B},     {"indislive", B},      {"indisreplident", B},
        {"indkey", T},         {"indcollation", T},   {"indclass", T},
        {"indoption", T},      {"indexprs", T},       {"indpred", T}}},
      {P,
       "pg_constraint",
       K::kConstraint,
       {{"oid", O},           {"conname", T},      {"connamespace", O},  {"contype", T},
        {"condeferrable", B}, {"condeferred", B},  {"convalidated", B},  {"conrelid", O},
        {"contypid", O},      {"conindid", O},     {"conparentid", O},   {"confrelid", O},
        {"confupdtype", T},   {"confdeltype", T},  {"confmatchtype", T}, {"conislocal", B},
        {"coninhcount", I},   {"connoinherit", B}, {"conkey", T},        {"confkey", T},
        {"conbin", T}}},
      {P, "pg_attrdef", K::kAttrdef, {{"oid", O}, {"adrelid", O}, {"adnum", S}, {"adbin", T}}},
      {P, "pg_am", K::kAm, {{"oid", O}, {"amname", T}, {"amhandler", T}, {"amtype", T}}},
      {P,
       "pg_database",
       K::kDatabase,
       {{"oid", O},
        {"datname", T},
        {"datdba", O},
        {"encoding", I},
        {"datlocprovider", T},
        {"datistemplate", B},
        {"datallowconn", B},
        {"datconnlimit", I},
        {"datfrozenxid", O},
        {"datminmxid", O},
        {"dattablespace", O},
        {"datcollate", T},
        {"datctype", T},
        {"daticulocale", T},
        {"datcollversion", T},
        {"datacl", T}}},
      {P,
       "pg_roles",
       K::kRoles,
       {{"rolname", T},
        {"rolsuper", B},
        {"rolinherit", B},
        {"rolcreaterole", B},
        {"rolcreatedb", B},
        {"rolcanlogin", B},
        {"rolreplication", B},
        {"rolconnlimit", I},
        {"rolpassword", T},
        {"rolvaliduntil", Z},
        {"rolbypassrls", B},
        {"rolconfig", T},
        {"oid", O}}},
      {P,
       "pg_user",
       K::kUser,
       {{"usename", T},
        {"usesysid", O},
        {"usecreatedb", B},
        {"usesuper", B},
        {"userepl", B},
        {"usebypassrls", B},
        {"passwd", T},
        {"valuntil", Z},
        {"useconfig", T}}},
      {P,
       "pg_settings",
       K::kSettings,
       {{"name", T},
        {"setting", T},
        {"unit", T},
        {"category", T},
        {"short_desc", T},
        {"extra_desc", T},
        {"context", T},
        {"vartype", T},
        {"source", T},
        {"min_val", T},
        {"max_val", T},
        {"enumvals", T},
        {"boot_val", T},
        {"reset_val", T},
        {"sourcefile", T},
        {"sourceline", I},
        {"pending_restart", B}}},
      {P,
       "pg_tablespace",
       K::kTablespace,
       {{"oid", O}, {"spcname", T}, {"spcowner", O}, {"spcacl", T}, {"spcoptions", T}}},
      {P,
       "pg_collation",
       K::kCollation,
       {{"oid", O},
        {"collname", T},
        {"collnamespace", O},
        {"collowner", O},
        {"collprovider", T},
        {"collisdeterministic", B},
        {"collencoding", I},
        {"collcollate", T},
        {"collctype", T},
        {"colliculocale", T},
        {"collversion", T}}},
      {P,
       "pg_description",
       K::kEmpty,
       {{"objoid", O}, {"classoid", O}, {"objsubid", I}, {"description", T}}},
      {P, "pg_proc", K::kEmpty, {{"oid", O},         {"proname", T},     {"pronamespace", O},
                                 {"proowner", O},    {"prolang", O},     {"procost", R},
                                 {"prorows", R},     {"provariadic", O}, {"prosupport", T},
                                 {"prokind", T},     {"prosecdef", B},   {"proleakproof", B},
                                 {"proisstrict", B}, {"proretset", B},   {"provolatile", T},
                                 {"proparallel", T}, {"pronargs", S},    {"pronargdefaults", S},
                                 {"prorettype", O},  {"proargtypes", T}, {"proallargtypes", T},
                                 {"proargmodes", T}, {"proargnames", T}, {"prosrc", T},
                                 {"probin", T},      {"proconfig", T},   {"proacl", T}}},
      {P,
       "pg_inherits",
       K::kEmpty,
       {{"inhrelid", O}, {"inhparent", O}, {"inhseqno", I}, {"inhdetachpending", B}}},
      {P,
       "pg_partitioned_table",
       K::kEmpty,
       {{"partrelid", O},
        {"partstrat", T},
        {"partnatts", S},
        {"partdefid", O},
        {"partattrs", T},
        {"partclass", T},
        {"partcollation", T},
        {"partexprs", T}}},
      {P,
       "pg_policy",
       K::kEmpty,
       {{"oid", O},
        {"polname", T},
        {"polrelid", O},
        {"polcmd", T},
        {"polpermissive", B},
        {"polroles", T},
        {"polqual", T},
        {"polwithcheck", T}}},
      {P,
       "pg_statistic_ext",
       K::kEmpty,
       {{"oid", O},
        {"stxrelid", O},
        {"stxname", T},
        {"stxnamespace", O},
        {"stxowner", O},
        {"stxstattarget", I},
        {"stxkeys", T},
        {"stxkind", T},
        {"stxexprs", T}}},
      {P,
       "pg_publication",
       K::kEmpty,
       {{"oid", O},
        {"pubname", T},
        {"pubowner", O},
        {"puballtables", B},
        {"pubinsert", B},
        {"pubupdate", B},
        {"pubdelete", B},
        {"pubtruncate", B},
        {"pubviaroot", B}}},
      {P, "pg_publication_namespace", K::kEmpty, {{"oid", O}, {"pnpubid", O}, {"pnnspid", O}}},
      {P,
       "pg_publication_rel",
       K::kEmpty,
       {{"oid", O}, {"prpubid", O}, {"prrelid", O}, {"prqual", T}, {"prattrs", T}}},
      {P,
       "pg_auth_members",
       K::kEmpty,
       {{"roleid", O}, {"member", O}, {"grantor", O}, {"admin_option", B}}},
      {P,
       "pg_trigger",
       K::kEmpty,
       {{"oid", O},
        {"tgrelid", O},
        {"tgparentid", O},
        {"tgname", T},
        {"tgfoid", O},
        {"tgtype", S},
        {"tgenabled", T},
        {"tgisinternal", B},
        {"tgconstrrelid", O},
        {"tgconstrindid", O},
        {"tgconstraint", O},
        {"tgdeferrable", B},
        {"tginitdeferred", B},
        {"tgnargs", S},
        {"tgattr", T},
        {"tgargs", T},
        {"tgqual", T},
        {"tgoldtable", T},
        {"tgnewtable", T}}},
      {IS,
       "schemata",
       K::kSchemata,
       {{"catalog_name", T},
        {"schema_name", T},
        {"schema_owner", T},
        {"default_character_set_catalog", T},
        {"default_character_set_schema", T},
        {"default_character_set_name", T},
        {"sql_path", T}}},
      {IS,
       "tables",
       K::kTables,
       {{"table_catalog", T},
        {"table_schema", T},
        {"table_name", T},
        {"table_type", T},
        {"self_referencing_column_name", T},
        {"reference_generation", T},
        {"user_defined_type_catalog", T},
        {"user_defined_type_schema", T},
        {"user_defined_type_name", T},
        {"is_insertable_into", T},
        {"is_typed", T},
        {"commit_action", T}}},
      {IS,
       "columns",
       K::kColumns,
       {{"table_catalog", T},
        {"table_schema", T},
        {"table_name", T},
        {"column_name", T},
        {"ordinal_position", I},
        {"column_default", T},
        {"is_nullable", T},
        {"data_type", T},
        {"character_maximum_length", I},
        {"character_octet_length", I},
        {"numeric_precision", I},
        {"numeric_precision_radix", I},
        {"numeric_scale", I},
        {"datetime_precision", I},
        {"udt_catalog", T},
        {"udt_schema", T},
        {"udt_name", T},
        {"is_identity", T},
        {"is_generated", T},
        {"is_updatable", T}}},
      {IS,
       "key_column_usage",
       K::kKeyColumnUsage,
       {{"constraint_catalog", T},
        {"constraint_schema", T},
        {"constraint_name", T},
        {"table_catalog", T},
        {"table_schema", T},
        {"table_name", T},
        {"column_name", T},
        {"ordinal_position", I},
        {"position_in_unique_constraint", I}}},
      {IS,
       "table_constraints",
       K::kTableConstraints,
       {{"constraint_catalog", T},
        {"constraint_schema", T},
        {"constraint_name", T},
        {"table_catalog", T},
        {"table_schema", T},
        {"table_name", T},
        {"constraint_type", T},
        {"is_deferrable", T},
        {"initially_deferred", T},
        {"enforced", T},
        {"nulls_distinct", T}}},
  };
  return *specs;
}

bool IsInformationSchemaKind(PgCatalogKind kind) {
  return kind >= PgCatalogKind::kSchemata;
}

}  // namespace

bool IsPgCatalogNamespace(std::string_view ns) {
  return ns == kPgCatalogNamespace || ns == kInformationSchemaNamespace;
}

Status PgCatalogProvider::CheckRead(const RequestContext&) const {
  return Status::Ok();
}

Status PgCatalogProvider::CheckWrite(const RequestContext&) const {
  return Status(ErrorCode::kInsufficientPrivilege,
                "catalog table " + id().ToString() + " is read-only");
}

Result<std::optional<std::vector<Value>>> PgCatalogProvider::Get(const RequestContext&,
                                                                 const std::vector<Value>&) const {
  return Status(ErrorCode::kFeatureNotSupported,
                "catalog table " + id().ToString() + " has no primary key");
}

Status PgCatalogProvider::Write(const RequestContext& ctx, std::vector<HotWrite>, bool,
                                bool) const {
  return CheckWrite(ctx);
}

Result<BatchStreamPtr> PgCatalogProvider::Scan(const RequestContext& ctx,
                                               const ScanRequest&) const {
  if (ctx.system == nullptr) {
    return Status(ErrorCode::kInternal, "catalog table read without its sources");
  }
  Batch out(schema());
  if (IsInformationSchemaKind(kind_)) {
    TDB_RETURN_IF_ERROR(FillInformationSchema(kind_, ctx, &out));
  } else if (kind_ != PgCatalogKind::kEmpty) {
    TDB_RETURN_IF_ERROR(FillPgCatalog(kind_, ctx, &out));
  }
  std::vector<Batch> batches;
  batches.push_back(std::move(out));
  return MakeVectorStream(std::move(batches));
}

PgCatalogTables::PgCatalogTables(const StorageInfo* storage) {
  // Made once per process and never freed, as the system tables' names.
  uint32_t pg_number = 0;
  uint32_t is_number = 0;
  for (const TableSpec& spec : Specs()) {
    const NamespaceId ns = NamespaceId::Make(spec.ns).value();
    ns.MakeImmortal();
    std::vector<Field> fields;
    for (const ColumnSpec& c : spec.columns)
      fields.push_back(Field{c.name, c.type, true, false, ""});
    TableDefinition def;
    const TableName name = TableName::Make(spec.name).value();
    name.MakeImmortal();
    def.id = TableId(ns, name);
    def.table_number = spec.ns == kPgCatalogNamespace ? ++pg_number : ++is_number;
    def.type = TableType::kSystem;
    def.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
    def.storage_id = storage->id;
    tables_.push_back(MakeRef<PgCatalogProvider>(std::move(def), storage, spec.kind));
  }
}

Result<TableEntryRef> PgCatalogTables::Find(const TableId& id) const {
  for (const auto& t : tables_) {
    if (t->id() == id) return TableEntryRef(t);
  }
  return Status(ErrorCode::kUndefinedTable, "relation \"" + id.ToString() + "\" does not exist");
}

}  // namespace tenantdb
