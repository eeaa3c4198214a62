#include "catalog/password_hash.h"

#include <argon2.h>
#include <gtest/gtest.h>

#include "common/error_code.h"

namespace tenantdb {
namespace {

const PasswordHasher& Fast() {
  static const PasswordHasher hasher(PasswordHashParams::FastForTests());
  return hasher;
}

TEST(PasswordHash, DefaultParametersAreOwaspsArgon2idRecommendation) {
  const PasswordHasher hasher;
  EXPECT_EQ(hasher.params().memory_kib, 19456u);
  EXPECT_EQ(hasher.params().iterations, 2u);
  EXPECT_EQ(hasher.params().parallelism, 1u);
  EXPECT_EQ(hasher.min_length(), 8u);
}

TEST(PasswordHash, HashIsAPhcStringThatVerifies) {
  const std::string stored = Fast().Hash("correct horse battery").value();
  EXPECT_EQ(stored.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << stored;
  EXPECT_TRUE(Fast().Verify("correct horse battery", stored).value());
}

TEST(PasswordHash, WrongPasswordDoesNotVerify) {
  const std::string stored = Fast().Hash("correct horse battery").value();
  EXPECT_FALSE(Fast().Verify("correct horse batterY", stored).value());
  EXPECT_FALSE(Fast().Verify("correct horse battery ", stored).value());
  EXPECT_FALSE(Fast().Verify("", stored).value());
}

TEST(PasswordHash, EachHashHasItsOwnSalt) {
  const std::string a = Fast().Hash("same password").value();
  const std::string b = Fast().Hash("same password").value();
  EXPECT_NE(a, b);
  EXPECT_TRUE(Fast().Verify("same password", a).value());
  EXPECT_TRUE(Fast().Verify("same password", b).value());
}

TEST(PasswordHash, ProductionParametersHashAndVerify) {
  const PasswordHasher hasher;
  const std::string stored = hasher.Hash("a long enough password").value();
  EXPECT_EQ(stored.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << stored;
  EXPECT_TRUE(hasher.Verify("a long enough password", stored).value());
  EXPECT_FALSE(hasher.NeedsRehash(stored));
}

TEST(PasswordHash, VerifiesHashesLibargon2EncodedItself) {
  // Interop: the reference encoder's PHC string (another tool's hash) verifies here.
  const std::string salt = "0123456789abcdef";
  char encoded[256];
  ASSERT_EQ(argon2id_hash_encoded(1, 64, 1, "interop password", 16, salt.data(), salt.size(), 32,
                                  encoded, sizeof(encoded)),
            ARGON2_OK);
  EXPECT_TRUE(Fast().Verify("interop password", encoded).value()) << encoded;
  EXPECT_FALSE(Fast().Verify("interop passworD", encoded).value());
  // And ours verifies with the reference verifier.
  const std::string ours = Fast().Hash("interop password").value();
  EXPECT_EQ(argon2id_verify(ours.c_str(), "interop password", 16), ARGON2_OK);
}

TEST(PasswordHash, ShortPasswordIsRefusedWithAClearError) {
  const Result<std::string> r = Fast().Hash("short");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidPassword);
  EXPECT_EQ(r.status().sqlstate(), "28P01");
  EXPECT_NE(r.status().message().find("at least 8 characters"), std::string_view::npos)
      << r.status().message();
}

TEST(PasswordHash, MinimumLengthCountsCharactersNotBytes) {
  const PasswordHasher hasher(PasswordHashParams::FastForTests(), 4);
  // Three characters, nine bytes.
  EXPECT_FALSE(hasher.CheckPolicy("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86").ok());
  EXPECT_TRUE(hasher.CheckPolicy("\xe5\xaf\x86\xe7\xa0\x81\xe5\xaf\x86x").ok());
  EXPECT_TRUE(hasher.CheckPolicy("abcd").ok());
}

TEST(PasswordHash, OverlongPasswordIsRefused) {
  const std::string huge(PasswordHasher::kMaxLengthBytes + 1, 'x');
  EXPECT_FALSE(Fast().CheckPolicy(huge).ok());
  EXPECT_TRUE(Fast().CheckPolicy(huge.substr(1)).ok());
  const std::string stored = Fast().Hash("correct horse battery").value();
  EXPECT_FALSE(Fast().Verify(huge, stored).value());
}

TEST(PasswordHash, MalformedStoredHashesAreErrorsNotMatches) {
  const std::string good = Fast().Hash("correct horse battery").value();
  const std::string salt_and_hash = good.substr(good.rfind("$", good.rfind("$") - 1));
  const std::string cases[] = {
      "",
      "plaintext",
      "$argon2i$v=19$m=64,t=1,p=1" + salt_and_hash,    // another variant
      "$argon2id$v=16$m=64,t=1,p=1" + salt_and_hash,   // another version
      "$argon2id$v=19$m=64,t=1" + salt_and_hash,       // a missing parameter
      "$argon2id$v=19$t=1,m=64,p=1" + salt_and_hash,   // parameters out of order
      "$argon2id$v=19$m=064,t=1,p=1" + salt_and_hash,  // a leading zero
      "$argon2id$v=19$m=64,t=1,p=1,x=2" + salt_and_hash,
      "$argon2id$v=19$m=64,t=0,p=1" + salt_and_hash,        // no iterations
      "$argon2id$v=19$m=4,t=1,p=1" + salt_and_hash,         // below 8 KiB per lane
      "$argon2id$v=19$m=4194304,t=1,p=1" + salt_and_hash,   // 4 GiB: refused, not run
      "$argon2id$v=19$m=64,t=1000000,p=1" + salt_and_hash,  // hours of work: refused
      "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + good.substr(good.rfind('$') + 1),  // 4-byte salt
      "$argon2id$v=19$m=64,t=1,p=1$" + good.substr(good.rfind('$') + 1),         // no hash
      good.substr(0, good.rfind('$') + 1) + "AAAA",                              // 3-byte hash
      good.substr(0, good.size() - 1) + "*",                                     // not base64
      good + "=",                                                                // padding
  };
  for (const std::string& stored : cases) {
    const Result<bool> r = Fast().Verify("correct horse battery", stored);
    ASSERT_FALSE(r.ok()) << stored;
    EXPECT_EQ(r.status().code(), ErrorCode::kCorruption) << stored;
    EXPECT_TRUE(Fast().NeedsRehash(stored)) << stored;
  }
  EXPECT_TRUE(Fast().Verify("correct horse battery", good).value());
}

TEST(PasswordHash, TamperedHashDoesNotVerify) {
  std::string stored = Fast().Hash("correct horse battery").value();
  char& last_full = stored[stored.size() - 2];  // a character whose bits are all hash bits
  last_full = last_full == 'A' ? 'B' : 'A';
  const Result<bool> r = Fast().Verify("correct horse battery", stored);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(*r);
}

TEST(PasswordHash, NeedsRehashWhenParametersChange) {
  const std::string stored = Fast().Hash("correct horse battery").value();
  EXPECT_FALSE(Fast().NeedsRehash(stored));
  const PasswordHasher stronger(PasswordHashParams{128, 2, 1});
  EXPECT_TRUE(stronger.NeedsRehash(stored));
  // Old hashes stay verifiable after the parameters are raised.
  EXPECT_TRUE(stronger.Verify("correct horse battery", stored).value());
}

}  // namespace
}  // namespace tenantdb
