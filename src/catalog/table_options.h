// The per-table options of `CREATE TABLE ... WITH (...)` and their parsing.
//
//   TYPE          'USER' | 'SHARED' | 'STREAM'   default SHARED (CREATE TABLE says so in a
//                 NOTICE); SYSTEM tables are built in
//   FLUSH_POLICY  'rows:N' | 'interval:S' | 'rows:N,interval:S'
//                 when hot rows of a USER or SHARED table are written to Parquet: after N
//                 rows, after S seconds since the last flush, or whichever comes first.
//                 Default: none (flush only on STORAGE FLUSH TABLE). STREAM tables never
//                 flush.
//   TTL_SECONDS   STREAM only, required there: rows older than this expire.
//   ACCESS_LEVEL  SHARED only: 'PUBLIC' (everyone reads, privileged roles write),
//                 'PRIVATE' (privileged roles only), 'RESTRICTED' (service and above).
//                 Default PRIVATE for tables created since it changed (a forgotten TYPE
//                 must not publish a table); existing tables keep their persisted level.
//
// The numeric values of the enums are persisted: append only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

enum class TableType : uint8_t { kUser = 1, kShared = 2, kStream = 3, kSystem = 4 };
enum class AccessLevel : uint8_t { kPublic = 1, kPrivate = 2, kRestricted = 3 };

std::string_view TableTypeName(TableType type);  // "USER", ...
// USER, SHARED or STREAM, case-insensitive. Error invalid_argument naming the accepted
// values; for SYSTEM, saying that those tables are built in.
Result<TableType> ParseTableType(std::string_view text);
std::string_view AccessLevelName(AccessLevel level);
Result<AccessLevel> ParseAccessLevel(std::string_view text);

// True for types whose rows belong to one user each (USER and STREAM).
constexpr bool IsPerUser(TableType type) {
  return type == TableType::kUser || type == TableType::kStream;
}

struct FlushPolicy {
  uint32_t rows = 0;              // 0: no row trigger
  uint32_t interval_seconds = 0;  // 0: no time trigger

  bool empty() const { return rows == 0 && interval_seconds == 0; }
  // "rows:1000,interval:60"; "" when empty.
  std::string ToString() const;
  // Parses FLUSH_POLICY text. Error invalid_argument with the accepted forms.
  static Result<FlushPolicy> Parse(std::string_view text);

  friend bool operator==(const FlushPolicy&, const FlushPolicy&) = default;
};

}  // namespace tenantdb
