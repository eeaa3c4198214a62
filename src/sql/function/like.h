// SQL LIKE / ILIKE pattern matching with PostgreSQL's semantics: % matches any run of
// characters (including none), _ exactly one character (one UTF-8 code point), and a
// backslash makes the next pattern character literal. ILIKE folds case like lower() (ASCII,
// Latin-1, Latin Extended-A, Greek, Cyrillic).
//
// The matcher is iterative with one backtracking point (the most recent %), so it runs in
// O(|text| * |pattern|) time at worst and constant space; patterns such as '%a%a%a%a%b'
// cannot blow up exponentially.
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "common/status.h"
#include "types/column_vector.h"

namespace tenantdb::sql {

// `text LIKE pattern` (ILIKE when case_insensitive), as PostgreSQL evaluates it: a pattern
// ending in a lone backslash is an error (kInvalidArgument "LIKE pattern must not end with
// escape character") only when matching reaches that backslash with text left over, so
// 'b' LIKE 'a\' is false while 'ab' LIKE 'a\' is the error.
Result<bool> EvalLike(std::string_view text, std::string_view pattern, bool case_insensitive);

// EvalLike without the error: a match reaching the lone trailing backslash is false.
bool LikeMatch(std::string_view text, std::string_view pattern, bool case_insensitive);

// kInvalidArgument "LIKE pattern must not end with escape character" for a pattern ending
// in a lone backslash, whatever the text; OK otherwise. Stricter than PostgreSQL: for
// checking a constant pattern once, e.g. at bind time, if the caller wants that.
Status CheckLikePattern(std::string_view pattern);

// Row-wise `text [NOT] [I]LIKE pattern` for a constant pattern (WHERE name LIKE 'ab%'),
// appended to `out_boolean`, an empty BOOLEAN vector; `text` is TEXT. NULL rows give NULL.
// Plain prefix, suffix, substring and equality patterns skip the general matcher. Fails
// with EvalLike's error on the first row that raises it.
Status LikeVectorConstant(const ColumnVector& text, std::string_view pattern, bool case_insensitive,
                          bool negated, ColumnVector* out_boolean);

}  // namespace tenantdb::sql
