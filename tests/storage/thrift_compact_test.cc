// Thrift compact protocol and Parquet metadata (de)serialization.
#include "storage/cold/thrift_compact.h"

#include <gtest/gtest.h>

#include <random>

#include "storage/cold/parquet_metadata.h"

namespace tenantdb {
namespace {

TEST(ThriftCompact, RoundTripsEveryFieldKind) {
  std::string buf;
  ThriftCompactWriter w(&buf);
  w.StructBegin();
  w.FieldBool(1, true);
  w.FieldBool(2, false);
  w.FieldI8(3, -7);
  w.FieldI16(4, -30000);
  w.FieldI32(5, INT32_MIN);
  w.FieldI64(20, INT64_MAX);  // delta > 15: long-form header
  w.FieldDouble(21, -2.5);
  w.FieldBinary(22, std::string("bin\0ary", 7));
  w.FieldListBegin(23, ThriftType::kI32, 20);  // size >= 15: long-form list header
  for (int i = 0; i < 20; ++i)
    w.ElemI32(i - 10);
  w.FieldStructBegin(3);  // id going backwards: long form
  w.FieldI64(1, -1);
  w.StructEnd();
  w.StructEnd();

  ThriftCompactReader r(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
  ASSERT_TRUE(r.StructBegin().ok());
  int16_t id;
  ThriftType t;
  bool b;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadBool(t, &b).ok());
  EXPECT_EQ(id, 1);
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadBool(t, &b).ok());
  EXPECT_FALSE(b);
  int8_t i8;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadI8(t, &i8).ok());
  EXPECT_EQ(i8, -7);
  int16_t i16;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadI16(t, &i16).ok());
  EXPECT_EQ(i16, -30000);
  int32_t i32;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadI32(t, &i32).ok());
  EXPECT_EQ(i32, INT32_MIN);
  int64_t i64;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  EXPECT_EQ(id, 20);
  ASSERT_TRUE(r.ReadI64(t, &i64).ok());
  EXPECT_EQ(i64, INT64_MAX);
  double d;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadDouble(t, &d).ok());
  EXPECT_EQ(d, -2.5);
  std::string s;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ASSERT_TRUE(r.ReadBinary(t, &s).ok());
  EXPECT_EQ(s, std::string("bin\0ary", 7));
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ThriftType elem;
  uint32_t n;
  ASSERT_TRUE(r.ListBegin(t, &elem, &n).ok());
  ASSERT_EQ(n, 20u);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(r.ElemI32(elem, &i32).ok());
    EXPECT_EQ(i32, i - 10);
  }
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  EXPECT_EQ(id, 3);
  EXPECT_EQ(t, ThriftType::kStruct);
  ASSERT_TRUE(r.Skip(t).ok());
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  EXPECT_EQ(t, ThriftType::kStop);
  EXPECT_EQ(r.position(), buf.size());
}

TEST(ThriftCompact, RejectsTruncatedAndHostileInput) {
  // A list claiming a billion elements in a 3-byte buffer.
  const uint8_t huge_list[] = {0x19, 0xf5, 0x80, 0x80, 0x80, 0x80, 0x04};
  ThriftCompactReader r(huge_list, sizeof(huge_list));
  ASSERT_TRUE(r.StructBegin().ok());
  int16_t id;
  ThriftType t;
  ASSERT_TRUE(r.NextField(&id, &t).ok());
  ThriftType elem;
  uint32_t n;
  EXPECT_EQ(r.ListBegin(t, &elem, &n).code(), ErrorCode::kCorruption);

  // Deeply nested structs.
  std::string deep(1000, '\x1c');  // field 1, type struct, forever
  ThriftCompactReader r2(reinterpret_cast<const uint8_t*>(deep.data()), deep.size());
  ASSERT_TRUE(r2.StructBegin().ok());
  ASSERT_TRUE(r2.NextField(&id, &t).ok());
  EXPECT_EQ(r2.Skip(t).code(), ErrorCode::kCorruption);

  // An over-long varint.
  const uint8_t varint[] = {0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  ThriftCompactReader r3(varint, sizeof(varint));
  ASSERT_TRUE(r3.StructBegin().ok());
  ASSERT_TRUE(r3.NextField(&id, &t).ok());
  int64_t v;
  EXPECT_EQ(r3.ReadI64(t, &v).code(), ErrorCode::kCorruption);
}

parquet::FileMetaData SampleMetadata() {
  parquet::FileMetaData m;
  m.version = 1;
  parquet::SchemaElement root;
  root.name = "schema";
  root.num_children = 2;
  m.schema.push_back(root);
  parquet::SchemaElement ts;
  ts.name = "ts";
  ts.type = parquet::Type::kInt64;
  ts.repetition = parquet::Repetition::kOptional;
  ts.converted_type = parquet::ConvertedType::kTimestampMicros;
  ts.logical_type.kind = parquet::LogicalType::Kind::kTimestamp;
  ts.logical_type.is_adjusted_to_utc = true;
  ts.logical_type.unit = parquet::TimeUnit::kNanos;
  m.schema.push_back(ts);
  parquet::SchemaElement dec;
  dec.name = "d";
  dec.type = parquet::Type::kFixedLenByteArray;
  dec.type_length = 16;
  dec.repetition = parquet::Repetition::kRequired;
  dec.logical_type.kind = parquet::LogicalType::Kind::kDecimal;
  dec.logical_type.decimal_precision = 38;
  dec.logical_type.decimal_scale = 4;
  m.schema.push_back(dec);
  m.num_rows = 12345;
  parquet::RowGroup g;
  g.num_rows = 12345;
  g.total_byte_size = 999;
  parquet::ColumnChunk c;
  parquet::ColumnMetaData md;
  md.type = parquet::Type::kInt64;
  md.encodings = {parquet::Encoding::kPlain, parquet::Encoding::kRleDictionary};
  md.path_in_schema = {"ts"};
  md.codec = parquet::Codec::kZstd;
  md.num_values = 12345;
  md.total_compressed_size = 500;
  md.total_uncompressed_size = 900;
  md.data_page_offset = 4;
  md.dictionary_page_offset = 100;
  parquet::Statistics st;
  st.null_count = 3;
  st.min_value = std::string("\x01\x02", 2);
  st.max_value = std::string("\xff", 1);
  st.is_max_value_exact = false;
  md.statistics = st;
  c.meta_data = md;
  g.columns = {c, c};
  m.row_groups = {g};
  m.key_value_metadata = {{"a", std::string("b")}, {"novalue", std::nullopt}};
  m.created_by = "test";
  m.column_orders = {1, 1};
  return m;
}

TEST(ParquetMetadata, FileMetaDataRoundTrips) {
  parquet::FileMetaData m = SampleMetadata();
  std::string buf;
  parquet::SerializeFileMetaData(m, &buf);
  auto back = parquet::ParseFileMetaData(reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->num_rows, 12345);
  ASSERT_EQ(back->schema.size(), 3u);
  EXPECT_EQ(back->schema[1].logical_type.kind, parquet::LogicalType::Kind::kTimestamp);
  EXPECT_TRUE(back->schema[1].logical_type.is_adjusted_to_utc);
  EXPECT_EQ(back->schema[1].logical_type.unit, parquet::TimeUnit::kNanos);
  EXPECT_EQ(back->schema[2].logical_type.decimal_precision, 38);
  EXPECT_EQ(back->schema[2].logical_type.decimal_scale, 4);
  EXPECT_EQ(back->schema[2].type_length, 16);
  const parquet::ColumnMetaData& md = *back->row_groups[0].columns[1].meta_data;
  EXPECT_EQ(md.codec, parquet::Codec::kZstd);
  EXPECT_EQ(md.encodings.size(), 2u);
  EXPECT_EQ(md.dictionary_page_offset, 100);
  EXPECT_EQ(md.statistics->null_count, 3);
  EXPECT_EQ(md.statistics->max_value, std::string("\xff", 1));
  EXPECT_EQ(md.statistics->is_max_value_exact, false);
  EXPECT_EQ(back->key_value_metadata[1].key, "novalue");
  EXPECT_FALSE(back->key_value_metadata[1].value.has_value());
  EXPECT_EQ(back->created_by, "test");
  EXPECT_EQ(back->column_orders, (std::vector<int>{1, 1}));

  // Re-serializing gives the same bytes.
  std::string again;
  parquet::SerializeFileMetaData(*back, &again);
  EXPECT_EQ(again, buf);
}

TEST(ParquetMetadata, PageHeadersRoundTrip) {
  parquet::PageHeader h;
  h.type = parquet::PageType::kDataPageV2;
  h.uncompressed_page_size = 100;
  h.compressed_page_size = 50;
  parquet::DataPageHeaderV2 v2;
  v2.num_values = 10;
  v2.num_nulls = 2;
  v2.num_rows = 10;
  v2.encoding = parquet::Encoding::kDeltaBinaryPacked;
  v2.definition_levels_byte_length = 3;
  v2.is_compressed = false;
  h.data_page_header_v2 = v2;
  std::string buf;
  parquet::SerializePageHeader(h, &buf);
  buf += "trailing page bytes";
  size_t used = 0;
  auto back =
      parquet::ParsePageHeader(reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), &used);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(used, buf.size() - 19);
  EXPECT_EQ(back->data_page_header_v2->num_nulls, 2);
  EXPECT_FALSE(back->data_page_header_v2->is_compressed);
  EXPECT_EQ(back->data_page_header_v2->encoding, parquet::Encoding::kDeltaBinaryPacked);
}

TEST(ParquetMetadata, EveryTruncationAndRandomCorruptionFailsCleanly) {
  std::string buf;
  parquet::SerializeFileMetaData(SampleMetadata(), &buf);
  for (size_t len = 0; len < buf.size(); ++len) {
    auto r = parquet::ParseFileMetaData(reinterpret_cast<const uint8_t*>(buf.data()), len);
    EXPECT_FALSE(r.ok()) << "prefix of " << len << " bytes parsed";
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kCorruption);
    }
  }
  std::mt19937 rng(42);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bad = buf;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f)
      bad[rng() % bad.size()] = static_cast<char>(rng());
    // Must not crash, hang or trip the sanitizers; either outcome is fine.
    auto r = parquet::ParseFileMetaData(reinterpret_cast<const uint8_t*>(bad.data()), bad.size());
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kCorruption);
    }
  }
}

}  // namespace
}  // namespace tenantdb
