// Statement input for the shell and `tenantdb sql`: collects typed lines until they hold
// complete statements (a `;` outside strings, quoted identifiers, comments and
// parentheses — the parser's own tokenizer decides), then hands them out one statement
// at a time.
//
// Thread safety: a StatementBuffer is used by one thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tenantdb::cli {

// The statements of `script`, each without its ';' and surrounding blanks. Empty
// statements are dropped.
std::vector<std::string> SplitScript(std::string_view script);

class StatementBuffer {
 public:
  // Appends one input line (without its newline).
  void AddLine(std::string_view line);
  // Removes and returns the complete statements buffered so far (text up to the last
  // top-level `;`); what follows stays buffered.
  std::vector<std::string> TakeComplete();
  // True when nothing but blanks or comments is buffered.
  bool empty() const;
  // Whatever is buffered (an unfinished statement), and forgets it.
  std::string TakeRest();
  void Clear() { text_.clear(); }

 private:
  std::string text_;
};

}  // namespace tenantdb::cli
