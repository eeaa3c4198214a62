#include "engine/session_settings.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace tenantdb {

namespace {

struct Unit {
  std::string_view name;
  double factor;
};

constexpr Unit kMemoryUnits[] = {{"B", 1},
                                 {"kB", 1024.0},
                                 {"MB", 1024.0 * 1024},
                                 {"GB", 1024.0 * 1024 * 1024},
                                 {"TB", 1024.0 * 1024 * 1024 * 1024}};
constexpr Unit kDurationUnits[] = {{"us", 0.001},     {"ms", 1},          {"s", 1000},
                                   {"min", 60'000.0}, {"h", 3'600'000.0}, {"d", 86'400'000.0}};

Status InvalidValue(std::string_view name, std::string_view text, std::string_view hint) {
  return Status(ErrorCode::kInvalidArgument, "invalid value for parameter \"" + std::string(name) +
                                                 "\": \"" + std::string(text) + "\"; " +
                                                 std::string(hint));
}

// `text` as number * unit factor (`default_factor` without a unit); nullopt if malformed.
template <size_t N>
std::optional<double> ParseScaled(std::string_view text, const Unit (&units)[N],
                                  double default_factor) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
      s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
      s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  const size_t digits_begin = i;
  bool seen_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      seen_digit = true;
    } else if (text[i] == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit || i == digits_begin) return std::nullopt;
  const std::string number(text.substr(0, i));
  const double value = std::strtod(number.c_str(), nullptr);
  const std::string_view unit = trim(text.substr(i));
  if (unit.empty()) {
    // PostgreSQL rounds a unitless fraction to the base unit.
    return std::round(value) * default_factor;
  }
  for (const Unit& u : units) {
    if (u.name == unit) return value * u.factor;
  }
  return std::nullopt;
}

}  // namespace

Result<size_t> ParseMemorySetting(std::string_view name, std::string_view text) {
  const std::optional<double> bytes = ParseScaled(text, kMemoryUnits, 1024.0);
  if (!bytes.has_value()) {
    return InvalidValue(name, text,
                        "valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and "
                        "\"TB\" (a number without a unit is kB)");
  }
  constexpr double kMax = static_cast<double>(uint64_t{1} << 50);
  if (*bytes < static_cast<double>(kMinStatementMem) || *bytes > kMax) {
    return Status(ErrorCode::kInvalidArgument, std::string(text) +
                                                   " is outside the valid range for parameter \"" +
                                                   std::string(name) + "\" (64kB .. 1PB)");
  }
  return static_cast<size_t>(std::llround(*bytes));
}

Result<std::chrono::milliseconds> ParseDurationSetting(std::string_view name,
                                                       std::string_view text) {
  const std::optional<double> ms = ParseScaled(text, kDurationUnits, 1.0);
  if (!ms.has_value()) {
    return InvalidValue(name, text,
                        "valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", "
                        "\"h\", and \"d\" (a number without a unit is ms)");
  }
  const double rounded = std::round(*ms);
  if (rounded < 0 || rounded > static_cast<double>(INT32_MAX)) {
    return Status(ErrorCode::kInvalidArgument, std::string(text) +
                                                   " is outside the valid range for parameter \"" +
                                                   std::string(name) + "\" (0 .. 2147483647)");
  }
  return std::chrono::milliseconds(static_cast<int64_t>(rounded));
}

std::string FormatDurationSetting(std::chrono::milliseconds duration) {
  int64_t value = duration.count();
  if (value == 0) return "0";
  static constexpr std::pair<int64_t, const char*> kSteps[] = {
      {1000, "s"}, {60, "min"}, {60, "h"}, {24, "d"}};
  const char* unit = "ms";
  for (const auto& [factor, name] : kSteps) {
    if (value % factor != 0) break;
    value /= factor;
    unit = name;
  }
  return std::to_string(value) + unit;
}

}  // namespace tenantdb
