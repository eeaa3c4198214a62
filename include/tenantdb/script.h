// tenantdb/script.h: splitting a script of several SQL statements (public API).
//
//   for (const tenantdb::StatementRange& r : tenantdb::SplitScript(sql))
//     session->Query(sql.substr(r.begin, r.end - r.begin));
//
// Session::Query runs one statement; a front end that accepts a script (an HTTP request,
// a shell) cuts it here with the same lexical rules the engine parses by, so a ';' inside
// a string ('..', E'..', $tag$..$tag$), a quoted identifier, a comment or parentheses
// never splits a statement.
//
// Thread safety: a pure function. Cost: one pass over the text.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace tenantdb {

// One statement's byte range in the script: [begin, end), from its first token to its
// last, without the ';'.
struct StatementRange {
  size_t begin = 0;
  size_t end = 0;
  // The statement is a query that writes nothing and takes no lock: it starts with
  // SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN or '(' (tenantdb refuses SELECT INTO,
  // FOR UPDATE, data-modifying WITH and EXPLAIN ANALYZE of a write). A server may run such
  // statements where waiting on a commit or a lock would hold up other clients.
  bool reads_only = false;
};

// The statements of `script` in order; blanks, comments and empty statements (";;") give
// none. Never fails: an unterminated string runs to the end of the text and the statement
// holding it fails when it is run.
std::vector<StatementRange> SplitScript(std::string_view script);

}  // namespace tenantdb
