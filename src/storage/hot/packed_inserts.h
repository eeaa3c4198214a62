// PackedInserts: rows waiting to be inserted, encoded — each as its encoded key columns
// and its row body (row_codec.h's AppendRowBody) — in one growing string.
//
// A write-only transaction (a COPY loading rows in autocommit) holds its rows like this
// until the commit: about the rows' encoded size plus a few bytes each, where rows held
// as std::vector<Value> cost several times more. The commit adds the row header (schema
// version, write time) to each body; the key columns decode back to values for the checks
// and messages that need them.
//
// Thread safety: none (one transaction's). Cost: Add appends; ForEach reads in order.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/hot/row_codec.h"

namespace tenantdb {

class PackedInserts {
 public:
  void Add(std::string_view key_columns, std::string_view body) {
    PutVarint64(key_columns.size(), &bytes_);
    bytes_.append(key_columns);
    PutVarint64(body.size(), &bytes_);
    bytes_.append(body);
    ++count_;
  }
  size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Memory held (the string's capacity).
  size_t bytes() const { return bytes_.capacity(); }

  // Calls fn(key_columns, body) for each row in the order added; stops at fn's first
  // error. Error: internal when the bytes do not decode (never: only Add writes them).
  template <typename Fn>
  Status ForEach(Fn&& fn) const {
    std::string_view in(bytes_);
    while (!in.empty()) {
      std::string_view parts[2];
      for (std::string_view& part : parts) {
        uint64_t n = 0;
        if (!GetVarint64(&in, &n) || n > in.size()) {
          return Status(ErrorCode::kInternal, "pending packed rows do not decode");
        }
        part = in.substr(0, n);
        in.remove_prefix(n);
      }
      TDB_RETURN_IF_ERROR(fn(parts[0], parts[1]));
    }
    return Status::Ok();
  }

 private:
  std::string bytes_;
  size_t count_ = 0;
};

}  // namespace tenantdb
