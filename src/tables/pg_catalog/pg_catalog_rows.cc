// The rows of pg_catalog's tables (pg_catalog_tables.h), built from a PgCatalogSnapshot.
#include <string>

#include "catalog/role.h"
#include "tables/pg_catalog/pg_catalog_snapshot.h"
#include "tables/pg_catalog/pg_catalog_tables.h"
#include "tables/pg_catalog/pg_oids.h"
#include "tables/pg_catalog/pg_roles.h"
#include "tables/pg_catalog/pg_settings.h"

namespace tenantdb {

namespace {

constexpr int64_t kDefaultCollationOid = 100;
constexpr int32_t kUtf8Encoding = 6;

Value Oid(int64_t oid) {
  return Value::BigInt(oid);
}
Value Text(std::string s) {
  return Value::Text(std::move(s));
}
Value NullText() {
  return Value::Null(DataType::kText);
}
Value Bool(bool b) {
  return Value::Boolean(b);
}

int64_t CollationOf(DataType type) {
  return type == DataType::kText ? kDefaultCollationOid : 0;
}

std::string Align(int16_t length) {
  return length == 8 ? "d" : length == 4 ? "i" : length == 2 ? "s" : "c";
}

// PostgreSQL's int2vector text ("1 2") or array literal ("{1,2}") of the primary key's
// attnums.
std::string KeyAttnums(const PgRelation& r, bool array) {
  std::string out;
  for (const auto& [attnum, field] : r.VisibleFields()) {
    if (!field->primary_key) continue;
    out += (out.empty() ? "" : array ? "," : " ") + std::to_string(attnum);
  }
  return array ? "{" + out + "}" : out;
}

size_t KeyCount(const PgRelation& r) {
  size_t n = 0;
  for (const auto& [attnum, field] : r.VisibleFields())
    n += field->primary_key ? 1 : 0;
  return n;
}

Status FillClass(const PgCatalogSnapshot& snap, Batch* out) {
  for (const PgRelation& r : snap.relations) {
    const int64_t ns = NamespaceOid(r.ns);
    const auto fields = r.VisibleFields();
    TDB_RETURN_IF_ERROR(out->AppendRow({Oid(r.oid),
                                        Text(r.name),
                                        Oid(ns),
                                        Oid(0),
                                        Oid(0),
                                        Oid(kRootRoleOid),
                                        Oid(kHeapAmOid),
                                        Oid(r.oid),
                                        Oid(0),
                                        Value::Int(0),
                                        Value::Real(-1),
                                        Value::Int(0),
                                        Oid(0),
                                        Bool(r.has_primary_key),
                                        Bool(false),
                                        Text("p"),
                                        Text(r.is_view ? "v" : "r"),
                                        Value::SmallInt(static_cast<int16_t>(fields.size())),
                                        Value::SmallInt(0),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(true),
                                        Text("d"),
                                        Bool(false),
                                        Oid(0),
                                        NullText(),
                                        NullText(),
                                        NullText()}));
    if (!r.has_primary_key) continue;
    TDB_RETURN_IF_ERROR(out->AppendRow({Oid(r.index_oid()),
                                        Text(r.name + "_pkey"),
                                        Oid(ns),
                                        Oid(0),
                                        Oid(0),
                                        Oid(kRootRoleOid),
                                        Oid(kBtreeAmOid),
                                        Oid(r.index_oid()),
                                        Oid(0),
                                        Value::Int(0),
                                        Value::Real(-1),
                                        Value::Int(0),
                                        Oid(0),
                                        Bool(false),
                                        Bool(false),
                                        Text("p"),
                                        Text("i"),
                                        Value::SmallInt(static_cast<int16_t>(KeyCount(r))),
                                        Value::SmallInt(0),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(false),
                                        Bool(true),
                                        Text("n"),
                                        Bool(false),
                                        Oid(0),
                                        NullText(),
                                        NullText(),
                                        NullText()}));
  }
  return Status::Ok();
}

Status FillAttribute(const PgCatalogSnapshot& snap, Batch* out) {
  for (const PgRelation& r : snap.relations) {
    for (const auto& [attnum, f] : r.VisibleFields()) {
      const PgTypeInfo& t = PgTypeOf(f->type);
      TDB_RETURN_IF_ERROR(out->AppendRow({Oid(r.oid),
                                          Text(f->name),
                                          Oid(t.oid),
                                          Value::Int(-1),
                                          Value::SmallInt(t.length),
                                          Value::SmallInt(attnum),
                                          Value::Int(0),
                                          Value::Int(-1),
                                          Value::Int(-1),
                                          Bool(t.length > 0 && t.length <= 8),
                                          Text(Align(t.length)),
                                          Text(t.length < 0 ? "x" : "p"),
                                          Text(""),
                                          Bool(!f->nullable),
                                          Bool(!f->default_expr.empty()),
                                          Bool(false),
                                          Text(""),
                                          Text(""),
                                          Bool(false),
                                          Bool(true),
                                          Value::Int(0),
                                          Oid(CollationOf(f->type)),
                                          NullText(),
                                          NullText(),
                                          NullText()}));
    }
  }
  return Status::Ok();
}

Status FillType(Batch* out) {
  for (const PgTypeInfo& t : PgTypes()) {
    const std::string name(t.name);
    const std::string io = IsArray(t.type) ? "array_" : name;  // array_in, int4in, ...
    TDB_RETURN_IF_ERROR(
        out->AppendRow({Oid(t.oid),
                        Text(name),
                        Oid(kPgCatalogNamespaceOid),
                        Oid(kRootRoleOid),
                        Value::SmallInt(t.length),
                        Bool(t.length > 0 && t.length <= 8),
                        Text("b"),
                        Text(std::string(1, t.category)),
                        Bool(false),
                        Bool(true),
                        Text(","),
                        Oid(0),
                        Oid(IsArray(t.type) ? PgTypeOf(ElementType(t.type)).oid : 0),
                        Oid(t.array_oid),
                        Text(io + "in"),
                        Text(io + "out"),
                        Text(io + "recv"),
                        Text(io + "send"),
                        Text(Align(t.length)),
                        Text(t.length < 0 ? "x" : "p"),
                        Bool(false),
                        Oid(0),
                        Value::Int(-1),
                        Value::Int(0),
                        Oid(CollationOf(t.type)),
                        NullText()}));
  }
  return Status::Ok();
}

Status FillIndexes(PgCatalogKind kind, const PgCatalogSnapshot& snap, Batch* out) {
  for (const PgRelation& r : snap.relations) {
    if (!r.has_primary_key) continue;
    const int16_t n = static_cast<int16_t>(KeyCount(r));
    if (kind == PgCatalogKind::kIndex) {
      std::string zeros;
      for (int16_t i = 0; i < n; ++i)
        zeros += i == 0 ? "0" : " 0";
      TDB_RETURN_IF_ERROR(out->AppendRow(
          {Oid(r.index_oid()), Oid(r.oid),  Value::SmallInt(n), Value::SmallInt(n),
           Bool(true),         Bool(false), Bool(true),         Bool(false),
           Bool(true),         Bool(false), Bool(true),         Bool(false),
           Bool(true),         Bool(true),  Bool(false),        Text(KeyAttnums(r, false)),
           Text(zeros),        Text(zeros), Text(zeros),        NullText(),
           NullText()}));
      continue;
    }
    // The constraint shares its index's number (OIDs are unique per catalog).
    TDB_RETURN_IF_ERROR(out->AppendRow({Oid(r.index_oid()),
                                        Text(r.name + "_pkey"),
                                        Oid(NamespaceOid(r.ns)),
                                        Text("p"),
                                        Bool(false),
                                        Bool(false),
                                        Bool(true),
                                        Oid(r.oid),
                                        Oid(0),
                                        Oid(r.index_oid()),
                                        Oid(0),
                                        Oid(0),
                                        Text(" "),
                                        Text(" "),
                                        Text(" "),
                                        Bool(true),
                                        Value::Int(0),
                                        Bool(true),
                                        Text(KeyAttnums(r, true)),
                                        NullText(),
                                        NullText()}));
  }
  return Status::Ok();
}

Status FillAttrdef(const PgCatalogSnapshot& snap, Batch* out) {
  for (const PgRelation& r : snap.relations) {
    for (const auto& [attnum, f] : r.VisibleFields()) {
      if (f->default_expr.empty()) continue;
      TDB_RETURN_IF_ERROR(out->AppendRow(
          {Oid(r.oid << 16 | attnum), Oid(r.oid), Value::SmallInt(attnum), Text(f->default_expr)}));
    }
  }
  return Status::Ok();
}

Status FillRoles(PgCatalogKind kind, const RequestContext& ctx, Batch* out) {
  for (const PgRole& role : VisiblePgRoles(ctx)) {
    const bool super = role.role == Role::kSystem;
    const bool create_role = CanRunDdl(role.role);
    const bool bypass = role.role >= Role::kService;
    const Value valid_until = Value::Null(DataType::kTimestampTz);
    if (kind == PgCatalogKind::kRoles) {
      TDB_RETURN_IF_ERROR(
          out->AppendRow({Text(role.name), Bool(super), Bool(true), Bool(create_role), Bool(false),
                          Bool(role.can_login), Bool(false), Value::Int(-1), Text("********"),
                          valid_until, Bool(bypass), NullText(), Oid(role.oid)}));
    } else {
      TDB_RETURN_IF_ERROR(
          out->AppendRow({Text(role.name), Oid(role.oid), Bool(false), Bool(super), Bool(false),
                          Bool(bypass), Text("********"), valid_until, NullText()}));
    }
  }
  return Status::Ok();
}

Status FillSettings(const RequestContext& ctx, Batch* out) {
  for (const PgSetting& s : SessionPgSettings(ctx)) {
    TDB_RETURN_IF_ERROR(out->AppendRow(
        {Text(s.name), Text(s.value), NullText(), Text("tenantdb"), Text(""), NullText(),
         Text("user"), Text("string"), Text(s.from_session ? "session" : "default"), NullText(),
         NullText(), NullText(), Text(s.default_value), Text(s.default_value), NullText(),
         Value::Null(DataType::kInt), Bool(false)}));
  }
  return Status::Ok();
}

}  // namespace

Status FillPgCatalog(PgCatalogKind kind, const RequestContext& ctx, Batch* out) {
  using K = PgCatalogKind;
  switch (kind) {
    case K::kType:
      return FillType(out);
    case K::kAm:
      TDB_RETURN_IF_ERROR(
          out->AppendRow({Oid(kHeapAmOid), Text("heap"), Text("heap_tableam_handler"), Text("t")}));
      return out->AppendRow({Oid(kBtreeAmOid), Text("btree"), Text("bthandler"), Text("i")});
    case K::kDatabase:
      return out->AppendRow({Oid(kDatabaseOid), Text(std::string(kPgDatabaseName)),
                             Oid(kRootRoleOid), Value::Int(kUtf8Encoding), Text("c"), Bool(false),
                             Bool(true), Value::Int(-1), Oid(0), Oid(0), Oid(kDefaultTablespaceOid),
                             Text("C"), Text("C"), NullText(), NullText(), NullText()});
    case K::kTablespace:
      TDB_RETURN_IF_ERROR(out->AppendRow({Oid(kDefaultTablespaceOid), Text("pg_default"),
                                          Oid(kRootRoleOid), NullText(), NullText()}));
      return out->AppendRow(
          {Oid(1664), Text("pg_global"), Oid(kRootRoleOid), NullText(), NullText()});
    case K::kCollation: {
      const std::pair<int64_t, const char*> rows[] = {
          {kDefaultCollationOid, "default"}, {950, "C"}, {951, "POSIX"}};
      for (const auto& [oid, name] : rows) {
        const bool is_default = oid == kDefaultCollationOid;
        TDB_RETURN_IF_ERROR(
            out->AppendRow({Oid(oid), Text(name), Oid(kPgCatalogNamespaceOid), Oid(kRootRoleOid),
                            Text(is_default ? "d" : "c"), Bool(true), Value::Int(-1),
                            is_default ? NullText() : Text(name),
                            is_default ? NullText() : Text(name), NullText(), NullText()}));
      }
      return Status::Ok();
    }
    case K::kRoles:
    case K::kUser:
      return FillRoles(kind, ctx, out);
    case K::kSettings:
      return FillSettings(ctx, out);
    default:
      break;
  }
  TDB_ASSIGN_OR_RETURN(PgCatalogSnapshot snap, LoadPgCatalogSnapshot(*ctx.system));
  switch (kind) {
    case K::kNamespace:
      for (const std::string& ns : snap.namespaces) {
        TDB_RETURN_IF_ERROR(out->AppendRow(
            {Oid(NamespaceOid(ns)), Text(PgNamespaceName(ns)), Oid(kRootRoleOid), NullText()}));
      }
      return Status::Ok();
    case K::kClass:
      return FillClass(snap, out);
    case K::kAttribute:
      return FillAttribute(snap, out);
    case K::kIndex:
    case K::kConstraint:
      return FillIndexes(kind, snap, out);
    case K::kAttrdef:
      return FillAttrdef(snap, out);
    default:
      return Status::Ok();
  }
}

}  // namespace tenantdb
