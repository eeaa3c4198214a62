// The shell's display settings and variables, as psql names them:
//   \pset null TEXT | format table|csv|json | expanded on|off|auto | pager on|off|always
//   \x [on|off|auto]      (the same as \pset expanded)
//   \timing [on|off]
//   \set [NAME [VALUE]]   variables; ON_ERROR_STOP (on/off) stops a script at its first
//   \unset NAME           failed statement. Variables are not interpolated into SQL.
// Parsing and describing them is kept here, apart from the loop, so it is testable
// without a terminal.
//
// Thread safety: a ShellSettings is used by one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cli/result_printer.h"
#include "common/status.h"

namespace tenantdb::cli {

enum class ExpandedMode { kOff, kOn, kAuto };
enum class PagerMode { kOff, kOn, kAlways };

struct ShellSettings {
  OutputFormat format = OutputFormat::kTable;
  TableOptions table;  // table.expanded is decided per result from `expanded`
  ExpandedMode expanded = ExpandedMode::kOff;
  PagerMode pager = PagerMode::kOn;
  bool timing = false;
  std::map<std::string, std::string> variables;

  bool on_error_stop() const;
};

// psql's boolean spellings: on/off, true/false, yes/no, 1/0 (any case); nullopt otherwise.
std::optional<bool> ParseSettingBool(std::string_view text);

// `\pset NAME [VALUE]`: changes one setting and returns the line psql prints for it
// ("Null display is \"(null)\"."). A value left out toggles booleans and shows the rest.
// Errors: kInvalidArgument naming the setting and the values it takes.
Result<std::string> ApplyPset(ShellSettings* settings, std::string_view name,
                              std::string_view value);

// `\set NAME [VALUE]` / `\unset NAME`. Names are letters, digits and _. Errors:
// kInvalidArgument for a bad name, or an ON_ERROR_STOP value that is not boolean.
Status SetVariable(ShellSettings* settings, std::string_view name, std::string_view value);
Status UnsetVariable(ShellSettings* settings, std::string_view name);
// `\set` alone: every variable as `NAME = 'value'` lines.
std::string ListVariables(const ShellSettings& settings);

}  // namespace tenantdb::cli
