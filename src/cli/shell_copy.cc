#include "cli/shell_copy.h"

#include <cctype>

namespace tenantdb::cli {

namespace {

bool WordAt(std::string_view s, size_t at, std::string_view word) {
  if (at + word.size() > s.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[at + i])) != word[i]) return false;
  }
  const bool starts =
      at == 0 || std::isspace(static_cast<unsigned char>(s[at - 1])) || s[at - 1] == ')';
  const size_t end = at + word.size();
  const bool ends = end == s.size() || std::isspace(static_cast<unsigned char>(s[end]));
  return starts && ends;
}

}  // namespace

Result<ShellCopy> ParseShellCopy(std::string_view arg) {
  // The FROM / TO outside parentheses and quotes splits the target from the file.
  int depth = 0;
  char quote = 0;
  size_t split = std::string_view::npos;
  bool from = false;
  for (size_t i = 0; i < arg.size() && split == std::string_view::npos; ++i) {
    const char c = arg[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && WordAt(arg, i, "from")) {
      split = i;
      from = true;
    } else if (depth == 0 && WordAt(arg, i, "to")) {
      split = i;
    }
  }
  if (split == std::string_view::npos) {
    return Status(ErrorCode::kSyntaxError,
                  "\\copy: expected FROM or TO (\\copy t FROM 'file' or \\copy t TO 'file')");
  }
  const std::string_view target = arg.substr(0, split);
  size_t i = split + (from ? 4 : 2);
  while (i < arg.size() && std::isspace(static_cast<unsigned char>(arg[i])))
    ++i;
  ShellCopy copy;
  copy.from = from;
  if (i < arg.size() && arg[i] == '\'') {
    size_t j = i + 1;
    for (; j < arg.size(); ++j) {
      if (arg[j] == '\'') {
        if (j + 1 < arg.size() && arg[j + 1] == '\'') {
          copy.path += '\'';
          ++j;
          continue;
        }
        break;
      }
      copy.path += arg[j];
    }
    if (j >= arg.size()) return Status(ErrorCode::kSyntaxError, "\\copy: unterminated file name");
    i = j + 1;
  } else {
    while (i < arg.size() && !std::isspace(static_cast<unsigned char>(arg[i])))
      copy.path += arg[i++];
  }
  if (copy.path.empty()) return Status(ErrorCode::kSyntaxError, "\\copy: missing the file name");
  if (target.find_first_not_of(" \t") == std::string_view::npos) {
    return Status(ErrorCode::kSyntaxError, "\\copy: missing the table or (query)");
  }
  std::string rest(arg.substr(i));
  while (!rest.empty() &&
         (rest.back() == ';' || std::isspace(static_cast<unsigned char>(rest.back()))))
    rest.pop_back();
  copy.sql = "COPY " + std::string(target) + (from ? " FROM STDIN" : " TO STDOUT") + rest;
  return copy;
}

}  // namespace tenantdb::cli
