// A small SQL tokenizer for the layer in front of libpg_query: it splits a script into
// statements at top-level ';' and lets tenant_statements.h recognize tenantdb's own
// statements. It knows PostgreSQL's lexical rules well enough never to split inside a
// string ('..', E'..' with backslash escapes, $tag$..$tag$), a quoted identifier, or a
// comment (-- and nested /* */). It never fails: an unterminated string or comment runs to
// the end of the text with `terminated` false, and libpg_query reports the error.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tenantdb::sql {

enum class TokenKind : unsigned char {
  kIdentifier,        // unquoted; `text` is lower-cased
  kQuotedIdentifier,  // "..."; `text` is the name with "" undoubled
  kString,            // '...', E'...', $$...$$; `text` is the contents
  kNumber,            // 12, 1.5, 1e10
  kParameter,         // $1
  kSymbol,            // one punctuation character, e.g. ( ) ; , . =
};

struct Token {
  TokenKind kind;
  std::string text;
  size_t begin;  // byte offsets of the token in the text: [begin, end)
  size_t end;
  bool terminated = true;  // false for an unterminated string / quoted identifier

  bool IsKeyword(std::string_view lower) const {
    return kind == TokenKind::kIdentifier && text == lower;
  }
  bool IsSymbol(char c) const {
    return kind == TokenKind::kSymbol && text.size() == 1 && text[0] == c;
  }
};

// Tokenizes all of `sql`, skipping whitespace and comments.
std::vector<Token> Tokenize(std::string_view sql);

// One statement of a script: its byte range (from its first token to its last, without
// the ';') and its tokens [first_token, last_token).
struct StatementSpan {
  size_t begin;
  size_t end;
  size_t first_token;
  size_t last_token;
};

// Splits tokens[first, last) at ';' outside parentheses. Empty statements are dropped.
std::vector<StatementSpan> SplitStatements(const std::vector<Token>& tokens, size_t first,
                                           size_t last);

// The 1-based character position (UTF-8 aware) of byte offset `byte` in `sql`.
int CharPosition(std::string_view sql, size_t byte);

// CharPosition for many offsets of one text: the parser turns every AST node's byte
// offset into the position an error names. Free for ASCII text; otherwise a table of one
// int per kStride bytes bounds each lookup to kStride bytes of counting. `sql` must
// outlive the index.
class CharPositions {
 public:
  explicit CharPositions(std::string_view sql);
  // CharPosition(sql, byte); -1 for a negative `byte` (an unknown location).
  int At(int64_t byte) const;

 private:
  static constexpr size_t kStride = 256;
  std::string_view sql_;
  bool ascii_ = true;
  std::vector<int> checkpoints_;  // [k]: characters before byte k * kStride
};

}  // namespace tenantdb::sql
