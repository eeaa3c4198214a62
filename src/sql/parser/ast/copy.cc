#include "sql/parser/ast/copy.h"

#include "sql/parser/ast/expr.h"

namespace tenantdb::sql {

std::string CopyStmt::ToString() const {
  std::string out = "COPY ";
  if (query != nullptr) {
    out += "(" + query->ToString() + ")";
  } else {
    out += table.ToString();
    if (!columns.empty()) {
      out += " (";
      for (size_t i = 0; i < columns.size(); ++i)
        out += (i > 0 ? ", " : "") + QuoteIdentifier(columns[i]);
      out += ")";
    }
  }
  out += is_from ? " FROM " : " TO ";
  out += filename.empty() ? (is_from ? "STDIN" : "STDOUT") : QuoteString(filename);
  if (!options.empty()) {
    out += " WITH (";
    for (size_t i = 0; i < options.size(); ++i) {
      const CopyOption& o = options[i];
      out += (i > 0 ? ", " : "") + QuoteIdentifier(o.name);
      if (o.star) {
        out += " *";
      } else if (!o.list.empty()) {
        out += " (";
        for (size_t j = 0; j < o.list.size(); ++j)
          out += (j > 0 ? ", " : "") + QuoteIdentifier(o.list[j]);
        out += ")";
      } else {
        out += " " + QuoteString(o.value);
      }
    }
    out += ")";
  }
  return out;
}

}  // namespace tenantdb::sql
