// LIKE / ILIKE of sql/exec/scalar/like.h; expectations checked against PostgreSQL 15.
#include "sql/exec/scalar/like.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

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
  EXPECT_FALSE(Like("a\\", "a\\"));  // a trailing escape matches nothing...
  EXPECT_EQ(CheckLikePattern("a\\").code(), ErrorCode::kInvalidArgument);  // ...and is an error
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

}  // namespace
}  // namespace tenantdb::sql
