// Helpers shared by the codec fuzz targets: reads the few bytes at the front of an input
// that choose a layout (a Schema, key column types), so one input carries both the layout
// and the bytes to decode under it, and seeds can be written by hand: [choices][payload].
// Past the end of the input every choice reads as 0.
//
// Thread safety: a FuzzInput is used by one thread; it borrows the input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "types/data_type.h"
#include "types/schema.h"

namespace tenantdb::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // A number in [0, n) (n > 0).
  size_t Below(size_t n) { return Byte() % n; }
  bool Bool() { return (Byte() & 1) != 0; }
  DataType Type() {
    constexpr size_t kTypes = sizeof(kAllDataTypes) / sizeof(kAllDataTypes[0]);
    return kAllDataTypes[Below(kTypes)];
  }
  // Up to `max_fields` fields with ids 1..n, names c1..cn: a count byte, then a type
  // byte and a nullable byte per field.
  std::vector<Field> Fields(size_t max_fields) {
    std::vector<Field> fields(Below(max_fields + 1));
    for (size_t i = 0; i < fields.size(); ++i) {
      fields[i].name = "c" + std::to_string(i + 1);
      fields[i].type = Type();
      fields[i].nullable = Bool();
      fields[i].id = static_cast<uint32_t>(i + 1);
    }
    return fields;
  }
  // The bytes not consumed yet.
  std::string_view Rest() const {
    return pos_ < size_
               ? std::string_view(reinterpret_cast<const char*>(data_) + pos_, size_ - pos_)
               : std::string_view();
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

inline std::shared_ptr<const Schema> MakeSchema(std::vector<Field> fields) {
  return std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
}

}  // namespace tenantdb::fuzz
