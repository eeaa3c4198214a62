#include "sql/parser/lexer.h"

#include <gtest/gtest.h>

namespace tenantdb::sql {
namespace {

std::vector<std::string> Texts(std::string_view sql) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(sql))
    out.push_back(t.text);
  return out;
}

TEST(Lexer, IdentifiersAreFolded) {
  auto tokens = Tokenize("Select \"Mixed\" FROM t1");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kIdentifier);
  EXPECT_EQ(tokens[0].text, "select");
  EXPECT_EQ(tokens[1].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(tokens[1].text, "Mixed");
  EXPECT_EQ(tokens[3].begin, 20u);
  EXPECT_EQ(tokens[3].end, 22u);
}

TEST(Lexer, StringForms) {
  auto tokens = Tokenize("'a''b' E'c\\'d' $$e;f$$ $tag$g$$h$tag$");
  ASSERT_EQ(tokens.size(), 4u);
  for (const Token& t : tokens)
    EXPECT_EQ(t.kind, TokenKind::kString);
  EXPECT_EQ(tokens[0].text, "a'b");
  EXPECT_EQ(tokens[1].text, "c'd");
  EXPECT_EQ(tokens[2].text, "e;f");
  EXPECT_EQ(tokens[3].text, "g$$h");
}

TEST(Lexer, DollarTagsMayHoldDigits) {
  auto tokens = Tokenize("$a1$x;y$a1$ ;");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kString);
  EXPECT_EQ(tokens[0].text, "x;y");
}

TEST(Lexer, CommentsAreSkipped) {
  EXPECT_EQ(Texts("a -- b ; c\n d /* e /* nested */ ; */ f"),
            (std::vector<std::string>{"a", "d", "f"}));
}

TEST(Lexer, NumbersParametersSymbols) {
  auto tokens = Tokenize("1.5e3 $2 ( ) ; , . =");
  ASSERT_EQ(tokens.size(), 8u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kNumber);
  EXPECT_EQ(tokens[0].text, "1.5e3");
  EXPECT_EQ(tokens[1].kind, TokenKind::kParameter);
  EXPECT_EQ(tokens[1].text, "2");
  EXPECT_TRUE(tokens[2].IsSymbol('('));
  EXPECT_TRUE(tokens[4].IsSymbol(';'));
}

TEST(Lexer, UnterminatedRunsToEnd) {
  auto tokens = Tokenize("SELECT 'abc; SELECT 1");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_FALSE(tokens[1].terminated);
  EXPECT_EQ(tokens[1].end, 21u);
}

TEST(Lexer, SplitAtTopLevelSemicolons) {
  auto tokens = Tokenize("a; b (c; d); ; e");
  auto spans = SplitStatements(tokens, 0, tokens.size());
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].begin, 0u);
  EXPECT_EQ(spans[0].end, 1u);
  EXPECT_EQ(spans[1].begin, 3u);
  EXPECT_EQ(spans[1].end, 11u);
  EXPECT_EQ(spans[2].begin, 15u);
}

TEST(Lexer, CharPositionIsUtf8Aware) {
  std::string_view s = "aé b";
  EXPECT_EQ(CharPosition(s, 0), 1);
  EXPECT_EQ(CharPosition(s, 1), 2);
  EXPECT_EQ(CharPosition(s, 3), 3);
  EXPECT_EQ(CharPosition(s, 4), 4);
}

// The parser's index agrees with CharPosition at every byte, across its checkpoints
// (every 256 bytes) and for ASCII text, which needs none.
TEST(Lexer, CharPositionsAgreeWithCharPosition) {
  std::string mixed;
  for (int i = 0; i < 300; ++i)
    mixed += i % 7 == 0 ? "\xC3\xA9" : (i % 11 == 0 ? "\xE2\x82\xAC" : "a");
  for (const std::string& text : {mixed, std::string(600, 'x'), std::string("\xC3\xA9")}) {
    const CharPositions positions(text);
    for (size_t byte = 0; byte <= text.size() + 1; ++byte)
      ASSERT_EQ(positions.At(static_cast<int64_t>(byte)), CharPosition(text, byte)) << byte;
    EXPECT_EQ(positions.At(-1), -1);
  }
}

}  // namespace
}  // namespace tenantdb::sql
