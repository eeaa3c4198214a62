// UTF-8 validation: every TEXT (and JSON) value tenantdb stores or returns is well-formed
// UTF-8 (RFC 3629), checked where text enters — SQL text and its string literals,
// bound parameters — so that no later stage (storage, Parquet, JSON output) has to cope
// with anything else. Rejected: bytes that start no sequence (0x80-0xBF, 0xC0, 0xC1,
// 0xF5-0xFF), truncated sequences, overlong encodings, UTF-16 surrogates
// (U+D800-U+DFFF) and code points above U+10FFFF — what PostgreSQL rejects.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/status.h"

namespace tenantdb {

// The byte offset of the first byte of the first malformed sequence in `s`, or
// std::string_view::npos when `s` is valid UTF-8.
size_t FindInvalidUtf8(std::string_view s);

inline bool IsValidUtf8(std::string_view s) {
  return FindInvalidUtf8(s) == std::string_view::npos;
}

// Ok when `s` is valid UTF-8; otherwise character_not_in_repertoire (SQLSTATE 22021)
// naming `what` ("string literal", "parameter $2"), the offending bytes in hex and their
// byte offset, as PostgreSQL's "invalid byte sequence for encoding" does.
Status CheckUtf8(std::string_view s, std::string_view what);

}  // namespace tenantdb
