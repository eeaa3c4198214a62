// The values of the session settings the engine enforces — statement_mem and
// statement_timeout — in PostgreSQL's syntax: a number with an optional unit, as
// `SET work_mem = '64MB'` or `SET statement_timeout = '5s'` take them.
//
//   memory:   B, kB, MB, GB, TB (case-sensitive, as in PostgreSQL); no unit means kB
//   duration: us, ms, s, min, h, d; no unit means ms
//
// A fraction is allowed before a unit ('1.5GB'). Errors are invalid_argument (SQLSTATE
// 22023) with PostgreSQL's wording: `invalid value for parameter "statement_mem": "x"`,
// and for a value out of range `... is outside the valid range for parameter ...`.
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

// The smallest statement_mem accepted (PostgreSQL's minimum work_mem).
inline constexpr size_t kMinStatementMem = 64 * 1024;

// Bytes that `text` names; `name` is the setting, for messages. At least
// kMinStatementMem, at most 2^50 (1 PB).
Result<size_t> ParseMemorySetting(std::string_view name, std::string_view text);

// The duration `text` names (0 disables), at most INT32_MAX ms as in PostgreSQL.
Result<std::chrono::milliseconds> ParseDurationSetting(std::string_view name,
                                                       std::string_view text);

// "0" for none, else the largest unit that divides it exactly: "5s", "1min", "250ms".
std::string FormatDurationSetting(std::chrono::milliseconds duration);

}  // namespace tenantdb
