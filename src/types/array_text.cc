#include "types/array_text.h"

#include <cctype>

namespace tenantdb {

namespace {

Status Malformed(std::string_view literal) {
  return Status(ErrorCode::kInvalidTextRepresentation,
                "malformed array literal: \"" + std::string(literal) + "\"");
}

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool IsNullWord(std::string_view s) {
  return s.size() == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'u' && (s[2] | 0x20) == 'l' &&
         (s[3] | 0x20) == 'l';
}

}  // namespace

Result<TextArray> ParseTextArray(std::string_view literal) {
  size_t i = 0;
  while (i < literal.size() && IsSpace(literal[i]))
    ++i;
  if (i == literal.size() || literal[i] != '{') return Malformed(literal);
  ++i;
  TextArray out;
  while (i < literal.size() && IsSpace(literal[i]))
    ++i;
  if (i < literal.size() && literal[i] == '{') {
    return Status(ErrorCode::kFeatureNotSupported,
                  "multidimensional arrays are not supported: \"" + std::string(literal) + "\"");
  }
  if (i < literal.size() && literal[i] == '}') {
    ++i;
  } else {
    while (true) {
      while (i < literal.size() && IsSpace(literal[i]))
        ++i;
      if (i == literal.size()) return Malformed(literal);
      std::string element;
      bool quoted = false;
      if (literal[i] == '"') {
        quoted = true;
        ++i;
        while (i < literal.size() && literal[i] != '"') {
          if (literal[i] == '\\') ++i;
          if (i == literal.size()) return Malformed(literal);
          element += literal[i++];
        }
        if (i == literal.size()) return Malformed(literal);
        ++i;  // closing quote
      } else {
        while (i < literal.size() && literal[i] != ',' && literal[i] != '}') {
          if (literal[i] == '{' || literal[i] == '"') return Malformed(literal);
          if (literal[i] == '\\' && i + 1 < literal.size()) ++i;
          element += literal[i++];
        }
        while (!element.empty() && IsSpace(element.back()))
          element.pop_back();
        if (element.empty()) return Malformed(literal);
      }
      while (i < literal.size() && IsSpace(literal[i]))
        ++i;
      if (!quoted && IsNullWord(element)) {
        out.push_back(std::nullopt);
      } else {
        out.push_back(std::move(element));
      }
      if (i == literal.size()) return Malformed(literal);
      if (literal[i] == '}') {
        ++i;
        break;
      }
      if (literal[i] != ',') return Malformed(literal);
      ++i;
    }
  }
  while (i < literal.size() && IsSpace(literal[i]))
    ++i;
  if (i != literal.size()) return Malformed(literal);
  return out;
}

std::string FormatTextArray(const TextArray& elements) {
  std::string out = "{";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ',';
    if (!elements[i].has_value()) {
      out += "NULL";
      continue;
    }
    const std::string& e = *elements[i];
    bool quote = e.empty() || IsNullWord(e);
    for (char c : e)
      quote = quote || c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || IsSpace(c);
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace tenantdb
