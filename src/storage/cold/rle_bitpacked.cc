#include "storage/cold/rle_bitpacked.h"

#include <algorithm>
#include <cstring>

namespace tenantdb {

namespace {

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Appends groups*8 values from `values` (padded with zeros past n) bit-packed.
template <typename T>
void PutBitPacked(const T* values, size_t n, size_t groups, int bit_width, std::string* out) {
  PutVarint((groups << 1) | 1, out);
  size_t total = groups * 8;
  size_t start = out->size();
  out->resize(start + groups * static_cast<size_t>(bit_width), '\0');
  auto* dst = reinterpret_cast<uint8_t*>(out->data() + start);
  uint64_t bit = 0;
  for (size_t i = 0; i < total; ++i, bit += bit_width) {
    uint64_t v = i < n ? static_cast<uint64_t>(values[i]) : 0;
    // Scatter v into the output a byte at a time (bit_width <= 32).
    uint64_t b = bit;
    int left = bit_width;
    while (left > 0) {
      int shift = static_cast<int>(b & 7);
      int take = std::min(left, 8 - shift);
      dst[b >> 3] |= static_cast<uint8_t>((v & ((1u << take) - 1)) << shift);
      v >>= take;
      b += take;
      left -= take;
    }
  }
}

template <typename T>
void PutRle(T value, size_t count, int bit_width, std::string* out) {
  PutVarint(static_cast<uint64_t>(count) << 1, out);
  uint32_t v = static_cast<uint32_t>(value);
  for (int i = 0; i < (bit_width + 7) / 8; ++i) {
    out->push_back(static_cast<char>(v & 0xff));
    v >>= 8;
  }
}

// Runs of 8 or more equal values become RLE runs; everything else is bit-packed. A
// bit-packed run must hold a multiple of 8 values unless it ends the data, so before an
// RLE run starts the pending literals are topped up to a multiple of 8 from the run.
template <typename T>
void Encode(const T* values, size_t n, int bit_width, std::string* out) {
  constexpr size_t kMaxGroupsPerRun = 63;  // keeps each header to one byte
  size_t lit_start = 0;
  size_t pos = 0;
  auto flush_literals = [&](size_t end) {
    while (lit_start < end) {
      size_t count = std::min(end - lit_start, kMaxGroupsPerRun * 8);
      size_t groups = (count + 7) / 8;
      PutBitPacked(values + lit_start, count, groups, bit_width, out);
      lit_start += count;
    }
  };
  while (pos < n) {
    size_t run = 1;
    while (pos + run < n && values[pos + run] == values[pos])
      ++run;
    if (run >= 8) {
      size_t pending = (pos - lit_start) % 8;
      if (pending != 0) {
        size_t fill = 8 - pending;
        pos += fill;
        run -= fill;
        if (run < 8) {
          pos += run;
          continue;
        }
      }
      flush_literals(pos);
      PutRle(values[pos], run, bit_width, out);
      pos += run;
      lit_start = pos;
    } else {
      pos += run;
    }
  }
  flush_literals(n);
}

}  // namespace

void RleBitPackedEncode(const uint32_t* values, size_t n, int bit_width, std::string* out) {
  Encode(values, n, bit_width, out);
}
void RleBitPackedEncode(const uint8_t* values, size_t n, int bit_width, std::string* out) {
  Encode(values, n, bit_width, out);
}

template <typename T>
void UnpackBits(const uint8_t* data, size_t size, uint64_t first_bit, int bit_width, size_t n,
                T* out) {
  if (bit_width == 0) {
    std::fill(out, out + n, T{0});
    return;
  }
  if (bit_width == 1) {
    // Levels and booleans: one bit each.
    for (size_t i = 0; i < n; ++i) {
      uint64_t b = first_bit + i;
      out[i] = (b >> 3) < size ? static_cast<T>((data[b >> 3] >> (b & 7)) & 1) : T{0};
    }
    return;
  }
  const uint64_t mask = bit_width >= 64 ? ~0ull : ((1ull << bit_width) - 1);
  uint64_t bit = first_bit;
  // Fast path while a full 8-byte load stays inside the buffer.
  size_t i = 0;
  for (; i < n; ++i, bit += bit_width) {
    uint64_t byte = bit >> 3;
    if (byte + 8 > size) break;
    uint64_t word{};
    std::memcpy(&word, data + byte, 8);
    out[i] = static_cast<T>((word >> (bit & 7)) & mask);
  }
  // Tail: assemble the word a byte at a time (no library call per value).
  for (; i < n; ++i, bit += bit_width) {
    uint64_t byte = bit >> 3;
    uint64_t word = 0;
    for (uint64_t k = 0; k < 8 && byte + k < size; ++k) {
      word |= static_cast<uint64_t>(data[byte + k]) << (8 * k);
    }
    out[i] = static_cast<T>((word >> (bit & 7)) & mask);
  }
}

template void UnpackBits<uint8_t>(const uint8_t*, size_t, uint64_t, int, size_t, uint8_t*);
template void UnpackBits<uint32_t>(const uint8_t*, size_t, uint64_t, int, size_t, uint32_t*);

Status RleBitPackedDecoder::NextRun() {
  auto corrupt = [](const char* what) {
    return Status(ErrorCode::kCorruption,
                  std::string("malformed RLE/bit-packed data in a Parquet page: ") + what);
  };
  uint64_t header = 0;
  for (int shift = 0;; shift += 7) {
    if (data_ >= end_) return corrupt("data ends before all values were read");
    if (shift > 56) return corrupt("run header varint too long");
    uint8_t b = *data_++;
    header |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
  }
  if (header & 1) {
    uint64_t groups = header >> 1;
    uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    size_t avail = static_cast<size_t>(end_ - data_);
    // A final run may be cut short of its padding; decode only the values present.
    uint64_t values = groups * 8;
    if (bytes > avail) {
      values = bit_width_ == 0 ? values : (avail * 8) / static_cast<uint64_t>(bit_width_);
      bytes = avail;
    }
    if (values == 0) return corrupt("empty bit-packed run");
    packed_ = data_;
    packed_bytes_ = static_cast<size_t>(bytes);
    packed_bit_ = 0;
    packed_left_ = static_cast<size_t>(values);
    data_ += bytes;
  } else {
    uint64_t count = header >> 1;
    if (count == 0) return corrupt("empty RLE run");
    int nbytes = (bit_width_ + 7) / 8;
    if (end_ - data_ < nbytes) return corrupt("data ends inside an RLE run value");
    uint32_t v = 0;
    for (int i = 0; i < nbytes; ++i)
      v |= static_cast<uint32_t>(data_[i]) << (8 * i);
    data_ += nbytes;
    if (bit_width_ < 32 && (v >> bit_width_) != 0)
      return corrupt("RLE value wider than its bit width");
    rle_value_ = v;
    rle_left_ = static_cast<size_t>(std::min<uint64_t>(count, SIZE_MAX));
  }
  return Status::Ok();
}

template <typename T>
Status RleBitPackedDecoder::GetBatch(T* out, size_t n) {
  while (n > 0) {
    if (rle_left_ > 0) {
      size_t k = std::min(n, rle_left_);
      std::fill(out, out + k, static_cast<T>(rle_value_));
      out += k;
      n -= k;
      rle_left_ -= k;
    } else if (packed_left_ > 0) {
      size_t k = std::min(n, packed_left_);
      // Bits past this run but inside the buffer may be loaded; the mask drops them.
      UnpackBits(packed_, static_cast<size_t>(end_ - packed_), packed_bit_, bit_width_, k, out);
      packed_bit_ += static_cast<uint64_t>(k) * bit_width_;
      out += k;
      n -= k;
      packed_left_ -= k;
    } else {
      TDB_RETURN_IF_ERROR(NextRun());
    }
  }
  return Status::Ok();
}

template Status RleBitPackedDecoder::GetBatch<uint8_t>(uint8_t*, size_t);
template Status RleBitPackedDecoder::GetBatch<uint32_t>(uint32_t*, size_t);

}  // namespace tenantdb
