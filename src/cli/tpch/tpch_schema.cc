#include "cli/tpch/tpch_schema.h"

#include <array>

namespace tenantdb::cli::tpch {

namespace {

enum Kind { kKey, kInt, kMoney, kDate, kText };

struct ColumnDef {
  std::string_view name;
  Kind kind;
  int length;  // kText: the specification's CHAR/VARCHAR length
  bool fixed;  // kText: CHAR rather than VARCHAR
};

struct TableDef {
  std::string_view name;
  std::vector<ColumnDef> columns;
  std::string_view primary_key;
  std::vector<std::string_view> foreign_keys;  // SQLite indexes
};

const std::vector<TableDef>& Tables() {
  static const std::vector<TableDef> tables = {
      {"region",
       {{"r_regionkey", kKey, 0, false},
        {"r_name", kText, 25, true},
        {"r_comment", kText, 152, false}},
       "r_regionkey",
       {}},
      {"nation",
       {{"n_nationkey", kKey, 0, false},
        {"n_name", kText, 25, true},
        {"n_regionkey", kKey, 0, false},
        {"n_comment", kText, 152, false}},
       "n_nationkey",
       {"n_regionkey"}},
      {"part",
       {{"p_partkey", kKey, 0, false},
        {"p_name", kText, 55, false},
        {"p_mfgr", kText, 25, true},
        {"p_brand", kText, 10, true},
        {"p_type", kText, 25, false},
        {"p_size", kInt, 0, false},
        {"p_container", kText, 10, true},
        {"p_retailprice", kMoney, 0, false},
        {"p_comment", kText, 23, false}},
       "p_partkey",
       {}},
      {"partsupp",
       {{"ps_partkey", kKey, 0, false},
        {"ps_suppkey", kKey, 0, false},
        {"ps_availqty", kInt, 0, false},
        {"ps_supplycost", kMoney, 0, false},
        {"ps_comment", kText, 199, false}},
       "ps_partkey, ps_suppkey",
       {"ps_suppkey"}},
      {"supplier",
       {{"s_suppkey", kKey, 0, false},
        {"s_name", kText, 25, true},
        {"s_address", kText, 40, false},
        {"s_nationkey", kKey, 0, false},
        {"s_phone", kText, 15, true},
        {"s_acctbal", kMoney, 0, false},
        {"s_comment", kText, 101, false}},
       "s_suppkey",
       {"s_nationkey"}},
      {"customer",
       {{"c_custkey", kKey, 0, false},
        {"c_name", kText, 25, false},
        {"c_address", kText, 40, false},
        {"c_nationkey", kKey, 0, false},
        {"c_phone", kText, 15, true},
        {"c_acctbal", kMoney, 0, false},
        {"c_mktsegment", kText, 10, true},
        {"c_comment", kText, 117, false}},
       "c_custkey",
       {"c_nationkey"}},
      {"orders",
       {{"o_orderkey", kKey, 0, false},
        {"o_custkey", kKey, 0, false},
        {"o_orderstatus", kText, 1, true},
        {"o_totalprice", kMoney, 0, false},
        {"o_orderdate", kDate, 0, false},
        {"o_orderpriority", kText, 15, true},
        {"o_clerk", kText, 15, true},
        {"o_shippriority", kInt, 0, false},
        {"o_comment", kText, 79, false}},
       "o_orderkey",
       {"o_custkey"}},
      {"lineitem",
       {{"l_orderkey", kKey, 0, false},
        {"l_partkey", kKey, 0, false},
        {"l_suppkey", kKey, 0, false},
        {"l_linenumber", kInt, 0, false},
        {"l_quantity", kMoney, 0, false},
        {"l_extendedprice", kMoney, 0, false},
        {"l_discount", kMoney, 0, false},
        {"l_tax", kMoney, 0, false},
        {"l_returnflag", kText, 1, true},
        {"l_linestatus", kText, 1, true},
        {"l_shipdate", kDate, 0, false},
        {"l_commitdate", kDate, 0, false},
        {"l_receiptdate", kDate, 0, false},
        {"l_shipinstruct", kText, 25, true},
        {"l_shipmode", kText, 10, true},
        {"l_comment", kText, 44, false}},
       "l_orderkey, l_linenumber",
       {"l_partkey, l_suppkey", "l_suppkey"}},
  };
  return tables;
}

std::string TypeName(const ColumnDef& c, Dialect dialect) {
  if (dialect == Dialect::kSqlite) {
    switch (c.kind) {
      case kKey:
      case kInt:
        return "INTEGER";
      case kMoney:
        return "DOUBLE";
      default:
        return "TEXT";
    }
  }
  switch (c.kind) {
    case kKey:
    case kInt:
      return "INTEGER";
    case kMoney:
      return "DECIMAL(15,2)";
    case kDate:
      return "DATE";
    case kText:
      break;
  }
  return std::string(c.fixed ? "CHAR(" : "VARCHAR(") + std::to_string(c.length) + ")";
}

}  // namespace

const std::vector<std::string_view>& TableNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> n;
    for (const TableDef& t : Tables())
      n.push_back(t.name);
    return n;
  }();
  return names;
}

std::vector<std::string> SchemaStatements(Dialect dialect) {
  std::vector<std::string> out;
  for (const TableDef& t : Tables()) {
    std::string sql = "CREATE TABLE " + std::string(t.name) + " (";
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (i > 0) sql += ", ";
      sql += std::string(t.columns[i].name) + " " + TypeName(t.columns[i], dialect);
      if (dialect != Dialect::kDuckdb) sql += " NOT NULL";
    }
    if (dialect != Dialect::kDuckdb) sql += ", PRIMARY KEY (" + std::string(t.primary_key) + ")";
    sql += ")";
    if (dialect == Dialect::kTenantdb) sql += " WITH (TYPE = 'SHARED')";
    out.push_back(std::move(sql));
    if (dialect != Dialect::kSqlite) continue;
    int n = 0;
    for (std::string_view fk : t.foreign_keys) {
      out.push_back("CREATE INDEX " + std::string(t.name) + "_fk" + std::to_string(n++) + " ON " +
                    std::string(t.name) + " (" + std::string(fk) + ")");
    }
  }
  return out;
}

std::string SqliteColumnKinds(std::string_view table) {
  for (const TableDef& t : Tables()) {
    if (t.name != table) continue;
    std::string kinds;
    for (const ColumnDef& c : t.columns)
      kinds.push_back(c.kind == kKey || c.kind == kInt ? 'i' : c.kind == kMoney ? 'm' : 't');
    return kinds;
  }
  return "";
}

}  // namespace tenantdb::cli::tpch
