#include "storage/cold/compression.h"

#include <snappy.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_decompressBound (exported by the shared library)
#include <zstd.h>

#include <cstring>

namespace tenantdb {

namespace {

Status Corrupt(const std::string& codec, const std::string& what) {
  return Status(ErrorCode::kCorruption, "cannot decompress a " + codec + " Parquet page: " + what);
}

Status Gunzip(const uint8_t* input, size_t input_size, uint8_t* out, size_t out_size) {
  z_stream zs;
  std::memset(&zs, 0, sizeof(zs));
  // 15 + 32: accept both gzip and zlib headers.
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {
    return Status(ErrorCode::kInternal, "zlib inflateInit2 failed");
  }
  zs.next_in = const_cast<Bytef*>(input);
  zs.avail_in = static_cast<uInt>(input_size);
  zs.next_out = out;
  zs.avail_out = static_cast<uInt>(out_size);
  int rc = inflate(&zs, Z_FINISH);
  size_t produced = out_size - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return Corrupt("GZIP", "zlib error " + std::to_string(rc));
  if (produced != out_size) return Corrupt("GZIP", "decompressed size differs from the header");
  return Status::Ok();
}

}  // namespace

Status CompressPage(parquet::Codec codec, int zstd_level, std::string_view input,
                    std::string* out) {
  switch (codec) {
    case parquet::Codec::kUncompressed:
      out->assign(input);
      return Status::Ok();
    case parquet::Codec::kSnappy: {
      out->resize(snappy::MaxCompressedLength(input.size()));
      size_t n = 0;
      snappy::RawCompress(input.data(), input.size(), out->data(), &n);
      out->resize(n);
      return Status::Ok();
    }
    case parquet::Codec::kZstd: {
      out->resize(ZSTD_compressBound(input.size()));
      size_t n = ZSTD_compress(out->data(), out->size(), input.data(), input.size(), zstd_level);
      if (ZSTD_isError(n)) {
        return Status(ErrorCode::kInternal,
                      std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
      }
      out->resize(n);
      return Status::Ok();
    }
    default:
      return Status(ErrorCode::kInvalidArgument,
                    "tenantdb does not write " + parquet::CodecName(codec) + " Parquet pages");
  }
}

Status CheckUncompressedSize(parquet::Codec codec, const uint8_t* input, size_t input_size,
                             size_t uncompressed_size) {
  constexpr size_t kMaxPageBytes = size_t{1} << 30;
  constexpr const char* kBomb = "the page header claims more bytes than the codec can produce";
  std::string name = parquet::CodecName(codec);
  if (uncompressed_size > kMaxPageBytes) return Corrupt(name, "page larger than 1 GiB");
  if (codec == parquet::Codec::kSnappy) {
    size_t n = 0;
    if (!snappy::GetUncompressedLength(reinterpret_cast<const char*>(input), input_size, &n)) {
      return Corrupt(name, "bad length header");
    }
    if (n != uncompressed_size) return Corrupt(name, "size differs from the page header");
    // A snappy element of 3 bytes copies at most 64: no stream expands more than ~22x.
    if (uncompressed_size / 32 > input_size) return Corrupt(name, kBomb);
  } else if (codec == parquet::Codec::kZstd) {
    unsigned long long n = ZSTD_getFrameContentSize(input, input_size);
    if (n == ZSTD_CONTENTSIZE_ERROR) return Corrupt(name, "not a zstd frame");
    if (n != ZSTD_CONTENTSIZE_UNKNOWN && n != uncompressed_size) {
      return Corrupt(name, "size differs from the page header");
    }
    // Without a declared size, the frames' block headers bound what they can produce.
    unsigned long long bound = ZSTD_decompressBound(input, input_size);
    if (bound == ZSTD_CONTENTSIZE_ERROR) return Corrupt(name, "malformed zstd frames");
    if (uncompressed_size > bound) return Corrupt(name, kBomb);
  } else if (codec == parquet::Codec::kGzip) {
    // DEFLATE expands at most 1032:1 (a 258-byte match per 2 bits, plus headers).
    if (uncompressed_size / 1032 > input_size) return Corrupt(name, kBomb);
  }
  return Status::Ok();
}

Status DecompressPage(parquet::Codec codec, const uint8_t* input, size_t input_size, uint8_t* out,
                      size_t uncompressed_size) {
  switch (codec) {
    case parquet::Codec::kUncompressed:
      if (input_size != uncompressed_size) {
        return Corrupt("UNCOMPRESSED", "compressed and uncompressed sizes differ");
      }
      if (input_size > 0) std::memcpy(out, input, input_size);
      return Status::Ok();
    case parquet::Codec::kSnappy: {
      size_t n = 0;
      const char* in = reinterpret_cast<const char*>(input);
      if (!snappy::GetUncompressedLength(in, input_size, &n)) {
        return Corrupt("SNAPPY", "bad length header");
      }
      if (n != uncompressed_size) return Corrupt("SNAPPY", "size differs from the page header");
      if (!snappy::RawUncompress(in, input_size, reinterpret_cast<char*>(out))) {
        return Corrupt("SNAPPY", "invalid compressed data");
      }
      return Status::Ok();
    }
    case parquet::Codec::kZstd: {
      size_t n = ZSTD_decompress(out, uncompressed_size, input, input_size);
      if (ZSTD_isError(n)) return Corrupt("ZSTD", ZSTD_getErrorName(n));
      if (n != uncompressed_size) return Corrupt("ZSTD", "size differs from the page header");
      return Status::Ok();
    }
    case parquet::Codec::kGzip:
      return Gunzip(input, input_size, out, uncompressed_size);
    default:
      return Status(ErrorCode::kInvalidArgument,
                    "tenantdb cannot read Parquet pages compressed with " +
                        parquet::CodecName(codec) +
                        "; rewrite the file with ZSTD, SNAPPY, "
                        "GZIP or no compression");
  }
}

}  // namespace tenantdb
