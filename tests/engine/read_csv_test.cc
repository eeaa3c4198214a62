// read_csv('path or glob' [, name => value ...]) in FROM (sql/planner/binder_read_csv.cc,
// sql/copy/csv_file_reader.h, the FunctionScan operator) through sessions, over CSV files
// written into a temporary directory: header or not, inferred types, NULLs, quoted fields
// holding delimiters and newlines, a glob over two files, the columns read (EXPLAIN),
// joins with a table, options, and the errors — a user role refused, a value that breaks
// the inferred type (with its line), a ragged line, an unknown option, no file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

class ReadCsvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_read_csv_" + std::to_string(::getpid()) + "_" +
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

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / "files" / name, std::ios::binary) << text;
  }
  std::string Path(const std::string& name) { return (dir_ / "files" / name).string(); }

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
  // The column names and types of `from`, as "name type, ...".
  std::string Columns(const std::string& from) {
    auto r = root_->Execute("SELECT * FROM " + from + " LIMIT 0");
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (const Field& f : r->schema->fields())
      out += (out.empty() ? "" : ", ") + f.name + " " + std::string(DataTypeName(f.type));
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
};

TEST_F(ReadCsvTest, AHeaderNamesTheColumnsAndTheDataTypesThem) {
  Write("people.csv",
        "id,name,score,active,born,seen\n"
        "1,ann,1.5,true,2001-02-03,2024-01-02 03:04:05\n"
        "2,bo,2,FALSE,1999-12-31,2024-01-02T10:00\n"
        "3,cy,-7e2,true,2020-02-29,2024-03-01\n");
  const std::string from = "read_csv('" + Path("people.csv") + "', header => true)";
  EXPECT_EQ(Columns(from),
            "id BIGINT, name TEXT, score DOUBLE, active BOOLEAN, born DATE, seen TIMESTAMP");
  EXPECT_EQ(Query("SELECT id, name, score, active, born FROM " + from + " ORDER BY id"),
            "1|ann|1.5|t|2001-02-03\n2|bo|2|f|1999-12-31\n3|cy|-700|t|2020-02-29\n");
  EXPECT_EQ(Query("SELECT sum(id), max(seen) FROM " + from), "6|2024-03-01 00:00:00\n");
}

TEST_F(ReadCsvTest, WithoutAHeaderColumnsAreNumbered) {
  Write("plain.csv", "10,x\n20,y\n");
  EXPECT_EQ(Columns("read_csv('" + Path("plain.csv") + "')"), "column0 BIGINT, column1 TEXT");
  EXPECT_EQ(
      Query("SELECT column1, column0 * 2 FROM read_csv('" + Path("plain.csv") + "') ORDER BY 1"),
      "x|20\ny|40\n");
  // t / f (COPY TO's booleans) are BOOLEAN; a leading-zero-free integer column BIGINT.
  Write("flags.csv", "t,1\nF,0\n");
  EXPECT_EQ(Columns("read_csv('" + Path("flags.csv") + "')"), "column0 BOOLEAN, column1 BIGINT");
  // Empty and repeated header names get names of their own.
  Write("names.csv", "a,,a\n1,2,3\n");
  EXPECT_EQ(Columns("read_csv('" + Path("names.csv") + "', header => true)"),
            "a BIGINT, column1 BIGINT, a_1 BIGINT");
}

TEST_F(ReadCsvTest, NullsAndQuotedFields) {
  // The unquoted empty string is NULL, a quoted one is text; quoted fields may hold the
  // delimiter, doubled quotes and newlines (a line that spans lines is one line).
  Write("q.csv",
        "id,note,n\n"
        "1,\"a, b\",\n"
        "2,\"say \"\"hi\"\"\",5\n"
        "3,\"two\nlines\",6\n"
        "4,,7\n"
        "5,\"\",8\n");
  const std::string from = "read_csv('" + Path("q.csv") + "', header => true)";
  EXPECT_EQ(Columns(from), "id BIGINT, note TEXT, n BIGINT");
  EXPECT_EQ(Query("SELECT id, note, n, note IS NULL, length(note) FROM " + from + " ORDER BY id"),
            "1|a, b|NULL|f|4\n2|say \"hi\"|5|f|8\n3|two\nlines|6|f|9\n"
            "4|NULL|7|t|NULL\n5||8|f|0\n");
  // A column with no value in the sample is TEXT.
  Write("empty_col.csv", "a,b\n1,\n2,\n");
  EXPECT_EQ(Columns("read_csv('" + Path("empty_col.csv") + "', header => true)"),
            "a BIGINT, b TEXT");
}

TEST_F(ReadCsvTest, OptionsSetTheFormat) {
  Write("semi.csv", "id;name\n1;'x;y'\n2;NA\n");
  const std::string from = "read_csv('" + Path("semi.csv") +
                           "', header => true, delim => ';', quote => '''', nullstr => 'NA')";
  EXPECT_EQ(Query("SELECT id, name FROM " + from + " ORDER BY id"), "1|x;y\n2|NULL\n");
  // columns => names and types instead of the header's and the inferred ones.
  EXPECT_EQ(Columns("read_csv('" + Path("semi.csv") +
                    "', header => true, delim => ';', columns => 'k INT, \"Label\" TEXT')"),
            "k INT, Label TEXT");
  // sample_size: a later value that breaks the type is found or not.
  Write("late.csv", "1\n2\n3\nx\n");
  EXPECT_EQ(Columns("read_csv('" + Path("late.csv") + "', sample_size => 3)"), "column0 BIGINT");
  EXPECT_EQ(Columns("read_csv('" + Path("late.csv") + "', sample_size => -1)"), "column0 TEXT");
}

TEST_F(ReadCsvTest, AGlobReadsItsFilesInNameOrder) {
  Write("part-1.csv", "id,v\n1,a\n2,b\n");
  Write("part-2.csv", "id,v\n3,c\n");
  Write("other.txt", "id,v\n100,z\n");  // not matched by the pattern
  EXPECT_EQ(Query("SELECT id, v FROM read_csv('" + Path("part-*.csv") + "', header => true)"),
            "1|a\n2|b\n3|c\n");
  EXPECT_EQ(Query("EXPLAIN SELECT v FROM read_csv('" + Path("part-*.csv") + "', header => true)"),
            "Project v#1 (rows=1000)\n  FunctionScan read_csv (2 files) columns (v) (rows=1000)\n");
}

TEST_F(ReadCsvTest, OnlyTheColumnsUsedAreConverted) {
  // Column b breaks its inferred BIGINT after the sample: a query that does not use b
  // never converts it, one that does fails.
  std::string text = "a,b\n";
  for (int i = 0; i < 5; ++i)
    text += std::to_string(i) + "," + std::to_string(i) + "\n";
  text += "5,oops\n";
  Write("wide.csv", text);
  const std::string from = "read_csv('" + Path("wide.csv") + "', header => true, sample_size => 5)";
  EXPECT_EQ(Query("SELECT sum(a) FROM " + from), "15\n");
  EXPECT_EQ(Query("SELECT count(*) FROM " + from), "6\n");
  EXPECT_EQ(Query("EXPLAIN SELECT a FROM " + from),
            "Project a#0 (rows=1000)\n  FunctionScan read_csv (1 file) columns (a) (rows=1000)\n");
  const std::string error = Query("SELECT sum(b) FROM " + from);
  EXPECT_NE(error.find("invalid_text_representation"), std::string::npos) << error;
  EXPECT_NE(error.find("wide.csv\" line 7, column \"b\""), std::string::npos) << error;
  EXPECT_NE(error.find("\"oops\""), std::string::npos) << error;
}

TEST_F(ReadCsvTest, StreamsManyRowsAndJoinsWithATable) {
  std::string text = "id,label\n";
  for (int i = 1; i <= 5000; ++i)
    text += std::to_string(i) + ",\"row " + std::to_string(i) + "\"\n";
  Write("big.csv", text);
  const std::string from = "read_csv('" + Path("big.csv") + "', header => true)";
  EXPECT_EQ(Query("SELECT count(*), sum(id), max(label) FROM " + from), "5000|12502500|row 999\n");
  ASSERT_TRUE(root_->Execute("CREATE TABLE picks (id BIGINT PRIMARY KEY, tag TEXT)").ok());
  ASSERT_TRUE(root_->Execute("INSERT INTO picks VALUES (7, 'x'), (4999, 'y'), (9999, 'z')").ok());
  EXPECT_EQ(
      Query("SELECT p.tag, f.label FROM picks p JOIN " + from + " f ON f.id = p.id ORDER BY p.id"),
      "x|row 7\ny|row 4999\n");
  EXPECT_EQ(Query("SELECT label FROM " + from + " LIMIT 2"), "row 1\nrow 2\n");
}

TEST_F(ReadCsvTest, ErrorsNameTheProblem) {
  Write("a.csv", "id,v\n1,x\n");
  Write("ragged.csv", "id,v\n1,x\n2,y,extra\n");
  Write("open.csv", "id,v\n1,\"never closed\n");
  Write("empty.csv", "");
  auto has = [&](const std::string& sql, const std::string& part) {
    const std::string r = Query(sql);
    EXPECT_NE(r.find(part), std::string::npos) << sql << "\n" << r;
  };
  has("SELECT * FROM read_csv('" + Path("ragged.csv") + "', header => true)",
      "ragged.csv\" line 3 has 3 fields, expected 2");
  has("SELECT * FROM read_csv('" + Path("open.csv") + "', header => true)",
      "unterminated CSV quoted field");
  has("SELECT * FROM read_csv('" + Path("empty.csv") + "')", "it is empty");
  has("SELECT * FROM read_csv('" + Path("nothing-*.csv") + "')", "no regular file matches it");
  has("SELECT * FROM read_csv('" + Path("missing.csv") + "')", "io_error");
  has("SELECT * FROM read_csv('" + (dir_ / "*" / "a.csv").string() + "')",
      "wildcards only in the file name");
  has("SELECT * FROM read_csv('/dev/null')", "no regular file matches");
  has("SELECT * FROM read_csv('" + Path("a.csv") + "', hedaer => true)",
      "read_csv option \"hedaer\" not recognized");
  has("SELECT * FROM read_csv('" + Path("a.csv") + "', true)", "one positional argument");
  has("SELECT * FROM read_csv('" + Path("a.csv") + "', delim => ';;')", "single one-byte");
  has("SELECT * FROM read_csv('" + Path("a.csv") + "', header => true, header => false)",
      "given twice");
  has("SELECT * FROM read_csv('" + Path("a.csv") + "', columns => 'id nosuchtype')",
      "type \"nosuchtype\" does not exist");
  has("SELECT * FROM read_csv(1)", "read_csv takes a string literal");
  // Named arguments belong to read_csv only.
  has("SELECT abs(x => 1)", "named argument notation");
  ASSERT_TRUE(root_->Execute("CREATE USER alice ROLE user").ok());
  EngineSession alice(db_.get(), UserId::Make("alice").value(), Role::kUser);
  const std::string denied = Query(alice, "SELECT * FROM read_csv('" + Path("a.csv") + "')");
  EXPECT_NE(denied.find("insufficient_privilege"), std::string::npos) << denied;
  EXPECT_NE(denied.find("only dba and system roles"), std::string::npos) << denied;
  EngineSession ops(db_.get(), UserId::Make("root").value(), Role::kDba);
  EXPECT_EQ(Query(ops, "SELECT v FROM read_csv('" + Path("a.csv") + "', header => true)"), "x\n");
}

}  // namespace
}  // namespace tenantdb
