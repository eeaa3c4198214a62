// Where the shell's results go: standard output, or a file after `\o FILE` (`\o` alone
// returns to standard output); long output on a terminal goes through a pager
// (TENANTDB_PAGER, else PAGER, else `less -SFRX` when installed), as psql does. Errors
// are not results: they always go to stderr.
//
// Pager: used only when the output is the terminal and the pager mode is on (the text
// has more lines than the terminal, or a line wider than it) or always. Quitting the
// pager early is fine: the rest of the text is dropped, the shell goes on.
//
// Thread safety: one thread.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "cli/shell_settings.h"
#include "common/status.h"

namespace tenantdb::cli {

struct TerminalSize {
  bool terminal = false;  // standard output is a terminal
  size_t rows = 0;        // 0: unknown (a terminal that reports no size)
  size_t columns = 0;
};

// Whether standard output is a terminal, and its size when it says.
TerminalSize StdoutTerminalSize();

// The widest line of `text` in terminal columns, and its line count.
size_t WidestLine(std::string_view text);
size_t LineCount(std::string_view text);

class ShellOutput {
 public:
  // Sends later results to `path` (created or truncated), or back to standard output
  // when `path` is empty. Errors: kIoError naming the file when it cannot be opened.
  Status Redirect(const std::string& path);
  // True while results go to standard output and that is a terminal.
  bool to_terminal() const;
  // Writes `text` and flushes it.
  void Write(std::string_view text, PagerMode pager);

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::unique_ptr<std::FILE, FileCloser> file_;  // null: standard output
};

}  // namespace tenantdb::cli
