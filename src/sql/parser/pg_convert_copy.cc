// COPY half of PgConverter: CopyStmt (ast/copy.h) from libpg_query's CopyStmt. PostgreSQL's
// grammar already turns the old option words (CSV, HEADER, DELIMITER 'x', FORCE QUOTE ...)
// into the same DefElem list as WITH (...), so one loop reads both.
#include <pg_query/pg_query.pb-c.h>

#include "sql/parser/pg_converter.h"

namespace tenantdb::sql {

namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

Result<CopyOption> ConvertCopyOption(const PgQuery__Node* node) {
  if (node == nullptr || node->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) {
    return NotSupported("COPY option form");
  }
  const PgQuery__DefElem* d = node->def_elem;
  CopyOption option;
  option.name = Lower(d->defname != nullptr ? d->defname : "");
  option.location = d->location;
  const PgQuery__Node* arg = d->arg;
  if (arg == nullptr) {
    option.value = "true";
    return option;
  }
  switch (arg->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
      option.value = PgString(arg);
      return option;
    case PG_QUERY__NODE__NODE_INTEGER:
      option.value = std::to_string(arg->integer->ival);
      return option;
    case PG_QUERY__NODE__NODE_FLOAT:
      option.value = arg->float_->fval != nullptr ? arg->float_->fval : "0";
      return option;
    case PG_QUERY__NODE__NODE_BOOLEAN:
      option.value = arg->boolean->boolval ? "true" : "false";
      return option;
    case PG_QUERY__NODE__NODE_A_STAR:
      option.star = true;
      return option;
    case PG_QUERY__NODE__NODE_LIST:
      for (size_t i = 0; i < arg->list->n_items; ++i) {
        if (arg->list->items[i]->node_case != PG_QUERY__NODE__NODE_STRING) {
          return NotSupported("COPY option list item");
        }
        option.list.push_back(PgString(arg->list->items[i]));
      }
      return option;
    default:
      break;
  }
  return NotSupported("COPY option value " + PgNodeName(arg, false));
}

}  // namespace

Result<StatementPtr> PgConverter::ConvertCopy(const PgQuery__Node* node) {
  const PgQuery__CopyStmt* s = node->copy_stmt;
  if (s->is_program) return NotSupported("COPY ... PROGRAM");
  if (s->where_clause != nullptr) return NotSupported("COPY ... WHERE");
  auto out = std::make_unique<CopyStmt>();
  out->is_from = s->is_from;
  if (s->relation != nullptr) out->table = ConvertRangeVar(s->relation);
  if (s->query != nullptr) {
    if (s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
      return NotSupported("COPY of a " + PgNodeName(s->query, true) + " (only SELECT)");
    }
    TDB_ASSIGN_OR_RETURN(out->query, ConvertSelect(s->query->select_stmt, -1));
  }
  for (size_t i = 0; i < s->n_attlist; ++i)
    out->columns.push_back(PgString(s->attlist[i]));
  if (s->filename != nullptr) out->filename = s->filename;
  for (size_t i = 0; i < s->n_options; ++i) {
    TDB_ASSIGN_OR_RETURN(CopyOption option, ConvertCopyOption(s->options[i]));
    option.location = Loc(option.location);
    out->options.push_back(std::move(option));
  }
  return StatementPtr(std::move(out));
}

}  // namespace tenantdb::sql
