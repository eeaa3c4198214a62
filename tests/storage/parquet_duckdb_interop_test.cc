// Interoperability with DuckDB (the real one, from npm): files tenantdb writes must read
// back in DuckDB with identical values, and files DuckDB writes with its defaults (and
// its V2 pages, zstd, gzip, uncompressed) must read in tenantdb identically to how
// DuckDB itself reads them.
//
// Needs node and `npm install --prefix tests/interop` (scripts/test.sh runs it).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "parquet_test_util.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"
#include "tenantdb/array.h"
#include "types/numeric.h"

#ifndef TENANTDB_SOURCE_DIR
#error "tests/CMakeLists.txt defines TENANTDB_SOURCE_DIR for storage_tests"
#endif

namespace tenantdb {
namespace {

using testing::MakeField;
using testing::MakeSchema;
using testing::TempDir;

const std::string kInteropDir = std::string(TENANTDB_SOURCE_DIR) + "/tests/interop";

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs a shell command; returns its exit status and combined output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0)
    output.append(buf, n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class DuckDbInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kInteropDir + "/node_modules/@duckdb/node-api")) {
      FAIL() << "DuckDB for the interop tests is not installed: run `npm install --prefix "
                "tests/interop` in the repository root (scripts/test.sh does this)";
    }
    auto [status, out] = RunCommand("node --version");
    if (status != 0) FAIL() << "node is not on PATH (install nodejs): " << out;
  }

  // DuckDB's reading of `path`: column types, names, and canonical text per value.
  struct DuckTable {
    std::vector<std::string> types;
    std::vector<std::string> names;
    std::vector<std::vector<std::optional<std::string>>> rows;
  };

  static std::string Unhex(const std::string& h) {
    std::string out;
    for (size_t i = 0; i + 1 < h.size(); i += 2) {
      out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
    }
    return out;
  }

  static std::vector<std::string> SplitTabs(const std::string& line) {
    std::vector<std::string> parts;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t'))
      parts.push_back(part);
    if (!line.empty() && line.back() == '\t') parts.push_back("");
    return parts;
  }

  static DuckTable DuckRead(const std::string& path) {
    DuckTable t;
    auto [status, out] =
        RunCommand("node " + ShellQuote(kInteropDir + "/duckdb_read.mjs") + " " + ShellQuote(path));
    EXPECT_EQ(status, 0) << "DuckDB could not read " << path << ":\n" << out;
    if (status != 0) return t;
    std::stringstream ss(out);
    std::string line;
    std::getline(ss, line);
    t.types = SplitTabs(line);
    std::getline(ss, line);
    for (const std::string& h : SplitTabs(line))
      t.names.push_back(Unhex(h));
    while (std::getline(ss, line)) {
      std::vector<std::optional<std::string>> row;
      for (const std::string& cell : SplitTabs(line)) {
        if (cell == "\\N") {
          row.push_back(std::nullopt);
        } else {
          row.push_back(Unhex(cell));
        }
      }
      t.rows.push_back(std::move(row));
    }
    return t;
  }

  static void DuckWrite(const std::string& path, const std::string& sql,
                        const std::string& options) {
    auto [status, out] =
        RunCommand("node " + ShellQuote(kInteropDir + "/duckdb_write.mjs") + " " +
                   ShellQuote(path) + " " + ShellQuote(sql) + " " + ShellQuote(options));
    ASSERT_EQ(status, 0) << "DuckDB could not write " << path << ":\n" << out;
  }

  // tenantdb's value in DuckDB's canonical text (floats are compared numerically).
  static std::string Canonical(const Value& v) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    switch (v.type()) {
      case DataType::kBoolean:
        return v.as_bool() ? "true" : "false";
      case DataType::kSmallInt:
      case DataType::kInt:
      case DataType::kBigInt:
      case DataType::kDate:
      case DataType::kTimestamp:
      case DataType::kTimestampTz:
        return std::to_string(v.as_int64());
      case DataType::kText:
      case DataType::kJson:
        return std::string(v.as_bytes());
      case DataType::kBytea: {
        std::string out;
        for (unsigned char c : v.as_bytes()) {
          out += kHex[c >> 4];
          out += kHex[c & 15];
        }
        return out;
      }
      case DataType::kUuid:
        return v.ToString();
      case DataType::kNumeric:  // DuckDB prints a DECIMAL with every digit of its scale
        return FormatNumeric(v.as_numeric());
      default:
        return "";
    }
  }

  // Whether DuckDB's text `duck` denotes tenantdb's value `v`.
  static bool Matches(const Value& v, const std::optional<std::string>& duck) {
    if (v.is_null() || !duck) return v.is_null() && !duck;
    if (IsFloatingPoint(v.type())) {
      double d = std::strtod(duck->c_str(), nullptr);
      double x = v.as_double();
      if (std::isnan(x) || std::isnan(d)) return std::isnan(x) && std::isnan(d);
      if (v.type() == DataType::kReal) d = static_cast<float>(d);
      return d == x && std::signbit(d) == std::signbit(x);
    }
    return Canonical(v) == *duck;
  }

  static void ExpectSame(const std::vector<Batch>& batches, const DuckTable& duck,
                         const std::string& what) {
    ASSERT_FALSE(batches.empty());
    const Schema& schema = *batches[0].schema();
    std::vector<size_t> duck_col;
    for (const Field& f : schema.fields()) {
      auto it = std::find(duck.names.begin(), duck.names.end(), f.name);
      ASSERT_NE(it, duck.names.end()) << what << ": DuckDB has no column " << f.name;
      duck_col.push_back(static_cast<size_t>(it - duck.names.begin()));
    }
    size_t row = 0;
    size_t mismatches = 0;
    for (const Batch& b : batches) {
      for (size_t r = 0; r < b.num_rows(); ++r, ++row) {
        ASSERT_LT(row, duck.rows.size()) << what << ": DuckDB has fewer rows";
        for (size_t c = 0; c < schema.num_fields(); ++c) {
          Value v = b.column(c).GetValue(r);
          const std::optional<std::string>& d = duck.rows[row][duck_col[c]];
          if (!Matches(v, d) && ++mismatches <= 10) {
            ADD_FAILURE() << what << ": row " << row << " column " << schema.field(c).name
                          << ": tenantdb " << v.ToString() << " vs DuckDB "
                          << (d ? *d : std::string("NULL"));
          }
        }
      }
    }
    EXPECT_EQ(row, duck.rows.size()) << what;
    EXPECT_EQ(mismatches, 0u) << what;
  }
};

// tenantdb's schema with edge values in every type, plus NaN and infinities.
Batch EdgeBatch(const std::shared_ptr<const Schema>& schema, size_t rows, bool nulls) {
  Batch b = testing::MakeBatch(schema, rows, nulls);
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> specials = {std::nan(""), inf, -inf, -0.0};
  for (double s : specials) {
    std::vector<Value> row;
    for (const Field& f : schema->fields()) {
      if (f.type == DataType::kReal) {
        row.push_back(Value::Real(static_cast<float>(s)));
      } else if (f.type == DataType::kDouble) {
        row.push_back(Value::Double(s));
      } else {
        row.push_back(testing::SampleValue(f.type, 3));  // the minimum-value edge row
      }
    }
    EXPECT_TRUE(b.AppendRow(row).ok());
  }
  return b;
}

struct WriteCase {
  ParquetCompression compression;
  bool nullable;
  bool dictionary;
  bool v2 = false;
};

TEST_F(DuckDbInterop, DuckDbReadsWhatTenantdbWrites) {
  const std::map<DataType, std::string> kDuckTypes = {
      {DataType::kBoolean, "BOOLEAN"},     {DataType::kSmallInt, "SMALLINT"},
      {DataType::kInt, "INTEGER"},         {DataType::kBigInt, "BIGINT"},
      {DataType::kReal, "FLOAT"},          {DataType::kDouble, "DOUBLE"},
      {DataType::kText, "VARCHAR"},        {DataType::kBytea, "BLOB"},
      {DataType::kJson, "JSON"},           {DataType::kDate, "DATE"},
      {DataType::kTimestamp, "TIMESTAMP"}, {DataType::kTimestampTz, "TIMESTAMP WITH TIME ZONE"},
      {DataType::kUuid, "UUID"},           {DataType::kNumeric, "DECIMAL(38,4)"}};
  TempDir dir;
  std::vector<WriteCase> cases = {{ParquetCompression::kZstd, true, true},
                                  {ParquetCompression::kSnappy, true, true},
                                  {ParquetCompression::kNone, true, false},
                                  {ParquetCompression::kZstd, false, true},
                                  {ParquetCompression::kSnappy, true, true, true},
                                  {ParquetCompression::kNone, false, false, true}};
  for (size_t i = 0; i < cases.size(); ++i) {
    const WriteCase& wc = cases[i];
    auto schema = testing::AllTypesSchema(wc.nullable, /*with_interval=*/false);
    Batch batch = EdgeBatch(schema, 2500, wc.nullable);
    ParquetWriterOptions options;
    options.compression = wc.compression;
    options.row_group_rows = 1000;
    options.page_bytes = 8192;
    options.dictionary_encoding = wc.dictionary;
    options.data_page_v2 = wc.v2;
    options.dictionary_max_bytes = 300;  // TEXT falls back to PLAIN mid-chunk
    std::string path = dir.File("tdb" + std::to_string(i) + ".parquet");
    auto writer = ParquetWriter::Open(path, schema, options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->Write(batch).ok());
    ASSERT_TRUE((*writer)->Close().ok());
    ASSERT_EQ((*writer)->row_groups_written(), 3u);

    DuckTable duck = DuckRead(path);
    ASSERT_EQ(duck.types.size(), schema->num_fields()) << path;
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      EXPECT_EQ(duck.types[c], kDuckTypes.at(schema->field(c).type)) << schema->field(c).name;
      EXPECT_EQ(duck.names[c], schema->field(c).name);
    }
    ExpectSame({batch}, duck, "case " + std::to_string(i));
  }
}

// NUMERIC(p,s) is DECIMAL(p,s) on INT32, INT64 or FIXED_LEN_BYTE_ARRAY(16) by precision, and
// unconstrained NUMERIC is its text: DuckDB reads each as the same number, and tenantdb
// reads each back as the NUMERIC it wrote.
TEST_F(DuckDbInterop, DuckDbReadsNumericAsDecimal) {
  std::vector<Field> fields = {
      MakeField("n9", DataType::kNumeric), MakeField("n18", DataType::kNumeric),
      MakeField("n38", DataType::kNumeric), MakeField("n", DataType::kNumeric)};
  const int precision[] = {9, 18, 38, 0}, scale[] = {2, 3, 10, 0};
  for (size_t c = 0; c < 4; ++c) {
    fields[c].numeric_precision = static_cast<uint8_t>(precision[c]);
    fields[c].numeric_scale = static_cast<uint8_t>(scale[c]);
  }
  auto schema = MakeSchema(fields);
  Batch batch(schema);
  for (int64_t i = 0; i < 1500; ++i) {
    const __int128 sign = i % 2 ? -1 : 1;
    std::vector<Value> row = {
        Value::FromNumeric(Numeric{sign * (i * 123457 % 999999999), 2}),
        Value::FromNumeric(Numeric{sign * (i * 998244353 % 999999999999999999), 3}),
        Value::FromNumeric(Numeric{sign * (NumericPow10(37) + i * 1000000007), 10}),
        Value::FromNumeric(Numeric{sign * i * 25, static_cast<int32_t>(i % 4)})};
    if (i % 7 == 0) row[static_cast<size_t>(i % 4)] = Value::Null(DataType::kNumeric);
    ASSERT_TRUE(batch.AppendRow(row).ok());
  }
  TempDir dir;
  const std::string path = dir.File("numeric.parquet");
  ParquetWriterOptions options;
  options.row_group_rows = 1000;
  auto writer = ParquetWriter::Open(path, schema, options);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());

  DuckTable duck = DuckRead(path);
  EXPECT_EQ(duck.types, (std::vector<std::string>{"DECIMAL(9,2)", "DECIMAL(18,3)", "DECIMAL(38,10)",
                                                  "VARCHAR"}));
  ExpectSame({batch}, duck, "NUMERIC columns");

  auto reader = ParquetReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->schema()->fields(), schema->fields());
  auto batches = (*reader)->Read(schema);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  size_t row = 0;
  for (const Batch& b : *batches) {
    for (size_t r = 0; r < b.num_rows(); ++r, ++row) {
      for (size_t c = 0; c < 4; ++c) {
        EXPECT_EQ(b.column(c).GetValue(r), batch.column(c).GetValue(row)) << row << "," << c;
      }
    }
  }
  EXPECT_EQ(row, 1500u);
}

TEST_F(DuckDbInterop, DuckDbReadsArraysAsPostgresText) {
  auto schema = MakeSchema(
      {MakeField("n", ArrayOf(DataType::kInt)), MakeField("tags", ArrayOf(DataType::kText))});
  Batch batch(schema);
  for (int32_t i = 0; i < 50; ++i) {
    const Value n[] = {Value::Int(i), Value::Null(DataType::kInt), Value::Int(-i)};
    const Value t[] = {Value::Text("a b"), Value::Text("q\"" + std::to_string(i))};
    ASSERT_TRUE(batch
                    .AppendRow({i % 5 == 0 ? Value::Null(ArrayOf(DataType::kInt))
                                           : MakeArrayValue(DataType::kInt, n),
                                MakeArrayValue(DataType::kText, t)})
                    .ok());
  }
  TempDir dir;
  const std::string path = dir.File("arrays.parquet");
  auto writer = ParquetWriter::Open(path, schema);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)->Write(batch).ok());
  ASSERT_TRUE((*writer)->Close().ok());

  // Other readers see PostgreSQL's array text in a string column.
  DuckTable duck = DuckRead(path);
  EXPECT_EQ(duck.types, (std::vector<std::string>{"VARCHAR", "VARCHAR"}));
  ASSERT_EQ(duck.rows.size(), 50u);
  for (size_t r = 0; r < 50; ++r) {
    for (size_t c = 0; c < 2; ++c) {
      const Value v = batch.column(c).GetValue(r);
      const std::optional<std::string>& d = duck.rows[r][c];
      EXPECT_EQ(d.has_value(), !v.is_null()) << r << "," << c;
      if (d.has_value() && !v.is_null()) {
        EXPECT_EQ(*d, v.ToString()) << r << "," << c;
      }
    }
  }
}

TEST_F(DuckDbInterop, AllNullColumnsAndEmptyFiles) {
  TempDir dir;
  auto schema = testing::AllTypesSchema(true);
  Batch nulls(schema);
  for (int r = 0; r < 50; ++r) {
    std::vector<Value> row;
    for (const Field& f : schema->fields())
      row.push_back(Value::Null(f.type));
    ASSERT_TRUE(nulls.AppendRow(row).ok());
  }
  for (bool v2 : {false, true}) {
    ParquetWriterOptions options;
    options.data_page_v2 = v2;
    std::string path = dir.File(v2 ? "nulls2.parquet" : "nulls.parquet");
    auto writer = ParquetWriter::Open(path, schema, options);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(nulls).ok());
    ASSERT_TRUE((*writer)->Close().ok());
    ExpectSame({nulls}, DuckRead(path), path);
  }
  std::string empty = dir.File("empty.parquet");
  auto writer = ParquetWriter::Open(empty, schema);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Close().ok());
  DuckTable duck = DuckRead(empty);
  EXPECT_EQ(duck.types.size(), schema->num_fields());
  EXPECT_TRUE(duck.rows.empty());
}

TEST_F(DuckDbInterop, DuckDbUsesTenantdbStatisticsAndMetadata) {
  TempDir dir;
  auto schema = MakeSchema({MakeField("id", DataType::kBigInt, false),
                            MakeField("t", DataType::kText), MakeField("long", DataType::kText)});
  Batch b(schema);
  // `long` values exceed the statistics limit, so their bounds are shortened: DuckDB's
  // filter pushdown must still find every row.
  const std::string prefix(100, 'a');
  for (int64_t i = 0; i < 3000; ++i) {
    ASSERT_TRUE(b.AppendRow({Value::BigInt(i), Value::Text("t" + std::to_string(i % 10)),
                             Value::Text(prefix + "\xc3\xa9" + std::to_string(i % 10))})
                    .ok());
  }
  ParquetWriterOptions options;
  options.row_group_rows = 1000;
  options.key_value_metadata = {{"tenantdb.schema_version", "3"}};
  std::string path = dir.File("s.parquet");
  auto writer = ParquetWriter::Open(path, schema, options);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Write(b).ok());
  ASSERT_TRUE((*writer)->Close().ok());
  std::string script = R"js(
import { DuckDBInstance } from '@duckdb/node-api';
const c = await (await DuckDBInstance.create(':memory:')).connect();
const f = process.argv[2];
const long9 = process.argv[3];
const q = async (sql) => (await c.runAndReadAll(sql)).getRows();
const out = {
  stats: await q(`SELECT row_group_id, stats_min_value, stats_max_value, stats_null_count
                  FROM parquet_metadata('${f}') WHERE path_in_schema = 'id' ORDER BY 1`),
  kv: await q(`SELECT decode(key), decode(value) FROM parquet_kv_metadata('${f}')`),
  between: await q(`SELECT count(*) FROM read_parquet('${f}') WHERE id BETWEEN 999 AND 1000`),
  long: await q(`SELECT count(*) FROM read_parquet('${f}') WHERE long = '${long9}'`),
  longmax: await q(`SELECT count(*) FROM read_parquet('${f}') WHERE long >= '${long9}'`),
};
console.log(JSON.stringify(out, (_, v) => typeof v === 'bigint' ? Number(v) : v));
)js";
  // In the interop directory so node resolves @duckdb/node-api; unique per process.
  std::string script_path = kInteropDir + "/.stats_probe_" + std::to_string(getpid()) + ".mjs";
  {
    FILE* f = fopen(script_path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(script.c_str(), f);
    fclose(f);
  }
  auto [status, out] = RunCommand("node " + ShellQuote(script_path) + " " + ShellQuote(path) + " " +
                                  ShellQuote(prefix + "\xc3\xa9" + "9"));
  std::remove(script_path.c_str());
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("[0,\"0\",\"999\",0]"), std::string::npos) << out;
  EXPECT_NE(out.find("[2,\"2000\",\"2999\",0]"), std::string::npos) << out;
  EXPECT_NE(out.find("[\"tenantdb.schema_version\",\"3\"]"), std::string::npos) << out;
  EXPECT_NE(out.find("\"between\":[[2]]"), std::string::npos) << out;
  EXPECT_NE(out.find("\"long\":[[300]]"), std::string::npos) << out;
  EXPECT_NE(out.find("\"longmax\":[[300]]"), std::string::npos) << out;
}

// Every DuckDB type that maps to a tenantdb type, with NULLs and edge values.
const char* const kDuckAllTypesSql = R"sql(
SELECT
  CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END AS c_bool,
  CASE WHEN i % 5 = 1 THEN NULL WHEN i % 7 = 0 THEN -32768 WHEN i % 7 = 1 THEN 32767
       ELSE (i * 37) % 30000 END::SMALLINT AS c_smallint,
  CASE WHEN i % 5 = 2 THEN NULL WHEN i % 7 = 0 THEN -2147483648 WHEN i % 7 = 1 THEN 2147483647
       ELSE i * 1001 - 777777 END::INTEGER AS c_int,
  CASE WHEN i % 5 = 3 THEN NULL WHEN i % 7 = 0 THEN -9223372036854775808
       WHEN i % 7 = 1 THEN 9223372036854775807 ELSE i * 1000000007 END::BIGINT AS c_bigint,
  CASE WHEN i % 5 = 4 THEN NULL WHEN i % 9 = 0 THEN 'nan'::REAL WHEN i % 9 = 1 THEN 'inf'::REAL
       WHEN i % 9 = 2 THEN '-inf'::REAL WHEN i % 9 = 3 THEN '-0.0'::REAL ELSE (i / 7.0)::REAL END AS c_real,
  CASE WHEN i % 5 = 0 THEN NULL WHEN i % 9 = 0 THEN 'nan'::DOUBLE WHEN i % 9 = 1 THEN 'inf'::DOUBLE
       WHEN i % 9 = 2 THEN '-inf'::DOUBLE WHEN i % 9 = 3 THEN 1e308 ELSE i / 7.0 END::DOUBLE AS c_double,
  CASE WHEN i % 5 = 1 THEN NULL WHEN i % 6 = 0 THEN '' WHEN i % 6 = 1 THEN 'héllo ✓ 日本 🚀'
       ELSE 'v' || (i % 50) END AS c_text,
  'unique-' || i || repeat('x', i % 20) AS c_text_unique,
  CASE WHEN i % 5 = 2 THEN NULL WHEN i % 4 = 0 THEN ''::BLOB
       ELSE ('\x00\xFF' || (i % 100)::VARCHAR)::BLOB END AS c_bytea,
  CASE WHEN i % 5 = 3 THEN NULL ELSE ('{"i":' || i || ',"s":"ü"}')::JSON END AS c_json,
  CASE WHEN i % 5 = 4 THEN NULL WHEN i % 7 = 0 THEN DATE '0001-01-01'
       WHEN i % 7 = 1 THEN DATE '9999-12-31' ELSE DATE '1970-01-01' + (i * 3 - 4000)::INTEGER END AS c_date,
  CASE WHEN i % 5 = 0 THEN NULL WHEN i % 7 = 0 THEN TIMESTAMP '0001-01-01 00:00:00'
       WHEN i % 7 = 1 THEN TIMESTAMP '9999-12-31 23:59:59.999999'
       ELSE make_timestamp(i * 1000000003 - 500000000000) END AS c_timestamp,
  CASE WHEN i % 5 = 1 THEN NULL ELSE make_timestamp(i * 1000003)::TIMESTAMPTZ END AS c_timestamptz,
  CASE WHEN i % 5 = 2 THEN NULL WHEN i % 7 = 0 THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::UUID
       ELSE ('00000000-0000-4000-8000-' || lpad(i::VARCHAR, 12, '0'))::UUID END AS c_uuid,
  (i % 100 - 50)::TINYINT AS c_tinyint,
  (i % 200)::UTINYINT AS c_utinyint,
  (i * 13 % 65536)::USMALLINT AS c_usmallint,
  (4294967295 - i)::UINTEGER AS c_uinteger,
  (i * 1.25)::DECIMAL(10, 2) AS c_decimal,
  CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 3) END::INTEGER AS c_int_lowcard,
  (i % 4)::DOUBLE / 2 AS c_double_lowcard,
  (i % 5)::REAL AS c_real_lowcard,
  DATE '2024-01-01' + (i % 4)::INTEGER AS c_date_lowcard,
  CASE WHEN i % 5 = 3 THEN NULL
       ELSE make_timestamp(i * 1000000 - 1500000000)::TIMESTAMP_MS END AS c_ts_ms,
  CASE WHEN i % 5 = 4 THEN NULL
       ELSE make_timestamp(i * 999 - 1500000)::TIMESTAMP_NS END AS c_ts_ns,
  i::BIGINT AS c_id
FROM range(3000) t(i)
)sql";

TEST_F(DuckDbInterop, TenantdbReadsWhatDuckDbWrites) {
  const std::map<std::string, DataType> kExpected = {{"c_bool", DataType::kBoolean},
                                                     {"c_smallint", DataType::kSmallInt},
                                                     {"c_int", DataType::kInt},
                                                     {"c_bigint", DataType::kBigInt},
                                                     {"c_real", DataType::kReal},
                                                     {"c_double", DataType::kDouble},
                                                     {"c_text", DataType::kText},
                                                     {"c_text_unique", DataType::kText},
                                                     {"c_bytea", DataType::kBytea},
                                                     {"c_json", DataType::kJson},
                                                     {"c_date", DataType::kDate},
                                                     {"c_timestamp", DataType::kTimestamp},
                                                     {"c_timestamptz", DataType::kTimestampTz},
                                                     {"c_uuid", DataType::kUuid},
                                                     {"c_tinyint", DataType::kSmallInt},
                                                     {"c_utinyint", DataType::kSmallInt},
                                                     {"c_usmallint", DataType::kInt},
                                                     {"c_uinteger", DataType::kBigInt},
                                                     {"c_int_lowcard", DataType::kInt},
                                                     {"c_double_lowcard", DataType::kDouble},
                                                     {"c_real_lowcard", DataType::kReal},
                                                     {"c_date_lowcard", DataType::kDate},
                                                     {"c_ts_ms", DataType::kTimestamp},
                                                     {"c_ts_ns", DataType::kTimestamp},
                                                     {"c_id", DataType::kBigInt},
                                                     {"c_decimal", DataType::kNumeric}};
  const std::vector<std::string> variants = {
      "",  // DuckDB's defaults: snappy, data page v1, PLAIN and dictionary
      "COMPRESSION zstd, ROW_GROUP_SIZE 1000",
      "COMPRESSION gzip",
      "COMPRESSION uncompressed, ROW_GROUP_SIZE 700",
      "PARQUET_VERSION V2",
      "PARQUET_VERSION V2, COMPRESSION zstd, ROW_GROUP_SIZE 1000",
      "PARQUET_VERSION V2, COMPRESSION uncompressed",
  };
  TempDir dir;
  for (size_t v = 0; v < variants.size(); ++v) {
    SCOPED_TRACE("DuckDB COPY options: " + variants[v]);
    std::string path = dir.File("duck" + std::to_string(v) + ".parquet");
    DuckWrite(path, kDuckAllTypesSql, variants[v]);
    auto reader = ParquetReader::Open(path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    const Schema& schema = *(*reader)->schema();
    ASSERT_EQ(schema.num_fields(), kExpected.size()) << schema.ToString();
    for (const Field& f : schema.fields()) {
      ASSERT_TRUE(kExpected.count(f.name)) << f.name;
      EXPECT_EQ(f.type, kExpected.at(f.name)) << f.name;
    }
    auto batches = (*reader)->Read((*reader)->schema());
    ASSERT_TRUE(batches.ok()) << batches.status().ToString();
    size_t rows = 0;
    for (const Batch& b : *batches)
      rows += b.num_rows();
    EXPECT_EQ(rows, 3000u);
    ExpectSame(*batches, DuckRead(path), variants[v]);

    // DuckDB's DECIMAL(10,2) (INT64) is NUMERIC(10,2), compared digit for digit above.
    const Field& decimal = schema.field(*schema.FieldIndex("c_decimal"));
    EXPECT_EQ(decimal.numeric_precision, 10);
    EXPECT_EQ(decimal.numeric_scale, 2);

    // DuckDB's statistics prune row groups.
    if ((*reader)->num_row_groups() > 1) {
      EXPECT_FALSE((*reader)->RowGroupMayMatch(0, {{"c_id", Value::BigInt(2990), std::nullopt}}));
      EXPECT_TRUE((*reader)->RowGroupMayMatch((*reader)->num_row_groups() - 1,
                                              {{"c_id", Value::BigInt(2990), std::nullopt}}));
    }
  }
}

}  // namespace
}  // namespace tenantdb
