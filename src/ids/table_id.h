// TableId: a table's full name, namespace plus table name, in 8 bytes.
//
// Size: two 4-byte Symbols. The seed design (KalamDB) went from 48 bytes (two Strings)
// to 32 (two Arc<str>); interning lets a C++ TableId be two slot indices, so a cache of a
// million tables spends 8 MB rather than 32 MB on keys and compares them with one 64-bit
// comparison. Copying costs two relaxed atomic increments and no allocation.
//
// Thread safety: a value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ids/identifier.h"

namespace tenantdb {

class TableId {
 public:
  TableId() = default;
  TableId(NamespaceId ns, TableName table) : ns_(std::move(ns)), table_(std::move(table)) {}

  // Validates both parts ("chat", "messages").
  static Result<TableId> Make(std::string_view ns, std::string_view table) {
    TDB_ASSIGN_OR_RETURN(NamespaceId n, NamespaceId::Make(ns));
    TDB_ASSIGN_OR_RETURN(TableName t, TableName::Make(table));
    return TableId(std::move(n), std::move(t));
  }

  const NamespaceId& ns() const { return ns_; }
  const TableName& table() const { return table_; }
  bool empty() const { return table_.empty(); }
  // "chat.messages"
  std::string ToString() const {
    std::string out(ns_.str());
    out += '.';
    out += table_.str();
    return out;
  }
  // Both symbol indices in one word: a cheap, well-spread hash input.
  uint64_t packed() const { return (uint64_t{ns_.symbol_index()} << 32) | table_.symbol_index(); }

  friend bool operator==(const TableId& a, const TableId& b) { return a.packed() == b.packed(); }
  template <typename H>
  friend H AbslHashValue(H h, const TableId& id) {
    return H::combine(std::move(h), id.packed());
  }

 private:
  NamespaceId ns_;
  TableName table_;
};

static_assert(sizeof(TableId) == 8, "TableId is two 4-byte symbols");

}  // namespace tenantdb

template <>
struct std::hash<tenantdb::TableId> {
  size_t operator()(const tenantdb::TableId& id) const {
    return std::hash<uint64_t>()(id.packed());
  }
};
