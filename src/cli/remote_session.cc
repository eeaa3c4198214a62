#include "cli/remote_session.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>

#include "cli/remote_result.h"
#include "common/memory_tracker.h"
#include "sql/parser/lexer.h"

namespace tenantdb::cli {

namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsName(const sql::Token& token) {
  return token.kind == sql::TokenKind::kIdentifier ||
         token.kind == sql::TokenKind::kQuotedIdentifier;
}

// How much of a result the shell holds to print it: as the embedded shell, an eighth of
// memory (statement_mem's default).
size_t MaxResultBytes() {
  return std::max<size_t>(PhysicalMemoryBytes() / 8, size_t{64} << 20);
}

sql::QueryResult Tag(std::string tag) {
  sql::QueryResult result;
  result.command_tag = std::move(tag);
  return result;
}

}  // namespace

SessionEffect ClassifyStatement(std::string_view statement) {
  using Kind = SessionEffect::Kind;
  SessionEffect effect;
  const std::vector<sql::Token> tokens = sql::Tokenize(statement);
  if (tokens.empty()) return effect;
  const auto word = [&](size_t i, std::string_view lower) {
    return i < tokens.size() && tokens[i].IsKeyword(lower);
  };
  const auto name_at = [&](size_t i) -> std::optional<std::string> {
    if (i < tokens.size() && IsName(tokens[i])) return tokens[i].text;
    return std::nullopt;
  };
  if (tokens[0].kind == sql::TokenKind::kIdentifier) effect.keyword = Upper(tokens[0].text);
  const std::string& k = effect.keyword;
  if (k == "USE") {
    if (tokens.size() == 2 && IsName(tokens[1])) {
      effect.kind = Kind::kUse;
      effect.name = tokens[1].text;
      effect.use_namespace = effect.name;
    }
  } else if (k == "BEGIN" || (k == "START" && word(1, "transaction"))) {
    effect.kind = Kind::kBegin;
  } else if (k == "COMMIT" || k == "END") {
    effect.kind = Kind::kCommit;
  } else if ((k == "ROLLBACK" || k == "ABORT") && !word(1, "to") && !word(2, "to")) {
    effect.kind = Kind::kRollback;
  } else if (k == "SET") {
    size_t i = 1;
    if (word(i, "session") && !word(i + 1, "authorization") && !word(i + 1, "characteristics")) {
      ++i;
    }
    // SET LOCAL and SET TRANSACTION end with their transaction: nothing to remember.
    if (!word(i, "local") && !word(i, "transaction")) {
      std::string name;
      while (std::optional<std::string> part = name_at(i)) {
        name += *part;
        if (i + 2 < tokens.size() && tokens[i + 1].IsSymbol('.') && IsName(tokens[i + 2])) {
          name += '.';
          i += 2;
          continue;
        }
        break;
      }
      if (!name.empty()) {
        effect.kind = Kind::kSet;
        effect.name = std::move(name);
      }
    }
  } else if (k == "RESET") {
    if (std::optional<std::string> name = name_at(1)) {
      effect.kind = Kind::kReset;
      effect.name = *name;
    }
  } else if (k == "PREPARE") {
    if (std::optional<std::string> name = name_at(1)) {
      effect.kind = Kind::kPrepare;
      effect.name = *name;
    }
  } else if (k == "EXECUTE") {
    // EXECUTE AS USER 'id' (statement) is tenantdb's impersonation, not a prepared
    // statement.
    const bool as_user = word(1, "as") && word(2, "user");
    if (std::optional<std::string> name = name_at(1); name && !as_user) {
      effect.kind = Kind::kExecute;
      effect.name = *name;
    }
  } else if (k == "DEALLOCATE") {
    const size_t i = word(1, "prepare") ? 2 : 1;
    if (std::optional<std::string> name = name_at(i)) {
      effect.kind = Kind::kDeallocate;
      if (!(tokens[i].kind == sql::TokenKind::kIdentifier && *name == "all")) effect.name = *name;
    }
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

std::vector<StatementOutcome> RemoteSession::SendRequest(
    const std::vector<std::string>& statements) {
  // What this request's server session needs first: the remembered settings, then the
  // prepared statements the request names.
  std::vector<std::string> prefix;
  for (const auto& [name, set] : settings_)
    prefix.push_back(set);
  std::vector<std::string> replayed;
  for (const std::string& statement : statements) {
    const SessionEffect effect = ClassifyStatement(statement);
    using Kind = SessionEffect::Kind;
    if (effect.kind != Kind::kExecute && effect.kind != Kind::kDeallocate &&
        effect.kind != Kind::kPrepare) {
      continue;
    }
    const auto it = prepared_.find(effect.name);
    if (it == prepared_.end() ||
        std::find(replayed.begin(), replayed.end(), effect.name) != replayed.end()) {
      continue;
    }
    replayed.push_back(effect.name);
    prefix.push_back(it->second);
  }
  // Every statement starts and ends with a token (SplitScript), so ";\n" between them
  // splits the request the same way on the server and positions stay statement-relative.
  std::string sql;
  for (const std::vector<std::string>* part :
       std::initializer_list<const std::vector<std::string>*>{&prefix, &statements}) {
    for (const std::string& statement : *part) {
      if (!sql.empty()) sql += ";\n";
      sql += statement;
    }
  }
  answered_ = false;
  const auto failed = [&](const std::string& statement, Status status) {
    std::vector<StatementOutcome> out;
    out.push_back({statement, std::move(status)});
    return out;
  };
  const std::string body = SqlRequestJson(sql, namespace_);
  Result<HttpResponse> response = http_->PostJson("/v1/api/sql", body, token_);
  if (response.ok() && response->status == 401) {
    // An expired token: nothing ran. Log in again and send the request once more.
    if (Status login = Login(); !login.ok()) return failed(statements.back(), login);
    response = http_->PostJson("/v1/api/sql", body, token_);
  }
  // The connection failed or was cancelled: the outcome is the last statement's (for a
  // transaction, its COMMIT's).
  if (!response.ok()) return failed(statements.back(), response.status());
  answered_ = true;
  Result<SqlAnswer> answer = ParseSqlAnswer(response->status, response->body);
  if (!answer.ok()) return failed(statements.back(), answer.status());
  std::vector<sql::QueryResult>& results = answer->results;
  if (results.size() < prefix.size()) {
    // A replayed statement failed (its table was dropped, say): show it with its error.
    Status error = answer->error.ok()
                       ? Status(ErrorCode::kInvalidRequest, "the server answered too few results")
                       : answer->error;
    return failed(prefix[results.size()], std::move(error));
  }
  std::vector<StatementOutcome> out;
  for (size_t i = 0; i < statements.size(); ++i) {
    const size_t index = prefix.size() + i;
    if (index < results.size()) {
      out.push_back({statements[i], std::move(results[index])});
      continue;
    }
    out.push_back({statements[i],
                   answer->error.ok()
                       ? Status(ErrorCode::kInvalidRequest,
                                "the server answered " + std::to_string(statements.size()) +
                                    " statements with " +
                                    std::to_string(results.size() - prefix.size()) + " results")
                       : answer->error});
    break;
  }
  return out;
}

void RemoteSession::Remember(const std::string& statement, const SessionEffect& effect) {
  using Kind = SessionEffect::Kind;
  switch (effect.kind) {
    case Kind::kUse:
      namespace_ = effect.name;
      break;
    case Kind::kSet: {
      const auto it = std::find_if(settings_.begin(), settings_.end(),
                                   [&](const auto& entry) { return entry.first == effect.name; });
      if (it != settings_.end()) {
        it->second = statement;
      } else {
        settings_.emplace_back(effect.name, statement);
      }
      break;
    }
    case Kind::kReset:
      if (effect.name == "all") {
        settings_.clear();
      } else {
        std::erase_if(settings_, [&](const auto& entry) { return entry.first == effect.name; });
      }
      break;
    case Kind::kPrepare:
      prepared_[effect.name] = statement;
      break;
    case Kind::kDeallocate:
      if (effect.name.empty()) {
        prepared_.clear();
      } else {
        prepared_.erase(effect.name);
      }
      break;
    default:
      break;
  }
}

void RemoteSession::Cancel() {
  http_->Cancel();
  std::lock_guard<std::mutex> lock(live_mu_);
  if (live_ != nullptr) live_->Cancel();
}

Status RemoteSession::Subscribe(const std::string& sql,
                                const std::function<void(std::string_view line)>& print) {
  if (!transaction_.empty()) {
    return Status(ErrorCode::kInvalidTransactionState,
                  "\\subscribe inside a transaction: COMMIT or ROLLBACK first");
  }
  Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {
    RemoteSubscription live(http_->url(), token_);
    {
      std::lock_guard<std::mutex> lock(live_mu_);
      live_ = &live;
    }
    status = live.Run(sql, print);
    {
      std::lock_guard<std::mutex> lock(live_mu_);
      live_ = nullptr;
    }
    // An access token that expired since the last request: log in again, once.
    if (status.code() != ErrorCode::kInvalidAuthorization || attempt > 0) break;
    TDB_RETURN_IF_ERROR(Login());
  }
  return status;
}

Result<sql::QueryResult> RemoteSession::Run(const std::string& statement) {
  std::vector<StatementOutcome> outcomes = SendRequest({statement});
  if (outcomes.back().result.ok()) Remember(statement, ClassifyStatement(statement));
  return std::move(outcomes.back().result);
}

std::vector<StatementOutcome> RemoteSession::Submit(const std::string& statement) {
  using Kind = SessionEffect::Kind;
  const SessionEffect effect = ClassifyStatement(statement);
  if (!transaction_.empty()) {
    if (effect.kind == Kind::kRollback) {
      // Nothing of the transaction reached the server: dropping it is the rollback.
      transaction_.clear();
      std::vector<StatementOutcome> out;
      out.push_back({statement, Tag("ROLLBACK")});
      return out;
    }
    transaction_.push_back(statement);
    if (effect.kind == Kind::kCommit) return Commit();
    return {};
  }
  if (effect.kind == Kind::kBegin) {
    transaction_.push_back(statement);
    return {};
  }
  std::vector<StatementOutcome> out = SendRequest({statement});
  if (out.back().result.ok()) Remember(statement, effect);
  return out;
}

std::vector<StatementOutcome> RemoteSession::Commit() {
  std::vector<std::string> statements = std::move(transaction_);
  transaction_.clear();
  std::vector<StatementOutcome> out = SendRequest(statements);
  if (out.size() == statements.size() && out.back().result.ok()) {
    for (const std::string& statement : statements)
      Remember(statement, ClassifyStatement(statement));
  } else if (answered_ && out.size() < statements.size()) {
    // A statement before COMMIT failed and the server rolled the transaction back:
    // PostgreSQL answers such a COMMIT with ROLLBACK.
    out.push_back({statements.back(), Tag("ROLLBACK")});
  }
  return out;
}

std::string RemoteSession::EndOfInput() {
  if (transaction_.empty()) return {};
  const size_t held = transaction_.size();
  transaction_.clear();
  return "the transaction was not committed (no COMMIT before the end of input); its " +
         std::to_string(held) + " statement" + (held == 1 ? "" : "s") +
         " were never sent to the server";
}

}  // namespace tenantdb::cli
