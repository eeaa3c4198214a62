#include "cli/remote_session.h"

#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "cli/remote_result.h"
#include "common/memory_tracker.h"

namespace tenantdb::cli {

namespace {

// Skips blanks and SQL comments from `pos`.
size_t SkipBlanks(std::string_view text, size_t pos) {
  while (pos < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[pos]))) {
      ++pos;
    } else if (text.substr(pos, 2) == "--") {
      const size_t end = text.find('\n', pos);
      pos = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.substr(pos, 2) == "/*") {
      const size_t end = text.find("*/", pos + 2);
      pos = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  return pos;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The identifier at `pos` (quoted: as written, "" for "; unquoted: lower-cased), moving
// `pos` past it; nullopt when there is none.
std::optional<std::string> ReadIdentifier(std::string_view text, size_t* pos) {
  if (*pos < text.size() && text[*pos] == '"') {
    std::string out;
    size_t i = *pos + 1;
    while (i < text.size()) {
      if (text[i] == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          out.push_back('"');
          i += 2;
          continue;
        }
        *pos = i + 1;
        return out;
      }
      out.push_back(text[i++]);
    }
    return std::nullopt;
  }
  const size_t start = *pos;
  while (*pos < text.size() && IsWordChar(text[*pos]))
    ++*pos;
  if (*pos == start) return std::nullopt;
  return Lower(text.substr(start, *pos - start));
}

// How much of a result the shell holds to print it: as the embedded shell, an eighth of
// memory (statement_mem's default).
size_t MaxResultBytes() {
  return std::max<size_t>(PhysicalMemoryBytes() / 8, size_t{64} << 20);
}

}  // namespace

SessionEffect ClassifyStatement(std::string_view statement) {
  SessionEffect effect;
  size_t pos = SkipBlanks(statement, 0);
  const size_t start = pos;
  while (pos < statement.size() && IsWordChar(statement[pos]))
    ++pos;
  effect.keyword = Upper(statement.substr(start, pos - start));
  const std::string& k = effect.keyword;
  effect.needs_session = k == "BEGIN" || k == "START" || k == "COMMIT" || k == "END" ||
                         k == "ROLLBACK" || k == "ABORT" || k == "SAVEPOINT" || k == "RELEASE" ||
                         k == "SET" || k == "RESET" || k == "PREPARE" || k == "DEALLOCATE";
  if (k == "USE") {
    pos = SkipBlanks(statement, pos);
    std::optional<std::string> ns = ReadIdentifier(statement, &pos);
    if (ns && SkipBlanks(statement, pos) == statement.size()) effect.use_namespace = *ns;
  }
  return effect;
}

Result<std::string> ReadServerPassword(const std::string& user) {
  if (const char* env = std::getenv("TENANTDB_PASSWORD"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) {
    return Status(ErrorCode::kInvalidArgument,
                  "no password for " + user +
                      ": set TENANTDB_PASSWORD, or run the shell from a terminal to be asked");
  }
  std::fprintf(tty, "Password for %s: ", user.c_str());
  std::fflush(tty);
  const int fd = fileno(tty);
  termios saved{};
  const bool is_terminal = tcgetattr(fd, &saved) == 0;
  if (is_terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string password;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty))
    password.push_back(static_cast<char>(c));
  if (is_terminal) tcsetattr(fd, TCSAFLUSH, &saved);
  std::fprintf(tty, "\n");
  std::fclose(tty);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

Result<std::unique_ptr<RemoteSession>> RemoteSession::Open(HttpUrl url, std::string user,
                                                           std::string password) {
  auto http = std::make_unique<HttpClient>(std::move(url), MaxResultBytes());
  std::unique_ptr<RemoteSession> session(
      new RemoteSession(std::move(http), std::move(user), std::move(password)));
  TDB_RETURN_IF_ERROR(session->Login());
  return session;
}

Status RemoteSession::Login() {
  TDB_ASSIGN_OR_RETURN(HttpResponse response,
                       http_->PostJson("/v1/api/auth/login", LoginRequestJson(user_, password_),
                                       /*bearer=*/""));
  TDB_ASSIGN_OR_RETURN(LoginAnswer answer, ParseLoginResponse(response.status, response.body));
  token_ = std::move(answer.access_token);
  if (!answer.role.empty()) role_ = std::move(answer.role);
  if (!answer.user.empty()) user_ = std::move(answer.user);
  return Status::Ok();
}

Result<sql::QueryResult> RemoteSession::Send(const std::string& statement) {
  const std::string body = SqlRequestJson(statement, namespace_);
  TDB_ASSIGN_OR_RETURN(HttpResponse response, http_->PostJson("/v1/api/sql", body, token_));
  if (response.status == 401) {
    // An expired token: the statement did not run. Log in again and send it once more.
    TDB_RETURN_IF_ERROR(Login());
    TDB_ASSIGN_OR_RETURN(response, http_->PostJson("/v1/api/sql", body, token_));
  }
  TDB_ASSIGN_OR_RETURN(std::vector<sql::QueryResult> results,
                       ParseSqlResponse(response.status, response.body));
  if (results.size() != 1) {
    return Status(ErrorCode::kInvalidRequest, "the server answered one statement with " +
                                                  std::to_string(results.size()) + " results");
  }
  return std::move(results.front());
}

Result<sql::QueryResult> RemoteSession::Run(const std::string& statement) {
  const SessionEffect effect = ClassifyStatement(statement);
  if (effect.needs_session) {
    return Status(ErrorCode::kFeatureNotSupported,
                  effect.keyword +
                      " is not available with --url: each statement runs in its own server "
                      "session, so transactions and settings do not carry over to the next "
                      "statement");
  }
  TDB_ASSIGN_OR_RETURN(sql::QueryResult result, Send(statement));
  if (effect.use_namespace) namespace_ = *effect.use_namespace;
  return result;
}

}  // namespace tenantdb::cli
