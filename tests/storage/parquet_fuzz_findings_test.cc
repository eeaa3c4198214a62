// Hostile Parquet input found by fuzzing (fuzz/parquet_fuzz, fuzz/parquet_page_fuzz) or
// by reviewing the code they exercise: each must give a clean error or an unusable
// statistic, never undefined behaviour or an allocation out of proportion to the input.
// The suite runs under ASan + UBSan, so the old behaviour fails these tests.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>

#include "parquet_test_util.h"
#include "storage/cold/column_chunk_reader.h"
#include "storage/cold/compression.h"
#include "storage/cold/parquet_metadata.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_types.h"
#include "types/column_vector.h"

namespace tenantdb {
namespace {

std::string Int64Bytes(int64_t v) {
  std::string raw(8, '\0');
  std::memcpy(raw.data(), &v, 8);
  return raw;
}

ParquetColumnInfo TimestampColumn(ParquetConversion conversion) {
  ParquetColumnInfo c;
  c.name = "at";
  c.physical = parquet::Type::kInt64;
  c.type = DataType::kTimestamp;
  c.conversion = conversion;
  return c;
}

TEST(ParquetFuzzFindings, MillisecondStatisticsBeyondMicrosecondRangeAreUnusable) {
  const ParquetColumnInfo millis = TimestampColumn(ParquetConversion::kMillisToMicros);
  EXPECT_EQ(DecodeStatisticsValue(millis, Int64Bytes(1000)), Value::Timestamp(1'000'000));
  EXPECT_FALSE(DecodeStatisticsValue(millis, Int64Bytes(std::numeric_limits<int64_t>::max())));
  EXPECT_FALSE(DecodeStatisticsValue(millis, Int64Bytes(std::numeric_limits<int64_t>::min())));
}

TEST(ParquetFuzzFindings, NanosecondStatisticsFloorWithoutOverflow) {
  const ParquetColumnInfo nanos = TimestampColumn(ParquetConversion::kNanosToMicros);
  EXPECT_EQ(DecodeStatisticsValue(nanos, Int64Bytes(-1)), Value::Timestamp(-1));
  EXPECT_EQ(DecodeStatisticsValue(nanos, Int64Bytes(std::numeric_limits<int64_t>::min())),
            Value::Timestamp(std::numeric_limits<int64_t>::min() / 1000 - 1));
}

// One DATA_PAGE of `num_values` values with `encoding` and the given body, uncompressed.
std::string DataPage(int32_t num_values, parquet::Encoding encoding, const std::string& body) {
  parquet::PageHeader header;
  header.type = parquet::PageType::kDataPage;
  header.compressed_page_size = static_cast<int32_t>(body.size());
  header.uncompressed_page_size = static_cast<int32_t>(body.size());
  parquet::DataPageHeader data;
  data.num_values = num_values;
  data.encoding = encoding;
  header.data_page_header = data;
  std::string out;
  parquet::SerializePageHeader(header, &out);
  return out + body;
}

TEST(ParquetFuzzFindings, ByteStreamSplitOfWideFixedLengthValuesChecksThePageFirst) {
  // 1,000 values of 2^30 bytes each claimed by a 16-byte page: the old reader allocated
  // the terabyte before noticing.
  ParquetColumnInfo column;
  column.name = "blob";
  column.physical = parquet::Type::kFixedLenByteArray;
  column.type_length = 1 << 30;
  column.type = DataType::kBytea;
  column.optional = false;
  const std::string chunk =
      DataPage(1000, parquet::Encoding::kByteStreamSplit, std::string(16, 'x'));
  ColumnChunkReader reader;
  ColumnVector out(DataType::kBytea);
  Status st = reader.Read(column, parquet::Codec::kUncompressed,
                          reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size(), 1000, &out);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
}

TEST(ParquetFuzzFindings, ByteStreamSplitOfNumbersChecksThePageFirst) {
  ParquetColumnInfo column;
  column.name = "n";
  column.physical = parquet::Type::kInt64;
  column.type = DataType::kBigInt;
  column.optional = false;
  const std::string chunk = DataPage(1 << 20, parquet::Encoding::kByteStreamSplit, "12345678");
  ColumnChunkReader reader;
  ColumnVector out(DataType::kBigInt);
  Status st =
      reader.Read(column, parquet::Codec::kUncompressed,
                  reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size(), 1 << 20, &out);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find("BYTE_STREAM_SPLIT"), std::string::npos) << st.ToString();
}

// Decompression bombs: a page header may claim up to 1 GiB, but not more than the codec
// can produce from the page's bytes; the old reader allocated the claim first.
TEST(ParquetFuzzFindings, PageSizesBeyondWhatTheCodecCanProduceAreCorrupt) {
  const std::string tiny(20, '\x01');
  const auto* in = reinterpret_cast<const uint8_t*>(tiny.data());
  const size_t claim = size_t{100} << 20;
  Status gzip = CheckUncompressedSize(parquet::Codec::kGzip, in, tiny.size(), claim);
  EXPECT_EQ(gzip.code(), ErrorCode::kCorruption) << gzip.ToString();
  // A snappy stream whose length header says 100 MiB, followed by 4 bytes.
  std::string snappy = {'\x80', '\x80', '\x80', '\x32', 'a', 'b', 'c', 'd'};
  Status st =
      CheckUncompressedSize(parquet::Codec::kSnappy,
                            reinterpret_cast<const uint8_t*>(snappy.data()), snappy.size(), claim);
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  // What a real page of each codec claims still passes.
  for (parquet::Codec codec : {parquet::Codec::kSnappy, parquet::Codec::kZstd}) {
    std::string compressed;
    const std::string page(100000, 'z');
    ASSERT_TRUE(CompressPage(codec, 3, page, &compressed).ok());
    EXPECT_TRUE(CheckUncompressedSize(codec, reinterpret_cast<const uint8_t*>(compressed.data()),
                                      compressed.size(), page.size())
                    .ok())
        << parquet::CodecName(codec);
  }
}

// A file of `data` after the magic and `meta` as its footer.
std::string HostileFile(const std::string& path, const parquet::FileMetaData& meta,
                        const std::string& data) {
  std::string footer;
  parquet::SerializeFileMetaData(meta, &footer);
  const auto len = static_cast<uint32_t>(footer.size());
  std::string bytes = "PAR1" + data + footer;
  bytes.append(reinterpret_cast<const char*>(&len), 4);
  bytes += "PAR1";
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// One required INT64 column "n" per entry of `sizes`, one row group whose chunks claim
// those compressed sizes.
parquet::FileMetaData MetaWithChunkSizes(const std::vector<int64_t>& sizes) {
  parquet::FileMetaData meta;
  parquet::SchemaElement root;
  root.name = "schema";
  root.num_children = static_cast<int32_t>(sizes.size());
  meta.schema.push_back(root);
  parquet::RowGroup rg;
  rg.num_rows = 1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    parquet::SchemaElement leaf;
    leaf.name = "n" + std::to_string(i);
    leaf.type = parquet::Type::kInt64;
    leaf.repetition = parquet::Repetition::kRequired;
    meta.schema.push_back(leaf);
    parquet::ColumnChunk chunk;
    parquet::ColumnMetaData md;
    md.type = parquet::Type::kInt64;
    md.path_in_schema = {leaf.name};
    md.num_values = 1;
    md.total_compressed_size = sizes[i];
    md.total_uncompressed_size = sizes[i];
    md.data_page_offset = 4;
    chunk.meta_data = md;
    rg.columns.push_back(chunk);
  }
  meta.num_rows = 1;
  meta.row_groups.push_back(rg);
  return meta;
}

TEST(ParquetFuzzFindings, HugeChunkSizesInTheFooterDoNotOverflowTheRowGroupTotal) {
  testing::TempDir dir;
  const int64_t huge = std::numeric_limits<int64_t>::max();
  auto reader = ParquetReader::Open(
      HostileFile(dir.File("sizes.parquet"), MetaWithChunkSizes({huge, huge, -huge}), "x"));
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->row_group(0).compressed_bytes, huge);
  // Reading the chunks finds they lie outside the file.
  auto batch = (*reader)->ReadRowGroup(0, (*reader)->schema());
  EXPECT_EQ(batch.status().code(), ErrorCode::kCorruption) << batch.status().ToString();
}

}  // namespace
}  // namespace tenantdb
