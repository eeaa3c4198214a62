// libFuzzer target: hot-row values as read back from RocksDB (storage/hot/row_codec.h).
// The input's first bytes pick the stored schema (fuzz_input.h), then a later version
// (drop flag, dropped index, add flag, added type; widening always), then one "wanted"
// byte per stored column (projection); the rest is the row. Every decoder must return
// data_corrupted or a row, and a decoded row must re-encode to bytes that decode to the same
// encoding.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "storage/hot/row_codec.h"
#include "types/column_vector.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  fuzz::FuzzInput in(data, size);
  std::vector<Field> stored_fields = in.Fields(12);
  // The current version: drop one column, add one, and widen where the type allows.
  std::vector<Field> current_fields = stored_fields;
  const bool drop = in.Bool();
  const size_t dropped = in.Byte();
  if (drop && !current_fields.empty()) {
    current_fields.erase(current_fields.begin() + dropped % current_fields.size());
  }
  const bool add = in.Bool();
  const DataType added_type = in.Type();
  if (add) {
    Field added;
    added.name = "added";
    added.type = added_type;
    added.id = 100;
    current_fields.push_back(added);
  }
  for (Field& f : current_fields) {
    if (f.type == DataType::kSmallInt) f.type = DataType::kInt;
    if (f.type == DataType::kReal) f.type = DataType::kDouble;
  }
  std::vector<bool> wanted(stored_fields.size());
  for (size_t i = 0; i < wanted.size(); ++i)
    wanted[i] = in.Bool();
  const std::string bytes(in.Rest());
  auto stored = fuzz::MakeSchema(stored_fields);
  auto current = fuzz::MakeSchema(current_fields);

  std::string_view body;
  auto header = DecodeRowHeader(bytes, &body);
  if (!header.ok()) return 0;

  // The scan fast path, with and without projection.
  std::vector<ColumnVector> columns;
  for (const Field& f : stored->fields())
    columns.emplace_back(f.type);
  std::vector<ColumnVector*> column_ptrs;
  for (ColumnVector& c : columns)
    column_ptrs.push_back(&c);
  (void)DecodeRowBodyInto(body, *stored, std::span<ColumnVector*>(column_ptrs));
  (void)DecodeRowBodyInto(body, *stored, std::span<ColumnVector*>(column_ptrs), wanted);

  // Projection onto the current version.
  SchemaLookup lookup = [&](uint32_t version) -> Result<std::shared_ptr<const Schema>> {
    if (version == 1) return stored;
    return Status(ErrorCode::kNotFound, "no such version");
  };
  (void)DecodeRow(bytes, *current, 2, lookup);

  auto values = DecodeRowBody(body, *stored);
  if (!values.ok()) return 0;
  // Round trip: what decodes re-encodes to bytes that decode to the same encoding.
  auto encoded = EncodeLiveRow(*stored, header->schema_version, *values, header->write_micros);
  if (!encoded.ok()) return 0;
  std::string_view body2;
  auto header2 = DecodeRowHeader(*encoded, &body2);
  if (!header2.ok()) std::abort();
  auto values2 = DecodeRowBody(body2, *stored);
  if (!values2.ok()) std::abort();
  auto encoded2 = EncodeLiveRow(*stored, header2->schema_version, *values2, header2->write_micros);
  if (!encoded2.ok() || *encoded2 != *encoded) std::abort();
  return 0;
}
