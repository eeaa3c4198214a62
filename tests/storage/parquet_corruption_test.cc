// Damaged files: truncated, garbage, bit flips. The reader must answer kCorruption (or
// another clean error), never crash or read out of bounds (the suite runs under ASan).
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "parquet_test_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"

namespace tenantdb {
namespace {

using testing::TempDir;

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Opens and fully reads `path`; returns the first error (OK if all of it read).
Status OpenAndReadAll(const std::string& path) {
  auto reader = ParquetReader::Open(path);
  if (!reader.ok()) return reader.status();
  auto batches = (*reader)->Read((*reader)->schema());
  if (!batches.ok()) return batches.status();
  return Status::Ok();
}

class ParquetCorruption : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = testing::AllTypesSchema(true);
    Batch b = testing::MakeBatch(schema, 300, true);
    ParquetWriterOptions options;
    options.row_group_rows = 100;
    options.page_bytes = 512;
    options.compression = ParquetCompression::kNone;  // flips hit the encodings directly
    path_ = dir_.File("good.parquet");
    auto w = ParquetWriter::Open(path_, schema, options);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Close().ok());
    good_ = ReadBytes(path_);
    ASSERT_TRUE(OpenAndReadAll(path_).ok());
  }

  TempDir dir_;
  std::string path_;
  std::string good_;
};

TEST_F(ParquetCorruption, TooSmallOrWrongMagic) {
  std::string p = dir_.File("bad.parquet");
  for (std::string bytes : {std::string(), std::string("PAR1"), std::string("PAR1PAR1"),
                            std::string(100, 'x'), "PAR1" + std::string(100, '\0') + "PAR1"}) {
    WriteBytes(p, bytes);
    Status s = OpenAndReadAll(p);
    EXPECT_EQ(s.code(), ErrorCode::kCorruption) << s.ToString();
    EXPECT_NE(s.message().find(p), std::string_view::npos) << s.ToString();
  }
  EXPECT_EQ(ParquetReader::Open(dir_.File("missing.parquet")).status().code(), ErrorCode::kIoError);
}

TEST_F(ParquetCorruption, EveryTruncationFailsCleanly) {
  std::string p = dir_.File("cut.parquet");
  // Every length near the end (the footer) and a stride through the data.
  for (size_t len = 0; len < good_.size(); len += (len + 600 > good_.size() ? 1 : 97)) {
    WriteBytes(p, good_.substr(0, len));
    Status s = OpenAndReadAll(p);
    ASSERT_FALSE(s.ok()) << "a file cut to " << len << " bytes read";
    EXPECT_EQ(s.code(), ErrorCode::kCorruption) << s.ToString();
  }
}

TEST_F(ParquetCorruption, FileWrittenWithoutCloseIsRejected) {
  std::string p = dir_.File("unclosed.parquet");
  {
    auto w = ParquetWriter::Open(p, testing::AllTypesSchema(true));
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Write(testing::MakeBatch(testing::AllTypesSchema(true), 10, true)).ok());
  }  // destroyed without Close
  Status s = OpenAndReadAll(p);
  EXPECT_EQ(s.code(), ErrorCode::kCorruption) << s.ToString();
}

TEST_F(ParquetCorruption, RandomByteFlipsNeverCrash) {
  std::string p = dir_.File("flip.parquet");
  std::mt19937 rng(1234);
  int errors = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bad = good_;
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int f = 0; f < flips; ++f) {
      size_t pos = trial % 2 == 0 ? bad.size() - 9 - rng() % std::min<size_t>(bad.size() - 9, 3000)
                                  : 4 + rng() % (bad.size() - 12);
      bad[pos] = static_cast<char>(rng());
    }
    WriteBytes(p, bad);
    Status s = OpenAndReadAll(p);
    if (!s.ok()) {
      ++errors;
      EXPECT_TRUE(s.code() == ErrorCode::kCorruption || s.code() == ErrorCode::kInvalidArgument ||
                  s.code() == ErrorCode::kTypeMismatch)
          << s.ToString();
    }
  }
  EXPECT_GT(errors, 0);
}

TEST_F(ParquetCorruption, RandomByteFlipsInCompressedDictionaryAndV2FilesNeverCrash) {
  auto schema = testing::AllTypesSchema(true);
  Batch b = testing::MakeBatch(schema, 300, true);
  std::mt19937 rng(99);
  int variant = 0;
  for (ParquetCompression comp : {ParquetCompression::kZstd, ParquetCompression::kSnappy}) {
    for (bool v2 : {false, true}) {
      ParquetWriterOptions options;
      options.row_group_rows = 150;
      options.page_bytes = 700;
      options.compression = comp;
      options.data_page_v2 = v2;
      std::string p = dir_.File("v" + std::to_string(variant++) + ".parquet");
      auto w = ParquetWriter::Open(p, schema, options);
      ASSERT_TRUE(w.ok());
      ASSERT_TRUE((*w)->Write(b).ok());
      ASSERT_TRUE((*w)->Close().ok());
      std::string good = ReadBytes(p);
      ASSERT_TRUE(OpenAndReadAll(p).ok());
      for (int trial = 0; trial < 150; ++trial) {
        std::string bad = good;
        int flips = 1 + static_cast<int>(rng() % 6);
        for (int f = 0; f < flips; ++f)
          bad[4 + rng() % (bad.size() - 12)] = static_cast<char>(rng());
        WriteBytes(p, bad);
        Status s = OpenAndReadAll(p);
        if (!s.ok()) {
          EXPECT_TRUE(s.code() == ErrorCode::kCorruption ||
                      s.code() == ErrorCode::kInvalidArgument ||
                      s.code() == ErrorCode::kTypeMismatch)
              << s.ToString();
        }
      }
    }
  }
}

TEST_F(ParquetCorruption, FooterLengthPointingOutsideTheFile) {
  std::string bad = good_;
  uint32_t huge = 0x7fffffff;
  std::memcpy(bad.data() + bad.size() - 8, &huge, 4);
  std::string p = dir_.File("len.parquet");
  WriteBytes(p, bad);
  Status s = OpenAndReadAll(p);
  EXPECT_EQ(s.code(), ErrorCode::kCorruption);
  EXPECT_NE(s.message().find("footer length"), std::string_view::npos) << s.ToString();
}

}  // namespace
}  // namespace tenantdb
