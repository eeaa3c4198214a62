// Authenticator over a real Database in a temporary directory: logins, bearer and Basic
// credentials, refresh rotation, logout, revocation by password and role changes, the
// failed-login rate limit, and the first-start root password.
#include "server/auth/authenticator.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "server/auth/base64.h"
#include "server/auth/jwt.h"

namespace tenantdb::server {
namespace {

const std::string kSecret = "an authenticator test secret, 32+ bytes long";

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_auth_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Database::Options options;
    options.background_jobs = false;
    db_ = std::move(Database::Open(dir_.string(), options)).value();
    root_ = std::move(db_->Connect("root", Role::kSystem)).value();
    Sql("CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user");
    Sql("CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE dba");
    config_.server.data_dir = dir_.string();
    config_.auth.login_attempts_per_minute = 3;
    Make();
  }
  void TearDown() override {
    auth_.reset();
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Make() { auth_ = std::move(Authenticator::Create(db_.get(), config_, &clock_)).value(); }
  void Sql(const std::string& sql) {
    auto r = root_->Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  LoginResult Login(std::string_view user, std::string_view password,
                    std::string_view address = "10.0.0.1") {
    auto r = auth_->Login(user, password, address);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : LoginResult{};
  }
  Result<Principal> Bearer(const std::string& token) {
    return auth_->Authenticate("Bearer " + token, "10.0.0.1");
  }
  static std::string Basic(std::string_view user_password) {
    std::string b64 = Base64Encode(user_password, Base64Alphabet::kStandard);
    while (b64.size() % 4 != 0)
      b64 += '=';
    return "Basic " + b64;
  }
  // A token signed with the server's secret carrying exactly `claims`.
  std::string Forge(const TokenClaims& claims) {
    const JwtCodec codec = JwtCodec::Create(kSecret, "tenantdb", &clock_).value();
    return codec.Sign(claims).value();
  }

  // The real time: revoked tokens are kept by the database until their (real) expiry.
  ManualClock clock_{Clock::System().NowUnixMicros()};
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> root_;
  ServerConfig config_;
  std::unique_ptr<Authenticator> auth_;
};

TEST_F(AuthenticatorTest, LoginIssuesTokensThatAuthenticateAsTheUser) {
  const LoginResult login = Login("alice", "alice-password-1");
  EXPECT_EQ(login.account.user, "alice");
  EXPECT_EQ(login.account.role, Role::kUser);
  EXPECT_EQ(login.expires_at, clock_.NowUnixSeconds() + 3600);
  EXPECT_NE(login.access_token, login.refresh_token);
  auto who = Bearer(login.access_token);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->user, "alice");
  EXPECT_EQ(who->role, Role::kUser);
  // The scheme is case-insensitive.
  EXPECT_TRUE(auth_->Authenticate("bearer " + login.access_token, "x").ok());
  // The refresh token is not an access token.
  EXPECT_EQ(Bearer(login.refresh_token).status().code(), ErrorCode::kInvalidAuthorization);
  // A secret file was made in the data directory, readable by the owner only.
  const auto perms = std::filesystem::status(dir_ / "jwt_secret").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuthenticatorTest, WrongPasswordAndUnknownUserFailTheSameWay) {
  const Status wrong = auth_->Login("alice", "alice-password-2", "10.0.0.1").status();
  const Status unknown = auth_->Login("nobody", "alice-password-1", "10.0.0.2").status();
  EXPECT_EQ(wrong.code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(wrong.message(), unknown.message());
  EXPECT_EQ(wrong.message().find("alice-password"), std::string_view::npos);
}

TEST_F(AuthenticatorTest, MissingMalformedAndForeignCredentialsAreRefused) {
  const Status none = auth_->Authenticate("", "x").status();
  EXPECT_EQ(none.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(none.message().find("authentication required"), std::string_view::npos);
  EXPECT_EQ(auth_->Authenticate("Token abc", "x").status().code(),
            ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(auth_->Authenticate("Bearer", "x").status().code(), ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(Bearer("not.a.token").status().code(), ErrorCode::kInvalidAuthorization);

  const LoginResult login = Login("alice", "alice-password-1");
  // Tampered: one claim changed, the signature kept.
  const size_t dot1 = login.access_token.find('.');
  const size_t dot2 = login.access_token.find('.', dot1 + 1);
  std::string claims =
      Base64Decode(login.access_token.substr(dot1 + 1, dot2 - dot1 - 1), Base64Alphabet::kUrl)
          .value();
  claims.replace(claims.find("\"alice\""), 7, "\"bob\"  ");
  const std::string tampered = login.access_token.substr(0, dot1 + 1) +
                               Base64Encode(claims, Base64Alphabet::kUrl) +
                               login.access_token.substr(dot2);
  const Status t = Bearer(tampered).status();
  EXPECT_EQ(t.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(t.message().find("signature"), std::string_view::npos) << t.message();
  // alg none: no signature at all.
  const std::string none_token =
      Base64Encode(R"({"alg":"none","typ":"JWT"})", Base64Alphabet::kUrl) + "." +
      Base64Encode(claims, Base64Alphabet::kUrl) + ".";
  const Status n = Bearer(none_token).status();
  EXPECT_EQ(n.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(n.message().find("only HS256"), std::string_view::npos) << n.message();
}

TEST_F(AuthenticatorTest, ExpiredTokensAndOtherIssuersAreRefused) {
  config_.auth.jwt_secret = kSecret;
  Make();
  const LoginResult login = Login("alice", "alice-password-1");
  ASSERT_TRUE(Bearer(login.access_token).ok());
  // Another issuer with the same secret.
  ServerConfig other = config_;
  other.auth.issuer = "staging";
  auto staging = std::move(Authenticator::Create(db_.get(), other, &clock_)).value();
  const LoginResult foreign = staging->Login("alice", "alice-password-1", "10.0.0.1").value();
  const Status issuer = Bearer(foreign.access_token).status();
  EXPECT_EQ(issuer.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(issuer.message().find("issuer"), std::string_view::npos) << issuer.message();
  // An hour (the access lifetime) and the 30 s leeway later.
  clock_.AdvanceSeconds(3600 + 31);
  const Status expired = Bearer(login.access_token).status();
  EXPECT_EQ(expired.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(expired.message().find("expired"), std::string_view::npos) << expired.message();
  // The refresh token lives longer and still trades for a new pair.
  auto refreshed = auth_->Refresh(login.refresh_token, "10.0.0.1");
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().ToString();
  EXPECT_TRUE(Bearer(refreshed->access_token).ok());
}

TEST_F(AuthenticatorTest, RefreshRotatesAndTheOldRefreshTokenIsRevoked) {
  const LoginResult login = Login("alice", "alice-password-1");
  auto first = auth_->Refresh(login.refresh_token, "10.0.0.1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_NE(first->refresh_token, login.refresh_token);
  EXPECT_TRUE(Bearer(first->access_token).ok());
  const Status again = auth_->Refresh(login.refresh_token, "10.0.0.1").status();
  EXPECT_EQ(again.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(again.message().find("revoked"), std::string_view::npos) << again.message();
  // The new one works once, durably: a restart keeps the revocation.
  auth_.reset();
  root_.reset();
  db_.reset();
  Database::Options options;
  options.background_jobs = false;
  db_ = std::move(Database::Open(dir_.string(), options)).value();
  root_ = std::move(db_->Connect("root", Role::kSystem)).value();
  Make();
  EXPECT_EQ(auth_->Refresh(login.refresh_token, "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
  EXPECT_TRUE(auth_->Refresh(first->refresh_token, "10.0.0.1").ok());
  // An access token is not a refresh token.
  EXPECT_EQ(auth_->Refresh(first->access_token, "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
}

TEST_F(AuthenticatorTest, LogoutRevokesTheRefreshToken) {
  const LoginResult login = Login("alice", "alice-password-1");
  ASSERT_TRUE(auth_->Logout(login.refresh_token).ok());
  EXPECT_EQ(auth_->Refresh(login.refresh_token, "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(auth_->Logout("garbage").code(), ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(auth_->Logout(login.access_token).code(), ErrorCode::kInvalidAuthorization);
}

TEST_F(AuthenticatorTest, APasswordChangeRevokesEarlierTokens) {
  const LoginResult login = Login("alice", "alice-password-1");
  ASSERT_TRUE(Bearer(login.access_token).ok());
  Sql("ALTER USER alice SET PASSWORD 'alice-password-2'");
  const Status stale = Bearer(login.access_token).status();
  EXPECT_EQ(stale.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(stale.message().find("password or role changed"), std::string_view::npos)
      << stale.message();
  EXPECT_EQ(auth_->Refresh(login.refresh_token, "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(auth_->Login("alice", "alice-password-1", "10.0.0.1").status().code(),
            ErrorCode::kInvalidPassword);
  EXPECT_TRUE(Bearer(Login("alice", "alice-password-2").access_token).ok());
  // Through the API too (what `tenantdb user set-password` does).
  const LoginResult second = Login("alice", "alice-password-2");
  ASSERT_TRUE(db_->SetPassword("alice", "alice-password-3").ok());
  EXPECT_FALSE(Bearer(second.access_token).ok());
}

TEST_F(AuthenticatorTest, ARoleChangeRevokesTokensAndTheRoleComesFromTheAccount) {
  config_.auth.jwt_secret = kSecret;
  Make();
  const LoginResult login = Login("alice", "alice-password-1");
  Sql("ALTER USER alice SET ROLE service");
  EXPECT_EQ(Bearer(login.access_token).status().code(), ErrorCode::kInvalidAuthorization);
  const LoginResult promoted = Login("alice", "alice-password-1");
  EXPECT_EQ(Bearer(promoted.access_token)->role, Role::kService);
  // A validly signed token naming a higher role than the account has gets the account's.
  TokenClaims claims;
  claims.subject = "alice";
  claims.role = "system";
  claims.issuer = "tenantdb";
  claims.issued_at = clock_.NowUnixSeconds();
  claims.expires_at = claims.issued_at + 60;
  claims.token_id = "forged-1";
  claims.credentials_version = promoted.account.credentials_version;
  auto who = Bearer(Forge(claims));
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->role, Role::kService);
  // And a dropped user's tokens stop working, even after a new user takes the name.
  Sql("DROP USER alice");
  EXPECT_EQ(Bearer(promoted.access_token).status().code(), ErrorCode::kInvalidAuthorization);
  Sql("CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE system");
  EXPECT_EQ(Bearer(promoted.access_token).status().code(), ErrorCode::kInvalidAuthorization);
}

// A connection's memo of its Authorization header answers only while nothing it depends
// on changed: each of these must refuse the header the memo holds (the same
// connection's next request), as a fresh check would.
TEST_F(AuthenticatorTest, AConnectionsMemoNeverOutlivesWhatItConcluded) {
  AuthenticatedHeader memo;
  const auto through_memo = [&](const std::string& header) {
    return auth_->Authenticate(header, "10.0.0.1", &memo);
  };
  LoginResult login = Login("alice", "alice-password-1");
  std::string header = "Bearer " + login.access_token;
  auto first = through_memo(header);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(memo.authorization, header);
  EXPECT_EQ(through_memo(header)->user, "alice");
  // Another header on the same connection is checked, not answered as the first.
  EXPECT_EQ(through_memo("Bearer not-a-token").status().code(), ErrorCode::kInvalidAuthorization);
  EXPECT_TRUE(memo.authorization.empty());
  ASSERT_TRUE(through_memo(header).ok());

  Sql("ALTER USER alice SET ROLE service");  // a role change revokes the token
  EXPECT_EQ(through_memo(header).status().code(), ErrorCode::kInvalidAuthorization);

  login = Login("alice", "alice-password-1");
  header = "Bearer " + login.access_token;
  EXPECT_EQ(through_memo(header)->role, Role::kService);
  ASSERT_TRUE(db_->SetPassword("alice", "alice-password-2").ok());
  EXPECT_EQ(through_memo(header).status().code(), ErrorCode::kInvalidAuthorization);

  login = Login("alice", "alice-password-2");
  header = "Bearer " + login.access_token;
  ASSERT_TRUE(through_memo(header).ok());
  clock_.AdvanceSeconds(3600 + 31);  // past the expiry and the leeway
  EXPECT_EQ(through_memo(header).status().code(), ErrorCode::kInvalidAuthorization);

  // Basic credentials: remembered until the password changes or the user goes.
  const std::string basic = Basic("bob:bob-password-1");
  EXPECT_EQ(through_memo(basic)->role, Role::kDba);
  EXPECT_EQ(through_memo(basic)->role, Role::kDba);
  Sql("ALTER USER bob SET PASSWORD 'bob-password-2'");
  EXPECT_EQ(through_memo(basic).status().code(), ErrorCode::kInvalidPassword);
  EXPECT_TRUE(through_memo(Basic("bob:bob-password-2")).ok());
  Sql("DROP USER bob");
  EXPECT_FALSE(through_memo(Basic("bob:bob-password-2")).ok());
}

TEST_F(AuthenticatorTest, FailedLoginsAreRateLimitedPerUserAndPerAddress) {
  // Three failures (the configured limit) for alice from three addresses...
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(
        auth_->Login("alice", "wrong-password", "10.0.1." + std::to_string(i)).status().code(),
        ErrorCode::kInvalidPassword);
  }
  // ...and even the right password is refused, before any hash, from anywhere.
  const Status limited = auth_->Login("alice", "alice-password-1", "10.0.2.1").status();
  EXPECT_EQ(limited.code(), ErrorCode::kRateLimited);
  EXPECT_EQ(limited.sqlstate(), "53400");
  // Other users are not affected.
  EXPECT_TRUE(auth_->Login("bob", "bob-password-1", "10.0.2.1").ok());
  // One address guessing at several names is stopped too.
  for (const char* user : {"u1", "u2", "u3"})
    EXPECT_EQ(auth_->Login(user, "guess-password", "10.9.9.9").status().code(),
              ErrorCode::kInvalidPassword);
  EXPECT_EQ(auth_->Login("bob", "bob-password-1", "10.9.9.9").status().code(),
            ErrorCode::kRateLimited);
  // Basic credentials count the same way.
  EXPECT_EQ(auth_->Authenticate(Basic("bob:bob-password-1"), "10.9.9.9").status().code(),
            ErrorCode::kRateLimited);
  // A minute later the buckets have refilled.
  clock_.AdvanceSeconds(61);
  EXPECT_TRUE(auth_->Login("alice", "alice-password-1", "10.0.2.1").ok());
  EXPECT_TRUE(auth_->Login("bob", "bob-password-1", "10.9.9.9").ok());
}

TEST_F(AuthenticatorTest, BasicAuthWorksUnlessTurnedOff) {
  auto who = auth_->Authenticate(Basic("bob:bob-password-1"), "10.0.0.1");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->user, "bob");
  EXPECT_EQ(who->role, Role::kDba);
  EXPECT_EQ(auth_->Authenticate(Basic("bob:wrong-password"), "10.0.0.1").status().code(),
            ErrorCode::kInvalidPassword);
  EXPECT_EQ(auth_->Authenticate("Basic !!!", "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
  EXPECT_EQ(auth_->Authenticate(Basic("no-colon"), "10.0.0.1").status().code(),
            ErrorCode::kInvalidAuthorization);
  config_.auth.allow_basic = false;
  Make();
  const Status off = auth_->Authenticate(Basic("bob:bob-password-1"), "10.0.0.1").status();
  EXPECT_EQ(off.code(), ErrorCode::kInvalidAuthorization);
  EXPECT_NE(off.message().find("allow_basic"), std::string_view::npos) << off.message();
  EXPECT_TRUE(Bearer(Login("bob", "bob-password-1").access_token).ok());
}

TEST_F(AuthenticatorTest, RootPasswordComesFromTheEnvironmentOrIsGeneratedOnce) {
  // From the environment.
  auto from_env = EnsureRootPassword(db_.get(), "root-from-env-1");
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  EXPECT_FALSE(from_env->has_value());
  EXPECT_EQ(Login("root", "root-from-env-1").account.role, Role::kSystem);
  // Set already: nothing changes, even with another value.
  auto again = EnsureRootPassword(db_.get(), "another-root-password");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  EXPECT_TRUE(auth_->Login("root", "root-from-env-1", "10.0.0.1").ok());
}

TEST_F(AuthenticatorTest, GeneratedRootPasswordIsReturnedAndWorks) {
  auto generated = EnsureRootPassword(db_.get(), "");
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  ASSERT_TRUE(generated->has_value());
  EXPECT_GE((*generated)->size(), 32u);
  EXPECT_TRUE(auth_->Login("root", **generated, "10.0.0.1").ok());
  auto second = EnsureRootPassword(db_.get(), "");
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value());
  // Too short a TENANTDB_ROOT_PASSWORD on a fresh directory is an error, not ignored.
  const auto fresh = dir_.string() + "_fresh";
  std::filesystem::remove_all(fresh);
  Database::Options options;
  options.background_jobs = false;
  auto db2 = std::move(Database::Open(fresh, options)).value();
  EXPECT_EQ(EnsureRootPassword(db2.get(), "short").status().code(), ErrorCode::kInvalidPassword);
  db2.reset();
  std::filesystem::remove_all(fresh);
}

}  // namespace
}  // namespace tenantdb::server
