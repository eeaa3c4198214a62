// Text input for every SQL type: what CAST('...' AS t) accepts, following PostgreSQL's
// input functions for the types tenantdb has.
//
//   integers   optional spaces, optional + or -, decimal digits, optional spaces
//   REAL/DOUBLE  strtod syntax plus NaN, Infinity, -Infinity, inf (any case), spaces around
//   BOOLEAN    t true y yes on 1 / f false n no off 0, any case, unique prefixes, spaces
//   DATE       YYYY-MM-DD [BC], a time part after it is ignored
//   TIMESTAMP  YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]] [zone] [BC]; a zone is ignored
//   TIMESTAMPTZ  the same; the zone (Z, UTC, GMT, +HH, +HHMM, +HH:MM[:SS]) converts to UTC,
//              no zone means UTC (the session time zone)
//   UUID       32 hex digits, optional hyphen after any group of 4, optional { }
//   BYTEA      \x followed by hex pairs, or PostgreSQL's escape format (\\ and \ooo)
//   JSON       any valid JSON text, kept verbatim
//   INTERVAL   PostgreSQL's interval input (types/interval.h ParseInterval)
//   TEXT       itself
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "types/data_type.h"
#include "types/value.h"

namespace tenantdb::sql {

// The range of DATE (4713 BC to 5874897 AD, as PostgreSQL) in days since 1970-01-01, end
// exclusive, and of TIMESTAMP[TZ] in microseconds since 1970-01-01 (from 4713 BC; the end
// is where int64 microseconds end, 294247 AD).
inline constexpr int32_t kMinDateDays = -2440588;
inline constexpr int32_t kEndDateDays = 2145042906;
inline constexpr int64_t kMinTimestampMicros = -210866803200000000;
inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

// Parses `text` as a value of `type`. Errors: kInvalidTextRepresentation ("invalid input
// syntax for type integer: \"x\""), kNumericOutOfRange ("value \"99999999999\" is out of range
// for type integer"), kDatetimeOverflow ("date/time field value out of range: \"2024-02-30\"").
Result<Value> ParseTextAs(std::string_view text, DataType type);

// Validates JSON text (RFC 8259); kInvalidTextRepresentation if it is not JSON.
Status ValidateJson(std::string_view text);

}  // namespace tenantdb::sql
