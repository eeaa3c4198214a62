// VerifiedTokens: remembers claims by the token's exact bytes, and stays within its
// capacity however many tokens pass through it.
#include "server/auth/verified_tokens.h"

#include <gtest/gtest.h>

#include <string>

namespace tenantdb::server {
namespace {

TEST(VerifiedTokens, FindsOnlyTheExactTokenItWasGiven) {
  VerifiedTokens tokens(64);
  TokenClaims claims;
  claims.subject = "alice";
  claims.expires_at = 100;
  tokens.Add("a.b.c", claims);
  ASSERT_TRUE(tokens.Find("a.b.c").has_value());
  EXPECT_EQ(*tokens.Find("a.b.c"), claims);
  EXPECT_FALSE(tokens.Find("a.b.C").has_value());
  EXPECT_FALSE(tokens.Find("a.b.c ").has_value());
  EXPECT_FALSE(tokens.Find("").has_value());
}

TEST(VerifiedTokens, StaysWithinItsCapacity) {
  VerifiedTokens tokens(64);
  TokenClaims claims;
  for (int i = 0; i < 10'000; ++i) {
    claims.subject = "user" + std::to_string(i);
    tokens.Add("token-" + std::to_string(i), claims);
    ASSERT_LE(tokens.size(), 64u);
  }
  // The last one added is there.
  ASSERT_TRUE(tokens.Find("token-9999").has_value());
  EXPECT_EQ(tokens.Find("token-9999")->subject, "user9999");
}

}  // namespace
}  // namespace tenantdb::server
