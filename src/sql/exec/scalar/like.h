// SQL LIKE / ILIKE pattern matching with PostgreSQL's semantics: % matches any run of
// characters (including none), _ exactly one character (one UTF-8 code point), and a
// backslash makes the next pattern character literal. ILIKE folds ASCII letters.
//
// The matcher is iterative with one backtracking point (the most recent %), so it runs in
// O(|text| * |pattern|) time at worst and constant space; patterns such as '%a%a%a%a%b'
// cannot blow up exponentially.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"

namespace tenantdb::sql {

// Whether `text` matches `pattern`. A pattern ending in a lone backslash matches nothing
// (CheckLikePattern reports it as the error PostgreSQL raises).
bool LikeMatch(std::string_view text, std::string_view pattern, bool case_insensitive);

// kInvalidArgument "LIKE pattern must not end with escape character" for such a pattern;
// OK otherwise. The executor calls it once per constant pattern, or per row otherwise.
Status CheckLikePattern(std::string_view pattern);

}  // namespace tenantdb::sql
