#include "cli/shell_output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "cli/display_width.h"

namespace tenantdb::cli {

namespace {

std::string PagerCommand() {
  for (const char* name : {"TENANTDB_PAGER", "PAGER"}) {
    const char* value = std::getenv(name);
    if (value != nullptr) return value;  // set but empty: no pager
  }
  if (access("/usr/bin/less", X_OK) == 0) return "less -SFRX";
  return {};
}

// Writes `text` through `command` (a shell command line, run by popen). False when the
// pager could not be started, so the caller writes the text itself.
bool WriteThroughPager(const std::string& command, std::string_view text) {
  std::fflush(stdout);
  // A pager quit early closes its end: writes then fail with EPIPE instead of killing us.
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &previous);
  std::FILE* pipe = popen(command.c_str(), "w");
  if (pipe != nullptr) {
    std::fwrite(text.data(), 1, text.size(), pipe);
    pclose(pipe);
  }
  sigaction(SIGPIPE, &previous, nullptr);
  return pipe != nullptr;
}

}  // namespace

TerminalSize StdoutTerminalSize() {
  TerminalSize size;
  winsize ws{};
  size.terminal = isatty(STDOUT_FILENO) != 0;
  if (size.terminal && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
    size.rows = ws.ws_row;
    size.columns = ws.ws_col;
  }
  return size;
}

size_t WidestLine(std::string_view text) {
  size_t widest = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    widest = std::max(widest, DisplayWidth(text.substr(start, end - start)));
    start = end + 1;
  }
  return widest;
}

size_t LineCount(std::string_view text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

Status ShellOutput::Redirect(const std::string& path) {
  if (path.empty()) {
    file_.reset();
    return Status::Ok();
  }
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) {
    return Status(ErrorCode::kIoError,
                  "\\o: could not open \"" + path + "\": " + std::string(std::strerror(errno)));
  }
  file_.reset(f);
  return Status::Ok();
}

bool ShellOutput::to_terminal() const {
  return file_ == nullptr && isatty(STDOUT_FILENO);
}

void ShellOutput::Write(std::string_view text, PagerMode pager) {
  if (file_ != nullptr) {
    std::fwrite(text.data(), 1, text.size(), file_.get());
    std::fflush(file_.get());
    return;
  }
  if (pager != PagerMode::kOff && !text.empty()) {
    const TerminalSize terminal = StdoutTerminalSize();
    const bool long_output = terminal.rows > 0 && (LineCount(text) >= terminal.rows ||
                                                   WidestLine(text) > terminal.columns);
    if (terminal.terminal && (pager == PagerMode::kAlways || long_output)) {
      const std::string command = PagerCommand();
      if (!command.empty() && WriteThroughPager(command, text)) return;
    }
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace tenantdb::cli
