// SCRAM-SHA-256: the verifier derivation (catalog/scram_verifier.h) and the server's
// exchange (server/auth/scram_exchange.h) against RFC 7677's test vector.
#include <gtest/gtest.h>

#include "catalog/scram_verifier.h"
#include "server/auth/scram_exchange.h"

namespace tenantdb::server {
namespace {

// RFC 7677 section 3: user "user", password "pencil".
constexpr std::string_view kClientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view kServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
constexpr std::string_view kServerFirst =
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
constexpr std::string_view kClientFinal =
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
constexpr std::string_view kServerFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

ScramCredentials Rfc7677Credentials(std::string_view password = "pencil") {
  const std::string salt = ScramUnbase64("W22ZaJ0SNY7soEsUEjb6gQ==").value();
  const ScramSecret secret = DeriveScramSecret(password, salt, 4096);
  return ScramCredentials{secret.salt, secret.iterations, secret.stored_key, secret.server_key};
}

TEST(Scram, ServerAnswersRfc7677TestVector) {
  ScramExchange exchange(Rfc7677Credentials(), "user", std::string(kServerNonce));
  Result<std::string> first = exchange.ClientFirst(kClientFirst);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, kServerFirst);
  Result<std::string> final_message = exchange.ClientFinal(kClientFinal);
  ASSERT_TRUE(final_message.ok()) << final_message.status().ToString();
  EXPECT_EQ(*final_message, kServerFinal);
}

TEST(Scram, WrongPasswordFailsWithInvalidPassword) {
  ScramExchange exchange(Rfc7677Credentials("not-pencil"), "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.ClientFirst(kClientFirst).ok());
  Result<std::string> final_message = exchange.ClientFinal(kClientFinal);
  ASSERT_FALSE(final_message.ok());
  EXPECT_EQ(final_message.status().code(), ErrorCode::kInvalidPassword);
}

TEST(Scram, UnknownUserRunsToTheEndAndFails) {
  ScramExchange exchange(std::nullopt, "nobody", std::string(kServerNonce));
  Result<std::string> first = exchange.ClientFirst(kClientFirst);
  ASSERT_TRUE(first.ok());
  // A salt and iteration count like a real user's, the same on every attempt.
  EXPECT_NE(first->find(",s="), std::string::npos);
  EXPECT_NE(first->find(",i=4096"), std::string::npos);
  ScramExchange again(std::nullopt, "nobody", std::string(kServerNonce));
  EXPECT_EQ(*again.ClientFirst(kClientFirst), *first);
  Result<std::string> final_message = exchange.ClientFinal(kClientFinal);
  ASSERT_FALSE(final_message.ok());
  EXPECT_EQ(final_message.status().code(), ErrorCode::kInvalidPassword);
}

TEST(Scram, MalformedMessagesAreProtocolViolations) {
  for (std::string_view bad : {"", "x", "p=tls-server-end-point,,n=,r=abc", "n,a=admin,n=,r=abc",
                               "n,,r=abc", "n,,n=user", "n,,n=user,r="}) {
    ScramExchange exchange(Rfc7677Credentials(), "user", std::string(kServerNonce));
    Result<std::string> first = exchange.ClientFirst(bad);
    ASSERT_FALSE(first.ok()) << bad;
    EXPECT_EQ(first.status().code(), ErrorCode::kInvalidRequest) << bad;
  }
  ScramExchange exchange(Rfc7677Credentials(), "user", std::string(kServerNonce));
  ASSERT_TRUE(exchange.ClientFirst(kClientFirst).ok());
  // A nonce other than the one the server sent.
  Result<std::string> wrong_nonce = exchange.ClientFinal(
      "c=biws,r=rOprNGfwEbeRWgbNEkqOother,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  ASSERT_FALSE(wrong_nonce.ok());
  EXPECT_EQ(wrong_nonce.status().code(), ErrorCode::kInvalidRequest);
  // Out of order: the exchange is over.
  EXPECT_FALSE(exchange.ClientFinal(kClientFinal).ok());
}

TEST(ScramVerifier, TextFormRoundTripsAndMatchesPostgresLayout) {
  Result<std::string> text = MakeScramVerifier("pencil");
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text->starts_with("SCRAM-SHA-256$4096:")) << *text;
  const std::optional<ScramSecret> parsed = ParseScramVerifier(*text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->iterations, 4096u);
  EXPECT_EQ(parsed->salt.size(), 16u);
  const ScramSecret derived = DeriveScramSecret("pencil", parsed->salt, 4096);
  EXPECT_EQ(parsed->stored_key, derived.stored_key);
  EXPECT_EQ(parsed->server_key, derived.server_key);
  EXPECT_EQ(FormatScramVerifier(*parsed), *text);
  for (std::string_view bad :
       {"", "SCRAM-SHA-256$", "SCRAM-SHA-256$0:AAAA$AAAA:AAAA", "SCRAM-SHA-256$4096:!!!!$x:y",
        "md5abc", "SCRAM-SHA-256$99999999999:AAAA$AAAA:AAAA"}) {
    EXPECT_FALSE(ParseScramVerifier(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace tenantdb::server
