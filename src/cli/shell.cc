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
#include "cli/shell_input.h"
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

class Shell {
 public:
  Shell(SqlClient* client, bool interactive)
      : client_(client), interactive_(interactive), timing_(interactive) {}

  // Runs until end of input or \q; returns the exit code.
  int Run() {
    CancelWatcher watcher(client_);
    if (interactive_) {
      std::printf("tenantdb shell as %s (role %s)%s. Type \\? for help, \\q to quit.\n",
                  client_->user().c_str(), client_->role_name().c_str(),
                  client_->location().c_str());
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
    if (const std::string note = client_->EndOfInput(); !note.empty()) {
      std::fflush(stdout);
      std::fprintf(stderr, "WARNING:  %s\n", note.c_str());
    }
    if (interactive_) {
      if (!quit_) std::printf("\n");
      if (!history_path_.empty()) write_history(history_path_.c_str());
    }
    return failed_ && !interactive_ ? 1 : 0;
  }

 private:
  bool ReadInteractive(std::string* line) {
    // psql's prompts: `ns=> `, `ns-> ` while a statement continues, a `*` inside a
    // transaction (`ns=*> `).
    const std::string prompt = client_->current_namespace() + (buffer_.empty() ? "=" : "-") +
                               (client_->in_transaction() ? "*" : "") + "> ";
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
      if (!client_->location().empty()) std::printf("%s", kRemoteHelp);
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
      // The aligned table needs every row (the client bounds what it holds). A remote
      // transaction's statements come back together at COMMIT (sql_client.h).
      std::vector<StatementOutcome> outcomes = client_->Submit(statement);
      g_statement_running = 0;
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      for (const StatementOutcome& outcome : outcomes) {
        if (!outcome.result.ok()) {
          failed_ = true;
          std::fflush(stdout);
          std::fprintf(stderr, "%s",
                       FormatError(outcome.result.status(), outcome.statement).c_str());
          std::fflush(stderr);
        } else {
          std::fputs(FormatNotices(*outcome.result).c_str(), stderr);
          std::string text = FormatTable(*outcome.result);
          if (outcome.result->returns_rows()) text.push_back('\n');
          std::fwrite(text.data(), 1, text.size(), stdout);
        }
      }
      if (timing_ && !outcomes.empty()) std::printf("%s", FormatTiming(ms).c_str());
      std::fflush(stdout);
    }
  }

  SqlClient* client_;
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
  Shell shell(client->get(), isatty(STDIN_FILENO) != 0);
  return shell.Run();
}

void RegisterShellCommands(CLI::App& app) {
  auto shell = std::make_shared<ShellOptions>();
  CLI::App* s =
      app.add_subcommand("shell", "Interactive SQL shell on a data directory or a server");
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
