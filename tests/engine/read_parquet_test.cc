// read_parquet('path or glob') in FROM (sql/planner/binder_read_parquet.cc, the
// FunctionScan operator) through sessions: files written by ParquetWriter (several row
// groups, NULLs, NOT NULL columns), a glob over several files in name order with a
// column one file lacks, joins and aggregates over it, EXPLAIN, and the errors — a user
// role refused, no matching file, a file that is not Parquet, a non-literal argument.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "storage/cold/parquet_writer.h"

namespace tenantdb {
namespace {

class ReadParquetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_read_parquet_" + std::to_string(::getpid()) + "_" +
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

  // Writes rows (id, name, score) with ids [first, first + n) to files/<name>, in row
  // groups of 4; every third name is NULL. `with_score` false leaves the column out.
  void WriteFile(const std::string& name, int64_t first, int64_t n, bool with_score) {
    std::vector<Field> fields = {Field{"id", DataType::kBigInt, false, false, ""},
                                 Field{"name", DataType::kText, true, false, ""}};
    if (with_score) fields.push_back(Field{"score", DataType::kDouble, true, false, ""});
    auto schema = std::make_shared<const Schema>(fields, SchemaMetadata());
    ParquetWriterOptions options;
    options.row_group_rows = 4;
    auto writer = ParquetWriter::Open((dir_ / "files" / name).string(), schema, options);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    Batch batch(schema);
    for (int64_t id = first; id < first + n; ++id) {
      std::vector<Value> row = {Value::BigInt(id), id % 3 == 0
                                                       ? Value::Null(DataType::kText)
                                                       : Value::Text("n" + std::to_string(id))};
      if (with_score) row.push_back(Value::Double(static_cast<double>(id) / 2));
      ASSERT_TRUE(batch.AppendRow(row).ok());
    }
    ASSERT_TRUE((*writer)->Write(batch).ok());
    ASSERT_TRUE((*writer)->Close().ok());
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
    return out;
  }
  std::string Query(const std::string& sql) { return Query(*root_, sql); }
  std::string Path(const std::string& name) { return (dir_ / "files" / name).string(); }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(ReadParquetTest, ReadsEveryRowGroupOfAFile) {
  WriteFile("a.parquet", 1, 10, true);
  EXPECT_EQ(Query("SELECT count(*), sum(id), count(name), max(score) FROM read_parquet('" +
                  Path("a.parquet") + "')"),
            "10|55|7|5\n");
  EXPECT_EQ(Query("SELECT id, name, score FROM read_parquet('" + Path("a.parquet") +
                  "') AS f WHERE f.id BETWEEN 2 AND 4 ORDER BY id"),
            "2|n2|1\n3|NULL|1.5\n4|n4|2\n");
  // Joined with a table, and read twice in one statement.
  ASSERT_TRUE(root_->Execute("CREATE TABLE names (id BIGINT PRIMARY KEY, label TEXT)").ok());
  ASSERT_TRUE(root_->Execute("INSERT INTO names VALUES (5, 'five'), (7, 'seven')").ok());
  EXPECT_EQ(Query("SELECT n.label, f.name FROM names n JOIN read_parquet('" + Path("a.parquet") +
                  "') f ON f.id = n.id ORDER BY n.id"),
            "five|n5\nseven|n7\n");
  EXPECT_EQ(Query("SELECT count(*) FROM read_parquet('" + Path("a.parquet") +
                  "') x, read_parquet('" + Path("a.parquet") + "') y WHERE x.id = y.id"),
            "10\n");
  EXPECT_EQ(
      Query("EXPLAIN SELECT id FROM read_parquet('" + Path("a.parquet") + "')"),
      "Project id#0 (rows=1000)\n  FunctionScan read_parquet (1 file) columns (id) (rows=1000)\n");
  // Only the columns used are read; count(*) reads one to count the rows.
  EXPECT_EQ(Query("SELECT count(*) FROM read_parquet('" + Path("a.parquet") + "')"), "10\n");
  EXPECT_EQ(Query("SELECT sum(score), count(*) FROM read_parquet('" + Path("a.parquet") + "')"),
            "27.5|10\n");
  EXPECT_EQ(Query("SELECT name FROM read_parquet('" + Path("a.parquet") + "') LIMIT 2"),
            "n1\nn2\n");
}

// `column op constant` in the WHERE skips row groups whose min/max rule them out; the
// rows of the groups read are still filtered, so results are those of a full read.
TEST_F(ReadParquetTest, RowGroupsTheWhereRulesOutAreSkipped) {
  WriteFile("a.parquet", 1, 20, true);  // groups of ids 1-4, 5-8, 9-12, 13-16, 17-20
  const std::string from = " FROM read_parquet('" + Path("a.parquet") + "') f";
  const std::string where = " WHERE id >= 10 AND id < 13";
  EXPECT_EQ(Query("SELECT id, name" + from + where + " ORDER BY id"), "10|n10\n11|n11\n12|NULL\n");
  EXPECT_EQ(Query("SELECT count(*)" + from + " WHERE 2.5 = score OR id = 1"), "2\n");
  EXPECT_EQ(Query("SELECT id" + from + " WHERE score = 2.5"), "5\n");
  EXPECT_EQ(Query("SELECT count(*)" + from + " WHERE name >= 'n8'"), "1\n");  // n10 < n8 bytewise
  const std::string plan = Query("EXPLAIN SELECT id" + from + where);
  EXPECT_NE(plan.find("row groups by (id >= 10, id < 13)"), std::string::npos) << plan;
  // Groups 1-4 and 5-8 end below 10, 17-20 starts above 13; 13-16 may hold 13.
  const std::string analyzed = Query("EXPLAIN ANALYZE SELECT id" + from + where);
  EXPECT_NE(analyzed.find("row groups skipped=3"), std::string::npos) << analyzed;
  const std::string none = Query("EXPLAIN ANALYZE SELECT id" + from + " WHERE id > 100");
  EXPECT_NE(none.find("actual rows=0"), std::string::npos) << none;
  EXPECT_NE(none.find("row groups skipped=5"), std::string::npos) << none;
  // A comparison with NULL rules no group out (and the filter keeps no row).
  EXPECT_EQ(Query("SELECT count(*)" + from + " WHERE id < NULL"), "0\n");
}

TEST_F(ReadParquetTest, AGlobReadsItsFilesInNameOrder) {
  WriteFile("part-1.parquet", 1, 5, true);
  WriteFile("part-2.parquet", 6, 3, false);  // no score: NULL there
  WriteFile("other.txt", 100, 1, true);      // not matched by the pattern
  EXPECT_EQ(Query("SELECT id, score FROM read_parquet('" + Path("part-*.parquet") + "')"),
            "1|0.5\n2|1\n3|1.5\n4|2\n5|2.5\n6|NULL\n7|NULL\n8|NULL\n");
}

TEST_F(ReadParquetTest, ErrorsNameTheProblem) {
  WriteFile("a.parquet", 1, 3, true);
  std::ofstream(dir_ / "files" / "bad.parquet") << "not parquet at all";
  EXPECT_NE(Query("SELECT * FROM read_parquet('" + Path("nothing-*.parquet") + "')")
                .find("no regular file matches it"),
            std::string::npos);
  EXPECT_NE(Query("SELECT * FROM read_parquet('" + Path("bad.parquet") + "')").find("bad.parquet"),
            std::string::npos);
  EXPECT_NE(Query("SELECT * FROM read_parquet(1)").find("one string literal"), std::string::npos);
  // Wildcards only in the file name; a directory or a device is not a file to read.
  EXPECT_NE(Query("SELECT * FROM read_parquet('" + (dir_ / "*" / "a.parquet").string() + "')")
                .find("wildcards only in the file name"),
            std::string::npos);
  EXPECT_NE(Query("SELECT * FROM read_parquet('" + (dir_ / "files").string() + "')")
                .find("no regular file matches"),
            std::string::npos);
  EXPECT_NE(Query("SELECT * FROM read_parquet('/dev/null')").find("no regular file matches"),
            std::string::npos);
  EXPECT_NE(Query("SELECT * FROM read_parquet('a', 'b')").find("one string literal"),
            std::string::npos);
  ASSERT_TRUE(root_->Execute("CREATE USER alice ROLE user").ok());
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  const std::string denied =
      Query(alice, "SELECT * FROM read_parquet('" + Path("a.parquet") + "')");
  EXPECT_NE(denied.find("insufficient_privilege"), std::string::npos) << denied;
  EXPECT_NE(denied.find("only dba and system roles"), std::string::npos) << denied;
  EngineSession ops(db_.get(), UserId::Make("root").value(), Role::kDba);
  EXPECT_EQ(Query(ops, "SELECT count(*) FROM read_parquet('" + Path("a.parquet") + "')"), "3\n");
}

}  // namespace
}  // namespace tenantdb
