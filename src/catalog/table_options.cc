#include "catalog/table_options.h"

#include <charconv>

namespace tenantdb {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view TableTypeName(TableType type) {
  switch (type) {
    case TableType::kUser:
      return "USER";
    case TableType::kShared:
      return "SHARED";
    case TableType::kStream:
      return "STREAM";
    case TableType::kSystem:
      return "SYSTEM";
  }
  return "UNKNOWN";
}

Result<TableType> ParseTableType(std::string_view text) {
  for (TableType t : {TableType::kUser, TableType::kShared, TableType::kStream}) {
    if (EqualsIgnoreCase(text, TableTypeName(t))) return t;
  }
  // A known type that cannot be created deserves its own answer, not "not known".
  if (EqualsIgnoreCase(text, TableTypeName(TableType::kSystem))) {
    return Status(ErrorCode::kInvalidArgument,
                  "SYSTEM tables are built in (the system.* tables) and cannot be created; use "
                  "TYPE 'USER', 'SHARED' or 'STREAM'");
  }
  return Status(
      ErrorCode::kInvalidArgument,
      "table TYPE '" + std::string(text) + "' is not known; use 'USER', 'SHARED' or 'STREAM'");
}

std::string_view AccessLevelName(AccessLevel level) {
  switch (level) {
    case AccessLevel::kPublic:
      return "PUBLIC";
    case AccessLevel::kPrivate:
      return "PRIVATE";
    case AccessLevel::kRestricted:
      return "RESTRICTED";
  }
  return "UNKNOWN";
}

Result<AccessLevel> ParseAccessLevel(std::string_view text) {
  for (AccessLevel a : {AccessLevel::kPublic, AccessLevel::kPrivate, AccessLevel::kRestricted}) {
    if (EqualsIgnoreCase(text, AccessLevelName(a))) return a;
  }
  return Status(ErrorCode::kInvalidArgument,
                "ACCESS_LEVEL '" + std::string(text) +
                    "' is not known; use 'PUBLIC', 'PRIVATE' or 'RESTRICTED'");
}

std::string FlushPolicy::ToString() const {
  std::string out;
  if (rows != 0) out = "rows:" + std::to_string(rows);
  if (interval_seconds != 0) {
    if (!out.empty()) out += ',';
    out += "interval:" + std::to_string(interval_seconds);
  }
  return out;
}

Result<FlushPolicy> FlushPolicy::Parse(std::string_view text) {
  const auto error = [&](const std::string& why) {
    return Status(ErrorCode::kInvalidArgument,
                  "FLUSH_POLICY '" + std::string(text) + "' " + why +
                      "; use 'rows:N', 'interval:SECONDS' or 'rows:N,interval:SECONDS'");
  };
  FlushPolicy policy;
  bool seen_rows = false, seen_interval = false;
  std::string_view rest = text;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view part = Trim(rest.substr(0, comma));
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) return error("has a part without ':'");
    std::string_view key = Trim(part.substr(0, colon));
    std::string_view number = Trim(part.substr(colon + 1));
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || value == 0 ||
        value > UINT32_MAX) {
      return error("needs a whole number from 1 to 4294967295 after '" + std::string(key) + ":'");
    }
    if (EqualsIgnoreCase(key, "rows") && !seen_rows) {
      policy.rows = static_cast<uint32_t>(value);
      seen_rows = true;
    } else if (EqualsIgnoreCase(key, "interval") && !seen_interval) {
      policy.interval_seconds = static_cast<uint32_t>(value);
      seen_interval = true;
    } else {
      return error("has an unknown or repeated trigger '" + std::string(key) + "'");
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return policy;
}

}  // namespace tenantdb
