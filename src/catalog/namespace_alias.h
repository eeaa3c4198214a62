// The namespace a statement means by the name it wrote. `default` is a reserved word in
// PostgreSQL's grammar, so PostgreSQL tools and drivers say `public` for it: the one
// place that alias resolves (binder, DDL, USE, SHOW TABLES all call it).
//
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace tenantdb {

inline constexpr std::string_view kDefaultNamespace = "default";
inline constexpr std::string_view kDefaultNamespaceAlias = "public";

// `name`, or `default` when `name` is its alias `public`.
inline std::string CanonicalNamespace(std::string_view name) {
  return std::string(name == kDefaultNamespaceAlias ? kDefaultNamespace : name);
}

}  // namespace tenantdb
