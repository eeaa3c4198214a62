// Base64 without padding, in the two alphabets the server needs: base64url (RFC 4648
// section 5) for JSON Web Tokens (RFC 7515 section 2) and the standard alphabet for
// PHC password-hash strings. Decoding is strict so that one token has one spelling:
// no padding, no whitespace, no characters outside the alphabet, and the unused low bits
// of the last character must be zero (otherwise "eA" and "eB" would both decode to "x"
// and a tampered token could still verify).
//
// Thread safety: pure functions. Cost: linear in the input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tenantdb::server {

enum class Base64Alphabet { kStandard, kUrl };

// `bytes` encoded without '=' padding.
std::string Base64Encode(std::string_view bytes, Base64Alphabet alphabet);

// The bytes `text` encodes, or nullopt when it is not canonical unpadded base64 in
// `alphabet`.
std::optional<std::string> Base64Decode(std::string_view text, Base64Alphabet alphabet);

}  // namespace tenantdb::server
