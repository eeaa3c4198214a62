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
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "cli/commands.h"
#include "cli/cursor_reader.h"
#include "cli/shell_input.h"

namespace tenantdb::cli {

namespace {

constexpr const char* kHelp =
    "Statements end with ';' and may span lines.\n"
    "  \\q               quit (also Ctrl-D)\n"
    "  \\timing [on|off] show how long each statement takes\n"
    "  \\dt [NS]         list tables (SHOW TABLES [IN NS])\n"
    "  \\dn              list namespaces (SHOW NAMESPACES)\n"
    "  \\d TABLE         describe a table (DESCRIBE TABLE TABLE)\n"
    "  \\?               this help\n"
    "Ctrl-C abandons the statement being typed, or cancels the one running.\n";

// Ctrl-C (SIGINT):
//   - while readline waits for input: jump back to the prompt, dropping the line and any
//     unfinished statement;
//   - while a statement runs: cancel it. The handler only writes a byte to a self-pipe
//     (write() is async-signal-safe; Session::Cancel takes a mutex, which is not); the
//     CancelWatcher thread reads it and calls Session::Cancel(), the statement fails
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

// Owns the self-pipe and the thread that turns its bytes into Session::Cancel() calls;
// installs OnSigint for its lifetime.
class CancelWatcher {
 public:
  explicit CancelWatcher(Session* session) {
    if (pipe2(g_cancel_pipe, O_CLOEXEC) != 0) return;
    // The handler must never block on a full pipe.
    fcntl(g_cancel_pipe[1], F_SETFL, fcntl(g_cancel_pipe[1], F_GETFL) | O_NONBLOCK);
    // The watcher never takes SIGINT itself (OnSigint may siglongjmp to the main
    // thread's prompt): spawn it with the signal blocked, then restore the mask here.
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    thread_ = std::thread([session] {
      char byte = 0;
      while (true) {
        const ssize_t n = read(g_cancel_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || byte == kStopByte) return;
        session->Cancel();
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

class Shell {
 public:
  Shell(Session* session, bool interactive)
      : session_(session), interactive_(interactive), timing_(interactive) {}

  // Runs until end of input or \q; returns the exit code.
  int Run() {
    CancelWatcher watcher(session_);
    if (interactive_) {
      std::printf("tenantdb shell as %s (role %s). Type \\? for help, \\q to quit.\n",
                  session_->user().c_str(), std::string(RoleName(session_->role())).c_str());
      history_path_ = HistoryPath();
      using_history();
      stifle_history(2000);
      if (!history_path_.empty()) read_history(history_path_.c_str());
      rl_catch_signals = 0;
    }
    std::string line;
    while (!quit_) {
      if (interactive_) {
        if (!ReadInteractive(&line)) break;
      } else if (!std::getline(std::cin, line)) {
        break;
      }
      HandleLine(line);
    }
    if (!buffer_.empty() && !quit_) {
      // End of input inside a statement: run it as it is, as psql does.
      RunStatements(SplitScript(buffer_.TakeRest()));
    }
    if (interactive_) {
      if (!quit_) std::printf("\n");
      if (!history_path_.empty()) write_history(history_path_.c_str());
    }
    return failed_ && !interactive_ ? 1 : 0;
  }

 private:
  bool ReadInteractive(std::string* line) {
    const std::string prompt = session_->current_namespace() + (buffer_.empty() ? "=> " : "-> ");
    if (sigsetjmp(g_prompt_jump, 1) != 0) {
      // Ctrl-C: readline was interrupted; reset its state and the statement.
      g_in_readline = 0;
      rl_free_line_state();
      rl_cleanup_after_signal();
      buffer_.Clear();
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

  void HandleLine(const std::string& line) {
    if (buffer_.empty()) {
      const size_t first = line.find_first_not_of(" \t");
      if (first != std::string::npos && line[first] == '\\') {
        if (interactive_) add_history(line.c_str());
        buffer_.Clear();
        RunMeta(line.substr(first + 1));
        return;
      }
    }
    buffer_.AddLine(line);
    std::vector<std::string> statements = buffer_.TakeComplete();
    if (statements.empty()) return;
    if (interactive_) {
      std::string entry;
      for (const std::string& s : statements)
        entry += s + ";";
      if (!MentionsPassword(entry)) add_history(entry.c_str());
    }
    RunStatements(statements);
  }

  void RunMeta(const std::string& text) {
    const size_t space = text.find_first_of(" \t");
    const std::string command = text.substr(0, space);
    const std::string argument = space == std::string::npos ? "" : Trim(text.substr(space));
    if (command == "q") {
      quit_ = true;
    } else if (command == "?" || command == "h") {
      std::printf("%s", kHelp);
    } else if (command == "timing") {
      if (argument == "on") {
        timing_ = true;
      } else if (argument == "off") {
        timing_ = false;
      } else if (argument.empty()) {
        timing_ = !timing_;
      } else {
        std::fprintf(stderr, "\\timing: expected on or off, got \"%s\"\n", argument.c_str());
        failed_ = true;
        return;
      }
      std::printf("Timing is %s.\n", timing_ ? "on" : "off");
    } else if (command == "dt") {
      RunStatements({argument.empty() ? "SHOW TABLES" : "SHOW TABLES IN " + argument});
    } else if (command == "dn") {
      RunStatements({"SHOW NAMESPACES"});
    } else if (command == "d") {
      RunStatements({argument.empty() ? "SHOW TABLES" : "DESCRIBE TABLE " + argument});
    } else {
      std::fprintf(stderr, "invalid command \\%s; try \\? for help\n", command.c_str());
      failed_ = true;
    }
    std::fflush(stdout);
  }

  void RunStatements(const std::vector<std::string>& statements) {
    for (const std::string& statement : statements) {
      const auto start = std::chrono::steady_clock::now();
      g_statement_running = 1;
      Result<sql::QueryResult> result = [&]() -> Result<sql::QueryResult> {
        TDB_ASSIGN_OR_RETURN(std::unique_ptr<Cursor> cursor, session_->Query(statement));
        // The aligned table needs every row; held within statement_mem, so a huge
        // result fails with out_of_memory instead of exhausting the machine.
        return ReadAll(*cursor, session_->statement_mem());
      }();
      g_statement_running = 0;
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      if (!result.ok()) {
        failed_ = true;
        std::fflush(stdout);
        std::fprintf(stderr, "%s", FormatError(result.status(), statement).c_str());
        std::fflush(stderr);
      } else {
        std::string text = FormatTable(*result);
        if (result->returns_rows()) text.push_back('\n');
        std::fwrite(text.data(), 1, text.size(), stdout);
      }
      if (timing_) std::printf("%s", FormatTiming(ms).c_str());
      std::fflush(stdout);
    }
  }

  Session* session_;
  bool interactive_;
  bool timing_;
  bool quit_ = false;
  bool failed_ = false;
  StatementBuffer buffer_;
  std::string history_path_;
};

void AddConnectOptions(CLI::App* command, ConnectOptions* connect) {
  command->add_option("--user,-U", connect->user, "User to run statements as")
      ->capture_default_str();
  command->add_option("--role", connect->role,
                      "user, service, dba or system (default: system for root, else user)");
  command->add_option("--data,-D", connect->data, "Data directory (created if missing)")
      ->capture_default_str();
}

}  // namespace

int RunShell(const ShellOptions& options) {
  Result<Connection> connection = Connect(options.connect);
  if (!connection.ok()) {
    std::fprintf(stderr, "%s", FormatError(connection.status()).c_str());
    return 1;
  }
  Shell shell(connection->session.get(), isatty(STDIN_FILENO) != 0);
  return shell.Run();
}

void RegisterShellCommands(CLI::App& app) {
  auto shell = std::make_shared<ShellOptions>();
  CLI::App* s = app.add_subcommand("shell", "Interactive SQL shell on a data directory");
  AddConnectOptions(s, &shell->connect);
  s->callback([shell] { SetExitCode(RunShell(*shell)); });

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
