// SplitScript (include/tenantdb/script.h) over the SQL lexer.
#include "sql/parser/lexer.h"
#include "tenantdb/script.h"

namespace tenantdb {

std::vector<StatementRange> SplitScript(std::string_view script) {
  const std::vector<sql::Token> tokens = sql::Tokenize(script);
  std::vector<StatementRange> ranges;
  for (const sql::StatementSpan& span : sql::SplitStatements(tokens, 0, tokens.size())) {
    const sql::Token& first = tokens[span.first_token];
    const bool reads_only = first.IsKeyword("select") || first.IsKeyword("with") ||
                            first.IsKeyword("values") || first.IsKeyword("table") ||
                            first.IsKeyword("show") || first.IsKeyword("explain") ||
                            first.IsSymbol('(');
    ranges.push_back(StatementRange{span.begin, span.end, reads_only});
  }
  return ranges;
}

}  // namespace tenantdb
