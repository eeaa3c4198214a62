#include "tables/pg_catalog/pg_settings.h"

#include <algorithm>
#include <cctype>

#include "tables/pg_catalog/pg_oids.h"

namespace tenantdb {

namespace {

struct Default {
  std::string_view name;
  std::string_view value;
};

// What the wire protocol reports at connect (pgwire's ParameterStatus) and what drivers
// query besides. tenantdb's isolation: see the transaction documentation.
constexpr Default kDefaults[] = {
    {"application_name", ""},
    {"client_encoding", "UTF8"},
    {"client_min_messages", "notice"},
    {"DateStyle", "ISO, MDY"},
    {"default_transaction_isolation", "read committed"},
    {"default_transaction_read_only", "off"},
    {"extra_float_digits", "1"},
    {"integer_datetimes", "on"},
    {"IntervalStyle", "postgres"},
    {"lc_collate", "C"},
    {"lc_ctype", "C"},
    {"max_identifier_length", "63"},
    {"search_path", ""},  // the session's namespace
    {"server_encoding", "UTF8"},
    {"server_version", "15.0 (tenantdb)"},
    {"server_version_num", "150000"},
    {"standard_conforming_strings", "on"},
    {"TimeZone", "UTC"},
    {"transaction_isolation", "read committed"},
    {"transaction_read_only", "off"},
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Namespace(const RequestContext& ctx) {
  return ctx.current_namespace != nullptr ? std::string_view(*ctx.current_namespace)
                                          : std::string_view("default");
}

}  // namespace

std::optional<std::string> PgSettingDefault(std::string_view name, std::string_view ns) {
  for (const Default& d : kDefaults) {
    if (!EqualsIgnoreCase(d.name, name)) continue;
    if (d.name == "search_path") return PgNamespaceName(ns);
    return std::string(d.value);
  }
  return std::nullopt;
}

std::vector<PgSetting> SessionPgSettings(const RequestContext& ctx) {
  std::vector<PgSetting> out;
  for (const Default& d : kDefaults) {
    std::string value = *PgSettingDefault(d.name, Namespace(ctx));
    out.push_back(PgSetting{std::string(d.name), value, value, false});
  }
  if (ctx.settings != nullptr) {
    for (const auto& setting : *ctx.settings) {
      const auto& name = setting.first;
      const auto& value = setting.second;
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const PgSetting& s) { return EqualsIgnoreCase(s.name, name); });
      if (it == out.end()) {
        out.push_back(PgSetting{name, value, "", true});
      } else {
        it->value = value;
        it->from_session = true;
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const PgSetting& a, const PgSetting& b) { return Lower(a.name) < Lower(b.name); });
  return out;
}

std::optional<std::string> PgSettingValue(const RequestContext& ctx, std::string_view name) {
  if (ctx.settings != nullptr) {
    for (const auto& [n, value] : *ctx.settings)
      if (EqualsIgnoreCase(n, name)) return value;
  }
  return PgSettingDefault(name, Namespace(ctx));
}

}  // namespace tenantdb
