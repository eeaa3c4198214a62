// SplitScript (include/tenantdb/script.h) over the SQL lexer.
#include <string_view>

#include "sql/parser/lexer.h"
#include "tenantdb/script.h"

namespace tenantdb {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool ReadsOnlyKeyword(std::string_view word) {
  auto is = [word](std::string_view keyword) {
    if (word.size() != keyword.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      char c = word[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != keyword[i]) return false;
    }
    return true;
  };
  return is("select") || is("with") || is("values") || is("table") || is("show") || is("explain");
}

// Most scripts an API receives are one statement with no comment: their range and kind
// come from a look at the text, without tokenizing it (the statement's parse does that
// once, later). Anything else — a ';' anywhere, a comment — goes through the lexer.
bool SplitSingle(std::string_view script, std::vector<StatementRange>* out) {
  if (script.find(';') != std::string_view::npos || script.find("--") != std::string_view::npos ||
      script.find("/*") != std::string_view::npos) {
    return false;
  }
  size_t begin = 0;
  while (begin < script.size() && IsSpace(script[begin]))
    ++begin;
  if (begin == script.size()) return true;  // blank: no statement
  size_t end = script.size();
  while (end > begin && IsSpace(script[end - 1]))
    --end;
  size_t word_end = begin;
  while (word_end < end &&
         ((script[word_end] >= 'a' && script[word_end] <= 'z') ||
          (script[word_end] >= 'A' && script[word_end] <= 'Z') || script[word_end] == '_')) {
    ++word_end;
  }
  const char after = word_end < end ? script[word_end] : ' ';
  // A word glued to a quote or a digit is not a keyword token (E'..', U&"..", select1).
  const bool word_is_token = after == ' ' || IsSpace(after) || after == '(' || after == '*';
  const bool reads_only =
      script[begin] == '(' ||
      (word_is_token && ReadsOnlyKeyword(script.substr(begin, word_end - begin)));
  out->push_back(StatementRange{begin, end, reads_only});
  return true;
}

}  // namespace

std::vector<StatementRange> SplitScript(std::string_view script) {
  std::vector<StatementRange> ranges;
  if (SplitSingle(script, &ranges)) return ranges;
  const std::vector<sql::Token> tokens = sql::Tokenize(script);
  for (const sql::StatementSpan& span : sql::SplitStatements(tokens, 0, tokens.size())) {
    const sql::Token& first = tokens[span.first_token];
    const bool reads_only = first.IsKeyword("select") || first.IsKeyword("with") ||
                            first.IsKeyword("values") || first.IsKeyword("table") ||
                            first.IsKeyword("show") || first.IsKeyword("explain") ||
                            first.IsSymbol('(');
    ranges.push_back(StatementRange{span.begin, span.end, reads_only});
  }
  return ranges;
}

}  // namespace tenantdb
