// The run-time settings PostgreSQL clients read (pg_settings, SHOW, current_setting()):
// the defaults tenantdb reports for the parameters drivers and tools ask about, with the
// session's own `SET name = value` values over them. Names match case-insensitively, as
// PostgreSQL's do. Settings tenantdb enforces (statement_mem, statement_timeout) are the
// engine's and not listed here.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tables/request_context.h"

namespace tenantdb {

struct PgSetting {
  std::string name;
  std::string value;
  std::string default_value;
  bool from_session = false;
};

// Every default setting and every session setting, in name order (case-insensitive).
std::vector<PgSetting> SessionPgSettings(const RequestContext& ctx);
// The value of `name` in the session (ctx.settings) or by default, or nullopt.
std::optional<std::string> PgSettingValue(const RequestContext& ctx, std::string_view name);
// The built-in default of `name` (search_path: `namespace` as PostgreSQL names it), or
// nullopt when tenantdb has none.
std::optional<std::string> PgSettingDefault(std::string_view name, std::string_view ns);

}  // namespace tenantdb
