#include "cli/shell_settings.h"

#include <cctype>

namespace tenantdb::cli {

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

std::string_view ExpandedName(ExpandedMode mode) {
  switch (mode) {
    case ExpandedMode::kOn:
      return "on";
    case ExpandedMode::kAuto:
      return "auto";
    case ExpandedMode::kOff:
      break;
  }
  return "off";
}

std::string_view FormatName(OutputFormat format) {
  switch (format) {
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kTable:
      break;
  }
  return "table";
}

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace

bool ShellSettings::on_error_stop() const {
  const auto it = variables.find("ON_ERROR_STOP");
  return it != variables.end() && ParseSettingBool(it->second).value_or(false);
}

std::optional<bool> ParseSettingBool(std::string_view text) {
  const std::string v = Lower(text);
  if (v == "on" || v == "true" || v == "yes" || v == "1") return true;
  if (v == "off" || v == "false" || v == "no" || v == "0") return false;
  return std::nullopt;
}

Result<std::string> ApplyPset(ShellSettings* settings, std::string_view name,
                              std::string_view value) {
  const std::string key = Lower(name);
  if (key == "null") {
    settings->table.null_text = std::string(value);
    return "Null display is \"" + settings->table.null_text + "\".";
  }
  if (key == "format") {
    if (!value.empty()) {
      const std::optional<OutputFormat> format = ParseOutputFormat(Lower(value));
      if (!format) return Invalid("\\pset: allowed formats are table, csv, json");
      settings->format = *format;
    }
    return "Output format is " + std::string(FormatName(settings->format)) + ".";
  }
  if (key == "expanded" || key == "x") {
    const std::string v = Lower(value);
    if (v.empty()) {
      settings->expanded =
          settings->expanded == ExpandedMode::kOn ? ExpandedMode::kOff : ExpandedMode::kOn;
    } else if (v == "auto") {
      settings->expanded = ExpandedMode::kAuto;
    } else if (const std::optional<bool> on = ParseSettingBool(v)) {
      settings->expanded = *on ? ExpandedMode::kOn : ExpandedMode::kOff;
    } else {
      return Invalid("\\pset: unrecognized value \"" + std::string(value) +
                     "\" for \"expanded\": Boolean or \"auto\" expected");
    }
    if (settings->expanded == ExpandedMode::kAuto)
      return std::string("Expanded display is used automatically.");
    return "Expanded display is " + std::string(ExpandedName(settings->expanded)) + ".";
  }
  if (key == "pager") {
    const std::string v = Lower(value);
    if (v.empty()) {
      settings->pager = settings->pager == PagerMode::kOff ? PagerMode::kOn : PagerMode::kOff;
    } else if (v == "always") {
      settings->pager = PagerMode::kAlways;
    } else if (const std::optional<bool> on = ParseSettingBool(v)) {
      settings->pager = *on ? PagerMode::kOn : PagerMode::kOff;
    } else {
      return Invalid("\\pset: unrecognized value \"" + std::string(value) +
                     "\" for \"pager\": Boolean or \"always\" expected");
    }
    switch (settings->pager) {
      case PagerMode::kOff:
        return std::string("Pager usage is off.");
      case PagerMode::kAlways:
        return std::string("Pager is always used.");
      case PagerMode::kOn:
        break;
    }
    return std::string("Pager is used for long output.");
  }
  return Invalid("\\pset: unknown option: " + std::string(name) +
                 " (known: null, format, expanded, pager)");
}

Status SetVariable(ShellSettings* settings, std::string_view name, std::string_view value) {
  if (!ValidName(name)) {
    return Invalid("\\set: invalid variable name: \"" + std::string(name) +
                   "\" (use letters, digits and _)");
  }
  if (name == "ON_ERROR_STOP" && !value.empty() && !ParseSettingBool(value)) {
    return Invalid("\\set: unrecognized value \"" + std::string(value) +
                   "\" for \"ON_ERROR_STOP\": Boolean expected");
  }
  // psql: `\set ON_ERROR_STOP` with no value sets it to the empty string, which for a
  // boolean variable means on.
  settings->variables[std::string(name)] =
      value.empty() && name == "ON_ERROR_STOP" ? "on" : std::string(value);
  return Status::Ok();
}

Status UnsetVariable(ShellSettings* settings, std::string_view name) {
  if (!ValidName(name)) {
    return Invalid("\\unset: invalid variable name: \"" + std::string(name) + "\"");
  }
  settings->variables.erase(std::string(name));
  return Status::Ok();
}

std::string ListVariables(const ShellSettings& settings) {
  std::string out;
  for (const auto& [name, value] : settings.variables)
    out += name + " = '" + value + "'\n";
  return out;
}

}  // namespace tenantdb::cli
