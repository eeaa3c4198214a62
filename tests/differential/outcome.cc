// Outcome comparison: text cells, approximate numbers, ordered or multiset rows.
#include "outcome.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tenantdb::differential {

namespace {

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

bool ApproximatelyEqual(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  if (std::isinf(a) || std::isinf(b)) return false;
  const double scale = std::max(std::fabs(a), std::fabs(b));
  return std::fabs(a - b) <= 1e-9 * scale || std::fabs(a - b) < 1e-12;
}

// A NUMERIC's text without trailing fractional zeros: 1.50 -> 1.5, 2.00 -> 2, -0.0 -> 0.
std::string WithoutTrailingZeros(const std::string& text) {
  if (text.find('.') == std::string::npos) return text;
  std::string s = text;
  while (s.back() == '0')
    s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

enum class ColumnKind { kText, kApproximate, kDecimal };

bool CellsEqual(const Cell& a, const Cell& b, ColumnKind kind) {
  if (!a.has_value() || !b.has_value()) return a.has_value() == b.has_value();
  if (*a == *b) return true;
  if (kind == ColumnKind::kDecimal) return WithoutTrailingZeros(*a) == WithoutTrailingZeros(*b);
  if (kind != ColumnKind::kApproximate) return false;
  const std::optional<double> x = ParseNumber(*a);
  const std::optional<double> y = ParseNumber(*b);
  return x.has_value() && y.has_value() && ApproximatelyEqual(*x, *y);
}

// A sort key that puts equal rows next to each other: approximate cells rounded to nine
// significant digits (so 0.1 + 0.2 and 0.3 sort alike), decimal ones without trailing
// zeros, NULL before every value.
std::string SortKey(const Row& row, const std::vector<ColumnKind>& kinds) {
  std::string key;
  for (size_t i = 0; i < row.size(); ++i) {
    if (!row[i].has_value()) {
      key += '\x01';
    } else {
      key += '\x02';
      std::optional<double> v;
      if (kinds[i] == ColumnKind::kApproximate) v = ParseNumber(*row[i]);
      if (v.has_value() && std::isfinite(*v)) {
        char buffer[40];
        std::snprintf(buffer, sizeof(buffer), "%.9g", *v == 0 ? 0.0 : *v);
        key += buffer;
      } else if (kinds[i] == ColumnKind::kDecimal) {
        key += WithoutTrailingZeros(*row[i]);
      } else {
        key += *row[i];
      }
    }
    key += '\x00';
  }
  return key;
}

std::vector<Row> Sorted(const std::vector<Row>& rows, const std::vector<ColumnKind>& kinds) {
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    keys.emplace_back(SortKey(rows[i], kinds), i);
  std::sort(keys.begin(), keys.end());
  std::vector<Row> sorted;
  sorted.reserve(rows.size());
  for (const auto& key : keys)
    sorted.push_back(rows[key.second]);
  return sorted;
}

std::string FormatRow(const Row& row) {
  std::string text;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) text += '\t';
    if (!row[i].has_value()) {
      text += "NULL";
    } else if (row[i]->empty() || *row[i] == "NULL" || row[i]->front() == ' ' ||
               row[i]->back() == ' ') {
      text += "'" + *row[i] + "'";
    } else {
      text += *row[i];
    }
  }
  return text;
}

}  // namespace

std::optional<std::string> Compare(const Outcome& a, const Outcome& b, bool ordered) {
  if (!a.ok && !b.ok) return std::nullopt;
  if (a.ok != b.ok) return std::string(a.ok ? "only the second failed" : "only the first failed");
  if (a.approximate.size() != b.approximate.size()) {
    return "column counts differ: " + std::to_string(a.approximate.size()) + " vs " +
           std::to_string(b.approximate.size());
  }
  if (a.rows.size() != b.rows.size()) {
    return "row counts differ: " + std::to_string(a.rows.size()) + " vs " +
           std::to_string(b.rows.size());
  }
  std::vector<ColumnKind> kinds(a.approximate.size(), ColumnKind::kText);
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (a.approximate[i] || b.approximate[i]) {
      kinds[i] = ColumnKind::kApproximate;
    } else if (a.decimal[i] && b.decimal[i]) {
      kinds[i] = ColumnKind::kDecimal;
    }
  }
  const std::vector<Row> left = ordered ? a.rows : Sorted(a.rows, kinds);
  const std::vector<Row> right = ordered ? b.rows : Sorted(b.rows, kinds);
  for (size_t r = 0; r < left.size(); ++r) {
    if (left[r].size() != right[r].size()) return "row widths differ";
    for (size_t c = 0; c < left[r].size(); ++c) {
      if (!CellsEqual(left[r][c], right[r][c], kinds[c])) {
        return std::string(ordered ? "row " : "sorted row ") + std::to_string(r + 1) +
               " differs: [" + FormatRow(left[r]) + "] vs [" + FormatRow(right[r]) + "]";
      }
    }
  }
  return std::nullopt;
}

std::string Describe(const Outcome& outcome, size_t max_rows) {
  if (!outcome.ok) return "ERROR " + outcome.sqlstate + ": " + outcome.message + "\n";
  std::string text = std::to_string(outcome.rows.size()) + " row(s)\n";
  for (size_t r = 0; r < outcome.rows.size() && r < max_rows; ++r)
    text += "  " + FormatRow(outcome.rows[r]) + "\n";
  if (outcome.rows.size() > max_rows) text += "  ...\n";
  return text;
}

}  // namespace tenantdb::differential
