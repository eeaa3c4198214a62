// SplitScript (include/tenantdb/script.h) over the SQL lexer.
#include "sql/parser/lexer.h"
#include "tenantdb/script.h"

namespace tenantdb {

std::vector<StatementRange> SplitScript(std::string_view script) {
  const std::vector<sql::Token> tokens = sql::Tokenize(script);
  std::vector<StatementRange> ranges;
  for (const sql::StatementSpan& span : sql::SplitStatements(tokens, 0, tokens.size())) {
    ranges.push_back(StatementRange{span.begin, span.end});
  }
  return ranges;
}

}  // namespace tenantdb
