#include "engine/accounts.h"

#include <algorithm>

#include "catalog/role.h"
#include "catalog/scram_verifier.h"

namespace tenantdb {

namespace {

// A stored password is "<argon2id PHC string> <SCRAM verifier>"; passwords set before
// the verifier existed are the PHC string alone. Neither form contains a space.
constexpr char kStoredFormSeparator = ' ';

std::pair<std::string_view, std::string_view> SplitStoredForm(std::string_view stored) {
  const size_t space = stored.find(kStoredFormSeparator);
  if (space == std::string_view::npos) return {stored, {}};
  return {stored.substr(0, space), stored.substr(space + 1)};
}

Status LoginFailed() {
  // One message for every cause: wrong password, unknown user, no password set.
  return Status(ErrorCode::kInvalidPassword, "invalid user name or password");
}

}  // namespace

Accounts::Accounts(PersistentCatalog* catalog, Options options)
    : catalog_(catalog),
      hasher_(options.hash_params, options.min_password_length),
      clock_(options.clock) {}

const std::string& Accounts::DummyHash() const {
  std::call_once(dummy_once_, [this] {
    // Long enough for any policy; nothing ever compares equal to it, because a match
    // against the dummy is a failure whatever the password.
    const size_t length =
        std::clamp<size_t>(hasher_.min_length(), 32, PasswordHasher::kMaxLengthBytes);
    auto hash = hasher_.Hash(std::string(length, '#'));
    // Should hashing fail (out of memory), an unparseable dummy still costs a parse and
    // fails; the next Authenticate is no cheaper than a real failure by much.
    dummy_hash_ = hash.ok() ? std::move(*hash) : std::string();
  });
  return dummy_hash_;
}

Account Accounts::ToAccount(const UserId& user, const UserRecord& record) {
  Account account;
  account.user = std::string(user.str());
  account.role = record.role;
  account.has_password = !record.password_hash.empty();
  account.credentials_version = record.credentials_version;
  return account;
}

Result<std::string> Accounts::HashPassword(std::string_view password) const {
  TDB_ASSIGN_OR_RETURN(std::string hash, hasher_.Hash(password));
  TDB_ASSIGN_OR_RETURN(std::string scram, MakeScramVerifier(password));
  return hash + kStoredFormSeparator + scram;
}

Result<std::optional<ScramCredentials>> Accounts::FindScram(std::string_view user) const {
  auto id = UserId::Make(user);
  if (!id.ok()) return std::optional<ScramCredentials>();
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> record, catalog_->GetUser(*id));
  if (!record.has_value()) return std::optional<ScramCredentials>();
  const std::optional<ScramSecret> secret =
      ParseScramVerifier(SplitStoredForm(record->password_hash).second);
  if (!secret.has_value()) return std::optional<ScramCredentials>();
  return std::optional<ScramCredentials>(
      ScramCredentials{secret->salt, secret->iterations, secret->stored_key, secret->server_key});
}

Result<Account> Accounts::Authenticate(std::string_view user, std::string_view password) const {
  // Made on the first call whoever logs in, so that first call is not slower for
  // unknown users only.
  const std::string& dummy = DummyHash();
  std::optional<UserRecord> record;
  auto id = UserId::Make(user);
  if (id.ok()) {
    TDB_ASSIGN_OR_RETURN(record, catalog_->GetUser(*id));
  }
  const bool has_hash = record.has_value() && !record->password_hash.empty();
  // No catalog lock is held here: the record is a copy.
  const Result<bool> match =
      hasher_.Verify(password, has_hash ? SplitStoredForm(record->password_hash).first : dummy);
  if (!has_hash || !match.ok() || !*match) return LoginFailed();
  return ToAccount(*id, *record);
}

uint64_t Accounts::Generation() const {
  return catalog_->UserRecordsGeneration();
}

Result<std::optional<Account>> Accounts::Find(std::string_view user) const {
  auto id = UserId::Make(user);
  if (!id.ok()) return std::optional<Account>();  // no such name can have been created
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const UserRecord> record, catalog_->GetUserShared(*id));
  if (record == nullptr) return std::optional<Account>();
  return std::optional<Account>(ToAccount(*id, *record));
}

Status Accounts::SetPassword(std::string_view user, std::string_view password) {
  TDB_ASSIGN_OR_RETURN(UserId id, UserId::Make(user));
  // Refuse a missing user before paying for the hash.
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> existing, catalog_->GetUser(id));
  if (!existing.has_value()) {
    return Status(ErrorCode::kNotFound, "user \"" + std::string(id.str()) + "\" does not exist");
  }
  TDB_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return catalog_->SetUserPassword(id, std::move(hash)).status();
}

Status Accounts::RevokeToken(std::string_view token_id, int64_t expires_at_unix_s) {
  return catalog_->RevokeToken(token_id, expires_at_unix_s);
}

Result<bool> Accounts::IsTokenRevoked(std::string_view token_id) const {
  return catalog_->IsTokenRevoked(token_id, clock_->NowUnixSeconds());
}

Result<std::string> Accounts::PruneRevokedTokens() {
  TDB_ASSIGN_OR_RETURN(size_t pruned, catalog_->PruneRevokedTokens(clock_->NowUnixSeconds()));
  if (pruned == 0) return std::string();  // not recorded: see JobRunner
  return "pruned " + std::to_string(pruned) + " expired revoked tokens";
}

}  // namespace tenantdb
