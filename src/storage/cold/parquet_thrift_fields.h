// Shared pieces of the Parquet thrift structure codecs (parquet_metadata.cc: file
// metadata; parquet_page_structs.cc: page headers and the page index): the compact
// protocol's reader/writer, enum and optional-field readers, list reading and the
// field-loop macros. Internal to storage/cold; stateless, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "storage/cold/thrift_compact.h"

namespace tenantdb::parquet {

using W = ThriftCompactWriter;
using R = ThriftCompactReader;

inline Status Missing(std::string_view structure, std::string_view field) {
  return Status(ErrorCode::kCorruption, "malformed Parquet metadata: " + std::string(structure) +
                                            " has no " + std::string(field));
}

template <typename E>
Status ReadEnum(R& r, ThriftType t, E* out) {
  int32_t v{};
  TDB_RETURN_IF_ERROR(r.ReadI32(t, &v));
  *out = static_cast<E>(v);
  return Status::Ok();
}

template <typename E>
Status ReadEnum(R& r, ThriftType t, std::optional<E>* out) {
  E v;
  TDB_RETURN_IF_ERROR(ReadEnum(r, t, &v));
  *out = v;
  return Status::Ok();
}

template <typename T, typename Fn>
Status ReadOpt(ThriftType t, std::optional<T>* out, Fn fn) {
  T v{};
  TDB_RETURN_IF_ERROR(fn(t, &v));
  *out = std::move(v);
  return Status::Ok();
}

#define TDB_PQ_FIELDS_BEGIN(r)                   \
  TDB_RETURN_IF_ERROR((r).StructBegin());        \
  while (true) {                                 \
    int16_t id = 0;                              \
    ThriftType t = ThriftType::kStop;            \
    TDB_RETURN_IF_ERROR((r).NextField(&id, &t)); \
    if (t == ThriftType::kStop) break;           \
    switch (id) {
#define TDB_PQ_FIELDS_END(r)          \
  default:                            \
    TDB_RETURN_IF_ERROR((r).Skip(t)); \
    }                                 \
    }

template <typename T, typename Fn>
Status ReadList(R& r, ThriftType t, std::vector<T>* out, Fn elem_fn) {
  ThriftType elem{};
  uint32_t n{};
  TDB_RETURN_IF_ERROR(r.ListBegin(t, &elem, &n));
  out->clear();
  out->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    out->emplace_back();
    TDB_RETURN_IF_ERROR(elem_fn(elem, &out->back()));
  }
  return Status::Ok();
}

}  // namespace tenantdb::parquet
