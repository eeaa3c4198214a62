// Round trips through ParquetWriter and ParquetReader: every type, NULLs, codecs, row
// groups, projection, schema evolution, pruning, statistics and dictionary fallback.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "parquet_test_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"
#include "tenantdb/array.h"

namespace tenantdb {
namespace {

using testing::AllTypesSchema;
using testing::MakeBatch;
using testing::MakeField;
using testing::MakeSchema;
using testing::SameValue;
using testing::TempDir;

void WriteFile(const std::string& path, const std::shared_ptr<const Schema>& schema,
               const std::vector<Batch>& batches, ParquetWriterOptions options = {}) {
  auto writer = ParquetWriter::Open(path, schema, std::move(options));
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  for (const Batch& b : batches) {
    Status s = (*writer)->Write(b);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  Status s = (*writer)->Close();
  ASSERT_TRUE(s.ok()) << s.ToString();
}

std::unique_ptr<ParquetReader> OpenFile(const std::string& path) {
  auto reader = ParquetReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(*reader) : nullptr;
}

// All rows of the file read with `schema`, concatenated.
std::vector<std::vector<Value>> ReadAllRows(ParquetReader& reader,
                                            const std::shared_ptr<const Schema>& schema) {
  std::vector<std::vector<Value>> rows;
  auto batches = reader.Read(schema);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  if (!batches.ok()) return rows;
  for (const Batch& b : *batches) {
    for (size_t r = 0; r < b.num_rows(); ++r)
      rows.push_back(b.GetRow(r));
  }
  return rows;
}

void ExpectSameRows(const std::vector<std::vector<Value>>& got, const Batch& want) {
  ASSERT_EQ(got.size(), want.num_rows());
  for (size_t r = 0; r < got.size(); ++r) {
    std::vector<Value> w = want.GetRow(r);
    ASSERT_EQ(got[r].size(), w.size());
    for (size_t c = 0; c < w.size(); ++c) {
      ASSERT_TRUE(SameValue(got[r][c], w[c]))
          << "row " << r << " column " << want.schema()->field(c).name << ": got "
          << got[r][c].ToString() << " want " << w[c].ToString();
    }
  }
}

struct RoundTripCase {
  bool nullable;
  bool nulls;
  ParquetCompression compression;
  bool dictionary;
  bool v2 = false;
};

class ParquetRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(ParquetRoundTrip, EveryTypeSurvivesAcrossRowGroups) {
  const RoundTripCase& tc = GetParam();
  TempDir dir;
  auto schema = AllTypesSchema(tc.nullable);
  Batch batch = MakeBatch(schema, 2500, tc.nulls);
  ParquetWriterOptions options;
  options.compression = tc.compression;
  options.row_group_rows = 1000;
  options.page_bytes = 4096;  // several pages per chunk
  options.dictionary_encoding = tc.dictionary;
  options.data_page_v2 = tc.v2;
  options.key_value_metadata = {{"tenantdb.schema_version", "7"}, {"k", ""}};
  std::string path = dir.File("t.parquet");
  WriteFile(path, schema, {batch}, options);

  auto reader = OpenFile(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->num_rows(), 2500);
  EXPECT_EQ(reader->num_row_groups(), 3u);
  EXPECT_EQ(*reader->schema(), *schema);
  EXPECT_EQ(reader->metadata_value("tenantdb.schema_version"), "7");
  EXPECT_EQ(reader->metadata_value("k"), "");
  EXPECT_FALSE(reader->metadata_value("missing").has_value());
  ExpectSameRows(ReadAllRows(*reader, schema), batch);
  EXPECT_EQ(reader->counters().row_groups_read, 3u);
  EXPECT_GT(reader->counters().pages_read, 3u * schema->num_fields());
}

INSTANTIATE_TEST_SUITE_P(
    Variants, ParquetRoundTrip,
    ::testing::Values(RoundTripCase{true, true, ParquetCompression::kZstd, true},
                      RoundTripCase{true, true, ParquetCompression::kSnappy, true},
                      RoundTripCase{true, true, ParquetCompression::kNone, false},
                      RoundTripCase{true, false, ParquetCompression::kZstd, false},
                      RoundTripCase{false, false, ParquetCompression::kZstd, true},
                      RoundTripCase{false, false, ParquetCompression::kNone, false},
                      RoundTripCase{true, true, ParquetCompression::kZstd, true, true},
                      RoundTripCase{true, true, ParquetCompression::kNone, true, true},
                      RoundTripCase{false, false, ParquetCompression::kSnappy, false, true}));

TEST(ParquetWriter, WritesManySmallBatches) {
  TempDir dir;
  auto schema = AllTypesSchema(true);
  std::vector<Batch> batches;
  Batch all(schema);
  for (size_t i = 0; i < 40; ++i) {
    batches.push_back(MakeBatch(schema, 37, true, i * 37));
    for (size_t r = 0; r < 37; ++r)
      ASSERT_TRUE(all.AppendRow(batches.back().GetRow(r)).ok());
  }
  ParquetWriterOptions options;
  options.row_group_rows = 500;
  WriteFile(dir.File("t.parquet"), schema, batches, options);
  auto reader = OpenFile(dir.File("t.parquet"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->num_row_groups(), 3u);  // 500 + 500 + 480
  EXPECT_EQ(reader->row_group(2).num_rows, 480);
  ExpectSameRows(ReadAllRows(*reader, schema), all);
}

TEST(ParquetWriter, EmptyFileHasSchemaAndNoRowGroups) {
  TempDir dir;
  auto schema = AllTypesSchema(true);
  WriteFile(dir.File("e.parquet"), schema, {});
  auto reader = OpenFile(dir.File("e.parquet"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->num_rows(), 0);
  EXPECT_EQ(reader->num_row_groups(), 0u);
  EXPECT_EQ(*reader->schema(), *schema);
}

TEST(ParquetWriter, AllNullColumn) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("t", DataType::kText), MakeField("i", DataType::kInt)});
  Batch b(schema);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(b.AppendRow({Value::Null(DataType::kText), Value::Null(DataType::kInt)}).ok());
  }
  WriteFile(dir.File("n.parquet"), schema, {b});
  auto reader = OpenFile(dir.File("n.parquet"));
  ASSERT_NE(reader, nullptr);
  ExpectSameRows(ReadAllRows(*reader, schema), b);
  const ParquetColumnStats& s = reader->row_group(0).columns[0];
  EXPECT_EQ(s.null_count, 100);
  EXPECT_FALSE(s.min.has_value());
}

TEST(ParquetWriter, ArrayColumnsRoundTripAsTheirText) {
  TempDir dir;
  const DataType ints = ArrayOf(DataType::kInt), texts = ArrayOf(DataType::kText);
  auto schema = MakeSchema({MakeField("n", ints), MakeField("tags", texts)});
  Batch b(schema);
  for (int i = 0; i < 300; ++i) {
    const Value n[] = {Value::Int(i), Value::Null(DataType::kInt)};
    const Value t[] = {Value::Text("a \"" + std::to_string(i) + "\""), Value::Text("")};
    ASSERT_TRUE(b.AppendRow({i % 7 == 0 ? Value::Null(ints) : MakeArrayValue(DataType::kInt, n),
                             MakeArrayValue(DataType::kText, i % 2 ? std::span<const Value>(t)
                                                                   : std::span<const Value>())})
                    .ok());
  }
  WriteFile(dir.File("a.parquet"), schema, {b});
  auto reader = OpenFile(dir.File("a.parquet"));
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(*reader->schema(), *schema);  // the metadata names the array types
  ExpectSameRows(ReadAllRows(*reader, schema), b);
  EXPECT_FALSE(reader->row_group(0).columns[0].min.has_value());  // no text bounds
}

TEST(ParquetWriter, RejectsNullInNotNullColumnAndTypeMismatch) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("a", DataType::kInt, /*nullable=*/false)});
  auto writer = ParquetWriter::Open(dir.File("x.parquet"), schema);
  ASSERT_TRUE(writer.ok());
  auto nullable = MakeSchema({MakeField("a", DataType::kInt)});
  Batch with_null(nullable);
  ASSERT_TRUE(with_null.AppendRow({Value::Null(DataType::kInt)}).ok());
  EXPECT_EQ((*writer)->Write(with_null).code(), ErrorCode::kInvalidArgument);
  auto other = MakeSchema({MakeField("a", DataType::kBigInt)});
  Batch wrong(other);
  ASSERT_TRUE(wrong.AppendRow({Value::BigInt(1)}).ok());
  EXPECT_EQ((*writer)->Write(wrong).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE((*writer)->Close().ok());
  EXPECT_EQ((*writer)->Close().code(), ErrorCode::kInvalidArgument);
}

TEST(ParquetWriter, FloatSpecialValuesAndStatistics) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("r", DataType::kReal), MakeField("d", DataType::kDouble)});
  Batch b(schema);
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> vals = {1.0, nan, -inf, inf, -0.0, 0.0, 2.5};
  for (double v : vals) {
    ASSERT_TRUE(b.AppendRow({Value::Real(static_cast<float>(v)), Value::Double(v)}).ok());
  }
  WriteFile(dir.File("f.parquet"), schema, {b});
  auto reader = OpenFile(dir.File("f.parquet"));
  ASSERT_NE(reader, nullptr);
  ExpectSameRows(ReadAllRows(*reader, schema), b);
  const ParquetColumnStats& s = reader->row_group(0).columns[1];
  EXPECT_EQ(s.nan_count, 1);
  ASSERT_TRUE(s.min && s.max);
  EXPECT_EQ(s.min->as_double(), -inf);
  EXPECT_EQ(s.max->as_double(), inf);
}

TEST(ParquetWriter, StatisticsUseEachTypesOrder) {
  TempDir dir;
  auto schema =
      MakeSchema({MakeField("i", DataType::kBigInt), MakeField("t", DataType::kText),
                  MakeField("s", DataType::kSmallInt), MakeField("b", DataType::kBytea),
                  MakeField("u", DataType::kUuid), MakeField("ts", DataType::kTimestamp)});
  Batch b(schema);
  auto row = [&](int64_t i, std::string t, int16_t s, std::string by, Uuid u, int64_t ts) {
    ASSERT_TRUE(b.AppendRow({Value::BigInt(i), Value::Text(t), Value::SmallInt(s), Value::Bytea(by),
                             Value::FromUuid(u), Value::Timestamp(ts)})
                    .ok());
  };
  row(-5, "zebra", -300, std::string("\x80", 1), testing::UuidFrom(0xff00000000000000ULL, 0), -10);
  row(7, "Apple", 12, std::string("\x7f", 1), testing::UuidFrom(1, 2), 99);
  row(INT64_MIN, "\xc3\xa9t\xc3\xa9", 5, "", testing::UuidFrom(0, 0), 0);
  ASSERT_TRUE(b.AppendRow({Value::Null(DataType::kBigInt), Value::Null(DataType::kText),
                           Value::Null(DataType::kSmallInt), Value::Null(DataType::kBytea),
                           Value::Null(DataType::kUuid), Value::Null(DataType::kTimestamp)})
                  .ok());
  WriteFile(dir.File("s.parquet"), schema, {b});
  auto reader = OpenFile(dir.File("s.parquet"));
  ASSERT_NE(reader, nullptr);
  const auto& cols = reader->row_group(0).columns;
  ASSERT_EQ(reader->column_stats(0, "t"), &cols[1]);
  EXPECT_EQ(reader->column_stats(0, "nope"), nullptr);
  EXPECT_EQ(cols[0].null_count, 1);
  EXPECT_EQ(*cols[0].min, Value::BigInt(INT64_MIN));
  EXPECT_EQ(*cols[0].max, Value::BigInt(7));
  EXPECT_EQ(*cols[1].min, Value::Text("Apple"));
  EXPECT_EQ(*cols[1].max, Value::Text("\xc3\xa9t\xc3\xa9"));  // unsigned bytes: é > z
  EXPECT_EQ(*cols[2].min, Value::SmallInt(-300));
  EXPECT_EQ(*cols[2].max, Value::SmallInt(12));
  EXPECT_EQ(*cols[3].min, Value::Bytea(""));
  EXPECT_EQ(*cols[3].max, Value::Bytea(std::string("\x80", 1)));
  EXPECT_EQ(*cols[4].min, Value::FromUuid(testing::UuidFrom(0, 0)));
  EXPECT_EQ(*cols[4].max, Value::FromUuid(testing::UuidFrom(0xff00000000000000ULL, 0)));
  EXPECT_EQ(*cols[5].min, Value::Timestamp(-10));
  EXPECT_EQ(*cols[5].max, Value::Timestamp(99));
}

TEST(ParquetWriter, LongStringStatisticsAreShortenedBounds) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("t", DataType::kText)});
  Batch b(schema);
  std::string lo = std::string(100, 'a') + "é";
  std::string hi = std::string(100, 'z');
  ASSERT_TRUE(b.AppendRow({Value::Text(lo)}).ok());
  ASSERT_TRUE(b.AppendRow({Value::Text(hi)}).ok());
  WriteFile(dir.File("l.parquet"), schema, {b});
  auto reader = OpenFile(dir.File("l.parquet"));
  ASSERT_NE(reader, nullptr);
  const ParquetColumnStats& s = reader->row_group(0).columns[0];
  ASSERT_TRUE(s.min && s.max);
  EXPECT_LE(s.min->as_bytes().size(), 64u);
  EXPECT_LE(s.max->as_bytes().size(), 64u);
  EXPECT_LE(s.min->as_bytes(), std::string_view(lo));
  EXPECT_GE(s.max->as_bytes(), std::string_view(hi));
  ExpectSameRows(ReadAllRows(*reader, schema), b);
}

TEST(ParquetWriter, DictionaryFallsBackToPlainWhenTooLarge) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("t", DataType::kText), MakeField("j", DataType::kJson)});
  Batch b(schema);
  for (int i = 0; i < 5000; ++i) {
    // Column t: all distinct (falls back); column j: 3 distinct (stays a dictionary).
    ASSERT_TRUE(b.AppendRow({i % 11 == 0 ? Value::Null(DataType::kText)
                                         : Value::Text("value-" + std::to_string(i * 7919)),
                             Value::Json("{\"v\":" + std::to_string(i % 3) + "}")})
                    .ok());
  }
  ParquetWriterOptions options;
  options.dictionary_max_bytes = 2000;
  options.page_bytes = 1000;
  std::string path = dir.File("d.parquet");
  WriteFile(path, schema, {b}, options);
  auto reader = OpenFile(path);
  ASSERT_NE(reader, nullptr);
  ExpectSameRows(ReadAllRows(*reader, schema), b);
  EXPECT_EQ(*reader->row_group(0).columns[1].min, Value::Json("{\"v\":0}"));
  EXPECT_EQ(*reader->row_group(0).columns[1].max, Value::Json("{\"v\":2}"));
}

class ParquetProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ =
        MakeSchema({MakeField("id", DataType::kBigInt, false), MakeField("body", DataType::kText),
                    MakeField("n", DataType::kInt), MakeField("flag", DataType::kBoolean)});
    Batch b(schema_);
    for (int64_t i = 0; i < 1000; ++i) {
      ASSERT_TRUE(b.AppendRow({Value::BigInt(i), Value::Text("row " + std::to_string(i)),
                               i % 4 == 0 ? Value::Null(DataType::kInt)
                                          : Value::Int(static_cast<int32_t>(i * 10)),
                               Value::Boolean(i % 2 == 0)})
                      .ok());
    }
    ParquetWriterOptions options;
    options.row_group_rows = 100;  // ids 0-99, 100-199, ...
    path_ = dir_.File("p.parquet");
    WriteFile(path_, schema_, {b}, options);
    reader_ = OpenFile(path_);
    ASSERT_NE(reader_, nullptr);
  }

  TempDir dir_;
  std::string path_;
  std::shared_ptr<const Schema> schema_;
  std::unique_ptr<ParquetReader> reader_;
};

TEST_F(ParquetProjection, ReadsRequestedColumnsByNameInRequestedOrder) {
  auto requested = MakeSchema({MakeField("n", DataType::kInt), MakeField("id", DataType::kBigInt)});
  auto batch = reader_->ReadRowGroup(3, requested);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->num_rows(), 100u);
  EXPECT_EQ(batch->GetRow(0)[0], Value::Null(DataType::kInt));
  EXPECT_EQ(batch->GetRow(1)[0], Value::Int(3010));
  EXPECT_EQ(batch->GetRow(1)[1], Value::BigInt(301));
  // Only the two requested chunks were read.
  EXPECT_EQ(reader_->counters().column_chunks_read, 2u);
}

TEST_F(ParquetProjection, MissingColumnReadsAsNull) {
  auto requested =
      MakeSchema({MakeField("id", DataType::kBigInt), MakeField("added_later", DataType::kText),
                  MakeField("also_new", DataType::kTimestamp, false)});
  auto batch = reader_->ReadRowGroup(0, requested);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  ASSERT_EQ(batch->num_rows(), 100u);
  for (size_t r = 0; r < 100; ++r) {
    std::vector<Value> row = batch->GetRow(r);
    EXPECT_EQ(row[0], Value::BigInt(static_cast<int64_t>(r)));
    EXPECT_TRUE(row[1].is_null());
    EXPECT_TRUE(row[2].is_null());
  }
  EXPECT_EQ(reader_->counters().column_chunks_read, 1u);
}

TEST_F(ParquetProjection, WidensIntegersAndRejectsIncompatibleTypes) {
  auto wide = MakeSchema({MakeField("n", DataType::kBigInt)});
  auto batch = reader_->ReadRowGroup(0, wide);
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->GetRow(1)[0], Value::BigInt(10));
  auto wrong = MakeSchema({MakeField("body", DataType::kInt)});
  EXPECT_EQ(reader_->ReadRowGroup(0, wrong).status().code(), ErrorCode::kTypeMismatch);
  EXPECT_EQ(reader_->ReadRowGroup(99, wide).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ParquetProjection, PrunesRowGroupsByMinMax) {
  auto requested = MakeSchema({MakeField("id", DataType::kBigInt)});
  // id BETWEEN 250 AND 420 → groups 2, 3, 4.
  auto batches = reader_->Read(requested, {{"id", Value::BigInt(250), Value::BigInt(420)}});
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 3u);
  EXPECT_EQ((*batches)[0].GetRow(0)[0], Value::BigInt(200));
  EXPECT_EQ(reader_->counters().row_groups_read, 3u);
  EXPECT_EQ(reader_->counters().row_groups_pruned, 7u);
  // An INT literal against a BIGINT column, open-ended.
  EXPECT_FALSE(reader_->RowGroupMayMatch(0, {{"id", Value::Int(100), std::nullopt}}));
  EXPECT_TRUE(reader_->RowGroupMayMatch(1, {{"id", Value::Int(100), std::nullopt}}));
  EXPECT_FALSE(reader_->RowGroupMayMatch(9, {{"id", std::nullopt, Value::Int(899)}}));
  // Text ranges compare bytes: "row 5" < "row 50" < "row 6".
  EXPECT_TRUE(reader_->RowGroupMayMatch(5, {{"body", Value::Text("row 5"), Value::Text("row 6")}}));
  EXPECT_FALSE(reader_->RowGroupMayMatch(5, {{"body", Value::Text("s"), std::nullopt}}));
  // Unknown columns and unusable bounds never prune.
  EXPECT_TRUE(reader_->RowGroupMayMatch(0, {{"nope", Value::BigInt(1000), std::nullopt}}));
  EXPECT_TRUE(reader_->RowGroupMayMatch(0, {{"id", Value::Text("x"), std::nullopt}}));
  // Several ranges must all be satisfiable.
  EXPECT_FALSE(reader_->RowGroupMayMatch(
      0, {{"id", Value::BigInt(0), Value::BigInt(50)}, {"n", Value::Int(5000), std::nullopt}}));
}

}  // namespace
}  // namespace tenantdb
