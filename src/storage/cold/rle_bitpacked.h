// The RLE / bit-packing hybrid encoding of Parquet (Encodings.md): definition levels,
// dictionary indices and RLE-encoded booleans.
//
//   encoded := run*        run := rle-run | bit-packed-run
//   rle-run        := varint(count << 1)      value in ceil(bit_width/8) bytes, LE
//   bit-packed-run := varint(groups << 1 | 1) groups*8 values, bit_width bits each, LSB first
//
// RleBitPackedEncode appends an encoding of `values` to a string; RleBitPackedDecoder
// decodes from a caller-owned byte range (no length prefix: callers strip it) and fails
// with kCorruption on truncated or malformed input instead of reading out of bounds.
//
// Thread safety: the decoder is not synchronized; the encoder is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace tenantdb {

// Bits needed for values up to `max_value` (0 for 0).
inline int BitWidthFor(uint64_t max_value) {
  int w = 0;
  while (max_value != 0) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

// Appends the hybrid encoding of values[0..n) with `bit_width` (0..32) to *out. Values
// must fit in bit_width bits.
void RleBitPackedEncode(const uint32_t* values, size_t n, int bit_width, std::string* out);
void RleBitPackedEncode(const uint8_t* values, size_t n, int bit_width, std::string* out);

class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
      : data_(data), end_(data + size), bit_width_(bit_width) {}

  // Decodes exactly n values into out; kCorruption if the data ends first.
  // Instantiated for uint8_t (levels, booleans) and uint32_t (dictionary indices).
  template <typename T>
  Status GetBatch(T* out, size_t n);

  int bit_width() const { return bit_width_; }

 private:
  Status NextRun();

  const uint8_t* data_ = nullptr;
  const uint8_t* end_ = nullptr;
  int bit_width_ = 0;
  // Current run: either `rle_left` copies of `rle_value`, or `packed_left` bit-packed
  // values starting at bit `packed_bit` of `packed_`.
  size_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  size_t packed_left_ = 0;
  const uint8_t* packed_ = nullptr;
  size_t packed_bytes_ = 0;
  uint64_t packed_bit_ = 0;
};

// Unpacks n values of `bit_width` bits starting at bit `first_bit` of data[0..size);
// bits past `size` read as zero. For the bit-packed runs above and boolean PLAIN.
template <typename T>
void UnpackBits(const uint8_t* data, size_t size, uint64_t first_bit, int bit_width, size_t n,
                T* out);

}  // namespace tenantdb
