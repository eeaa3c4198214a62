// How many terminal columns text takes, for the shell's aligned tables: a UTF-8
// character is one column, except East Asian wide and fullwidth characters and emoji
// (two) and combining marks, zero-width spaces and joiners, and variation selectors
// (none), as terminals draw them (Unicode's East_Asian_Width, UAX #11, the ranges
// terminals agree on). Bytes that are not valid UTF-8 count one column each.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace tenantdb::cli {

// Columns of one code point: 0, 1 or 2.
int CodePointWidth(char32_t code_point);

// Columns of `text`.
size_t DisplayWidth(std::string_view text);

}  // namespace tenantdb::cli
