// ClosestName: the "did you mean" of error messages — the candidate nearest to a
// misspelled name, if one is near enough to be a likely typo.
//
// Near enough: an edit distance (insertions, deletions, substitutions, and swaps of two
// neighbouring characters) of at most 1 for names up to 4 characters, 2 up to 8, and 3
// beyond; a candidate equal but for letter case always qualifies. Of equally near
// candidates the first wins. Cost: O(|name| * |candidate|) per candidate (error paths only).
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tenantdb::sql {

std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& candidates);

// `message` + `; did you mean "x"?` when ClosestName finds an x, else `message`.
std::string WithSuggestion(std::string message, std::string_view name,
                           const std::vector<std::string>& candidates);

}  // namespace tenantdb::sql
