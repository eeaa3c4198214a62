// COPY: PostgreSQL's bulk load and unload statement.
//
//   COPY t [(cols)] FROM STDIN | 'file' [[WITH] (option, ...)] | [old-style options]
//   COPY t [(cols)] | (query) TO STDOUT | 'file' [[WITH] (option, ...)]
//
// The options are kept as PostgreSQL's grammar normalizes them (both the WITH (...) list
// and the old `CSV HEADER DELIMITER ','` words arrive as the same name/value pairs); the
// engine validates them (sql/copy/copy_options.h).
//
// Thread safety: immutable after parsing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/parser/ast/select.h"
#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

// One COPY option: `name` lower-cased; `value` its text ("true" when given bare);
// `list` the column names of FORCE_QUOTE (a, b) / FORCE_NOT_NULL (...); `star` for
// FORCE_QUOTE *.
struct CopyOption {
  std::string name;
  std::string value;
  std::vector<std::string> list;
  bool star = false;
  int location = -1;
};

struct CopyStmt final : Statement {
  explicit CopyStmt(int loc = -1) : Statement(StatementKind::kCopy, loc) {}
  std::string ToString() const override;

  bool is_from = false;               // FROM (load) or TO (unload)
  TableName table;                    // empty name when `query` is given
  std::vector<std::string> columns;   // empty: every column in table order
  std::unique_ptr<SelectStmt> query;  // COPY (query) TO ...; null otherwise
  std::string filename;               // empty: STDIN / STDOUT
  std::vector<CopyOption> options;
};

}  // namespace tenantdb::sql
