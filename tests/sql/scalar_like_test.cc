// LIKE / ILIKE of sql/function/like.h; expectations checked against PostgreSQL 15.
#include "sql/function/like.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace tenantdb::sql {
namespace {

bool Like(std::string_view text, std::string_view pattern) {
  return LikeMatch(text, pattern, false);
}
bool ILike(std::string_view text, std::string_view pattern) {
  return LikeMatch(text, pattern, true);
}

TEST(ScalarLike, Wildcards) {
  EXPECT_TRUE(Like("hello", "hello"));
  EXPECT_FALSE(Like("hello", "hell"));
  EXPECT_TRUE(Like("hello", "h%"));
  EXPECT_TRUE(Like("hello", "%o"));
  EXPECT_TRUE(Like("hello", "%ll%"));
  EXPECT_TRUE(Like("hello", "h_llo"));
  EXPECT_FALSE(Like("hello", "h_lo"));
  EXPECT_TRUE(Like("hello", "_____"));
  EXPECT_FALSE(Like("hello", "______"));
  EXPECT_TRUE(Like("", ""));
  EXPECT_TRUE(Like("", "%"));
  EXPECT_TRUE(Like("", "%%%"));
  EXPECT_FALSE(Like("", "_"));
  EXPECT_FALSE(Like("a", ""));
  EXPECT_TRUE(Like("abc", "%%b%%"));
  EXPECT_TRUE(Like("abcabc", "%bc"));
  EXPECT_TRUE(Like("mississippi", "%iss%ppi"));
  EXPECT_FALSE(Like("mississippi", "%iss%ppix"));
  EXPECT_TRUE(Like("aXbXc", "a%b%c"));
  EXPECT_TRUE(Like("abc", "a%_c"));
  EXPECT_FALSE(Like("ac", "a%_c"));
  EXPECT_FALSE(Like("Hello", "hello"));  // LIKE is case sensitive
}

TEST(ScalarLike, Escapes) {
  EXPECT_TRUE(Like("100%", "100\\%"));
  EXPECT_FALSE(Like("1000", "100\\%"));
  EXPECT_TRUE(Like("a_b", "a\\_b"));
  EXPECT_FALSE(Like("axb", "a\\_b"));
  EXPECT_TRUE(Like("a\\b", "a\\\\b"));
  EXPECT_TRUE(Like("abc", "\\a\\b\\c"));  // escaping an ordinary character is harmless
  EXPECT_TRUE(Like("50% off", "%\\%%"));
  EXPECT_FALSE(Like("50 off", "%\\%%"));
  // A lone trailing escape is PostgreSQL's error only once matching reaches it with text
  // left: 'b' LIKE 'a\' and 'a' LIKE 'a\' are false, 'ab' LIKE 'a\' is the error.
  EXPECT_FALSE(*EvalLike("b", "a\\", false));
  EXPECT_FALSE(*EvalLike("a", "a\\", false));
  EXPECT_FALSE(*EvalLike("ab", "%b\\", false));
  EXPECT_EQ(EvalLike("ab", "a\\", false).status().message(),
            "LIKE pattern must not end with escape character");
  EXPECT_EQ(EvalLike("abc", "%b\\", false).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(*EvalLike("a%", "a\\%", false));
  EXPECT_FALSE(Like("a\\", "a\\"));  // LikeMatch: reaching the trailing escape is no match
  EXPECT_EQ(CheckLikePattern("a\\").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(CheckLikePattern("a\\").message(), "LIKE pattern must not end with escape character");
  EXPECT_TRUE(CheckLikePattern("a\\\\").ok());
  EXPECT_TRUE(CheckLikePattern("a\\%").ok());
  EXPECT_FALSE(CheckLikePattern("a\\\\\\").ok());
}

TEST(ScalarLike, Utf8AndCaseFolding) {
  EXPECT_TRUE(Like("héllo", "h_llo"));  // é is one character, two bytes
  EXPECT_FALSE(Like("héllo", "h__llo"));
  EXPECT_TRUE(Like("日本語", "___"));
  EXPECT_TRUE(Like("日本語", "%本%"));
  EXPECT_TRUE(Like("日本語", "_本_"));
  EXPECT_FALSE(Like("日本語", "__"));
  EXPECT_TRUE(Like("añb", "a%b"));
  EXPECT_TRUE(ILike("Hello World", "hello%"));
  EXPECT_TRUE(ILike("HELLO", "h_LlO"));
  EXPECT_FALSE(ILike("HELLO", "h_L"));
  EXPECT_TRUE(ILike("ÀB", "Àb"));
  // Beyond ASCII, ILIKE folds as lower() does (PostgreSQL 15, UTF-8).
  EXPECT_TRUE(ILike("ÉCOLE", "éc%"));
  EXPECT_TRUE(ILike("ÀB", "àb"));
  EXPECT_TRUE(ILike("ДОМ", "д_м"));
  EXPECT_FALSE(ILike("Straße", "%SSE"));
  EXPECT_FALSE(Like("é", "É"));
}

TEST(ScalarLike, PathologicalPatternsRunInPolynomialTime) {
  const std::string text(20000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Like(text, "%a%a%a%a%a%a%a%a%a%a%b"));
  EXPECT_FALSE(Like(text, "%_%_%_%_%_%_%_%_b"));
  EXPECT_TRUE(Like(text + "b", "%a%a%a%a%a%a%a%a%a%a%b"));
  EXPECT_FALSE(ILike(text, "%A%A%A%A%A%A%A%A%A%A%B"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST(ScalarLike, VectorConstantAgreesWithLikeMatch) {
  std::mt19937_64 rng(11);
  const char alphabet[] = {'a', 'b', '%', '_', 'A'};
  std::vector<std::string> patterns = {"",    "%",    "%%",   "a%", "%a", "%ab%", "ab",
                                       "a_b", "a\\%", "%b%a", "A%", "_",  "%%a%%"};
  for (int i = 0; i < 200; ++i) {
    std::string p;
    for (size_t len = rng() % 6; len > 0; --len)
      p += alphabet[rng() % 5];
    patterns.push_back(p);
  }
  ColumnVector text(DataType::kText);
  std::vector<std::string> rows;
  for (int i = 0; i < 64; ++i) {
    std::string s;
    for (size_t len = rng() % 6; len > 0; --len)
      s += "abA"[rng() % 3];
    rows.push_back(s);
    if (i % 9 == 0) {
      text.AppendNull();
    } else {
      text.AppendBytes(s);
    }
  }
  for (const std::string& p : patterns) {
    for (bool ci : {false, true}) {
      for (bool negated : {false, true}) {
        ColumnVector out(DataType::kBoolean);
        ASSERT_TRUE(LikeVectorConstant(text, p, ci, negated, &out).ok());
        ASSERT_EQ(out.size(), text.size());
        for (size_t i = 0; i < rows.size(); ++i) {
          if (text.IsNull(i)) {
            EXPECT_TRUE(out.IsNull(i));
            continue;
          }
          EXPECT_EQ(out.GetValue(i).as_bool(), LikeMatch(rows[i], p, ci) != negated)
              << "'" << rows[i] << "' LIKE '" << p << "' ci=" << ci;
        }
      }
    }
  }
  ColumnVector reaches(DataType::kText), stops(DataType::kText);
  reaches.AppendBytes("b");
  reaches.AppendBytes("ab");
  stops.AppendBytes("b");
  stops.AppendBytes("a");
  ColumnVector out(DataType::kBoolean), out2(DataType::kBoolean);
  EXPECT_EQ(LikeVectorConstant(reaches, "a\\", false, false, &out).code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(LikeVectorConstant(stops, "a\\", false, false, &out2).ok());
  EXPECT_EQ(out2.GetValue(1), Value::Boolean(false));
}

}  // namespace
}  // namespace tenantdb::sql
