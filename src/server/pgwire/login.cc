#include "server/pgwire/login.h"

namespace tenantdb::server::pgwire {

namespace {

Status PasswordFailed(std::string_view user) {
  return Status(ErrorCode::kInvalidPassword,
                "password authentication failed for user \"" + std::string(user) + "\"");
}

}  // namespace

Login::Login(Database* db, Authenticator* authenticator, bool allow_cleartext,
             std::string client_address)
    : db_(db),
      authenticator_(authenticator),
      allow_cleartext_(allow_cleartext),
      client_address_(std::move(client_address)) {}

Login::Outcome Login::Fail(const Status& status, BackendWriter* out) {
  std::string message(status.message());
  ErrorFields fields;
  fields.severity = "FATAL";
  fields.sqlstate = status.sqlstate();
  fields.message = message;
  out->ErrorResponse(fields);
  step_ = Step::kNone;
  return Outcome::kFailed;
}

Login::Outcome Login::Succeed(BackendWriter* out) {
  out->AuthenticationOk();
  step_ = Step::kNone;
  return Outcome::kAuthenticated;
}

Login::Outcome Login::Start(std::string user, BackendWriter* out) {
  user_ = std::move(user);
  if (Status allowed = authenticator_->CheckLoginAllowed(user_, client_address_); !allowed.ok()) {
    return Fail(allowed, out);
  }
  if (allow_cleartext_) {
    step_ = Step::kCleartext;
    out->AuthenticationCleartextPassword();
    return Outcome::kContinue;
  }
  Result<std::optional<ScramCredentials>> credentials = db_->FindScramCredentials(user_);
  if (!credentials.ok()) return Fail(credentials.status(), out);
  if (!credentials->has_value()) {
    Result<std::optional<Account>> account = db_->FindAccount(user_);
    if (!account.ok()) return Fail(account.status(), out);
    if (account->has_value() && (*account)->has_password) {
      // Telling this apart reveals that the user exists; without it the owner could not
      // know why a right password fails.
      return Fail(
          Status(ErrorCode::kInvalidPassword,
                 "user \"" + user_ +
                     "\" has no SCRAM-SHA-256 credentials: the password was set before "
                     "tenantdb stored them; set it again (ALTER USER " +
                     user_ + " SET PASSWORD '...' or `tenantdb user set-password " + user_ + "`)"),
          out);
    }
  }
  scram_.emplace(std::move(*credentials), user_);
  step_ = Step::kSaslInitial;
  out->AuthenticationSasl({ScramExchange::kMechanism});
  return Outcome::kContinue;
}

Login::Outcome Login::OnPassword(std::string_view body, BackendWriter* out) {
  switch (step_) {
    case Step::kCleartext: {
      Result<PasswordMessage> message = DecodePasswordMessage(body);
      if (!message.ok()) return Fail(message.status(), out);
      Result<Account> account =
          authenticator_->CheckPassword(user_, message->password, client_address_);
      if (!account.ok()) {
        return Fail(account.status().code() == ErrorCode::kInvalidPassword ? PasswordFailed(user_)
                                                                           : account.status(),
                    out);
      }
      account_ = std::move(*account);
      return Succeed(out);
    }
    case Step::kSaslInitial: {
      Result<SaslInitialResponse> initial = DecodeSaslInitialResponse(body);
      if (!initial.ok()) return Fail(initial.status(), out);
      if (initial->mechanism != ScramExchange::kMechanism) {
        return Fail(Status(ErrorCode::kInvalidRequest,
                           "client selected an invalid SASL authentication mechanism \"" +
                               initial->mechanism.substr(0, 64) + "\"; the server offers " +
                               std::string(ScramExchange::kMechanism)),
                    out);
      }
      if (!initial->data.has_value()) {
        return Fail(Status(ErrorCode::kInvalidRequest, "SASLInitialResponse without data"), out);
      }
      Result<std::string> server_first = scram_->ClientFirst(*initial->data);
      if (!server_first.ok()) return Fail(server_first.status(), out);
      step_ = Step::kSaslFinal;
      out->AuthenticationSaslContinue(*server_first);
      return Outcome::kContinue;
    }
    case Step::kSaslFinal: {
      Result<std::string> server_final = scram_->ClientFinal(body);
      if (!server_final.ok()) {
        if (server_final.status().code() == ErrorCode::kInvalidPassword) {
          authenticator_->RecordLogin(user_, client_address_, false);
          return Fail(PasswordFailed(user_), out);
        }
        return Fail(server_final.status(), out);
      }
      // The proof checked out; the account is read now so the role is the current one.
      Result<std::optional<Account>> account = db_->FindAccount(user_);
      if (!account.ok()) return Fail(account.status(), out);
      if (!account->has_value()) return Fail(PasswordFailed(user_), out);
      authenticator_->RecordLogin(user_, client_address_, true);
      account_ = std::move(**account);
      out->AuthenticationSaslFinal(*server_final);
      return Succeed(out);
    }
    case Step::kNone:
      break;
  }
  return Fail(Status(ErrorCode::kInvalidRequest, "unexpected password message"), out);
}

}  // namespace tenantdb::server::pgwire
