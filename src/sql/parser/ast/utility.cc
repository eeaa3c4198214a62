#include "sql/parser/ast/utility.h"

#include <cctype>

namespace tenantdb::sql {

std::string TransactionStmt::ToString() const {
  std::string out;
  switch (action) {
    case TransactionAction::kBegin:
      out = "BEGIN";
      break;
    case TransactionAction::kCommit:
      return "COMMIT";
    case TransactionAction::kRollback:
      return "ROLLBACK";
    case TransactionAction::kSetTransaction:
      out = "SET TRANSACTION";
      break;
    case TransactionAction::kSetSession:
      out = "SET SESSION CHARACTERISTICS AS TRANSACTION";
      break;
  }
  const char* separator = " ";
  if (modes.isolation.has_value()) {
    std::string level = *modes.isolation;
    for (char& c : level)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += separator + ("ISOLATION LEVEL " + level);
    separator = ", ";
  }
  if (modes.read_only.has_value()) {
    out += separator;
    out += *modes.read_only ? "READ ONLY" : "READ WRITE";
  }
  return out;
}

std::string ExplainStmt::ToString() const {
  return std::string("EXPLAIN ") + (analyze ? "ANALYZE " : "") +
         (statement ? statement->ToString() : "<null>");
}

std::string PrepareStmt::ToString() const {
  std::string out = "PREPARE " + QuoteIdentifier(name);
  if (!parameter_types.empty()) {
    out += " (";
    for (size_t i = 0; i < parameter_types.size(); ++i) {
      if (i > 0) out += ", ";
      out += parameter_types[i].ToString();
    }
    out += ")";
  }
  return out + " AS " + (statement ? statement->ToString() : "<null>");
}

std::string ExecuteStmt::ToString() const {
  std::string out = "EXECUTE " + QuoteIdentifier(name);
  if (!parameters.empty()) {
    out += " (";
    for (size_t i = 0; i < parameters.size(); ++i) {
      if (i > 0) out += ", ";
      out += parameters[i]->ToString();
    }
    out += ")";
  }
  return out;
}

std::string SetVariableStmt::ToString() const {
  if (reset) return name == "all" ? "RESET ALL" : "RESET " + QuoteIdentifier(name);
  std::string out =
      std::string("SET ") + (is_local ? "LOCAL " : "") + QuoteIdentifier(name) + " TO ";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += QuoteString(values[i]);
  }
  return out;
}

std::string ShowVariableStmt::ToString() const {
  return name == "all" ? "SHOW ALL" : "SHOW " + QuoteIdentifier(name);
}

std::string DeallocateStmt::ToString() const {
  return name.empty() ? "DEALLOCATE ALL" : "DEALLOCATE " + QuoteIdentifier(name);
}

std::string TruncateStmt::ToString() const {
  std::string out = "TRUNCATE TABLE ";
  for (size_t i = 0; i < deletes.size(); ++i)
    out += (i > 0 ? ", " : "") + deletes[i]->table.ToString();
  return out;
}

std::string VacuumStmt::ToString() const {
  std::string out = is_vacuum ? "VACUUM" : "ANALYZE";
  for (size_t i = 0; i < tables.size(); ++i)
    out += (i > 0 ? ", " : " ") + tables[i].ToString();
  return out;
}

}  // namespace tenantdb::sql
