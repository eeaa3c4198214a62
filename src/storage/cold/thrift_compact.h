// Thrift compact protocol: the encoding of every Parquet metadata structure (file footer,
// page headers). Only what Parquet needs is here: structs, lists, i8/i16/i32/i64, bool,
// double and binary. Maps and sets are skippable but never produced.
//
// ThriftCompactWriter appends to a caller-owned std::string. ThriftCompactReader walks a
// caller-owned byte range it never copies; every read is bounds-checked and returns
// kCorruption on malformed input (truncated data, over-long varints, list sizes larger
// than the remaining bytes, nesting deeper than kMaxDepth), so hostile files cannot crash
// or exhaust memory.
//
// Thread safety: neither class is synchronized; use one per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tenantdb {

// Compact-protocol type ids (the low nibble of a field header or list header).
enum class ThriftType : uint8_t {
  kStop = 0,
  kBoolTrue = 1,
  kBoolFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class ThriftCompactWriter {
 public:
  explicit ThriftCompactWriter(std::string* out) : out_(out) {}

  // Top-level struct (no field header). Nested structs use FieldStructBegin/ListStructBegin.
  void StructBegin();
  // Writes the STOP byte and returns to the enclosing struct.
  void StructEnd();

  void FieldBool(int16_t id, bool v);
  void FieldI8(int16_t id, int8_t v);
  void FieldI16(int16_t id, int16_t v);
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldDouble(int16_t id, double v);
  void FieldBinary(int16_t id, std::string_view v);
  // Opens a struct-valued field; close it with StructEnd().
  void FieldStructBegin(int16_t id);
  // Opens a list-valued field of `size` elements of `elem`; then write the elements.
  void FieldListBegin(int16_t id, ThriftType elem, size_t size);

  // List elements.
  void ElemI32(int32_t v) { WriteVarint(ZigZag(v)); }
  void ElemI64(int64_t v) { WriteVarint(ZigZag(v)); }
  void ElemBinary(std::string_view v);
  // Booleans in a list are one byte each: 1 true, 2 false (as Apache Thrift writes them).
  void ElemBool(bool v) { out_->push_back(static_cast<char>(v ? 1 : 2)); }
  void ElemStructBegin() { StructBegin(); }

  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }

 private:
  void FieldHeader(int16_t id, ThriftType type);
  void WriteVarint(uint64_t v);

  std::string* out_;
  std::vector<int16_t> last_ids_;  // last field id of each open struct
};

class ThriftCompactReader {
 public:
  static constexpr int kMaxDepth = 64;

  ThriftCompactReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  // Enters a struct: the top-level one, a struct-valued field, or a struct list element.
  Status StructBegin();
  // Reads the next field header of the current struct. At the STOP byte sets *type to
  // kStop and leaves the struct.
  Status NextField(int16_t* id, ThriftType* type);

  // Field values; `type` is what NextField returned (checked, so a writer that used
  // another type yields kCorruption instead of garbage).
  Status ReadBool(ThriftType type, bool* v);
  Status ReadI8(ThriftType type, int8_t* v);
  Status ReadI16(ThriftType type, int16_t* v);
  Status ReadI32(ThriftType type, int32_t* v);
  Status ReadI64(ThriftType type, int64_t* v);
  Status ReadDouble(ThriftType type, double* v);
  Status ReadBinary(ThriftType type, std::string* v);
  // Reads a list header; *size is at most the number of bytes left.
  Status ListBegin(ThriftType type, ThriftType* elem, uint32_t* size);

  // List elements of the given element type.
  Status ElemI32(ThriftType elem, int32_t* v) { return ReadI32(elem, v); }
  Status ElemI64(ThriftType elem, int64_t* v) { return ReadI64(elem, v); }
  Status ElemBinary(ThriftType elem, std::string* v) { return ReadBinary(elem, v); }
  // Booleans in a list are one byte each (1 true), unlike bool fields.
  Status ElemBool(bool* v);

  // Skips a value of `type` (after NextField, or a list element).
  Status Skip(ThriftType type);

  size_t position() const { return pos_; }

 private:
  Status ReadVarint(uint64_t* v);
  Status ReadByte(uint8_t* b);
  Status SkipDepth(ThriftType type, int depth);
  static Status Corrupt(std::string_view what);

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::vector<int16_t> last_ids_;
};

}  // namespace tenantdb
