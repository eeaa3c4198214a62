// The catalog functions PostgreSQL tools call (psql's \d family, drivers, ORMs), over the
// same OIDs and rows as pg_catalog (tables/pg_catalog/): version(), current_database(),
// current_schema(s), pg_get_userbyid, pg_table_is_visible, format_type, pg_get_expr,
// pg_get_indexdef, pg_get_constraintdef, pg_get_viewdef, obj/col_description, has_*_privilege,
// current_setting / set_config, pg_encoding_to_char, the ::regclass / ::regtype /
// ::regnamespace / ::regrole conversions (regclass_oid / regclass_name, ...), and the
// text-array functions array_to_string / array_upper / array_position (text_array.h).
//
// Privilege functions are truthful: has_table_privilege asks the table's provider
// (CheckRead for SELECT, CheckWrite for INSERT / UPDATE / DELETE / TRUNCATE) with the
// session's role, or with the named user's role. They read the catalog on each call
// (a table-number lookup for an OID; a listing for names), and are volatile: never
// constant-folded, since the catalog and the session's settings change.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>

#include "catalog/namespace_alias.h"
#include "catalog/persistent_catalog.h"
#include "catalog/schema_cache.h"
#include "sql/function/function_registry.h"
#include "sql/function/text_array.h"
#include "tables/pg_catalog/pg_catalog_snapshot.h"
#include "tables/pg_catalog/pg_catalog_tables.h"
#include "tables/pg_catalog/pg_oids.h"
#include "tables/pg_catalog/pg_roles.h"
#include "tables/pg_catalog/pg_settings.h"
#include "tables/system_table_provider.h"
#include "tables/table_provider.h"

namespace tenantdb::sql {
namespace {

constexpr DataType kText = DataType::kText;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kBigInt = DataType::kBigInt;
constexpr DataType kBool = DataType::kBoolean;

Status NoCatalog() {
  return Status(ErrorCode::kFeatureNotSupported,
                "catalog functions need a session (none in this context)");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string CurrentNamespace(const FunctionContext& ctx) {
  return ctx.request.current_namespace != nullptr ? *ctx.request.current_namespace
                                                  : std::string(kDefaultNamespace);
}

Result<PgCatalogSnapshot> Snapshot(const FunctionContext& ctx) {
  if (ctx.request.system == nullptr || ctx.request.system->catalog == nullptr) {
    return NoCatalog();
  }
  return LoadPgCatalogSnapshot(*ctx.request.system);
}

// A name as PostgreSQL's quote_ident prints it: quoted unless lower-case letters, digits
// and underscores not starting with a digit.
std::string QuoteIdentifier(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name)
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (plain) return name;
  std::string out = "\"";
  for (char c : name)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// "ns.name" or "name" as PostgreSQL prints a relation: qualified unless visible.
std::string RelationDisplayName(const FunctionContext& ctx, const PgRelation& r, bool index) {
  const std::string name = index ? r.name + "_pkey" : r.name;
  if (!index && RelationVisible(ctx.request, r)) return name;
  if (index && r.ns == CurrentNamespace(ctx)) return name;
  return PgNamespaceName(r.ns) + "." + name;
}

// Splits a possibly qualified, possibly quoted relation name: public.t, "My T", t.
std::pair<std::string, std::string> SplitQualified(std::string_view text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += quoted ? c : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (parts.size() == 1) return {"", parts[0]};
  return {CanonicalNamespace(parts[parts.size() - 2]), parts.back()};
}

// The relation a name means, searched as the binder does (pg_catalog after the session's
// namespace for an unqualified name).
const PgRelation* FindByName(const FunctionContext& ctx, const PgCatalogSnapshot& snap,
                             std::string_view text) {
  auto [ns, name] = SplitQualified(text);
  if (!ns.empty()) return snap.FindRelation(ns, name);
  for (const std::string& candidate : SearchPath(ctx.request))
    if (const PgRelation* r = snap.FindRelation(candidate, name)) return r;
  return nullptr;
}

Result<Value> Version(std::span<const Value>, const FunctionContext&) {
  return Value::Text("PostgreSQL 15.0 (tenantdb) on x86_64-pc-linux-gnu");
}

Result<Value> CurrentDatabase(std::span<const Value>, const FunctionContext&) {
  return Value::Text(std::string(kPgDatabaseName));
}

Result<Value> CurrentSchema(std::span<const Value>, const FunctionContext& ctx) {
  return Value::Text(PgNamespaceName(CurrentNamespace(ctx)));
}

Result<Value> CurrentSchemas(std::span<const Value> a, const FunctionContext& ctx) {
  TextArray names;
  for (const std::string& ns : SearchPath(ctx.request)) {
    if (ns == kPgCatalogNamespace && !a[0].as_bool()) continue;
    names.push_back(PgNamespaceName(ns));
  }
  // pg_catalog is searched first in PostgreSQL's listing of the implicit path.
  std::stable_partition(names.begin(), names.end(),
                        [](const auto& n) { return *n == kPgCatalogNamespace; });
  return Value::Text(FormatTextArray(names));
}

Result<Value> PgGetUserById(std::span<const Value> a, const FunctionContext& ctx) {
  const int64_t oid = a[0].as_int64();
  if (auto name = PgRoleName(ctx.request, oid)) return Value::Text(std::move(*name));
  return Value::Text("unknown (OID=" + std::to_string(oid) + ")");
}

// The relation with OID a[0] (cheap: no catalog listing), or nullopt.
Result<std::optional<PgRelation>> Lookup(const FunctionContext& ctx, int64_t oid, bool* index) {
  if (ctx.request.system == nullptr) return NoCatalog();
  return LookupRelation(*ctx.request.system, oid, index);
}

Result<Value> PgTableIsVisible(std::span<const Value> a, const FunctionContext& ctx) {
  bool index = false;
  TDB_ASSIGN_OR_RETURN(auto r, Lookup(ctx, a[0].as_int64(), &index));
  if (!r.has_value()) return Value::Null(kBool);
  if (index) return Value::Boolean(r->ns == CurrentNamespace(ctx));
  return Value::Boolean(RelationVisible(ctx.request, *r));
}

// Objects tenantdb does not have (functions, statistics objects, comments): NULL, as
// PostgreSQL answers for an OID it does not know.
Result<Value> NullText(std::span<const Value>, const FunctionContext&) {
  return Value::Null(kText);
}
Result<Value> NullBool(std::span<const Value>, const FunctionContext&) {
  return Value::Null(kBool);
}

Result<Value> FormatType(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(kText);
  const PgTypeInfo* t = PgTypeByOid(a[0].as_int64());
  return Value::Text(t != nullptr ? std::string(t->format_name) : "???");
}

// pg_attrdef.adbin holds the default's SQL text, which is what pg_get_expr prints.
Result<Value> PgGetExpr(std::span<const Value> a, const FunctionContext&) {
  return a[0];
}

std::string KeyColumns(const PgRelation& r, int column) {
  std::string out;
  int position = 0;
  for (const auto& [attnum, f] : r.VisibleFields()) {
    if (!f->primary_key) continue;
    ++position;
    if (column > 0 && position != column) continue;
    out += (out.empty() ? "" : ", ") + QuoteIdentifier(f->name);
  }
  return out;
}

Result<Value> PgGetIndexDef(std::span<const Value> a, const FunctionContext& ctx) {
  bool index = false;
  TDB_ASSIGN_OR_RETURN(auto r, Lookup(ctx, a[0].as_int64(), &index));
  if (!r.has_value() || !index) return Value::Null(kText);
  const int column = a.size() > 1 ? static_cast<int>(a[1].as_int64()) : 0;
  if (column > 0) return Value::Text(KeyColumns(*r, column));
  return Value::Text("CREATE UNIQUE INDEX " + QuoteIdentifier(r->name + "_pkey") + " ON " +
                     QuoteIdentifier(PgNamespaceName(r->ns)) + "." + QuoteIdentifier(r->name) +
                     " USING btree (" + KeyColumns(*r, 0) + ")");
}

Result<Value> PgGetConstraintDef(std::span<const Value> a, const FunctionContext& ctx) {
  bool index = false;
  TDB_ASSIGN_OR_RETURN(auto r, Lookup(ctx, a[0].as_int64(), &index));
  if (!r.has_value() || !index) return Value::Null(kText);
  return Value::Text("PRIMARY KEY (" + KeyColumns(*r, 0) + ")");
}

// A view's stored SELECT (psql's \d+ "View definition"); NULL for anything else.
Result<Value> PgGetViewDef(std::span<const Value> a, const FunctionContext& ctx) {
  TDB_ASSIGN_OR_RETURN(auto r, Lookup(ctx, a[0].as_int64(), nullptr));
  if (!r.has_value() || !r->is_view) return Value::Null(kText);
  return Value::Text(" " + r->view_query + ";");
}

// The role `user` has, for the 3-argument privilege functions; error undefined_object
// (not_found) for an unknown user.
Result<RequestContext> AsUser(const FunctionContext& ctx, std::string_view user) {
  RequestContext request = ctx.request;
  for (const PgRole& r : VisiblePgRoles(ctx.request)) {
    if (r.name == user) {
      request.role = r.role;
      request.user = nullptr;  // the name only: not the session's identity
      if (ctx.request.user != nullptr && ctx.request.user->str() == user)
        request.user = ctx.request.user;
      return request;
    }
  }
  return Status(ErrorCode::kNotFound, "role \"" + std::string(user) + "\" does not exist");
}

// Each privilege in `list` ("SELECT", "insert, update"), checked by `has`.
Result<bool> AnyPrivilege(std::string_view list, std::span<const std::string_view> known,
                          const std::function<bool(const std::string&)>& has) {
  bool any = false;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string p = Lower(list.substr(start, end - start));
    p.erase(0, p.find_first_not_of(' '));
    p.erase(p.find_last_not_of(' ') + 1);
    if (p.size() > 18 && p.ends_with(" with grant option")) p.resize(p.size() - 18);
    if (std::find(known.begin(), known.end(), p) == known.end()) {
      return Status(ErrorCode::kInvalidArgument,
                    "unrecognized privilege type: \"" + std::string(list) + "\"");
    }
    any = any || has(p);
    start = end + 1;
  }
  return any;
}

Result<Value> HasTablePrivilege(std::span<const Value> a, const FunctionContext& ctx) {
  RequestContext request = ctx.request;
  if (a.size() == 3) {
    TDB_ASSIGN_OR_RETURN(request, AsUser(ctx, a[0].as_bytes()));
  }
  const Value& table = a[a.size() - 2];
  std::optional<PgRelation> r;
  if (table.type() == kText) {
    TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, Snapshot(ctx));
    if (const PgRelation* found = FindByName(ctx, snap, table.as_bytes())) r = *found;
  } else {
    TDB_ASSIGN_OR_RETURN(r, Lookup(ctx, table.as_int64(), nullptr));
  }
  if (!r.has_value()) {
    if (table.type() != kText) return Value::Null(kBool);
    return Status(ErrorCode::kUndefinedTable,
                  "relation \"" + std::string(table.as_bytes()) + "\" does not exist");
  }
  static constexpr std::string_view kKnown[] = {"select",   "insert",     "update", "delete",
                                                "truncate", "references", "trigger"};
  TDB_ASSIGN_OR_RETURN(bool has,
                       AnyPrivilege(a.back().as_bytes(), kKnown, [&](const std::string& p) {
                         if (p == "select") return RelationAccessible(request, *r, false);
                         if (p == "references" || p == "trigger") return false;
                         return RelationAccessible(request, *r, true);
                       }));
  return Value::Boolean(has);
}

Result<Value> HasSchemaPrivilege(std::span<const Value> a, const FunctionContext& ctx) {
  RequestContext request = ctx.request;
  if (a.size() == 3) {
    TDB_ASSIGN_OR_RETURN(request, AsUser(ctx, a[0].as_bytes()));
  }
  const std::string ns = CanonicalNamespace(a[a.size() - 2].as_bytes());
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, Snapshot(ctx));
  if (std::find(snap.namespaces.begin(), snap.namespaces.end(), ns) == snap.namespaces.end()) {
    return Status(ErrorCode::kUndefinedTable, "schema \"" + ns + "\" does not exist");
  }
  static constexpr std::string_view kKnown[] = {"usage", "create"};
  const bool builtin = ns == kSystemNamespace || IsPgCatalogNamespace(ns);
  TDB_ASSIGN_OR_RETURN(bool has,
                       AnyPrivilege(a.back().as_bytes(), kKnown, [&](const std::string& p) {
                         // Every role may name any namespace; DDL needs dba.
                         return p == "usage" || (!builtin && CanRunDdl(request.role));
                       }));
  return Value::Boolean(has);
}

Result<Value> HasDatabasePrivilege(std::span<const Value> a, const FunctionContext& ctx) {
  RequestContext request = ctx.request;
  if (a.size() == 3) {
    TDB_ASSIGN_OR_RETURN(request, AsUser(ctx, a[0].as_bytes()));
  }
  // tenantdb has one database; any name a client connects with means it.
  static constexpr std::string_view kKnown[] = {"connect", "create", "temporary", "temp"};
  TDB_ASSIGN_OR_RETURN(bool has,
                       AnyPrivilege(a.back().as_bytes(), kKnown, [&](const std::string& p) {
                         if (p == "connect") return true;
                         if (p == "create") return CanRunDdl(request.role);
                         return false;  // no temporary tables
                       }));
  return Value::Boolean(has);
}

Result<Value> CurrentSetting(std::span<const Value> a, const FunctionContext& ctx) {
  if (a[0].is_null()) return Value::Null(kText);
  const bool missing_ok = a.size() > 1 && !a[1].is_null() && a[1].as_bool();
  if (auto value = PgSettingValue(ctx.request, a[0].as_bytes())) return Value::Text(*value);
  if (missing_ok) return Value::Null(kText);
  return Status(ErrorCode::kNotFound,
                "unrecognized configuration parameter \"" + std::string(a[0].as_bytes()) + "\"");
}

// set_config(name, value, is_local): as SET name = value (is_local: tenantdb keeps it for
// the session too; there is no SET LOCAL scope). The settings the engine enforces are
// changed only by SET, which validates them.
Result<Value> SetConfig(std::span<const Value> a, const FunctionContext& ctx) {
  if (a[0].is_null()) {
    return Status(ErrorCode::kInvalidArgument, "SET requires parameter name");
  }
  const std::string name = Lower(a[0].as_bytes());
  // The transaction settings too: SET validates them (no SERIALIZABLE, booleans only).
  if (name == "statement_mem" || name == "statement_timeout" || name == "role" ||
      name == "session_authorization" || name == "transaction_isolation" ||
      name == "default_transaction_isolation" || name == "transaction_read_only" ||
      name == "default_transaction_read_only") {
    return Status(ErrorCode::kFeatureNotSupported,
                  "set_config('" + name + "', ...) is not supported; use SET " + name);
  }
  if (ctx.request.settings == nullptr) return NoCatalog();
  const std::string value = a[1].is_null() ? "" : std::string(a[1].as_bytes());
  (*ctx.request.settings)[name] = value;
  return Value::Text(value);
}

Result<Value> PgEncodingToChar(std::span<const Value> a, const FunctionContext&) {
  switch (a[0].as_int64()) {
    case 0:
      return Value::Text("SQL_ASCII");
    case 6:
      return Value::Text("UTF8");
    default:
      return Value::Text("");
  }
}

Result<Value> ArrayToString(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null() || a[1].is_null()) return Value::Null(kText);
  TDB_ASSIGN_OR_RETURN(TextArray elements, ParseTextArray(a[0].as_bytes()));
  std::string out;
  bool first = true;
  for (const auto& e : elements) {
    if (!e.has_value() && (a.size() < 3 || a[2].is_null())) continue;
    if (!first) out += a[1].as_bytes();
    first = false;
    out += e.has_value() ? *e : std::string(a[2].as_bytes());
  }
  return Value::Text(std::move(out));
}

Result<Value> ArrayUpper(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(TextArray elements, ParseTextArray(a[0].as_bytes()));
  if (a[1].as_int64() != 1 || elements.empty()) return Value::Null(kInt);
  return Value::Int(static_cast<int32_t>(elements.size()));
}

// array_position(array, element): the 1-based position of the first element equal to
// `element` (compared as text), or NULL. `x = ANY (array)` is bound to it.
Result<Value> ArrayPosition(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(kInt);
  TDB_ASSIGN_OR_RETURN(TextArray elements, ParseTextArray(a[0].as_bytes()));
  if (a[1].is_null()) return Value::Null(kInt);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].has_value() && *elements[i] == a[1].as_bytes()) {
      return Value::Int(static_cast<int32_t>(i + 1));
    }
  }
  return Value::Null(kInt);
}

// array[i] (text_array.h): NULL past either end.
Result<Value> ArrayElement(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(TextArray elements, ParseTextArray(a[0].as_bytes()));
  const int64_t i = a[1].as_int64();
  if (i < 1 || i > static_cast<int64_t>(elements.size()) || !elements[i - 1].has_value()) {
    return Value::Null(kText);
  }
  return Value::Text(*elements[i - 1]);
}

// 'name'::regclass and friends: the OID a name means; undefined_table if none.
Result<Value> RegclassOid(std::span<const Value> a, const FunctionContext& ctx) {
  const std::string_view text = a[0].as_bytes();
  // A number is an OID already ('16384'::regclass, as psql writes them).
  int64_t oid = 0;
  if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), oid);
      !text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    return Value::BigInt(oid);
  }
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, Snapshot(ctx));
  if (const PgRelation* r = FindByName(ctx, snap, text)) return Value::BigInt(r->oid);
  auto [ns, name] = SplitQualified(text);
  for (const PgRelation& r : snap.relations) {
    if (r.has_primary_key && r.name + "_pkey" == name &&
        (ns.empty() ? r.ns == CurrentNamespace(ctx) : r.ns == ns)) {
      return Value::BigInt(r.index_oid());
    }
  }
  return Status(ErrorCode::kUndefinedTable,
                "relation \"" + std::string(text) + "\" does not exist");
}

Result<Value> RegclassName(std::span<const Value> a, const FunctionContext& ctx) {
  bool index = false;
  TDB_ASSIGN_OR_RETURN(auto r, Lookup(ctx, a[0].as_int64(), &index));
  if (!r.has_value()) return Value::Text(std::to_string(a[0].as_int64()));
  return Value::Text(RelationDisplayName(ctx, *r, index));
}

Result<Value> RegtypeOid(std::span<const Value> a, const FunctionContext&) {
  const std::string name = Lower(a[0].as_bytes());
  const std::string bare = name.starts_with("pg_catalog.") ? name.substr(11) : name;
  if (const PgTypeInfo* t = PgTypeByName(bare)) return Value::BigInt(t->oid);
  static const std::map<std::string, std::string> kAliases = {
      {"int", "int4"},
      {"integer", "int4"},
      {"boolean", "bool"},
      {"float", "float8"},
      {"double", "float8"},
      {"smallint", "int2"},
      {"varchar", "text"},
      {"character varying", "text"},
      {"timestamp with time zone", "timestamptz"}};
  if (auto it = kAliases.find(bare); it != kAliases.end()) {
    return Value::BigInt(PgTypeByName(it->second)->oid);
  }
  return Status(ErrorCode::kNotFound,
                "type \"" + std::string(a[0].as_bytes()) + "\" does not exist");
}

Result<Value> RegtypeName(std::span<const Value> a, const FunctionContext&) {
  const PgTypeInfo* t = PgTypeByOid(a[0].as_int64());
  return Value::Text(t != nullptr ? std::string(t->format_name) : std::to_string(a[0].as_int64()));
}

Result<Value> RegnamespaceOid(std::span<const Value> a, const FunctionContext& ctx) {
  const std::string ns = CanonicalNamespace(a[0].as_bytes());
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, Snapshot(ctx));
  if (std::find(snap.namespaces.begin(), snap.namespaces.end(), ns) == snap.namespaces.end()) {
    return Status(ErrorCode::kUndefinedTable, "schema \"" + ns + "\" does not exist");
  }
  return Value::BigInt(NamespaceOid(ns));
}

Result<Value> RegnamespaceName(std::span<const Value> a, const FunctionContext& ctx) {
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, Snapshot(ctx));
  for (const std::string& ns : snap.namespaces)
    if (NamespaceOid(ns) == a[0].as_int64()) return Value::Text(PgNamespaceName(ns));
  return Value::Text(std::to_string(a[0].as_int64()));
}

Result<Value> RegroleOid(std::span<const Value> a, const FunctionContext& ctx) {
  for (const PgRole& r : VisiblePgRoles(ctx.request))
    if (r.name == a[0].as_bytes()) return Value::BigInt(r.oid);
  return Status(ErrorCode::kNotFound,
                "role \"" + std::string(a[0].as_bytes()) + "\" does not exist");
}

Result<Value> RegroleName(std::span<const Value> a, const FunctionContext& ctx) {
  if (auto name = PgRoleName(ctx.request, a[0].as_int64())) return Value::Text(std::move(*name));
  return Value::Text(std::to_string(a[0].as_int64()));
}

void AddVolatile(std::vector<ScalarFunction>* out, std::string_view name,
                 std::vector<FunctionSignature> signatures, ScalarEvalFn eval, bool strict = true) {
  Add(out, name, std::move(signatures), eval, /*is_volatile=*/true);
  out->back().strict = strict;
}

}  // namespace

void AddPgCatalogFunctions(std::vector<ScalarFunction>* out) {
  Add(out, "version", {{{}, kText}}, Version);
  Add(out, "current_database", {{{}, kText}}, CurrentDatabase);
  Add(out, "current_catalog", {{{}, kText}}, CurrentDatabase);
  AddVolatile(out, "current_schema", {{{}, kText}}, CurrentSchema);
  AddVolatile(out, "current_schemas", {{{kBool}, kText}}, CurrentSchemas);
  AddVolatile(out, "pg_get_userbyid", {{{kBigInt}, kText}}, PgGetUserById);
  AddVolatile(out, "pg_table_is_visible", {{{kBigInt}, kBool}}, PgTableIsVisible);
  AddVolatile(out, "pg_function_is_visible", {{{kBigInt}, kBool}}, NullBool);
  AddVolatile(out, "pg_relation_is_publishable", {{{kBigInt}, kBool}}, NullBool);
  Add(out, "format_type", {{{kBigInt, kInt}, kText}}, FormatType);
  out->back().strict = false;
  Add(out, "pg_get_expr", {{{kText, kBigInt}, kText}, {{kText, kBigInt, kBool}, kText}}, PgGetExpr);
  AddVolatile(out, "pg_get_indexdef", {{{kBigInt}, kText}, {{kBigInt, kInt, kBool}, kText}},
              PgGetIndexDef);
  AddVolatile(out, "pg_get_constraintdef", {{{kBigInt}, kText}, {{kBigInt, kBool}, kText}},
              PgGetConstraintDef);
  for (std::string_view name :
       {"pg_get_statisticsobjdef_columns", "pg_get_function_result", "pg_get_function_arguments",
        "pg_get_function_identity_arguments", "pg_get_triggerdef", "pg_get_ruledef"}) {
    AddVolatile(out, name, {{{kBigInt}, kText}}, NullText);
  }
  AddVolatile(out, "pg_get_viewdef", {{{kBigInt}, kText}, {{kBigInt, kBool}, kText}}, PgGetViewDef);
  // tenantdb has no COMMENT: no object has a description.
  AddVolatile(out, "obj_description", {{{kBigInt}, kText}, {{kBigInt, kText}, kText}}, NullText,
              /*strict=*/false);
  AddVolatile(out, "col_description", {{{kBigInt, kInt}, kText}}, NullText, /*strict=*/false);
  AddVolatile(out, "shobj_description", {{{kBigInt, kText}, kText}}, NullText, false);
  AddVolatile(out, "has_table_privilege",
              {{{kText, kText}, kBool},
               {{kBigInt, kText}, kBool},
               {{kText, kText, kText}, kBool},
               {{kText, kBigInt, kText}, kBool}},
              HasTablePrivilege);
  AddVolatile(out, "has_schema_privilege",
              {{{kText, kText}, kBool}, {{kText, kText, kText}, kBool}}, HasSchemaPrivilege);
  AddVolatile(out, "has_database_privilege",
              {{{kText, kText}, kBool}, {{kText, kText, kText}, kBool}}, HasDatabasePrivilege);
  AddVolatile(out, "current_setting", {{{kText}, kText}, {{kText, kBool}, kText}}, CurrentSetting,
              /*strict=*/false);
  AddVolatile(out, "set_config", {{{kText, kText, kBool}, kText}}, SetConfig, false);
  Add(out, "pg_encoding_to_char", {{{kInt}, kText}}, PgEncodingToChar);
  Add(out, "array_to_string", {{{kText, kText}, kText}, {{kText, kText, kText}, kText}},
      ArrayToString);
  out->back().strict = false;
  Add(out, "array_upper", {{{kText, kInt}, kInt}}, ArrayUpper);
  Add(out, "array_position", {{{kText, kText}, kInt}}, ArrayPosition);
  out->back().strict = false;
  Add(out, "array_element", {{{kText, kBigInt}, kText}}, ArrayElement);
  AddVolatile(out, "regclass_oid", {{{kText}, kBigInt}}, RegclassOid);
  AddVolatile(out, "regclass_name", {{{kBigInt}, kText}}, RegclassName);
  Add(out, "regtype_oid", {{{kText}, kBigInt}}, RegtypeOid);
  Add(out, "regtype_name", {{{kBigInt}, kText}}, RegtypeName);
  AddVolatile(out, "regnamespace_oid", {{{kText}, kBigInt}}, RegnamespaceOid);
  AddVolatile(out, "regnamespace_name", {{{kBigInt}, kText}}, RegnamespaceName);
  AddVolatile(out, "regrole_oid", {{{kText}, kBigInt}}, RegroleOid);
  AddVolatile(out, "regrole_name", {{{kBigInt}, kText}}, RegroleName);
}

}  // namespace tenantdb::sql
