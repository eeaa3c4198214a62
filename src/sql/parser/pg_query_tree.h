// RAII ownership of libpg_query's parse output (the protobuf form, unpacked with
// protobuf-c). ParsePostgres() runs PostgreSQL's parser on one piece of SQL and returns the
// unpacked tree, or a syntax_error Status carrying libpg_query's message and the 1-based
// character position of the error within the whole script.
//
// Thread safety: libpg_query keeps its memory contexts per thread, so concurrent calls
// from different threads are safe. The returned tree is immutable and owned by the caller.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

struct PgQuery__ParseResult;

namespace tenantdb::sql {

struct PgParseResultDeleter {
  void operator()(PgQuery__ParseResult* result) const;
};
using PgParseTree = std::unique_ptr<PgQuery__ParseResult, PgParseResultDeleter>;

// Parses `sql` (which must not contain NUL bytes). `char_base` is the number of characters
// in the script before `sql`, added to error positions.
Result<PgParseTree> ParsePostgres(const std::string& sql, int char_base);

}  // namespace tenantdb::sql
