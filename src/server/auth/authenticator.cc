#include "server/auth/authenticator.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <mutex>
#include <utility>

#include "server/auth/base64.h"
#include "server/auth/jwt.h"
#include "server/auth/rate_limiter.h"
#include "server/auth/secure_random.h"
#include "server/auth/token_secret.h"

namespace tenantdb::server {

namespace {

// Rate-limiter keys come from clients: bounded, so a long name costs no more memory.
constexpr size_t kMaxKeyBytes = 128;

Status Unauthorized(std::string message) {
  return Status(ErrorCode::kInvalidAuthorization, std::move(message));
}

int64_t Seconds(Milliseconds ms) {
  return std::max<int64_t>(1, std::chrono::duration_cast<std::chrono::seconds>(ms).count());
}

// Case-insensitive scheme match ("Bearer", "bearer"), RFC 9110 section 11.1.
bool TakeScheme(std::string_view* header, std::string_view scheme) {
  if (header->size() <= scheme.size() || (*header)[scheme.size()] != ' ') return false;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>((*header)[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i]))) {
      return false;
    }
  }
  header->remove_prefix(scheme.size() + 1);
  while (!header->empty() && header->front() == ' ')
    header->remove_prefix(1);
  return true;
}

// Basic credentials are padded standard base64 (RFC 7617); our decoder takes the
// unpadded form, so at most two '=' come off the end first.
std::optional<std::string> DecodeBasic(std::string_view text) {
  size_t pads = 0;
  while (!text.empty() && text.back() == '=' && pads < 2) {
    text.remove_suffix(1);
    ++pads;
  }
  if (pads > 0 && (text.size() + pads) % 4 != 0) return std::nullopt;
  return Base64Decode(text, Base64Alphabet::kStandard);
}

}  // namespace

class Authenticator::Impl {
 public:
  Impl(Database* db, const Clock* clock, JwtCodec codec, const ServerConfig& config)
      : db_(db),
        clock_(clock),
        codec_(std::move(codec)),
        allow_basic_(config.auth.allow_basic),
        access_ttl_s_(Seconds(config.auth.access_token_ttl)),
        refresh_ttl_s_(Seconds(config.auth.refresh_token_ttl)),
        failed_logins_(
            RateLimiterOptions{static_cast<double>(config.auth.login_attempts_per_minute) / 60.0,
                               static_cast<double>(config.auth.login_attempts_per_minute)},
            clock) {}

  Result<Principal> Authenticate(std::string_view authorization, std::string_view address,
                                 AuthenticatedHeader* memo) {
    if (memo == nullptr) return Check(authorization, address, nullptr);
    // Read before the check: an account changed during it makes the memo stale at once.
    const uint64_t generation = db_->AccountsGeneration();
    if (!memo->authorization.empty() && memo->accounts_generation == generation &&
        memo->authorization == authorization &&
        clock_->NowUnixSeconds() < memo->valid_until_unix_s) {
      return memo->principal;
    }
    int64_t valid_until = 0;
    Result<Principal> principal = Check(authorization, address, &valid_until);
    if (!principal.ok()) {
      *memo = AuthenticatedHeader{};
      return principal;
    }
    *memo = AuthenticatedHeader{std::string(authorization), *principal, valid_until, generation};
    return principal;
  }

  // The principal of `authorization`; `*valid_until` (when not null) is when that answer
  // expires by itself (a bearer token's expiry; never for a password).
  Result<Principal> Check(std::string_view authorization, std::string_view address,
                          int64_t* valid_until) {
    if (authorization.empty()) {
      return Unauthorized(
          "authentication required: send Authorization: Bearer <token> (POST "
          "/v1/api/auth/login gives one)" +
          std::string(allow_basic_ ? " or Basic <user:password>" : ""));
    }
    std::string_view rest = authorization;
    if (TakeScheme(&rest, "Bearer")) return Bearer(rest, valid_until);
    if (TakeScheme(&rest, "Basic")) {
      if (!allow_basic_) {
        return Unauthorized(
            "HTTP Basic authentication is turned off ([auth] allow_basic = false); log in "
            "and send a bearer token");
      }
      const std::optional<std::string> decoded = DecodeBasic(rest);
      const size_t colon = decoded ? decoded->find(':') : std::string::npos;
      if (colon == std::string::npos) {
        return Unauthorized("malformed Basic credentials: expected base64 of user:password");
      }
      TDB_ASSIGN_OR_RETURN(Account account,
                           CheckPassword(std::string_view(*decoded).substr(0, colon),
                                         std::string_view(*decoded).substr(colon + 1), address));
      if (valid_until != nullptr) *valid_until = std::numeric_limits<int64_t>::max();
      return Principal{account.user, account.role};
    }
    return Unauthorized("unsupported authorization scheme; use Bearer" +
                        std::string(allow_basic_ ? " or Basic" : ""));
  }

  Result<LoginResult> Login(std::string_view user, std::string_view password,
                            std::string_view address) {
    TDB_ASSIGN_OR_RETURN(Account account, CheckPassword(user, password, address));
    return IssuePair(account);
  }

  Result<LoginResult> Refresh(std::string_view refresh_token) {
    TDB_ASSIGN_OR_RETURN(TokenClaims claims, codec_.Verify(refresh_token, TokenType::kRefresh));
    TDB_ASSIGN_OR_RETURN(Account account, CurrentAccount(claims));
    {
      // Rotation: the check and the revocation together, so two requests presenting one
      // refresh token at once get one new pair, not two.
      std::lock_guard<std::mutex> lock(refresh_mu_);
      TDB_ASSIGN_OR_RETURN(bool revoked, db_->IsTokenRevoked(claims.token_id));
      if (revoked) return Unauthorized("refresh token was revoked; log in again");
      TDB_RETURN_IF_ERROR(db_->RevokeToken(claims.token_id, claims.expires_at));
    }
    return IssuePair(account);
  }

  Status Logout(std::string_view refresh_token) {
    TDB_ASSIGN_OR_RETURN(TokenClaims claims, codec_.Verify(refresh_token, TokenType::kRefresh));
    return db_->RevokeToken(claims.token_id, claims.expires_at);
  }

 private:
  Result<Principal> Bearer(std::string_view token, int64_t* valid_until) {
    TDB_ASSIGN_OR_RETURN(TokenClaims claims, codec_.Verify(token, TokenType::kAccess));
    TDB_ASSIGN_OR_RETURN(Account account, CurrentAccount(claims));
    if (valid_until != nullptr) *valid_until = claims.expires_at;
    // The role is the account's now, not the one written in the token.
    return Principal{account.user, account.role};
  }

  // The account a verified token names, if it still holds: the user exists and its
  // credentials have not changed since the token was issued.
  Result<Account> CurrentAccount(const TokenClaims& claims) {
    TDB_ASSIGN_OR_RETURN(std::optional<Account> account, db_->FindAccount(claims.subject));
    if (!account.has_value()) return Unauthorized("token's user no longer exists");
    if (account->credentials_version != claims.credentials_version) {
      return Unauthorized(
          "token was revoked: the user's password or role changed after it was issued; log "
          "in again");
    }
    return std::move(*account);
  }

 public:
  // One password check, rate limited per user name and per client address: past either
  // limit the check fails before any hashing; each failure takes a token from both.
  Result<Account> CheckPassword(std::string_view user, std::string_view password,
                                std::string_view address) {
    TDB_RETURN_IF_ERROR(CheckLoginAllowed(user, address));
    Result<Account> account = db_->Authenticate(user, password);
    if (!account.ok()) {
      if (account.status().code() == ErrorCode::kInvalidPassword) {
        RecordLogin(user, address, false);
      }
      return account.status();
    }
    RecordLogin(user, address, true);
    return account;
  }

  Status CheckLoginAllowed(std::string_view user, std::string_view address) const {
    if (!failed_logins_.WouldAllow(UserKey(user)) || !failed_logins_.WouldAllow(AddrKey(address))) {
      return Status(ErrorCode::kRateLimited,
                    "too many failed logins for this user or from this address; wait a "
                    "minute and retry");
    }
    return Status::Ok();
  }

  void RecordLogin(std::string_view user, std::string_view address, bool succeeded) {
    if (succeeded) {
      failed_logins_.Reset(UserKey(user));  // the owner got in: forget the guesses at this name
      return;
    }
    failed_logins_.Acquire(UserKey(user));
    failed_logins_.Acquire(AddrKey(address));
  }

 private:
  static std::string UserKey(std::string_view user) {
    return "user:" + std::string(user.substr(0, kMaxKeyBytes));
  }
  static std::string AddrKey(std::string_view address) {
    return "addr:" + std::string(address.substr(0, kMaxKeyBytes));
  }

  Result<LoginResult> IssuePair(const Account& account) {
    const std::string_view role = RoleName(account.role);
    TDB_ASSIGN_OR_RETURN(IssuedToken access,
                         codec_.Issue(account.user, role, TokenType::kAccess, access_ttl_s_,
                                      account.credentials_version));
    TDB_ASSIGN_OR_RETURN(IssuedToken refresh,
                         codec_.Issue(account.user, role, TokenType::kRefresh, refresh_ttl_s_,
                                      account.credentials_version));
    LoginResult result;
    result.access_token = std::move(access.token);
    result.refresh_token = std::move(refresh.token);
    result.expires_at = access.claims.expires_at;
    result.account = account;
    return result;
  }

  Database* const db_;
  const Clock* const clock_;
  const JwtCodec codec_;
  const bool allow_basic_;
  const int64_t access_ttl_s_;
  const int64_t refresh_ttl_s_;
  RateLimiter failed_logins_;
  std::mutex refresh_mu_;
};

Result<std::unique_ptr<Authenticator>> Authenticator::Create(Database* db,
                                                             const ServerConfig& config,
                                                             const Clock* clock) {
  TDB_ASSIGN_OR_RETURN(std::string secret,
                       LoadOrCreateTokenSecret(config.auth.jwt_secret, config.server.data_dir));
  TDB_ASSIGN_OR_RETURN(JwtCodec codec,
                       JwtCodec::Create(std::move(secret), config.auth.issuer, clock));
  return std::unique_ptr<Authenticator>(
      new Authenticator(std::make_unique<Impl>(db, clock, std::move(codec), config)));
}

Authenticator::Authenticator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Authenticator::~Authenticator() = default;

Result<Principal> Authenticator::Authenticate(std::string_view authorization,
                                              std::string_view client_address,
                                              AuthenticatedHeader* memo) {
  return impl_->Authenticate(authorization, client_address, memo);
}

Result<LoginResult> Authenticator::Login(std::string_view user, std::string_view password,
                                         std::string_view client_address) {
  return impl_->Login(user, password, client_address);
}

Result<Account> Authenticator::CheckPassword(std::string_view user, std::string_view password,
                                             std::string_view client_address) {
  return impl_->CheckPassword(user, password, client_address);
}

Status Authenticator::CheckLoginAllowed(std::string_view user, std::string_view client_address) {
  return impl_->CheckLoginAllowed(user, client_address);
}

void Authenticator::RecordLogin(std::string_view user, std::string_view client_address,
                                bool succeeded) {
  impl_->RecordLogin(user, client_address, succeeded);
}

Result<LoginResult> Authenticator::Refresh(std::string_view refresh_token,
                                           std::string_view /*client_address*/) {
  return impl_->Refresh(refresh_token);
}

Status Authenticator::Logout(std::string_view refresh_token) {
  return impl_->Logout(refresh_token);
}

// ---- first start ----

Result<std::optional<std::string>> EnsureRootPassword(Database* db, std::string_view env_password) {
  TDB_ASSIGN_OR_RETURN(std::optional<Account> root, db->FindAccount("root"));
  if (root.has_value() && root->has_password) return std::optional<std::string>();
  if (!env_password.empty()) {
    TDB_RETURN_IF_ERROR(db->SetPassword("root", env_password));
    return std::optional<std::string>();
  }
  // 24 random bytes: 32 base64url characters, 192 bits.
  TDB_ASSIGN_OR_RETURN(const std::string bytes, SecureRandomBytes(24));
  std::string generated = Base64Encode(bytes, Base64Alphabet::kUrl);
  TDB_RETURN_IF_ERROR(db->SetPassword("root", generated));
  return std::optional<std::string>(std::move(generated));
}

}  // namespace tenantdb::server
