// `tenantdb shell`: the interactive loop (readline when stdin is a terminal, plain lines
// otherwise), meta commands and their registration with CLI11 (with `tenantdb sql`).
#include "cli/shell.h"

#include <fcntl.h>
#include <pthread.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "cli/shell_completion.h"
#include "cli/shell_copy.h"
#include "cli/shell_input.h"
#include "cli/shell_output.h"
#include "cli/shell_settings.h"
#include "cli/sql_client.h"

namespace tenantdb::cli {

namespace {

constexpr const char* kHelp =
    "Statements end with ';' and may span lines.\n"
    "  \\q               quit (also Ctrl-D)\n"
    "  \\timing [on|off] show how long each statement takes\n"
    "  \\dt [NS]         list tables (SHOW TABLES [IN NS])\n"
    "  \\dn              list namespaces (SHOW NAMESPACES)\n"
    "  \\d TABLE         describe a table (DESCRIBE TABLE TABLE)\n"
    "  \\subscribe SELECT ... live query (with --url): rows, then changes; Ctrl-C stops\n"
    "  \\i FILE          run the statements and commands in FILE\n"
    "  \\copy T FROM|TO 'FILE' [options]  COPY with a file of this machine\n"
    "  \\o [FILE]        send results to FILE (no FILE: back to the terminal)\n"
    "  \\x [on|off|auto] expanded display, one block per row\n"
    "  \\pset NAME VALUE null TEXT | format table|csv|json | expanded | pager on|off|always\n"
    "  \\set [NAME [VALUE]] / \\unset NAME   variables; ON_ERROR_STOP stops scripts\n"
    "  \\?               this help\n"
    "Ctrl-C abandons the statement being typed, or cancels the one running.\n";

constexpr const char* kRemoteHelp =
    "With --url each statement runs in its own server session. The shell carries the\n"
    "session: USE, SET and PREPARE are remembered and replayed in front of later\n"
    "statements; BEGIN ... COMMIT is held and sent as one request at COMMIT, which prints\n"
    "every statement's result (ROLLBACK drops it unsent).\n";

// Ctrl-C (SIGINT):
//   - while readline waits for input: jump back to the prompt, dropping the line and any
//     unfinished statement;
//   - while a statement runs: cancel it. The handler only writes a byte to a self-pipe
//     (write() is async-signal-safe; Session::Cancel takes a mutex, which is not); the
//     CancelWatcher thread reads it and calls SqlClient::Cancel() (the embedded session's
//     Cancel, or dropping the server connection), the statement fails
//     with query_canceled and the shell goes on with the next input;
//   - otherwise (between statements): ignored. Ctrl-C never ends the shell; \q or
//     Ctrl-D does (and a terminal's Ctrl-C also stops whatever feeds a piped script).
sigjmp_buf g_prompt_jump;
volatile sig_atomic_t g_in_readline = 0;
volatile sig_atomic_t g_statement_running = 0;
int g_cancel_pipe[2] = {-1, -1};

constexpr char kCancelByte = 'c';
constexpr char kStopByte = 'q';

void OnSigint(int) {
  if (g_in_readline) siglongjmp(g_prompt_jump, 1);
  if (g_statement_running) {
    const int saved = errno;
    [[maybe_unused]] ssize_t n = write(g_cancel_pipe[1], &kCancelByte, 1);
    errno = saved;
  }
}

// Owns the self-pipe and the thread that turns its bytes into SqlClient::Cancel() calls;
// installs OnSigint for its lifetime.
class CancelWatcher {
 public:
  explicit CancelWatcher(SqlClient* client) {
    if (pipe2(g_cancel_pipe, O_CLOEXEC) != 0) return;
    // The handler must never block on a full pipe.
    fcntl(g_cancel_pipe[1], F_SETFL, fcntl(g_cancel_pipe[1], F_GETFL) | O_NONBLOCK);
    // The watcher never takes SIGINT itself (OnSigint may siglongjmp to the main
    // thread's prompt): spawn it with the signal blocked, then restore the mask here.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    thread_ = std::thread([client] {
      char byte = 0;
      while (true) {
        const ssize_t n = read(g_cancel_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || byte == kStopByte) return;
        client->Cancel();
      }
    });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    std::signal(SIGINT, OnSigint);
  }
  ~CancelWatcher() {
    std::signal(SIGINT, SIG_DFL);
    if (!thread_.joinable()) return;
    g_statement_running = 0;
    // Blocking write for the stop byte: the reader drains the pipe.
    fcntl(g_cancel_pipe[1], F_SETFL, fcntl(g_cancel_pipe[1], F_GETFL) & ~O_NONBLOCK);
    [[maybe_unused]] ssize_t n = write(g_cancel_pipe[1], &kStopByte, 1);
    thread_.join();
    close(g_cancel_pipe[0]);
    close(g_cancel_pipe[1]);
    g_cancel_pipe[0] = g_cancel_pipe[1] = -1;
  }
  CancelWatcher(const CancelWatcher&) = delete;
  CancelWatcher& operator=(const CancelWatcher&) = delete;

 private:
  std::thread thread_;
};

std::string HistoryPath() {
  if (const char* path = std::getenv("TENANTDB_HISTORY"); path != nullptr && *path != '\0') {
    return path;
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.tenantdb_history";
  }
  return {};
}

// Whether `text` may set a password (CREATE / ALTER USER ... PASSWORD): such statements
// stay out of the history file, which would otherwise keep the password in clear.
bool MentionsPassword(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("password") != std::string::npos;
}

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n;");
  return end < begin ? std::string() : std::string(text.substr(begin, end - begin + 1));
}

// psql's quoting of meta-command arguments: 'text' (with '' for a quote) is the text.
std::string Unquote(const std::string& text) {
  if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') return text;
  std::string out;
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    out.push_back(text[i]);
    if (text[i] == '\'' && text[i + 1] == '\'') ++i;
  }
  return out;
}

// One input the shell reads lines from: the terminal or standard input (`stream` null),
// or a script (-f, \i) with its name and the number of the line read last, for errors.
struct LineSource {
  std::string name;
  std::unique_ptr<std::istream> stream;
  int line = 0;
  StatementBuffer buffer;
};

class Shell {
 public:
  Shell(SqlClient* client, bool interactive, ShellSettings settings)
      : client_(client),
        interactive_(interactive),
        settings_(std::move(settings)),
        completer_(client) {
    settings_.timing = interactive;
  }

  // Runs until end of input or \q; returns the exit code.
  int Run() {
    CancelWatcher watcher(client_);
    if (interactive_) {
      std::printf("tenantdb shell as %s (role %s)%s. Type \\? for help, \\q to quit.\n",
                  client_->user().c_str(), client_->role_name().c_str(),
                  client_->location().c_str());
      OpenHistory();
      rl_catch_signals = 0;
      ShellCompleter::InstallReadline(&completer_);
    }
    LineSource input;
    ReadSource(&input);
    if (interactive_) {
      ShellCompleter::InstallReadline(nullptr);
      if (!quit_) std::printf("\n");
      if (!history_path_.empty()) history_truncate_file(history_path_.c_str(), kHistoryLines);
    }
    return Finish();
  }

  // -c TEXT and -f FILE, in the order given; then the shell exits without reading stdin.
  int RunScripts(const std::vector<std::pair<bool, std::string>>& scripts) {
    CancelWatcher watcher(client_);
    for (const auto& [is_file, text] : scripts) {
      if (quit_ || stopped_) break;
      if (is_file) {
        IncludeFile(text);
      } else {
        LineSource command;
        command.name = "-c";
        RunText(&command, text);
      }
    }
    return Finish();
  }

 private:
  static constexpr int kHistoryLines = 2000;

  int Finish() {
    if (const std::string note = client_->EndOfInput(); !note.empty()) {
      std::fflush(stdout);
      std::fprintf(stderr, "WARNING:  %s\n", note.c_str());
    }
    // psql's exit code 3: a script stopped by ON_ERROR_STOP.
    if (stopped_) return 3;
    return failed_ && !interactive_ ? 1 : 0;
  }

  void OpenHistory() {
    history_path_ = HistoryPath();
    using_history();
    stifle_history(kHistoryLines);
    if (history_path_.empty()) return;
    // Each entry is appended as it is entered (a killed shell keeps its history); the
    // file must exist for append_history.
    if (read_history(history_path_.c_str()) != 0) write_history(history_path_.c_str());
  }

  void AddHistory(const std::string& entry) {
    if (!interactive_) return;
    add_history(entry.c_str());
    if (!history_path_.empty()) append_history(1, history_path_.c_str());
  }

  // Reads `source` (a file, or the terminal / stdin when it has no stream) to its end.
  void ReadSource(LineSource* source) {
    std::string line;
    while (!quit_ && !stopped_) {
      if (source->stream != nullptr) {
        if (!std::getline(*source->stream, line)) break;
      } else if (interactive_) {
        if (!ReadInteractive(source, &line)) break;
      } else if (!std::getline(std::cin, line)) {
        break;
      }
      ++source->line;
      HandleLine(source, line);
    }
    if (!source->buffer.empty() && !quit_ && !stopped_) {
      // End of input inside a statement: run it as it is, as psql does.
      RunStatements(source, SplitScript(source->buffer.TakeRest()));
    }
  }

  // -c TEXT: a meta command, or statements.
  void RunText(LineSource* source, const std::string& text) {
    source->line = 1;
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '\\') {
      RunMeta(source, text.substr(first + 1));
      return;
    }
    RunStatements(source, SplitScript(text));
  }

  void IncludeFile(const std::string& path) {
    auto file = std::make_unique<std::ifstream>(path);
    if (!file->is_open()) {
      Fail(nullptr, "\\i: could not read \"" + path + "\": " + std::strerror(errno));
      return;
    }
    if (++include_depth_ > kMaxIncludeDepth) {
      Fail(nullptr, "\\i: \"" + path + "\" is nested more than " +
                        std::to_string(kMaxIncludeDepth) + " files deep (does it include itself?)");
    } else {
      LineSource source;
      source.name = path;
      source.stream = std::move(file);
      ReadSource(&source);
    }
    --include_depth_;
  }

  bool ReadInteractive(LineSource* source, std::string* line) {
    // psql's prompts: `ns=> `, `ns-> ` while a statement continues, a `*` inside a
    // transaction (`ns=*> `).
    const std::string prompt = client_->current_namespace() + (source->buffer.empty() ? "=" : "-") +
                               (client_->in_transaction() ? "*" : "") + "> ";
    if (sigsetjmp(g_prompt_jump, 1) != 0) {
      // Ctrl-C: readline was interrupted; reset its state and the statement.
      g_in_readline = 0;
      rl_free_line_state();
      rl_cleanup_after_signal();
      source->buffer.Clear();
      std::printf("\n");
      std::fflush(stdout);
    }
    g_in_readline = 1;
    char* raw = readline(prompt.c_str());
    g_in_readline = 0;
    if (raw == nullptr) return false;
    *line = raw;
    std::free(raw);
    return true;
  }

  void HandleLine(LineSource* source, const std::string& line) {
    if (source->buffer.empty()) {
      const size_t first = line.find_first_not_of(" \t");
      if (first != std::string::npos && line[first] == '\\') {
        if (source->stream == nullptr) AddHistory(line);
        source->buffer.Clear();
        RunMeta(source, line.substr(first + 1));
        return;
      }
    }
    source->buffer.AddLine(line);
    std::vector<std::string> statements = source->buffer.TakeComplete();
    if (statements.empty()) return;
    if (source->stream == nullptr) {
      std::string entry;
      for (const std::string& s : statements)
        entry += s + ";";
      if (!MentionsPassword(entry)) AddHistory(entry);
    }
    RunStatements(source, statements);
  }

  // An error of the shell's own (not a statement's), "FILE:LINE: " first when it comes
  // from a script.
  void Fail(const LineSource* source, const std::string& message) {
    failed_ = true;
    std::fflush(stdout);
    std::fprintf(stderr, "%s%s\n", Where(source).c_str(), message.c_str());
    if (source != nullptr && source->stream != nullptr && settings_.on_error_stop()) {
      stopped_ = true;
    }
  }

  static std::string Where(const LineSource* source) {
    if (source == nullptr || source->name.empty()) return {};
    return source->name + ":" + std::to_string(source->line) + ": ";
  }

  void RunMeta(LineSource* source, const std::string& text) {
    const size_t space = text.find_first_of(" \t");
    const std::string command = text.substr(0, space);
    const std::string argument = space == std::string::npos ? "" : Trim(text.substr(space));
    if (command == "q") {
      quit_ = true;
    } else if (command == "?" || command == "h") {
      Print(kHelp);
      if (!client_->location().empty()) Print(kRemoteHelp);
    } else if (command == "timing") {
      if (argument.empty()) {
        settings_.timing = !settings_.timing;
      } else if (const std::optional<bool> on = ParseSettingBool(argument)) {
        settings_.timing = *on;
      } else {
        Fail(source, "\\timing: expected on or off, got \"" + argument + "\"");
        return;
      }
      Print(std::string("Timing is ") + (settings_.timing ? "on" : "off") + ".\n");
    } else if (command == "dt") {
      RunStatements(source, {argument.empty() ? "SHOW TABLES" : "SHOW TABLES IN " + argument});
    } else if (command == "dn") {
      RunStatements(source, {"SHOW NAMESPACES"});
    } else if (command == "d") {
      RunStatements(source, {argument.empty() ? "SHOW TABLES" : "DESCRIBE TABLE " + argument});
    } else if (command == "subscribe") {
      Subscribe(source, argument);
    } else if (command == "copy") {
      Copy(source, argument);
    } else if (command == "i" || command == "include") {
      if (argument.empty()) {
        Fail(source, "\\i: missing required argument (a file name)");
        return;
      }
      IncludeFile(Unquote(argument));
    } else if (command == "o" || command == "out") {
      if (Status st = output_.Redirect(Unquote(argument)); !st.ok()) Fail(source, st.ToString());
    } else if (command == "x") {
      Pset(source, "expanded", argument);
    } else if (command == "pset") {
      const size_t gap = argument.find_first_of(" \t");
      Pset(source, argument.substr(0, gap),
           gap == std::string::npos ? "" : Unquote(Trim(argument.substr(gap))));
    } else if (command == "set") {
      if (argument.empty()) {
        Print(ListVariables(settings_));
        return;
      }
      const size_t gap = argument.find_first_of(" \t");
      const std::string value = gap == std::string::npos ? "" : Unquote(Trim(argument.substr(gap)));
      if (Status st = SetVariable(&settings_, argument.substr(0, gap), value); !st.ok()) {
        Fail(source, std::string(st.message()));
      }
    } else if (command == "unset") {
      if (Status st = UnsetVariable(&settings_, argument); !st.ok()) {
        Fail(source, std::string(st.message()));
      }
    } else {
      Fail(source, "invalid command \\" + command + "; try \\? for help");
    }
    std::fflush(stdout);
  }

  // \copy ... FROM / TO 'file' (shell_copy.h); a load over 64 MiB reports its progress
  // on stderr when that is a terminal.
  void Copy(LineSource* source, const std::string& argument) {
    Result<ShellCopy> copy = ParseShellCopy(argument);
    if (!copy.ok()) {
      Fail(source, std::string(copy.status().message()));
      return;
    }
    std::FILE* file = std::fopen(copy->path.c_str(), copy->from ? "rb" : "wb");
    if (file == nullptr) {
      Fail(source, "\\copy: could not open \"" + copy->path + "\": " + std::strerror(errno));
      return;
    }
    const bool progress = isatty(STDERR_FILENO) != 0;
    const auto started = std::chrono::steady_clock::now();
    uint64_t bytes = 0, next_report = uint64_t{64} << 20;
    g_statement_running = 1;
    Result<uint64_t> rows = uint64_t{0};
    if (copy->from) {
      rows = client_->CopyFrom(copy->sql, [&]() -> Result<std::string> {
        std::string chunk(1 << 20, '\0');
        const size_t n = std::fread(chunk.data(), 1, chunk.size(), file);
        if (n == 0 && std::ferror(file)) {
          return Status(ErrorCode::kIoError, "\\copy: could not read \"" + copy->path + "\"");
        }
        chunk.resize(n);
        bytes += n;
        if (progress && bytes >= next_report) {
          next_report += uint64_t{64} << 20;
          const double s =
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          std::fprintf(stderr, "\\copy: %llu MiB read (%.0f MiB/s)\n",
                       static_cast<unsigned long long>(bytes >> 20),
                       (bytes >> 20) / (s > 0 ? s : 1));
        }
        return chunk;
      });
    } else {
      rows = client_->CopyTo(copy->sql, [&](std::string_view line) -> Status {
        if (std::fwrite(line.data(), 1, line.size(), file) != line.size()) {
          return Status(ErrorCode::kIoError, "\\copy: could not write \"" + copy->path + "\"");
        }
        return Status::Ok();
      });
    }
    g_statement_running = 0;
    const bool closed = std::fclose(file) == 0;
    if (rows.ok() && !closed)
      rows = Status(ErrorCode::kIoError, "\\copy: could not write \"" + copy->path + "\"");
    if (!rows.ok()) {
      failed_ = true;
      std::fflush(stdout);
      const std::string error = Where(source) + FormatError(rows.status());
      std::fprintf(stderr, "%s", error.c_str());
      if (source != nullptr && source->stream != nullptr && settings_.on_error_stop()) {
        stopped_ = true;
      }
      return;
    }
    Print("COPY " + std::to_string(*rows) + "\n");
  }

  // \subscribe SELECT ...: prints the live query until Ctrl-C (which ends it, not the
  // shell) or until the server ends it.
  void Subscribe(LineSource* source, const std::string& sql) {
    if (sql.empty()) {
      Fail(source, "\\subscribe: missing the query (\\subscribe SELECT ... FROM ...)");
      return;
    }
    g_statement_running = 1;
    const Status status = client_->Subscribe(
        sql, [this](std::string_view line) { output_.Write(line, PagerMode::kOff); });
    g_statement_running = 0;
    if (!status.ok()) {
      failed_ = true;
      std::fflush(stdout);
      const std::string error = Where(source) + FormatError(status);
      std::fprintf(stderr, "%s", error.c_str());
      if (source->stream != nullptr && settings_.on_error_stop()) stopped_ = true;
      return;
    }
    Print("subscription ended\n");
  }

  void Pset(LineSource* source, const std::string& name, const std::string& value) {
    if (name.empty()) {
      Fail(source, "\\pset: missing option name (null, format, expanded or pager)");
      return;
    }
    Result<std::string> said = ApplyPset(&settings_, name, value);
    if (!said.ok()) {
      Fail(source, std::string(said.status().message()));
      return;
    }
    Print(*said + "\n");
  }

  // Shell messages follow the results (into \o's file too, as psql's do).
  void Print(const std::string& text) { output_.Write(text, PagerMode::kOff); }

  void PrintResult(const sql::QueryResult& result) {
    TableOptions table = settings_.table;
    table.expanded = settings_.expanded == ExpandedMode::kOn;
    std::string text = FormatResult(result, settings_.format, table);
    if (settings_.format == OutputFormat::kTable && settings_.expanded == ExpandedMode::kAuto &&
        output_.to_terminal()) {
      const TerminalSize terminal = StdoutTerminalSize();
      if (terminal.columns > 0 && WidestLine(text) > terminal.columns) {
        table.expanded = true;
        text = FormatResult(result, settings_.format, table);
      }
    }
    if (settings_.format == OutputFormat::kTable && result.returns_rows()) text.push_back('\n');
    output_.Write(text, settings_.pager);
  }

  void RunStatements(LineSource* source, const std::vector<std::string>& statements) {
    for (const std::string& statement : statements) {
      if (stopped_) return;
      const auto start = std::chrono::steady_clock::now();
      g_statement_running = 1;
      // The aligned table needs every row (the client bounds what it holds). A remote
      // transaction's statements come back together at COMMIT (sql_client.h).
      std::vector<StatementOutcome> outcomes = client_->Submit(statement);
      g_statement_running = 0;
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      if (ChangesNames(statement)) completer_.Invalidate();
      for (const StatementOutcome& outcome : outcomes) {
        if (!outcome.result.ok()) {
          failed_ = true;
          std::fflush(stdout);
          const std::string error =
              Where(source) + FormatError(outcome.result.status(), outcome.statement);
          std::fprintf(stderr, "%s", error.c_str());
          std::fflush(stderr);
          if (source->stream != nullptr && settings_.on_error_stop()) stopped_ = true;
        } else {
          std::fputs(FormatNotices(*outcome.result).c_str(), stderr);
          PrintResult(*outcome.result);
        }
      }
      if (settings_.timing && !outcomes.empty()) Print(FormatTiming(ms));
      std::fflush(stdout);
    }
  }

  // DDL may add or remove names the completer offers.
  static bool ChangesNames(const std::string& statement) {
    const std::string head = Trim(statement).substr(0, 6);
    std::string upper;
    for (const char c : head)
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    return upper.starts_with("CREATE") || upper.starts_with("DROP") || upper.starts_with("ALTER");
  }

  static constexpr int kMaxIncludeDepth = 16;

  SqlClient* client_;
  bool interactive_;
  ShellSettings settings_;
  ShellOutput output_;
  ShellCompleter completer_;
  bool quit_ = false;
  bool failed_ = false;
  bool stopped_ = false;  // ON_ERROR_STOP ended the scripts
  int include_depth_ = 0;
  std::string history_path_;
};

void AddConnectOptions(CLI::App* command, ConnectOptions* connect) {
  command->add_option("--user,-U", connect->user, "User to run statements as")
      ->capture_default_str();
  CLI::Option* role =
      command->add_option("--role", connect->role,
                          "user, service, dba or system (default: system for root, else user)");
  CLI::Option* data =
      command->add_option("--data,-D", connect->data, "Data directory (created if missing)")
          ->capture_default_str();
  command
      ->add_option("--url", connect->url,
                   "A tenantdb server (http://host:port) instead of a data directory; the "
                   "password comes from TENANTDB_PASSWORD or a prompt")
      ->excludes(role)
      ->excludes(data);
}

}  // namespace

int RunShell(const ShellOptions& options) {
  Result<std::unique_ptr<SqlClient>> client = OpenClient(options.connect);
  if (!client.ok()) {
    std::fprintf(stderr, "%s", FormatError(client.status()).c_str());
    return 1;
  }
  ShellSettings settings;
  if (const std::optional<OutputFormat> format = ParseOutputFormat(options.format)) {
    settings.format = *format;
  }
  for (const std::string& assignment : options.variables) {
    const size_t eq = assignment.find('=');
    Status st = SetVariable(&settings, assignment.substr(0, eq),
                            eq == std::string::npos ? "" : assignment.substr(eq + 1));
    if (!st.ok()) {
      std::fprintf(stderr, "-v %s: %s\n", assignment.c_str(), std::string(st.message()).c_str());
      return 1;
    }
  }
  if (!options.scripts.empty()) {
    Shell shell(client->get(), /*interactive=*/false, std::move(settings));
    return shell.RunScripts(options.scripts);
  }
  Shell shell(client->get(), isatty(STDIN_FILENO) != 0, std::move(settings));
  return shell.Run();
}

void RegisterShellCommands(CLI::App& app) {
  auto shell = std::make_shared<ShellOptions>();
  CLI::App* s =
      app.add_subcommand("shell", "Interactive SQL shell on a data directory or a server");
  AddConnectOptions(s, &shell->connect);
  auto commands = std::make_shared<std::vector<std::string>>();
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::Option* command_option = s->add_option(
      "--command,-c", *commands, "Run SQL (or one meta command), then exit; repeatable");
  CLI::Option* file_option =
      s->add_option("--file,-f", *files, "Run a script file, then exit; repeatable");
  s->add_option("--format", shell->format, "Result format: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  s->add_option("--set,-v", shell->variables, "Set a variable, e.g. -v ON_ERROR_STOP=1");
  s->callback([shell, s, commands, files, command_option, file_option] {
    // -c and -f run in the order they were given, as psql runs them.
    size_t next_command = 0;
    size_t next_file = 0;
    for (const CLI::Option* option : s->parse_order()) {
      if (option == command_option && next_command < commands->size()) {
        shell->scripts.emplace_back(false, (*commands)[next_command++]);
      } else if (option == file_option && next_file < files->size()) {
        shell->scripts.emplace_back(true, (*files)[next_file++]);
      }
    }
    SetExitCode(RunShell(*shell));
  });

  auto sql = std::make_shared<SqlOptions>();
  CLI::App* q = app.add_subcommand("sql", "Run SQL statements once and print the results");
  AddConnectOptions(q, &sql->connect);
  q->add_option("--format,-f", sql->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  q->add_option("sql", sql->sql, "The statements, separated by ';'")->required();
  q->callback([sql] { SetExitCode(RunSql(*sql)); });
}

}  // namespace tenantdb::cli
