// Users, passwords and revoked tokens through the public API: CREATE / ALTER / DROP USER
// as SQL, and Database::Authenticate / FindAccount / SetPassword / RevokeToken /
// IsTokenRevoked on a real data directory (reopened to check durability).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

#include "api_fixture.h"
#include "catalog/scram_verifier.h"

namespace tenantdb {
namespace {

class AccountsTest : public ApiTest {
 protected:
  void Reopen(Database::Options options = {}) {
    root_.reset();
    db_.reset();
    options.background_jobs = false;
    auto db = Database::Open(dir_.string(), options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    root_ = std::move(db_->Connect("root", Role::kSystem)).value();
  }
  Account Find(std::string_view user) {
    auto a = db_->FindAccount(user);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_TRUE(a->has_value()) << user;
    return a->value_or(Account{});
  }
  Status Exec(Session& s, const std::string& sql) { return s.Execute(sql).status(); }
  Status Exec(const std::string& sql) { return Exec(*root_, sql); }
  std::unique_ptr<Session> Connect(std::string_view user, Role role) {
    return std::move(db_->Connect(user, role)).value();
  }
};

// The SCRAM-SHA-256 credentials the PostgreSQL protocol checks logins against are stored
// with every password set (CREATE USER, ALTER USER, SetPassword) and match it.
TEST_F(AccountsTest, ScramCredentialsFollowEveryPasswordChange) {
  auto matches = [&](std::string_view user, std::string_view password) {
    auto found = db_->FindScramCredentials(user);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    if (!found.ok() || !found->has_value()) return false;
    const ScramCredentials& c = **found;
    EXPECT_EQ(c.iterations, kScramIterations);
    const ScramSecret expected = DeriveScramSecret(password, c.salt, c.iterations);
    return c.stored_key == expected.stored_key && c.server_key == expected.server_key;
  };
  Ok("CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user");
  EXPECT_TRUE(matches("alice", "alice-password-1"));
  EXPECT_FALSE(matches("alice", "alice-password-2"));
  Ok("ALTER USER alice SET PASSWORD 'alice-password-2'");
  EXPECT_TRUE(matches("alice", "alice-password-2"));
  ASSERT_TRUE(db_->SetPassword("alice", "alice-password-3").ok());
  EXPECT_TRUE(matches("alice", "alice-password-3"));
  // The argon2id check still works on the combined stored form.
  EXPECT_TRUE(db_->Authenticate("alice", "alice-password-3").ok());
  EXPECT_FALSE(db_->Authenticate("alice", "alice-password-2").ok());
  ASSERT_TRUE(db_->SetPassword("root", "root-password-1").ok());
  EXPECT_TRUE(matches("root", "root-password-1"));
  Reopen();
  EXPECT_TRUE(matches("alice", "alice-password-3"));
  // No credentials: unknown users and users without a password.
  Ok("CREATE USER nopass ROLE user");
  for (std::string_view user : {"nopass", "bob", "bad name!"}) {
    auto none = db_->FindScramCredentials(user);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value()) << user;
  }
}

TEST_F(AccountsTest, CreatedUsersAuthenticateWithTheirPasswordOnly) {
  Ok("CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE service");
  auto ok = db_->Authenticate("alice", "alice-password-1");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->user, "alice");
  EXPECT_EQ(ok->role, Role::kService);
  EXPECT_TRUE(ok->has_password);
  EXPECT_EQ(*ok, Find("alice"));

  Ok("CREATE USER nopass ROLE user");
  EXPECT_FALSE(Find("nopass").has_password);
  // Wrong password, unknown user, a user without a password, a name that is not even an
  // identifier: one error, one message.
  const Status wrong = db_->Authenticate("alice", "alice-password-2").status();
  EXPECT_EQ(wrong.code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(wrong.sqlstate(), "28P01");
  for (auto [user, password] : {std::pair{"bob", "alice-password-1"}, std::pair{"nopass", ""},
                                std::pair{"nopass", "whatever-1"}, std::pair{"bad name!", "x"},
                                std::pair{"root", "anything-at-all"}}) {
    SCOPED_TRACE(user);
    const Status s = db_->Authenticate(user, password).status();
    EXPECT_EQ(s.code(), ErrorCode::kInvalidPassword);
    EXPECT_EQ(s.message(), wrong.message());
  }
  auto missing = db_->FindAccount("bob");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  // root exists without CREATE USER; it has no password until one is set.
  const Account root = Find("root");
  EXPECT_EQ(root.role, Role::kSystem);
  EXPECT_FALSE(root.has_password);
}

// An unknown user (or one without a password) costs the same argon2id hash as a wrong
// password, so timing does not tell which names exist. Minimums over a few runs, and a
// wide margin: skipping the hash would make the unknown case ~1000x faster.
TEST_F(AccountsTest, UnknownUsersCostAHashLikeWrongPasswords) {
  Ok("CREATE USER alice PASSWORD 'alice-password-1' ROLE user");
  Ok("CREATE USER nopass ROLE user");
  const auto min_micros = [&](std::string_view user) {
    int64_t best = INT64_MAX;
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      EXPECT_FALSE(db_->Authenticate(user, "wrong-password-1").ok());
      best = std::min<int64_t>(best, std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::steady_clock::now() - start)
                                         .count());
    }
    return best;
  };
  const int64_t wrong = min_micros("alice");
  const int64_t unknown = min_micros("nobody");
  const int64_t no_password = min_micros("nopass");
  EXPECT_GT(unknown * 3, wrong) << "unknown " << unknown << " us, wrong password " << wrong;
  EXPECT_GT(no_password * 3, wrong) << "no password " << no_password << " us, wrong " << wrong;
}

TEST_F(AccountsTest, PasswordAndRoleChangesAdvanceTheCredentialsVersion) {
  Ok("CREATE USER alice PASSWORD 'first-password' ROLE user");
  const uint64_t v1 = Find("alice").credentials_version;
  Ok("ALTER USER alice SET PASSWORD 'second-password'");
  const uint64_t v2 = Find("alice").credentials_version;
  EXPECT_GT(v2, v1);
  EXPECT_FALSE(db_->Authenticate("alice", "first-password").ok());
  EXPECT_TRUE(db_->Authenticate("alice", "second-password").ok());
  Ok("ALTER USER alice WITH PASSWORD 'third-password'");
  const uint64_t v3 = Find("alice").credentials_version;
  EXPECT_GT(v3, v2);
  Ok("ALTER USER alice SET ROLE service");
  const Account promoted = Find("alice");
  EXPECT_GT(promoted.credentials_version, v3);
  EXPECT_EQ(promoted.role, Role::kService);
  EXPECT_EQ(db_->Authenticate("alice", "third-password")->role, Role::kService);
  ASSERT_TRUE(db_->SetPassword("alice", "fourth-password").ok());
  EXPECT_GT(Find("alice").credentials_version, promoted.credentials_version);
  const uint64_t before_drop = Find("alice").credentials_version;
  Ok("DROP USER alice");
  EXPECT_FALSE(db_->FindAccount("alice")->has_value());
  EXPECT_FALSE(db_->Authenticate("alice", "fourth-password").ok());
  Ok("CREATE USER alice PASSWORD 'fourth-password'");
  EXPECT_GT(Find("alice").credentials_version, before_drop);
}

TEST_F(AccountsTest, ShortPasswordsFailWithTheMinimumAndChangeNothing) {
  Ok("CREATE USER alice PASSWORD 'long-enough' ROLE user");
  const uint64_t v = Find("alice").credentials_version;
  for (const std::string sql :
       {"CREATE USER bob PASSWORD 'short7!'", "ALTER USER alice SET PASSWORD 'short7!'"}) {
    SCOPED_TRACE(sql);
    const Status s = Exec(sql);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidPassword);
    EXPECT_NE(s.message().find("at least 8 characters"), std::string_view::npos) << s.message();
    EXPECT_EQ(s.message().find("short7!"), std::string_view::npos) << s.message();
  }
  EXPECT_FALSE(db_->FindAccount("bob")->has_value());
  EXPECT_EQ(Find("alice").credentials_version, v);
  EXPECT_EQ(db_->SetPassword("alice", "short7!").code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(db_->SetPassword("ghost", "long-enough").code(), ErrorCode::kNotFound);
  // The minimum is the database's option.
  Database::Options strict;
  strict.min_password_length = 20;
  Reopen(strict);
  const Status s = db_->SetPassword("alice", "only-fifteen-ch");
  EXPECT_EQ(s.code(), ErrorCode::kInvalidPassword);
  EXPECT_NE(s.message().find("at least 20 characters"), std::string_view::npos) << s.message();
  EXPECT_TRUE(db_->SetPassword("alice", "twenty-characters-ok").ok());
}

TEST_F(AccountsTest, NoHashIsVisibleInSystemUsers) {
  Ok("CREATE USER alice PASSWORD 'alice-password-1' ROLE user");
  Ok("CREATE USER bob ROLE dba");
  ASSERT_TRUE(db_->SetPassword("root", "root-password-1").ok());
  EXPECT_EQ(Query("SELECT user_id, role, has_password, created_at IS NOT NULL FROM system.users "
                  "ORDER BY user_id"),
            "alice|user|t|t\nbob|dba|f|t\nroot|system|t|t\n");
  const std::string all = Query("SELECT * FROM system.users");
  EXPECT_EQ(all.find("argon2"), std::string::npos) << all;
  EXPECT_EQ(all.find("alice-password"), std::string::npos) << all;
  // Role user sees its own row only.
  auto alice = Connect("alice", Role::kUser);
  EXPECT_EQ(Query(*alice, "SELECT user_id, has_password FROM system.users"), "alice|t\n");
}

TEST_F(AccountsTest, UsersPasswordsAndRevokedTokensSurviveARestart) {
  Ok("CREATE USER alice PASSWORD 'alice-password-1' ROLE dba");
  ASSERT_TRUE(db_->SetPassword("root", "root-password-1").ok());
  const Account alice = Find("alice");
  const Account root = Find("root");
  const int64_t later = static_cast<int64_t>(std::time(nullptr)) + 3600;
  ASSERT_TRUE(db_->RevokeToken("token-1", later).ok());
  Reopen();
  EXPECT_EQ(Find("alice"), alice);
  EXPECT_EQ(Find("root"), root);
  EXPECT_EQ(*db_->Authenticate("alice", "alice-password-1"), alice);
  EXPECT_EQ(*db_->Authenticate("root", "root-password-1"), root);
  EXPECT_TRUE(*db_->IsTokenRevoked("token-1"));
  EXPECT_FALSE(*db_->IsTokenRevoked("token-2"));
}

TEST_F(AccountsTest, RevokedTokensCountOnlyUntilTheirExpiry) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ASSERT_TRUE(db_->RevokeToken("expired", now - 10).ok());
  ASSERT_TRUE(db_->RevokeToken("live", now + 600).ok());
  EXPECT_FALSE(*db_->IsTokenRevoked("expired"));
  EXPECT_TRUE(*db_->IsTokenRevoked("live"));
  EXPECT_EQ(db_->RevokeToken("", now).code(), ErrorCode::kInvalidArgument);
}

TEST_F(AccountsTest, AnyUserChangesOwnPasswordButNoOneElses) {
  Ok("CREATE USER alice PASSWORD 'alice-password-1' ROLE user");
  Ok("CREATE USER bob PASSWORD 'bob-password-1' ROLE user");
  auto alice = Connect("alice", Role::kUser);
  ASSERT_TRUE(Exec(*alice, "ALTER USER alice SET PASSWORD 'alice-password-2'").ok());
  EXPECT_TRUE(db_->Authenticate("alice", "alice-password-2").ok());
  EXPECT_EQ(Exec(*alice, "ALTER USER bob SET PASSWORD 'hijacked-password'").code(),
            ErrorCode::kInsufficientPrivilege);
  EXPECT_EQ(Exec(*alice, "ALTER USER alice SET ROLE system").code(),
            ErrorCode::kInsufficientPrivilege);
  EXPECT_TRUE(db_->Authenticate("bob", "bob-password-1").ok());
  // A dba may not take over a system user by resetting its password.
  Ok("CREATE USER ops PASSWORD 'ops-password-1' ROLE dba");
  Ok("CREATE USER boss PASSWORD 'boss-password-1' ROLE system");
  auto ops = Connect("ops", Role::kDba);
  EXPECT_EQ(Exec(*ops, "ALTER USER boss SET PASSWORD 'taken-over-1'").code(),
            ErrorCode::kInsufficientPrivilege);
  EXPECT_EQ(Exec(*ops, "ALTER USER root SET PASSWORD 'taken-over-1'").code(),
            ErrorCode::kInsufficientPrivilege);
  EXPECT_TRUE(db_->Authenticate("boss", "boss-password-1").ok());
  EXPECT_TRUE(Exec(*ops, "ALTER USER bob SET PASSWORD 'bob-password-2'").ok());
}

}  // namespace
}  // namespace tenantdb
