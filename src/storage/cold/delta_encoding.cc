#include "storage/cold/delta_encoding.h"

#include "storage/cold/rle_bitpacked.h"

namespace tenantdb {

namespace {

Status Corrupt(const char* encoding, const char* what) {
  return Status(ErrorCode::kCorruption,
                std::string("malformed ") + encoding + " data in a Parquet page: " + what);
}

bool ReadUleb(const uint8_t*& p, const uint8_t* end, uint64_t* v) {
  uint64_t r = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) return false;
    uint8_t b = *p++;
    r |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *v = r;
      return true;
    }
  }
  return false;
}

bool ReadZigZag(const uint8_t*& p, const uint8_t* end, int64_t* v) {
  uint64_t u{};
  if (!ReadUleb(p, end, &u)) return false;
  *v = static_cast<int64_t>(u >> 1) ^ -static_cast<int64_t>(u & 1);
  return true;
}

}  // namespace

Status DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values,
                               std::vector<int64_t>* out, size_t* consumed) {
  constexpr const char* kName = "DELTA_BINARY_PACKED";
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  uint64_t block_size{}, miniblocks{}, total{};
  int64_t first{};
  if (!ReadUleb(p, end, &block_size) || !ReadUleb(p, end, &miniblocks) ||
      !ReadUleb(p, end, &total) || !ReadZigZag(p, end, &first)) {
    return Corrupt(kName, "truncated header");
  }
  if (block_size == 0 || block_size % 128 != 0 || miniblocks == 0 || block_size % miniblocks != 0 ||
      (block_size / miniblocks) % 32 != 0 || block_size > (1u << 16)) {
    return Corrupt(kName, "invalid block layout");
  }
  if (total > max_values) return Corrupt(kName, "more values than the page holds");
  out->clear();
  if (total == 0) {
    *consumed = static_cast<size_t>(p - data);
    return Status::Ok();
  }
  out->resize(total);
  out->at(0) = first;
  uint64_t values_per_mini = block_size / miniblocks;
  uint64_t have = 1;
  auto last = static_cast<uint64_t>(first);
  std::vector<uint64_t> deltas(values_per_mini);
  std::vector<uint8_t> widths(miniblocks);
  while (have < total) {
    int64_t min_delta{};
    if (!ReadZigZag(p, end, &min_delta)) return Corrupt(kName, "truncated block header");
    if (static_cast<uint64_t>(end - p) < miniblocks) return Corrupt(kName, "truncated bit widths");
    for (uint64_t m = 0; m < miniblocks; ++m)
      widths[m] = p[m];
    p += miniblocks;
    for (uint64_t m = 0; m < miniblocks && have < total; ++m) {
      int w = widths[m];
      if (w > 64) return Corrupt(kName, "bit width over 64");
      uint64_t bytes = values_per_mini * static_cast<uint64_t>(w) / 8;
      if (static_cast<uint64_t>(end - p) < bytes) return Corrupt(kName, "truncated miniblock");
      uint64_t n = std::min(values_per_mini, total - have);
      if (w <= 32) {
        std::vector<uint32_t> tmp(n);
        UnpackBits(p, static_cast<size_t>(bytes), 0, w, static_cast<size_t>(n), tmp.data());
        for (uint64_t i = 0; i < n; ++i)
          deltas[i] = tmp[i];
      } else {
        // Wide deltas (rare): extract bit by bit in 32-bit halves.
        for (uint64_t i = 0; i < n; ++i) {
          uint64_t v = 0;
          uint64_t bit = i * static_cast<uint64_t>(w);
          for (int b = 0; b < w; ++b, ++bit) {
            v |= static_cast<uint64_t>((p[bit >> 3] >> (bit & 7)) & 1) << b;
          }
          deltas[i] = v;
        }
      }
      for (uint64_t i = 0; i < n; ++i) {
        last += static_cast<uint64_t>(min_delta) + deltas[i];
        (*out)[have++] = static_cast<int64_t>(last);
      }
      p += bytes;
    }
  }
  *consumed = static_cast<size_t>(p - data);
  return Status::Ok();
}

Status DecodeDeltaLengthByteArray(const uint8_t* data, size_t size, size_t max_values,
                                  std::vector<std::string_view>* out) {
  std::vector<int64_t> lengths;
  size_t used{};
  TDB_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, size, max_values, &lengths, &used));
  out->clear();
  out->reserve(lengths.size());
  size_t pos = used;
  for (int64_t len : lengths) {
    if (len < 0 || static_cast<uint64_t>(len) > size - pos) {
      return Corrupt("DELTA_LENGTH_BYTE_ARRAY", "value length beyond the page");
    }
    out->emplace_back(reinterpret_cast<const char*>(data + pos), static_cast<size_t>(len));
    pos += static_cast<size_t>(len);
  }
  return Status::Ok();
}

Status DecodeDeltaByteArray(const uint8_t* data, size_t size, size_t max_values, std::string* arena,
                            std::vector<std::string_view>* out) {
  constexpr const char* kName = "DELTA_BYTE_ARRAY";
  std::vector<int64_t> prefixes;
  size_t used{};
  TDB_RETURN_IF_ERROR(DecodeDeltaBinaryPacked(data, size, max_values, &prefixes, &used));
  std::vector<std::string_view> suffixes;
  TDB_RETURN_IF_ERROR(DecodeDeltaLengthByteArray(data + used, size - used, max_values, &suffixes));
  if (suffixes.size() != prefixes.size()) return Corrupt(kName, "prefix and suffix counts differ");
  arena->clear();
  std::vector<std::pair<size_t, size_t>> spans;
  spans.reserve(prefixes.size());
  size_t prev_start = 0, prev_len = 0;
  for (size_t i = 0; i < prefixes.size(); ++i) {
    if (prefixes[i] < 0 || static_cast<uint64_t>(prefixes[i]) > prev_len) {
      return Corrupt(kName, "prefix longer than the previous value");
    }
    size_t start = arena->size();
    size_t plen = static_cast<size_t>(prefixes[i]);
    // Reserve first so the prefix, copied from the arena itself, cannot move.
    arena->reserve(arena->size() + plen + suffixes[i].size());
    arena->append(arena->data() + prev_start, plen);
    arena->append(suffixes[i]);
    prev_start = start;
    prev_len = arena->size() - start;
    spans.emplace_back(start, prev_len);
  }
  out->clear();
  out->reserve(spans.size());
  for (auto [s, l] : spans)
    out->emplace_back(arena->data() + s, l);
  return Status::Ok();
}

Status DecodeByteStreamSplit(const uint8_t* data, size_t size, size_t n, size_t width,
                             uint8_t* out) {
  if (size < n * width) return Corrupt("BYTE_STREAM_SPLIT", "fewer bytes than values");
  // Streams are n bytes apart.
  for (size_t k = 0; k < width; ++k) {
    const uint8_t* stream = data + k * n;
    for (size_t i = 0; i < n; ++i)
      out[i * width + k] = stream[i];
  }
  return Status::Ok();
}

}  // namespace tenantdb
