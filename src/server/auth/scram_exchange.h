// ScramExchange: the server's side of one SCRAM-SHA-256 authentication (RFC 5802,
// RFC 7677) as PostgreSQL runs it over its protocol (SASL, mechanism "SCRAM-SHA-256",
// no channel binding: the connection has no TLS).
//
//   client-first  "n,,n=<ignored>,r=<client nonce>"      -> ClientFirst()
//   server-first  "r=<client+server nonce>,s=<salt>,i=<iterations>"
//   client-final  "c=biws,r=<nonce>,p=<proof>"            -> ClientFinal()
//   server-final  "v=<server signature>"
//
// The user name inside the SCRAM message is ignored (PostgreSQL does the same: libpq
// sends an empty one); the startup packet's user is the one checked. For a user with
// no credentials the exchange still runs to the end with a salt derived from the name
// and fails there, so a client cannot tell unknown users from wrong passwords.
// Checking the proof: ClientKey = proof XOR HMAC(StoredKey, AuthMessage), and
// SHA-256(ClientKey) must equal StoredKey (compared in constant time).
//
// Thread safety: one exchange per login, used by one thread at a time. Cost: three
// HMACs and a hash; the expensive PBKDF2 ran when the password was set.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tenantdb/account.h"
#include "tenantdb/status.h"

namespace tenantdb::server {

class ScramExchange {
 public:
  static constexpr std::string_view kMechanism = "SCRAM-SHA-256";

  // `credentials`: the user's (nullopt: fail at the end, see above; `user` then seeds the
  // fake salt). `server_nonce`: empty for a fresh random one (tests pass RFC 7677's).
  ScramExchange(std::optional<ScramCredentials> credentials, std::string_view user,
                std::string server_nonce = {});

  // The server-first-message answering `client_first`. Error: invalid_request (08P01)
  // for a malformed message or channel binding asked for.
  Result<std::string> ClientFirst(std::string_view client_first);

  // The server-final-message when the proof in `client_final` is right. Errors:
  // invalid_request (malformed, wrong nonce, out of order), invalid_password (28P01) for
  // a wrong password or a user without credentials.
  Result<std::string> ClientFinal(std::string_view client_final);

 private:
  std::optional<ScramCredentials> credentials_;
  std::string fake_salt_;
  std::string server_nonce_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client + server
  std::string gs2_header_;
  bool first_done_ = false;
  bool final_done_ = false;
};

// Padded standard base64 (RFC 4648 section 4), as SCRAM messages carry it.
std::string ScramBase64(std::string_view bytes);
std::optional<std::string> ScramUnbase64(std::string_view text);

}  // namespace tenantdb::server
