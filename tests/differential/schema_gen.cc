// Random tables and their rows (see schema_gen.h for the domains and why).
#include "schema_gen.h"

namespace tenantdb::differential {

namespace {

const std::vector<std::string> kTexts = {"''",  "'a'",  "'b'",  "'ab'",  "'abc'",
                                         "'B'", "'ba'", "' a'", "'a b'", "'x_y'",
                                         "'%'", "'é'",  "'Éa'", "'日本'"};
const std::vector<std::string> kDoubles = {"-2.5", "-1", "0", "0.25", "0.5",  "1",
                                           "1.25", "2",  "3", "7.75", "100.5"};
// Scales differ (the column rounds them to 3 places; as literals they keep their own).
const std::vector<std::string> kNumerics = {"-2.125", "-1.0", "0.0",   "0.001", "0.5",
                                            "1.5",    "2.00", "3.333", "7.75",  "100.005"};
// No two equal as intervals ('1 mon' = '30 days', '1 day' = '24 hours' in comparisons,
// DISTINCT and GROUP BY): which spelling such a group shows is up to the engine.
const std::vector<std::string> kIntervals = {
    "INTERVAL '1 day'", "INTERVAL '2 hours'",         "INTERVAL '-3 days 04:00:00'",
    "INTERVAL '1 mon'", "INTERVAL '1 year 2 mons'",   "INTERVAL '00:30:00'",
    "INTERVAL '0'",     "INTERVAL '1 day -01:00:00'", "INTERVAL '45 days 00:00:01.5'"};
const std::vector<std::string> kTimestamps = {
    "TIMESTAMP '2024-01-31 10:00:00'",   "TIMESTAMP '2024-02-29 00:00:00'",
    "TIMESTAMP '2023-12-31 23:59:59.5'", "TIMESTAMP '2024-03-10 02:30:00'",
    "TIMESTAMP '2000-01-01 00:00:00'",   "TIMESTAMP '1999-12-31 12:00:00'",
    "TIMESTAMP '2024-01-01 00:00:00'"};
const std::vector<std::string> kDates = {"DATE '2024-01-31'", "DATE '2024-02-29'",
                                         "DATE '2023-12-31'", "DATE '2000-01-01'",
                                         "DATE '2024-03-01'", "DATE '1999-12-31'"};

std::string RandomValue(Random* rng, SqlType type) {
  switch (type) {
    case SqlType::kInt:
    case SqlType::kBigInt:
      return std::to_string(rng->Between(-3, 6));
    case SqlType::kDouble:
      // PostgreSQL's special values: NaN sorts above every number and equals itself.
      if (rng->Chance(0.03)) return rng->Chance(0.5) ? "'NaN'" : "'Infinity'";
      return rng->Pick(kDoubles);
    case SqlType::kNumeric:
      return rng->Pick(kNumerics);
    case SqlType::kText:
      return rng->Pick(kTexts);
    case SqlType::kBool:
      return rng->Chance(0.5) ? "TRUE" : "FALSE";
    case SqlType::kInterval:
      return rng->Pick(kIntervals);
    case SqlType::kTimestamp:
      return rng->Pick(kTimestamps);
    case SqlType::kDate:
      return rng->Pick(kDates);
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
    case SqlType::kNumeric:
      return "NUMERIC";
    case SqlType::kText:
      return "TEXT";
    case SqlType::kBool:
      return "BOOLEAN";
    case SqlType::kInterval:
      return "INTERVAL";
    case SqlType::kTimestamp:
      return "TIMESTAMP";
    case SqlType::kDate:
      return "DATE";
  }
  return "TEXT";
}

const char* ColumnTypeName(SqlType type) {
  return type == SqlType::kNumeric ? "NUMERIC(12,3)" : SqlTypeName(type);
}

bool IsNumeric(SqlType type) {
  return type == SqlType::kInt || type == SqlType::kBigInt || type == SqlType::kNumeric ||
         type == SqlType::kDouble;
}

std::vector<TableSpec> GenerateSchema(Random* rng) {
  static const char* kLetters = "igndsbvte";  // by SqlType
  std::vector<TableSpec> tables(size_t(rng->Between(2, 4)));
  for (size_t t = 0; t < tables.size(); ++t) {
    TableSpec& table = tables[t];
    table.name = "t" + std::to_string(t);
    table.columns.push_back({"id", SqlType::kInt});
    // Every table has an INTEGER and a TEXT column, so joins and groups find partners.
    std::vector<SqlType> types = {SqlType::kInt, SqlType::kText};
    const int extra = int(rng->Between(0, 3));
    for (int i = 0; i < extra; ++i)
      types.push_back(SqlType(rng->Below(kSqlTypeCount)));
    int counts[kSqlTypeCount] = {};
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
      create += table.columns[c].name + " " + ColumnTypeName(table.columns[c].type);
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
    case SqlType::kNumeric:
      return value[0] == '-' ? "(" + value + ")" : value;
    default:
      return value;
  }
}

}  // namespace tenantdb::differential
