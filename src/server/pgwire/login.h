// Login: authenticating one PostgreSQL connection after its StartupMessage, against the
// same users as HTTP (Database accounts) and under the same failed-login limits
// (Authenticator::CheckLoginAllowed / RecordLogin, [auth] login_attempts_per_minute).
//
//   SCRAM-SHA-256 (default)  AuthenticationSASL -> SASLInitialResponse -> SASLContinue
//                            -> SASLResponse -> SASLFinal -> AuthenticationOk
//                            (server/auth/scram_exchange.h, checked against the
//                            verifier stored with the password)
//   cleartext password       only with [pgwire] allow_cleartext_password = true:
//                            AuthenticationCleartextPassword -> PasswordMessage ->
//                            AuthenticationOk (one argon2id check, as HTTP Basic)
//
// A user whose password was set before SCRAM verifiers were stored is told to set it
// again. Every failure ends the connection with a FATAL ErrorResponse: 28P01 for a wrong
// user or password (one message for both), 53400 past the rate limit, 08P01 for a
// malformed exchange.
//
// Thread safety: one connection's, used by one thread at a time; its steps run on a
// worker (the cleartext check costs an argon2id hash). Ownership: `db` and
// `authenticator` outlive it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/authenticator.h"
#include "server/auth/scram_exchange.h"
#include "server/pgwire/backend_messages.h"
#include "server/pgwire/frontend_messages.h"
#include "tenantdb/database.h"

namespace tenantdb::server::pgwire {

class Login {
 public:
  enum class Outcome { kContinue, kAuthenticated, kFailed };

  Login(Database* db, Authenticator* authenticator, bool allow_cleartext,
        std::string client_address);

  // Starts authenticating `user` (from the StartupMessage): writes the first
  // authentication request, or the FATAL error.
  Outcome Start(std::string user, BackendWriter* out);
  // Handles a 'p' message body; on kAuthenticated AuthenticationOk was written, on
  // kFailed the FATAL error.
  Outcome OnPassword(std::string_view body, BackendWriter* out);

  // The authenticated account (valid after kAuthenticated).
  const Account& account() const { return account_; }

 private:
  Outcome Fail(const Status& status, BackendWriter* out);
  Outcome Succeed(BackendWriter* out);

  Database* const db_;
  Authenticator* const authenticator_;
  const bool allow_cleartext_;
  const std::string client_address_;
  std::string user_;
  enum class Step { kNone, kCleartext, kSaslInitial, kSaslFinal } step_ = Step::kNone;
  std::optional<ScramExchange> scram_;
  Account account_;
};

}  // namespace tenantdb::server::pgwire
