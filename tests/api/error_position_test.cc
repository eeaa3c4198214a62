// Binder errors name where in the SQL text they are, like syntax errors and like
// PostgreSQL's error position: the message ends with "at position N", N the 1-based
// character position of the column, table, function, operator or type the error is about
// (`SELECT nosuch FROM t` -> column "nosuch" does not exist, position 8). Clients read N
// from there: the HTTP API's "position", the shell's caret.
#include <gtest/gtest.h>

#include <string>

#include "api_fixture.h"

namespace tenantdb {
namespace {

class ErrorPositionTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Ok("CREATE NAMESPACE app");
    Ok("CREATE TABLE app.t (id BIGINT PRIMARY KEY, a INT, body TEXT)");
    Ok("CREATE TABLE app.u (id BIGINT PRIMARY KEY, b INT)");
  }
  // The error of running `sql`, as "code: message".
  std::string Error(const std::string& sql) {
    auto r = root_->Execute(sql);
    if (r.ok()) return "no error";
    return std::string(r.status().code_name()) + ": " + std::string(r.status().message());
  }
};

TEST_F(ErrorPositionTest, UndefinedColumnNamesTheColumnsPosition) {
  EXPECT_EQ(Error("SELECT nosuch FROM app.t"),
            "undefined_column: column \"nosuch\" does not exist at position 8");
  EXPECT_EQ(Error("SELECT id FROM app.t WHERE nosuch > 1"),
            "undefined_column: column \"nosuch\" does not exist at position 28");
  // Inside an expression: the column, not the expression around it.
  EXPECT_EQ(Error("SELECT id, 1 + (a * nosuch) FROM app.t"),
            "undefined_column: column \"nosuch\" does not exist at position 21");
  // In a subquery.
  EXPECT_EQ(Error("SELECT id FROM app.t WHERE a IN (SELECT nosuch FROM app.u)"),
            "undefined_column: column \"nosuch\" does not exist at position 41");
}

TEST_F(ErrorPositionTest, UndefinedTableNamesTheTablesPosition) {
  EXPECT_EQ(Error("SELECT * FROM app.nosuch"),
            "undefined_table: relation \"app.nosuch\" does not exist at position 15");
  EXPECT_EQ(Error("SELECT * FROM app.t JOIN nosuch ON true"),
            "undefined_table: relation \"nosuch\" does not exist at position 26");
  EXPECT_EQ(Error("SELECT x.a FROM app.t"),
            "undefined_table: missing FROM-clause entry for table \"x\" at position 8");
}

TEST_F(ErrorPositionTest, FunctionsOperatorsAndTypesNameTheirPositions) {
  EXPECT_EQ(Error("SELECT id, nofunc(a) FROM app.t"),
            "undefined_function: function nofunc(integer) does not exist at position 12");
  // An operator error names the operator, as PostgreSQL does.
  EXPECT_EQ(Error("SELECT a + true FROM app.t"),
            "undefined_function: operator does not exist: integer + boolean at position 10");
  // A type that does not exist: the type name.
  const std::string type_error = Error("SELECT CAST(a AS nosuchtype) FROM app.t");
  EXPECT_NE(type_error.find("\"nosuchtype\""), std::string::npos) << type_error;
  EXPECT_TRUE(type_error.ends_with(" at position 18")) << type_error;
}

TEST_F(ErrorPositionTest, AmbiguousAndMismatchedNameTheirPositions) {
  EXPECT_EQ(Error("SELECT a, id FROM app.t, app.u"),
            "ambiguous_column: column reference \"id\" is ambiguous at position 11");
  // An assignment of the wrong type names the expression assigned.
  EXPECT_EQ(Error("UPDATE app.t SET a = true"),
            "type_mismatch: column \"a\" is of type integer but expression is of type boolean "
            "at position 22");
}

TEST_F(ErrorPositionTest, PositionsCountCharactersInTheWholeScript) {
  // The second statement's column: positions are in the text given, not the statement.
  EXPECT_EQ(Error("SELECT 1; SELECT nosuch FROM app.t"),
            "undefined_column: column \"nosuch\" does not exist at position 18");
  // Characters, not bytes: 'é' and '€' are one each.
  EXPECT_EQ(Error("SELECT 'é€', nosuch FROM app.t"),
            "undefined_column: column \"nosuch\" does not exist at position 14");
}

TEST_F(ErrorPositionTest, ADefaultAStatementWritesIsPointedAtInThatStatement) {
  EXPECT_EQ(Error("CREATE TABLE app.d (id BIGINT PRIMARY KEY, a INT DEFAULT nosuch)"),
            "undefined_column: column \"nosuch\" does not exist at position 58");
  EXPECT_EQ(Error("ALTER TABLE app.t ALTER COLUMN a SET DEFAULT nofunc(1)"),
            "undefined_function: function nofunc(integer) does not exist at position 46");
  EXPECT_EQ(Error("ALTER TABLE app.t ADD COLUMN c INT DEFAULT 1 + nofunc(1)"),
            "undefined_function: function nofunc(integer) does not exist at position 48");
}

TEST_F(ErrorPositionTest, AStoredDefaultThatNoLongerBindsGetsNoPosition) {
  // The default's text is not the INSERT's: a position would point into the wrong text.
  Ok("CREATE TABLE app.s (id BIGINT PRIMARY KEY, b INT DEFAULT (SELECT max(b) FROM app.u))");
  Ok("DROP TABLE app.u");
  const std::string error = Error("INSERT INTO app.s (id) VALUES (1)");
  EXPECT_TRUE(error.starts_with("undefined_table: ")) << error;
  EXPECT_EQ(error.find("position"), std::string::npos) << error;
}

TEST_F(ErrorPositionTest, ErrorsOfOtherKindsGetNoPosition) {
  EXPECT_EQ(Error("SELECT 1 / 0"), "division_by_zero: division by zero");
}

}  // namespace
}  // namespace tenantdb
