// COPY with FORMAT parquet (engine/statement_handlers/copy_parquet.h) through sessions:
// every column type round-trips through COPY TO and COPY FROM, the files read back with
// read_parquet and ParquetReader, COPY (query) TO and column lists, and the errors —
// roles other than dba / system refused, STDIN / STDOUT refused, a file whose columns do
// not match (named), a value that does not fit its column (row and column named), text
// options with parquet — each leaving the table as it was, however far the load got.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"

namespace tenantdb {
namespace {

constexpr const char* kAllTypes =
    "(id INT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INT, big BIGINT, r REAL, d DOUBLE PRECISION, "
    "t TEXT, by BYTEA, dt DATE, ts TIMESTAMP, tz TIMESTAMPTZ, j JSON, u UUID, iv INTERVAL)";

class CopyParquetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_copy_parquet_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "files");
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open((dir_ / "data").string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Query(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c)
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      out += "\n";
    }
    return out.empty() ? r->command_tag : out;
  }
  std::string Query(const std::string& sql) { return Query(*root_, sql); }
  std::string Path(const std::string& name) { return (dir_ / "files" / name).string(); }

  // Writes `rows` of `fields` to files/<name> in row groups of `group_rows`.
  void WriteFile(const std::string& name, const std::vector<Field>& fields,
                 const std::vector<std::vector<Value>>& rows, size_t group_rows = 1024) {
    auto schema = std::make_shared<const Schema>(fields, SchemaMetadata());
    ParquetWriterOptions options;
    options.row_group_rows = group_rows;
    auto writer = ParquetWriter::Open(Path(name), schema, options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    Batch batch(schema);
    for (const auto& row : rows)
      ASSERT_TRUE(batch.AppendRow(row).ok());
    ASSERT_TRUE((*writer)->Write(batch).ok());
    ASSERT_TRUE((*writer)->Close().ok());
  }

  void CreateAllTypes(const std::string& table) {
    ASSERT_EQ(Query("CREATE TABLE " + table + " " + kAllTypes), "CREATE TABLE");
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(CopyParquetTest, EveryColumnTypeRoundTripsThroughAFile) {
  CreateAllTypes("src");
  ASSERT_EQ(Query("INSERT INTO src VALUES "
                  "(1, true, -32768, 2147483647, -9223372036854775808, 1.5, -2.25e300, "
                  "'héllo, \"world\"', '\\x00ff10', '2024-02-29', '2024-01-31 10:11:12.123456', "
                  "'1969-12-31 23:59:59.5+00', '{\"a\": [1, null]}', "
                  "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 year 2 mons -3 days 04:05:06.5'), "
                  "(2, false, 0, 0, 0, 'NaN', 'Infinity', '', '\\x', '0001-01-01', "
                  "'2000-01-01 00:00:00', '2262-04-11 23:47:16+00', '[]', "
                  "'00000000-0000-0000-0000-000000000000', '-1 mon'), "
                  "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                  "NULL, NULL)"),
            "INSERT 0 3");
  const std::string file = Path("all.parquet");
  EXPECT_EQ(Query("COPY src TO '" + file + "' (FORMAT parquet)"), "COPY 3");

  // The file is Parquet with the table's columns and types.
  auto reader = ParquetReader::Open(file);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->num_rows(), 3);
  auto table = root_->Execute("SELECT * FROM src LIMIT 0");
  ASSERT_TRUE(table.ok());
  const Schema& read = *(*reader)->schema();
  ASSERT_EQ(read.num_fields(), 15u);
  for (size_t i = 0; i < read.num_fields(); ++i) {
    EXPECT_EQ(read.field(i).name, table->schema->field(i).name);
    EXPECT_EQ(read.field(i).type, table->schema->field(i).type) << read.field(i).name;
  }

  const std::string want = Query("SELECT * FROM src ORDER BY id");
  ASSERT_EQ(want.substr(0, 2), "1|");
  EXPECT_EQ(Query("SELECT * FROM read_parquet('" + file + "') ORDER BY id"), want);

  CreateAllTypes("dst");
  EXPECT_EQ(Query("COPY dst FROM '" + file + "' (FORMAT parquet)"), "COPY 3");
  EXPECT_EQ(Query("SELECT * FROM dst ORDER BY id"), want);
  // Equal values, not just equal text.
  EXPECT_EQ(Query("SELECT count(*) FROM src JOIN dst USING (id) WHERE src.iv = dst.iv AND "
                  "src.tz = dst.tz AND src.u = dst.u AND src.by = dst.by AND src.r = dst.r"),
            "2\n");
}

TEST_F(CopyParquetTest, CopiesAQueryAndColumnLists) {
  ASSERT_EQ(Query("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION)"),
            "CREATE TABLE");
  ASSERT_EQ(Query("INSERT INTO t SELECT g, 'n' || g, g / 4.0 FROM generate_series(1, 5000) g"),
            "INSERT 0 5000");
  const std::string q = Path("q.parquet");
  EXPECT_EQ(Query("COPY (SELECT id * 2 AS twice, name FROM t WHERE id % 1000 = 0 ORDER BY id) "
                  "TO '" +
                  q + "' (FORMAT parquet)"),
            "COPY 5");
  EXPECT_EQ(Query("SELECT * FROM read_parquet('" + q + "')"),
            "2000|n1000\n4000|n2000\n6000|n3000\n8000|n4000\n10000|n5000\n");

  // An empty result is a file with no rows.
  const std::string empty = Path("empty.parquet");
  EXPECT_EQ(Query("COPY (SELECT id FROM t WHERE false) TO '" + empty + "' (FORMAT parquet)"),
            "COPY 0");
  EXPECT_EQ(Query("SELECT count(*) FROM read_parquet('" + empty + "')"), "0\n");

  // COPY t (cols) TO writes those columns; COPY t (cols) FROM fills the rest by default.
  const std::string part = Path("part.parquet");
  EXPECT_EQ(Query("COPY t (name, id) TO '" + part + "' (FORMAT parquet)"), "COPY 5000");
  ASSERT_EQ(Query("CREATE TABLE u (id BIGINT PRIMARY KEY, name TEXT, score DOUBLE PRECISION "
                  "DEFAULT -1)"),
            "CREATE TABLE");
  EXPECT_EQ(Query("COPY u (id, name) FROM '" + part + "' (FORMAT parquet)"), "COPY 5000");
  EXPECT_EQ(Query("SELECT count(*), sum(id), min(score), max(name) FROM u"),
            "5000|12502500|-1|n999\n");

  // Narrower and differently named types: BIGINT into INT by assignment cast, a file
  // column "ID" into id.
  WriteFile("narrow.parquet",
            {Field{"ID", DataType::kBigInt, false, false, ""},
             Field{"v", DataType::kInt, true, false, ""}},
            {{Value::BigInt(1), Value::Int(7)}, {Value::BigInt(2), Value::Null(DataType::kInt)}});
  ASSERT_EQ(Query("CREATE TABLE narrow (id INT PRIMARY KEY, v TEXT)"), "CREATE TABLE");
  EXPECT_EQ(Query("COPY narrow FROM '" + Path("narrow.parquet") + "' (FORMAT parquet)"), "COPY 2");
  EXPECT_EQ(Query("SELECT id, v, v IS NULL FROM narrow ORDER BY id"), "1|7|f\n2|NULL|t\n");
}

TEST_F(CopyParquetTest, OnlyDbaAndSystemRolesUseServerFiles) {
  ASSERT_EQ(Query("CREATE TABLE s (id INT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED', "
                  "ACCESS_LEVEL = 'PUBLIC')"),
            "CREATE TABLE");
  ASSERT_EQ(Query("INSERT INTO s VALUES (1, 'a')"), "INSERT 0 1");
  const std::string file = Path("s.parquet");
  EXPECT_EQ(Query("COPY s TO '" + file + "' (FORMAT parquet)"), "COPY 1");
  for (Role role : {Role::kUser, Role::kService}) {
    EngineSession s(db_.get(), UserId::Make("alice").value(), role);
    const std::string other = Path("other.parquet");
    EXPECT_EQ(Query(s, "COPY s TO '" + other + "' (FORMAT parquet)").substr(0, 40),
              "ERROR insufficient_privilege: permission");
    EXPECT_FALSE(std::filesystem::exists(other));
    EXPECT_EQ(Query(s, "COPY s FROM '" + file + "' (FORMAT parquet)").substr(0, 40),
              "ERROR insufficient_privilege: permission");
  }
  EngineSession dba(db_.get(), UserId::Make("dan").value(), Role::kDba);
  EXPECT_EQ(Query(dba, "COPY (SELECT 1 AS one) TO '" + Path("dba.parquet") + "' (FORMAT parquet)"),
            "COPY 1");
  EXPECT_EQ(Query("SELECT count(*) FROM s"), "1\n");
}

TEST_F(CopyParquetTest, StdinAndStdoutAreRefused) {
  ASSERT_EQ(Query("CREATE TABLE t (id INT PRIMARY KEY)"), "CREATE TABLE");
  for (const std::string sql :
       {"COPY t FROM STDIN (FORMAT parquet)", "COPY t TO STDOUT (FORMAT parquet)",
        "COPY (SELECT 1) TO STDOUT WITH (FORMAT parquet)"}) {
    auto r = root_->Open(sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.status().code(), ErrorCode::kFeatureNotSupported) << sql;
    EXPECT_EQ(r.status().sqlstate(), "0A000");
    EXPECT_NE(r.status().message().find("FORMAT parquet"), std::string::npos);
  }
  EXPECT_EQ(Query("COPY t TO '" + Path("x.parquet") + "' (FORMAT parquet, HEADER)").substr(0, 60),
            "ERROR invalid_argument: cannot specify DELIMITER, NULL, HEAD");
}

TEST_F(CopyParquetTest, AFileWhoseColumnsDoNotMatchIsNamed) {
  ASSERT_EQ(Query("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, at TIMESTAMP)"), "CREATE TABLE");
  ASSERT_EQ(Query("INSERT INTO t VALUES (100, 'kept', NULL)"), "INSERT 0 1");
  const std::vector<Value> row = {Value::Int(1), Value::Text("x")};
  WriteFile("missing.parquet",
            {Field{"id", DataType::kInt, false, false, ""},
             Field{"name", DataType::kText, true, false, ""}},
            {row});
  EXPECT_EQ(Query("COPY t FROM '" + Path("missing.parquet") + "' (FORMAT parquet)"),
            "ERROR undefined_column: COPY t: column \"at\" is not in the Parquet file \"" +
                Path("missing.parquet") + "\" (its columns: id, name)");
  // Listing the columns the file has loads it.
  EXPECT_EQ(Query("COPY t (id, name) FROM '" + Path("missing.parquet") + "' (FORMAT parquet)"),
            "COPY 1");

  WriteFile("extra.parquet",
            {Field{"id", DataType::kInt, false, false, ""},
             Field{"name", DataType::kText, true, false, ""},
             Field{"colour", DataType::kText, true, false, ""}},
            {{Value::Int(2), Value::Text("y"), Value::Text("red")}});
  const std::string extra =
      Query("COPY t (id, name) FROM '" + Path("extra.parquet") + "' (FORMAT parquet)");
  EXPECT_EQ(extra.substr(0, 23), "ERROR invalid_argument:") << extra;
  EXPECT_NE(extra.find("has a column \"colour\""), std::string::npos) << extra;

  WriteFile("types.parquet",
            {Field{"id", DataType::kInt, false, false, ""},
             Field{"name", DataType::kText, true, false, ""},
             Field{"at", DataType::kBytea, true, false, ""}},
            {{Value::Int(3), Value::Text("z"), Value::Bytea("\x01")}});
  EXPECT_EQ(Query("COPY t FROM '" + Path("types.parquet") + "' (FORMAT parquet)"),
            "ERROR type_mismatch: COPY t: column \"at\" is of type timestamp without time zone "
            "but the Parquet file \"" +
                Path("types.parquet") + "\" holds bytea");

  std::ofstream(Path("not.parquet")) << "id,name\n1,x\n";
  EXPECT_EQ(Query("COPY t FROM '" + Path("not.parquet") + "' (FORMAT parquet)").substr(0, 22),
            "ERROR data_corrupted: ");
  EXPECT_EQ(Query("COPY t FROM '" + Path("absent.parquet") + "' (FORMAT parquet)").substr(0, 15),
            "ERROR io_error:");
  // Two columns of one name would leave one unreadable by name.
  EXPECT_EQ(Query("COPY (SELECT 1 AS a, 2 AS a) TO '" + Path("dup.parquet") + "' (FORMAT parquet)")
                .substr(0, 24),
            "ERROR duplicate_column: ");
  EXPECT_FALSE(std::filesystem::exists(Path("dup.parquet")));
  EXPECT_EQ(Query("SELECT id, name FROM t ORDER BY id"), "1|x\n100|kept\n");
}

TEST_F(CopyParquetTest, AFailingRowLoadsNothing) {
  ASSERT_EQ(Query("CREATE TABLE t (id INT PRIMARY KEY, v SMALLINT NOT NULL)"), "CREATE TABLE");
  ASSERT_EQ(Query("INSERT INTO t VALUES (-1, 0)"), "INSERT 0 1");
  const std::vector<Field> fields = {Field{"id", DataType::kBigInt, true, false, ""},
                                     Field{"v", DataType::kInt, true, false, ""}};
  // 10000 good rows in row groups of 1000 (so several groups have been handed to the
  // transaction), then one bad row.
  auto rows_then = [](std::vector<Value> bad) {
    std::vector<std::vector<Value>> rows;
    for (int i = 0; i < 10000; ++i)
      rows.push_back({Value::BigInt(i), Value::Int(i % 100)});
    rows.push_back(std::move(bad));
    return rows;
  };
  WriteFile("range.parquet", fields, rows_then({Value::BigInt(10000), Value::Int(40000)}), 1000);
  EXPECT_EQ(Query("COPY t FROM '" + Path("range.parquet") + "' (FORMAT parquet)"),
            "ERROR numeric_out_of_range: COPY t, row 10001, column v: smallint out of range");
  WriteFile("null.parquet", fields, rows_then({Value::BigInt(10000), Value::Null(DataType::kInt)}),
            1000);
  const std::string null = Query("COPY t FROM '" + Path("null.parquet") + "' (FORMAT parquet)");
  EXPECT_EQ(null.substr(0, 53), "ERROR not_null_violation: COPY t, row 10001: null val") << null;
  WriteFile("dup.parquet", fields, rows_then({Value::BigInt(-1), Value::Int(1)}), 1000);
  EXPECT_EQ(Query("COPY t FROM '" + Path("dup.parquet") + "' (FORMAT parquet)").substr(0, 24),
            "ERROR unique_violation: ");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "1\n");

  // Inside a transaction the rows join it, and a failed COPY fails the transaction.
  WriteFile("good.parquet", fields, {{Value::BigInt(5), Value::Int(5)}});
  EXPECT_EQ(Query("BEGIN"), "BEGIN");
  EXPECT_EQ(Query("COPY t FROM '" + Path("good.parquet") + "' (FORMAT parquet)"), "COPY 1");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "2\n");
  EXPECT_EQ(Query("ROLLBACK"), "ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), "1\n");
  EXPECT_EQ(Query("COPY t FROM '" + Path("good.parquet") + "' (FORMAT parquet)"), "COPY 1");
  EXPECT_EQ(Query("SELECT id, v FROM t ORDER BY id"), "-1|0\n5|5\n");
}

}  // namespace
}  // namespace tenantdb
