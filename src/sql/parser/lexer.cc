#include "sql/parser/lexer.h"

#include <algorithm>

namespace tenantdb::sql {

namespace {

bool IsIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '$';
}
bool IsDigit(unsigned char c) {
  return c >= '0' && c <= '9';
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Reads a quoted run starting at sql[i] == quote; doubled quotes stand for one. With
// `backslash`, a backslash escapes the next character (E'...').
size_t ReadQuoted(std::string_view sql, size_t i, char quote, bool backslash, std::string* out,
                  bool* terminated) {
  ++i;
  while (i < sql.size()) {
    char c = sql[i];
    if (backslash && c == '\\' && i + 1 < sql.size()) {
      char n = sql[i + 1];
      switch (n) {
        case 'n':
          *out += '\n';
          break;
        case 't':
          *out += '\t';
          break;
        case 'r':
          *out += '\r';
          break;
        default:
          *out += n;
          break;
      }
      i += 2;
      continue;
    }
    if (c == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        *out += quote;
        i += 2;
        continue;
      }
      *terminated = true;
      return i + 1;
    }
    *out += c;
    ++i;
  }
  *terminated = false;
  return i;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(sql[i]);
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n')
        ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    Token t{TokenKind::kSymbol, "", i, i};
    if ((c == 'e' || c == 'E') && i + 1 < n && sql[i + 1] == '\'') {
      t.kind = TokenKind::kString;
      i = ReadQuoted(sql, i + 1, '\'', true, &t.text, &t.terminated);
    } else if (c == '\'') {
      t.kind = TokenKind::kString;
      i = ReadQuoted(sql, i, '\'', false, &t.text, &t.terminated);
    } else if (c == '"') {
      t.kind = TokenKind::kQuotedIdentifier;
      i = ReadQuoted(sql, i, '"', false, &t.text, &t.terminated);
    } else if (c == '$' && i + 1 < n && IsDigit(static_cast<unsigned char>(sql[i + 1]))) {
      t.kind = TokenKind::kParameter;
      ++i;
      while (i < n && IsDigit(static_cast<unsigned char>(sql[i])))
        t.text += sql[i++];
    } else if (c == '$') {
      // $tag$ ... $tag$ (tag may be empty); a lone '$' is a symbol.
      size_t j = i + 1;
      while (j < n && (IsIdentStart(static_cast<unsigned char>(sql[j])) ||
                       (j > i + 1 && IsDigit(static_cast<unsigned char>(sql[j]))))) {
        ++j;
      }
      if (j < n && sql[j] == '$') {
        std::string_view delim = sql.substr(i, j + 1 - i);
        size_t close = sql.find(delim, j + 1);
        t.kind = TokenKind::kString;
        if (close == std::string_view::npos) {
          t.text = std::string(sql.substr(j + 1));
          t.terminated = false;
          i = n;
        } else {
          t.text = std::string(sql.substr(j + 1, close - (j + 1)));
          i = close + delim.size();
        }
      } else {
        t.text = "$";
        ++i;
      }
    } else if (IsIdentStart(c)) {
      t.kind = TokenKind::kIdentifier;
      while (i < n && IsIdentChar(static_cast<unsigned char>(sql[i])))
        t.text += Lower(sql[i++]);
    } else if (IsDigit(c) ||
               (c == '.' && i + 1 < n && IsDigit(static_cast<unsigned char>(sql[i + 1])))) {
      t.kind = TokenKind::kNumber;
      while (i < n && (IsDigit(static_cast<unsigned char>(sql[i])) || sql[i] == '.'))
        t.text += sql[i++];
      if (i < n && (sql[i] == 'e' || sql[i] == 'E')) {
        t.text += sql[i++];
        if (i < n && (sql[i] == '+' || sql[i] == '-')) t.text += sql[i++];
        while (i < n && IsDigit(static_cast<unsigned char>(sql[i])))
          t.text += sql[i++];
      }
    } else {
      t.text = std::string(1, static_cast<char>(c));
      ++i;
    }
    t.end = i;
    tokens.push_back(std::move(t));
  }
  return tokens;
}

std::vector<StatementSpan> SplitStatements(const std::vector<Token>& tokens, size_t begin,
                                           size_t last_token) {
  std::vector<StatementSpan> spans;
  size_t first = begin;
  int depth = 0;
  auto flush = [&](size_t last) {
    if (last > first) {
      spans.push_back({tokens[first].begin, tokens[last - 1].end, first, last});
    }
  };
  for (size_t i = begin; i < last_token; ++i) {
    const Token& t = tokens[i];
    if (t.IsSymbol('(')) {
      ++depth;
    } else if (t.IsSymbol(')')) {
      if (depth > 0) --depth;
    } else if (t.IsSymbol(';') && depth == 0) {
      flush(i);
      first = i + 1;
    }
  }
  flush(last_token);
  return spans;
}

int CharPosition(std::string_view sql, size_t byte) {
  int pos = 1;
  for (size_t i = 0; i < byte && i < sql.size(); ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++pos;
  }
  return pos;
}

CharPositions::CharPositions(std::string_view sql) : sql_(sql) {
  for (char c : sql) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii_ = false;
      break;
    }
  }
  if (ascii_) return;
  checkpoints_.reserve(sql.size() / kStride + 1);
  int chars = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (i % kStride == 0) checkpoints_.push_back(chars);
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++chars;
  }
}

int CharPositions::At(int64_t byte) const {
  if (byte < 0) return -1;
  const size_t end = std::min(static_cast<size_t>(byte), sql_.size());
  if (ascii_) return static_cast<int>(end) + 1;
  // Non-ASCII text is not empty: there is a checkpoint at byte 0.
  const size_t k = std::min(end / kStride, checkpoints_.size() - 1);
  int pos = checkpoints_[k] + 1;
  for (size_t i = k * kStride; i < end; ++i) {
    if ((static_cast<unsigned char>(sql_[i]) & 0xC0) != 0x80) ++pos;
  }
  return pos;
}

}  // namespace tenantdb::sql
