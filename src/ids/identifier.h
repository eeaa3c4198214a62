// The identifier types of the catalog: NamespaceId, TableName, StorageId and UserId.
//
// Each is a Symbol (4 bytes, see symbol_table.h) with a type of its own so that a user
// id cannot be passed where a table name is expected. Make() validates and normalizes:
//
//   kind            characters                     max   case
//   namespace name  [a-z_][a-z0-9_]*               63    folded to lower case
//   table name      [a-z_][a-z0-9_]*               63    folded to lower case
//   storage id      [a-z_][a-z0-9_]*               63    folded to lower case
//   user id         [A-Za-z0-9_][A-Za-z0-9_.@-]*   128   kept as given
//
// Catalog names follow PostgreSQL's unquoted identifiers (folded to lower case, 63 bytes
// as with NAMEDATALEN 64). User ids come from applications (emails, UUIDs, numbers), so
// they keep their case and allow '.', '@' and '-'. Reserved names are valid to refer to
// (`system.tables` must resolve) but may not be created: see IsReserved().
//
// Copy, compare and hash are O(1) and never allocate. Thread safety: values.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "ids/symbol_table.h"

namespace tenantdb {

enum class IdentifierKind : uint8_t { kNamespace, kTable, kStorage, kUser };

// Checks `name` against the rules of `kind` and writes its normalized form (lower case
// for catalog names) to `out`. Errors: invalid_identifier, name_too_long.
Status NormalizeIdentifier(IdentifierKind kind, std::string_view name, std::string* out);

// Whether `normalized` is kept for the system under `kind` (namespaces `system`,
// `information_schema` and those starting with `pg_`; the user ids `system` and `root`,
// built-in principals).
bool IsReservedIdentifier(IdentifierKind kind, std::string_view normalized);

template <IdentifierKind Kind>
class Identifier {
 public:
  Identifier() = default;  // the empty name; valid only as a "none" marker

  // Validates, normalizes and interns `name`.
  static Result<Identifier> Make(std::string_view name) {
    std::string normalized;
    TDB_RETURN_IF_ERROR(NormalizeIdentifier(Kind, name, &normalized));
    return Identifier(Symbol::Intern(normalized));
  }
  // Like Make() but never interns: the identifier of an existing name, or an empty one
  // (also for invalid names). For lookups that must not grow the symbol table.
  static Identifier Find(std::string_view name) {
    std::string normalized;
    if (!NormalizeIdentifier(Kind, name, &normalized).ok()) return Identifier();
    return Identifier(Symbol::Find(normalized));
  }

  // Rejects names that may be referred to but not created. Error: reserved_name.
  Status CheckNotReserved() const;
  bool IsReserved() const { return IsReservedIdentifier(Kind, str()); }

  // Keeps the name interned for the rest of the process and makes copies cheaper (no
  // shared count to update). For the handful of names every request copies.
  void MakeImmortal() const { symbol_.MakeImmortal(); }

  std::string_view str() const { return symbol_.view(); }
  bool empty() const { return symbol_.empty(); }
  uint32_t symbol_index() const { return symbol_.index(); }

  friend bool operator==(const Identifier& a, const Identifier& b) {
    return a.symbol_ == b.symbol_;
  }
  template <typename H>
  friend H AbslHashValue(H h, const Identifier& id) {
    return H::combine(std::move(h), id.symbol_.index());
  }

 private:
  explicit Identifier(Symbol symbol) : symbol_(std::move(symbol)) {}
  Symbol symbol_;
};

using NamespaceId = Identifier<IdentifierKind::kNamespace>;
using TableName = Identifier<IdentifierKind::kTable>;
using StorageId = Identifier<IdentifierKind::kStorage>;
using UserId = Identifier<IdentifierKind::kUser>;

static_assert(sizeof(NamespaceId) == 4 && sizeof(UserId) == 4);

template <IdentifierKind Kind>
Status Identifier<Kind>::CheckNotReserved() const {
  if (!IsReserved()) return Status::Ok();
  return Status(ErrorCode::kReservedName,
                "'" + std::string(str()) + "' is reserved for the system; choose another name");
}

}  // namespace tenantdb

template <tenantdb::IdentifierKind Kind>
struct std::hash<tenantdb::Identifier<Kind>> {
  size_t operator()(const tenantdb::Identifier<Kind>& id) const {
    return std::hash<uint32_t>()(id.symbol_index());
  }
};
