// The RLE / bit-packing hybrid encoder and decoder, and the delta decoders.
#include "storage/cold/rle_bitpacked.h"

#include <gtest/gtest.h>

#include <random>

#include "storage/cold/delta_encoding.h"

namespace tenantdb {
namespace {

std::vector<uint32_t> RoundTrip(const std::vector<uint32_t>& values, int width) {
  std::string enc;
  RleBitPackedEncode(values.data(), values.size(), width, &enc);
  RleBitPackedDecoder dec(reinterpret_cast<const uint8_t*>(enc.data()), enc.size(), width);
  std::vector<uint32_t> out(values.size());
  Status s = dec.GetBatch(out.data(), out.size());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

TEST(RleBitPacked, RoundTripsRunsLiteralsAndMixtures) {
  std::mt19937 rng(7);
  for (int width : {0, 1, 2, 3, 5, 8, 13, 17, 24, 31, 32}) {
    uint64_t limit = width == 32 ? 0xffffffffull : ((1ull << width) - 1);
    for (int shape = 0; shape < 4; ++shape) {
      std::vector<uint32_t> v;
      size_t n = 1 + rng() % 3000;
      for (size_t i = 0; i < n; ++i) {
        uint32_t x;
        switch (shape) {
          case 0:
            x = static_cast<uint32_t>(rng() % (limit + 1));
            break;  // literals
          case 1:
            x = static_cast<uint32_t>((i / 100) % (limit + 1));
            break;  // long runs
          case 2:
            x = static_cast<uint32_t>((i / (1 + rng() % 12)) % (limit + 1));
            break;
          default:
            x = static_cast<uint32_t>(limit);
            break;
        }
        v.push_back(x);
      }
      EXPECT_EQ(RoundTrip(v, width), v) << "width " << width << " shape " << shape;
    }
  }
}

TEST(RleBitPacked, AllEqualLevelsEncodeAsOneRun) {
  std::vector<uint8_t> ones(100000, 1);
  std::string enc;
  RleBitPackedEncode(ones.data(), ones.size(), 1, &enc);
  EXPECT_LE(enc.size(), 4u);
}

TEST(RleBitPacked, TruncatedInputIsCorruption) {
  std::vector<uint32_t> v(1000);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<uint32_t>(i * 7 % 1000);
  std::string enc;
  RleBitPackedEncode(v.data(), v.size(), 10, &enc);
  for (size_t len : {size_t{0}, size_t{1}, enc.size() / 2}) {
    RleBitPackedDecoder dec(reinterpret_cast<const uint8_t*>(enc.data()), len, 10);
    std::vector<uint32_t> out(v.size());
    EXPECT_EQ(dec.GetBatch(out.data(), out.size()).code(), ErrorCode::kCorruption) << len;
  }
}

TEST(DeltaEncoding, RejectsGarbageWithoutCrashing) {
  std::mt19937 rng(3);
  std::vector<int64_t> out;
  std::vector<std::string_view> views;
  std::string arena;
  for (int trial = 0; trial < 5000; ++trial) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes)
      c = static_cast<char>(rng());
    if (trial % 2 == 0 && bytes.size() > 2) {
      bytes[0] = '\x80';  // a plausible header: block 128, 4 miniblocks
      bytes[1] = '\x01';
      bytes[2] = '\x04';
    }
    auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t used;
    (void)DecodeDeltaBinaryPacked(p, bytes.size(), 1000, &out, &used);
    (void)DecodeDeltaLengthByteArray(p, bytes.size(), 1000, &views);
    (void)DecodeDeltaByteArray(p, bytes.size(), 1000, &arena, &views);
  }
}

}  // namespace
}  // namespace tenantdb
