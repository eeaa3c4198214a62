#include "cli/tpch/tpch_result.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace tenantdb::cli::tpch {

namespace {

std::optional<double> AsNumber(const std::string& s) {
  if (s.empty() || s == kNullCell) return std::nullopt;
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string RowText(const std::vector<std::string>& row) {
  std::string s;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) s += " | ";
    s += row[i];
  }
  return s;
}

}  // namespace

void SetOutcomeStatus(const Status& status, QueryOutcome* out) {
  out->ok = status.ok();
  if (!out->ok) {
    out->error = status.ToString();
    out->rows.clear();
  }
}

bool CellsMatch(const std::string& expected, const std::string& actual) {
  if (expected == actual) return true;
  const std::optional<double> a = AsNumber(expected);
  const std::optional<double> b = AsNumber(actual);
  if (!a || !b) return false;
  const double diff = std::fabs(*a - *b);
  return diff < 0.005 || diff <= 1e-6 * std::max(std::fabs(*a), std::fabs(*b));
}

std::string DiffOutcomes(const QueryOutcome& expected, const QueryOutcome& actual,
                         size_t max_lines) {
  if (!expected.ok) return "the reference failed: " + expected.error;
  if (!actual.ok) return "failed: " + actual.error;
  std::string diff;
  size_t lines = 0;
  auto note = [&](const std::string& line) {
    if (lines++ < max_lines) diff += "    " + line + "\n";
  };
  if (expected.rows.size() != actual.rows.size()) {
    note(std::to_string(actual.rows.size()) + " rows, expected " +
         std::to_string(expected.rows.size()));
  }
  const size_t n = std::min(expected.rows.size(), actual.rows.size());
  for (size_t r = 0; r < n; ++r) {
    const auto& e = expected.rows[r];
    const auto& a = actual.rows[r];
    bool same = e.size() == a.size();
    for (size_t c = 0; same && c < e.size(); ++c)
      same = CellsMatch(e[c], a[c]);
    if (!same) {
      note("row " + std::to_string(r + 1) + ": got      " + RowText(a));
      note("row " + std::to_string(r + 1) + ": expected " + RowText(e));
    }
  }
  if (n < expected.rows.size()) note("first missing row: " + RowText(expected.rows[n]));
  if (n < actual.rows.size()) note("first extra row: " + RowText(actual.rows[n]));
  if (lines > max_lines) diff += "    ... (" + std::to_string(lines - max_lines) + " more)\n";
  return diff;
}

}  // namespace tenantdb::cli::tpch
