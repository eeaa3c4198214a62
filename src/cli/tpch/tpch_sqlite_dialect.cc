#include "cli/tpch/tpch_sqlite_dialect.h"

#include <regex>

#include "tenantdb/value.h"

namespace tenantdb::cli::tpch {

namespace {

// `date` moved by `n` days, months or years (a day past the month's end clamps to it).
std::string ShiftDate(const std::string& date, char sign, int n, const std::string& unit) {
  const int32_t y0 = std::stoi(date.substr(0, 4));
  const auto m0 = static_cast<uint32_t>(std::stoi(date.substr(5, 2)));
  const auto d0 = static_cast<uint32_t>(std::stoi(date.substr(8, 2)));
  if (sign == '-') n = -n;
  if (unit == "day") return FormatDate(DaysFromCivil(y0, m0, d0) + n);
  int months = y0 * 12 + int(m0) - 1 + (unit == "year" ? 12 * n : n);
  const int32_t y = months / 12;
  const auto m = static_cast<uint32_t>(months % 12 + 1);
  uint32_t d = d0;
  // The month's last day is the day before the first of the next month.
  const int32_t next_first = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
  int32_t last_year;
  uint32_t last_month, last;
  CivilFromDays(next_first - 1, &last_year, &last_month, &last);
  if (d > last) d = last;
  return FormatDate(DaysFromCivil(y, m, d));
}

}  // namespace

std::string TranslateForSqlite(const std::string& sql) {
  static const std::regex kShift(
      R"(date '(\d{4}-\d{2}-\d{2})' ([+-]) interval '(\d+)' (day|month|year))");
  std::string out;
  std::smatch m;
  std::string rest = sql;
  while (std::regex_search(rest, m, kShift)) {
    out += m.prefix().str();
    out += "'" + ShiftDate(m[1].str(), m[2].str()[0], std::stoi(m[3].str()), m[4].str()) + "'";
    rest = m.suffix().str();
  }
  out += rest;
  out = std::regex_replace(out, std::regex(R"(date '(\d{4}-\d{2}-\d{2})')"), "'$1'");
  out = std::regex_replace(out, std::regex(R"(extract\(year from (\w+)\))"),
                           "CAST(strftime('%Y', $1) AS INTEGER)");
  out = std::regex_replace(out, std::regex(R"(substring\((\w+) from (\d+) for (\d+)\))"),
                           "substr($1, $2, $3)");
  // Q13: SQLite has no column list on a derived table's alias.
  const std::string q13_list = " as c_orders (c_custkey, c_count)";
  if (const size_t at = out.find(q13_list); at != std::string::npos) {
    out.replace(at, q13_list.size(), " as c_orders");
    const std::string count = "count(o_orderkey)\n";
    if (const size_t c = out.find(count); c != std::string::npos) {
      out.replace(c, count.size(), "count(o_orderkey) as c_count\n");
    }
  }
  return out;
}

QuerySql TranslateForSqlite(const QuerySql& query) {
  QuerySql q = query;
  for (std::string& s : q.statements)
    s = TranslateForSqlite(s);
  return q;
}

}  // namespace tenantdb::cli::tpch
