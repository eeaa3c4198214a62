// The TPC-H generator (src/cli/tpch/tpch_generator.h) keeps the specification's rules that
// the queries depend on, deterministically; the result comparison tolerates only the
// specification's precision; SQLite's translation (tpch_sqlite_dialect.h) computes dates.
#include "cli/tpch/tpch_generator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/tpch/tpch_queries.h"
#include "cli/tpch/tpch_result.h"
#include "cli/tpch/tpch_sqlite_dialect.h"

namespace tenantdb::cli::tpch {
namespace {

using Rows = std::vector<std::vector<std::string>>;

class TpchGenerator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / ("tpch-gen-test-" + std::to_string(::getpid())))
            .string();
    GenerateOptions o;
    o.sf = 0.01;
    o.rows_per_file = 20'000;  // lineitem spans several parts
    o.text_pool_bytes = 256 << 10;
    auto m = Generate(dir_, o);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    manifest_ = *m;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Rows Read(const std::string& table) const {
    Rows rows;
    for (const std::string& file : manifest_.Find(table)->files) {
      std::ifstream in(dir_ + "/" + file);
      std::string line;
      while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::stringstream s(line);
        std::string f;
        while (std::getline(s, f, '|'))
          fields.push_back(f);
        rows.push_back(std::move(fields));
      }
    }
    return rows;
  }

  std::string dir_;
  Manifest manifest_;
};

TEST_F(TpchGenerator, WritesTheSpecificationsCardinalitiesAtScaleFactorOneHundredth) {
  EXPECT_EQ(manifest_.Find("region")->rows, 5u);
  EXPECT_EQ(manifest_.Find("nation")->rows, 25u);
  EXPECT_EQ(manifest_.Find("part")->rows, 2000u);
  EXPECT_EQ(manifest_.Find("partsupp")->rows, 8000u);
  EXPECT_EQ(manifest_.Find("supplier")->rows, 100u);
  EXPECT_EQ(manifest_.Find("customer")->rows, 1500u);
  EXPECT_EQ(manifest_.Find("orders")->rows, 15000u);
  const uint64_t lines = manifest_.Find("lineitem")->rows;
  EXPECT_GT(lines, 15000u * 3);  // 1..7 per order, 4 on average
  EXPECT_LT(lines, 15000u * 5);
  EXPECT_GT(manifest_.Find("lineitem")->files.size(), 1u);
  EXPECT_EQ(Read("lineitem").size(), lines);
  auto again = ReadManifest(dir_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Find("lineitem")->files, manifest_.Find("lineitem")->files);
}

TEST_F(TpchGenerator, OrdersAgreeWithTheirLines) {
  std::map<std::string, std::pair<int64_t, std::string>> from_lines;  // total cents, statuses
  for (const auto& l : Read("lineitem")) {
    const double ext = std::stod(l[5]), disc = std::stod(l[6]), tax = std::stod(l[7]);
    auto& [cents, statuses] = from_lines[l[0]];
    cents += std::llround(ext * (1 + tax) * (1 - disc) * 100);
    statuses += l[9];
  }
  std::set<int64_t> keys;
  for (const auto& o : Read("orders")) {
    const int64_t key = std::stoll(o[0]);
    EXPECT_LT((key - 1) % 32, 8) << "keys are the first 8 of every 32";
    EXPECT_NE(std::stoll(o[1]) % 3, 0) << "customers with a key divisible by 3 order nothing";
    keys.insert(key);
    const auto& [cents, statuses] = from_lines.at(o[0]);
    EXPECT_NEAR(std::stod(o[3]) * 100, double(cents), 8.0) << "o_totalprice of " << o[0];
    const bool all_f = statuses.find('O') == std::string::npos;
    const bool all_o = statuses.find('F') == std::string::npos;
    EXPECT_EQ(o[2], all_f ? "F" : all_o ? "O" : "P") << o[0];
  }
  EXPECT_EQ(keys.size(), 15000u);
}

TEST_F(TpchGenerator, EachPartHasFourDistinctSuppliersAndLinesUseThem) {
  std::map<std::string, std::set<std::string>> suppliers;
  for (const auto& ps : Read("partsupp"))
    suppliers[ps[0]].insert(ps[1]);
  ASSERT_EQ(suppliers.size(), 2000u);
  for (const auto& [part, s] : suppliers)
    EXPECT_EQ(s.size(), 4u) << part;
  std::map<std::string, std::string> price;
  for (const auto& p : Read("part"))
    price[p[0]] = p[7];
  EXPECT_EQ(price["1"], "901.00");  // (90000 + 0 + 100) / 100
  for (const auto& l : Read("lineitem")) {
    EXPECT_TRUE(suppliers[l[1]].count(l[2])) << "l_suppkey supplies l_partkey";
    EXPECT_NEAR(std::stod(l[5]), std::stod(l[4]) * std::stod(price[l[1]]), 0.001);
  }
}

TEST_F(TpchGenerator, IsDeterministicForASeed) {
  const std::string other = dir_ + "-again";
  GenerateOptions o;
  o.sf = 0.01;
  o.rows_per_file = 20'000;
  o.text_pool_bytes = 256 << 10;
  ASSERT_TRUE(Generate(other, o).ok());
  auto slurp = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(dir_ + "/orders.0.csv"), slurp(other + "/orders.0.csv"));
  o.seed = 2;
  ASSERT_TRUE(Generate(other, o).ok());
  EXPECT_NE(slurp(dir_ + "/orders.0.csv"), slurp(other + "/orders.0.csv"));
  std::filesystem::remove_all(other);
}

TEST(TpchResult, NumbersMatchToTwoPlacesOrOnePartInAMillion) {
  EXPECT_TRUE(CellsMatch("12.50", "12.5"));
  EXPECT_TRUE(CellsMatch("25.522005817961", "25.5220058179610000"));
  EXPECT_TRUE(CellsMatch("1995", "1995.0"));
  EXPECT_FALSE(CellsMatch("12.50", "12.51"));
  EXPECT_FALSE(CellsMatch("BRAZIL", "brazil"));
  EXPECT_FALSE(CellsMatch(kNullCell, "0"));
  QueryOutcome a{true, "", 0, {"x"}, {{"1"}, {"2"}}};
  QueryOutcome b = a;
  EXPECT_EQ(DiffOutcomes(a, b), "");
  std::swap(b.rows[0], b.rows[1]);
  EXPECT_NE(DiffOutcomes(a, b), "") << "rows are compared in order";
  b.rows.pop_back();
  EXPECT_NE(DiffOutcomes(a, b), "");
}

TEST(TpchSqliteDialect, ComputesDatesAndRewritesFunctions) {
  EXPECT_EQ(TranslateForSqlite("x <= date '1998-12-01' - interval '90' day"), "x <= '1998-09-02'");
  EXPECT_EQ(TranslateForSqlite("x < date '1993-11-30' + interval '3' month"), "x < '1994-02-28'");
  EXPECT_EQ(
      TranslateForSqlite("x < date '1996-01-01' + interval '1' year and y > date '1995-03-15'"),
      "x < '1997-01-01' and y > '1995-03-15'");
  EXPECT_EQ(TranslateForSqlite("extract(year from o_orderdate)"),
            "CAST(strftime('%Y', o_orderdate) AS INTEGER)");
  EXPECT_EQ(TranslateForSqlite("substring(c_phone from 1 for 2)"), "substr(c_phone, 1, 2)");
  const std::string q13 = TranslateForSqlite(TpchQuery(13, 1).statements[0]);
  EXPECT_NE(q13.find("count(o_orderkey) as c_count"), std::string::npos) << q13;
  EXPECT_EQ(q13.find("(c_custkey, c_count)"), std::string::npos) << q13;
}

TEST(TpchQueries, SubstituteTheValidationParameters) {
  EXPECT_NE(TpchQuery(11, 0.01).statements[0].find("* 0.0100000000"), std::string::npos);
  EXPECT_NE(TpchQuery(11, 1).statements[0].find("* 0.0001000000"), std::string::npos);
  const QuerySql q15 = TpchQuery(15, 1);
  ASSERT_EQ(q15.statements.size(), 3u);
  EXPECT_EQ(q15.result_statement, 1u);
  EXPECT_EQ(q15.statements[2], "drop view revenue0");
  for (int q = 1; q <= kQueryCount; ++q)
    EXPECT_EQ(TpchQuery(q, 1).statements.size(), q == 15 ? 3u : 1u) << q;
}

}  // namespace
}  // namespace tenantdb::cli::tpch
