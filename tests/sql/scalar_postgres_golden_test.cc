// Replays tests/sql/data/scalar_postgres_golden.tsv, PostgreSQL 15's own answers for ~4500
// casts, operators, LIKE matches and function calls (see scripts/scalar_postgres_golden.py
// for how it was made and which known differences it leaves out), against sql/function.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sql/function/arithmetic.h"
#include "sql/function/cast.h"
#include "sql/function/like.h"
#include "sql/function/scalar_functions.h"

namespace tenantdb::sql {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    fields.push_back(
        line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return fields;
    start = tab + 1;
  }
}

std::string Error(const Status& status) {
  return "ERROR: " + std::string(status.message());
}

// psql's rendering of a value: NULL is empty, BOOLEAN is t/f.
std::string Show(const Value& v) {
  return v.is_null() ? "" : v.ToString();
}

Result<Value> Typed(const std::string& type, const std::string& text) {
  const DataType t = *ParseDataType(type);
  if (text == "NULL") return Value::Null(t);
  return CastValue(Value::Text(text), t);
}

ScalarOp OperatorFor(const std::string& symbol) {
  if (symbol == "+") return ScalarOp::kAdd;
  if (symbol == "-") return ScalarOp::kSubtract;
  if (symbol == "*") return ScalarOp::kMultiply;
  if (symbol == "/") return ScalarOp::kDivide;
  if (symbol == "%") return ScalarOp::kModulo;
  if (symbol == "^") return ScalarOp::kPower;
  return ScalarOp::kConcat;
}

// What tenantdb answers for one case of the file (the fields before "=>").
std::string Evaluate(const std::vector<std::string>& f) {
  if (f[0] == "cast") {
    Result<Value> v = Typed(f[1], f[2]);
    return v.ok() ? Show(*v) : Error(v.status());
  }
  if (f[0] == "like") {
    Result<bool> m = EvalLike(f[1], f[2], f[3] == "1");
    return m.ok() ? (*m ? "t" : "f") : Error(m.status());
  }
  if (f[0] == "op") {
    const ScalarOp op = OperatorFor(f[1]);
    Result<Value> l = Typed(f[2], f[3]);
    Result<Value> r = Typed(f[4], f[5]);
    if (!l.ok()) return Error(l.status());
    if (!r.ok()) return Error(r.status());
    Result<ArithmeticSignature> sig = BindArithmetic(op, l->type(), r->type());
    if (!sig.ok()) return Error(sig.status());
    Result<Value> lc = CastValue(*l, sig->left);
    Result<Value> rc = CastValue(*r, sig->right);
    if (!lc.ok()) return Error(lc.status());
    if (!rc.ok()) return Error(rc.status());
    Result<Value> v = EvalArithmetic(op, *lc, *rc);
    return v.ok() ? Show(*v) : Error(v.status());
  }
  std::vector<Value> args;
  for (size_t i = 1; i + 1 < f.size(); i += 2) {
    Result<Value> v = Typed(f[i], f[i + 1]);
    if (!v.ok()) return Error(v.status());
    args.push_back(*v);
  }
  Result<Value> v = EvalScalarFunction(f[0], args, FunctionContext{});
  return v.ok() ? Show(*v) : Error(v.status());
}

TEST(ScalarPostgresGolden, MatchesPostgres) {
  const std::filesystem::path path =
      std::filesystem::path(TENANTDB_SOURCE_DIR) / "tests/sql/data/scalar_postgres_golden.tsv";
  std::ifstream in(path);
  ASSERT_TRUE(in.is_open()) << path;
  std::string line;
  int cases = 0, failures = 0;
  while (std::getline(in, line)) {
    const size_t arrow = line.find("\t=>\t");
    ASSERT_NE(arrow, std::string::npos) << line;
    const std::string expected = line.substr(arrow + 4);
    const std::string got = Evaluate(SplitTabs(line.substr(0, arrow)));
    ++cases;
    if (got != expected && ++failures <= 25) {
      ADD_FAILURE() << line.substr(0, arrow) << "\n  postgres: " << expected
                    << "\n  tenantdb: " << got;
    }
  }
  EXPECT_EQ(failures, 0);
  EXPECT_GT(cases, 4000);
}

}  // namespace
}  // namespace tenantdb::sql
