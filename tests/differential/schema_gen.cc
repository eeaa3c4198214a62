// Random tables and their rows (see schema_gen.h for the domains and why).
#include "schema_gen.h"

namespace tenantdb::differential {

namespace {

const std::vector<std::string> kTexts = {"''",  "'a'",  "'b'",  "'ab'",  "'abc'",
                                         "'B'", "'ba'", "' a'", "'a b'", "'x_y'",
                                         "'%'", "'é'",  "'Éa'", "'日本'"};
const std::vector<std::string> kDoubles = {"-2.5", "-1", "0", "0.25", "0.5",  "1",
                                           "1.25", "2",  "3", "7.75", "100.5"};

std::string RandomValue(Random* rng, SqlType type) {
  switch (type) {
    case SqlType::kInt:
    case SqlType::kBigInt:
      return std::to_string(rng->Between(-3, 6));
    case SqlType::kDouble:
      // PostgreSQL's special values: NaN sorts above every number and equals itself.
      if (rng->Chance(0.03)) return rng->Chance(0.5) ? "'NaN'" : "'Infinity'";
      return rng->Pick(kDoubles);
    case SqlType::kText:
      return rng->Pick(kTexts);
    case SqlType::kBool:
      return rng->Chance(0.5) ? "TRUE" : "FALSE";
  }
  return "NULL";
}

}  // namespace

const char* SqlTypeName(SqlType type) {
  switch (type) {
    case SqlType::kInt:
      return "INTEGER";
    case SqlType::kBigInt:
      return "BIGINT";
    case SqlType::kDouble:
      return "DOUBLE PRECISION";
    case SqlType::kText:
      return "TEXT";
    case SqlType::kBool:
      return "BOOLEAN";
  }
  return "TEXT";
}

bool IsNumeric(SqlType type) {
  return type == SqlType::kInt || type == SqlType::kBigInt || type == SqlType::kDouble;
}

std::vector<TableSpec> GenerateSchema(Random* rng) {
  static const char* kLetters = "igdsb";  // by SqlType
  std::vector<TableSpec> tables(size_t(rng->Between(2, 4)));
  for (size_t t = 0; t < tables.size(); ++t) {
    TableSpec& table = tables[t];
    table.name = "t" + std::to_string(t);
    table.columns.push_back({"id", SqlType::kInt});
    // Every table has an INTEGER and a TEXT column, so joins and groups find partners.
    std::vector<SqlType> types = {SqlType::kInt, SqlType::kText};
    const int extra = int(rng->Between(0, 3));
    for (int i = 0; i < extra; ++i)
      types.push_back(SqlType(rng->Below(5)));
    int counts[5] = {0, 0, 0, 0, 0};
    for (SqlType type : types) {
      const int n = ++counts[int(type)];
      table.columns.push_back({std::string(1, kLetters[int(type)]) + std::to_string(n), type});
    }
    const size_t rows = rng->Chance(0.05) ? 0 : size_t(rng->Between(1, 8));
    for (size_t r = 0; r < rows; ++r) {
      std::vector<std::string> row = {std::to_string(r + 1)};
      for (size_t c = 1; c < table.columns.size(); ++c) {
        row.push_back(rng->Chance(0.15) ? "NULL" : RandomValue(rng, table.columns[c].type));
      }
      table.rows.push_back(std::move(row));
    }
  }
  return tables;
}

std::vector<std::string> SchemaStatements(const std::vector<TableSpec>& tables) {
  std::vector<std::string> statements;
  for (const TableSpec& table : tables) {
    statements.push_back("DROP TABLE IF EXISTS " + table.name);
    std::string create = "CREATE TABLE " + table.name + " (";
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) create += ", ";
      create += table.columns[c].name + " " + SqlTypeName(table.columns[c].type);
      if (c == 0) create += " PRIMARY KEY";
    }
    statements.push_back(create + ")");
    if (!table.rows.empty()) statements.push_back(InsertRows(table, 0, table.rows.size()));
  }
  return statements;
}

std::string InsertRows(const TableSpec& table, size_t begin, size_t end) {
  std::string insert = "INSERT INTO " + table.name + " VALUES ";
  for (size_t r = begin; r < end; ++r) {
    if (r > begin) insert += ", ";
    insert += "(";
    for (size_t c = 0; c < table.rows[r].size(); ++c)
      insert += (c > 0 ? ", " : "") + table.rows[r][c];
    insert += ")";
  }
  return insert;
}

std::string InsertRow(const TableSpec& table, const std::vector<std::string>& row) {
  std::string insert = "INSERT INTO " + table.name + " VALUES (";
  for (size_t c = 0; c < row.size(); ++c)
    insert += (c > 0 ? ", " : "") + row[c];
  return insert + ")";
}

std::string RandomLiteral(Random* rng, SqlType type) {
  std::string value = RandomValue(rng, type);
  switch (type) {
    case SqlType::kInt:
      return value[0] == '-' ? "(" + value + ")" : value;
    case SqlType::kBigInt:
      return "CAST(" + value + " AS BIGINT)";
    case SqlType::kDouble:
      return "CAST(" + value + " AS DOUBLE PRECISION)";
    default:
      return value;
  }
}

}  // namespace tenantdb::differential
