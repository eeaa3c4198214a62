#include "slt_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <sstream>

#include "common/md5.h"

namespace tenantdb::slt {
namespace {

std::vector<std::string> SplitRow(const std::string& line) {
  std::vector<std::string> values;
  if (line.find('\t') != std::string::npos) {
    size_t start = 0;
    while (true) {
      size_t end = line.find('\t', start);
      values.push_back(line.substr(start, end == std::string::npos ? end : end - start));
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return values;
  }
  std::istringstream words(line);
  std::string word;
  while (words >> word)
    values.push_back(word);
  return values;
}

// `text` with leading and trailing whitespace removed and inner runs of it made one space.
std::string CollapseSpaces(const std::string& text) {
  std::istringstream words(text);
  std::string word, out;
  while (words >> word) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace

std::string FormatValue(const Value& value, char type_letter) {
  if (value.is_null()) return "NULL";
  std::string out;
  const DataType type = value.type();
  if (type == DataType::kBoolean) {
    out = value.as_bool() ? "true" : "false";
  } else if (type_letter == 'I' && IsInteger(type)) {
    out = std::to_string(value.as_int64());
  } else if (type_letter == 'I' && IsFloatingPoint(type)) {
    const double d = value.as_double();
    if (!(std::fabs(d) < 9.2e18)) {  // NaN, infinities, beyond int64
      out = value.ToString();
    } else {
      out = std::to_string(static_cast<int64_t>(std::trunc(d)));
    }
  } else if (type_letter == 'R' && (IsInteger(type) || IsFloatingPoint(type))) {
    const double d = IsInteger(type) ? static_cast<double>(value.as_int64()) : value.as_double();
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%.3f", d);
    out = buffer;
  } else {
    out = value.ToString();
  }
  if (out.empty()) return "(empty)";
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = '@';
  }
  return out;
}

bool ErrorMatches(const std::string& expected, const std::string& actual) {
  if (expected.empty()) return true;
  constexpr std::string_view kRegex = "<REGEX>:";
  constexpr std::string_view kNotRegex = "<!REGEX>:";
  if (expected.starts_with(kRegex) || expected.starts_with(kNotRegex)) {
    const bool negate = expected.starts_with(kNotRegex);
    const std::string pattern = expected.substr(negate ? kNotRegex.size() : kRegex.size());
    try {
      const bool found = std::regex_search(actual, std::regex(pattern));
      return found != negate;
    } catch (const std::regex_error&) {
      return false;
    }
  }
  return actual.find(expected) != std::string::npos;
}

std::vector<std::string> FlattenValues(std::vector<std::vector<std::string>>* rows, SortMode sort) {
  if (sort == SortMode::kRowSort) std::sort(rows->begin(), rows->end());
  std::vector<std::string> values;
  for (const auto& row : *rows)
    values.insert(values.end(), row.begin(), row.end());
  if (sort == SortMode::kValueSort) std::sort(values.begin(), values.end());
  return values;
}

std::string HashValues(const std::vector<std::string>& values) {
  std::string all;
  for (const std::string& v : values) {
    all += v;
    all += '\n';
  }
  return Md5Hex(all);
}

// Compares the expected lines of `record` with the actual values, in either layout.
bool ResultMatches(const Record& record, const std::vector<std::vector<std::string>>& rows,
                   const std::vector<std::string>& values, size_t columns) {
  const std::vector<std::string>& expected = record.expected;
  // SQLite's layout: one value per line.
  if (expected.size() == values.size()) {
    bool one_per_line = columns == 1 || rows.empty();
    if (!one_per_line) {
      one_per_line = true;
      for (const std::string& line : expected) {
        if (line.find('\t') != std::string::npos) one_per_line = false;
      }
    }
    if (one_per_line) {
      std::vector<std::string> want = expected;
      if (record.sort == SortMode::kValueSort || record.sort == SortMode::kRowSort) {
        if (record.sort == SortMode::kValueSort || columns == 1) {
          std::sort(want.begin(), want.end());
        } else {
          // Regroup into rows to sort them like the actual rows.
          std::vector<std::vector<std::string>> want_rows;
          for (size_t i = 0; i < want.size(); i += columns)
            want_rows.emplace_back(want.begin() + i, want.begin() + i + columns);
          std::sort(want_rows.begin(), want_rows.end());
          want.clear();
          for (const auto& row : want_rows)
            want.insert(want.end(), row.begin(), row.end());
        }
      }
      if (want == values) return true;
    }
  }
  // DuckDB's layout: one row per line.
  if (record.sort == SortMode::kValueSort || expected.size() != rows.size()) return false;
  std::vector<std::vector<std::string>> want_rows;
  for (const std::string& line : expected) {
    std::vector<std::string> row = SplitRow(line);
    if (row.size() != columns) {
      // Values with spaces on a space-separated line: compare the whole line.
      row = {line};
    }
    want_rows.push_back(std::move(row));
  }
  std::vector<std::vector<std::string>> have_rows = rows;
  for (size_t i = 0; i < want_rows.size(); ++i) {
    if (want_rows[i].size() == 1 && columns > 1) {
      // Collapse runs of whitespace on both sides and compare lines.
      std::string have;
      for (size_t c = 0; c < columns; ++c) {
        if (c > 0) have += ' ';
        have += have_rows[i][c];
      }
      have_rows[i] = {CollapseSpaces(have)};
      want_rows[i] = {CollapseSpaces(want_rows[i][0])};
    }
  }
  if (record.sort == SortMode::kRowSort) {
    std::sort(want_rows.begin(), want_rows.end());
    std::sort(have_rows.begin(), have_rows.end());
  }
  return want_rows == have_rows;
}

}  // namespace tenantdb::slt
