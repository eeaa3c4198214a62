#include "sql/parser/ast/dml.h"

namespace tenantdb::sql {

namespace {

std::string ItemList(const std::vector<SelectItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i].ToString();
  }
  return out;
}

std::string AssignmentList(const std::vector<Assignment>& list) {
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ", ";
    out += list[i].ToString();
  }
  return out;
}

std::string Returning(const std::vector<SelectItem>& items) {
  return items.empty() ? "" : " RETURNING " + ItemList(items);
}

std::string Alias(const std::string& alias) {
  return alias.empty() ? "" : " AS " + QuoteIdentifier(alias);
}

}  // namespace

std::string Assignment::ToString() const {
  return QuoteIdentifier(column) + " = " + (value ? value->ToString() : "<null>");
}

std::string OnConflict::ToString() const {
  std::string out = " ON CONFLICT";
  if (!columns.empty()) out += " (" + JoinList(columns) + ")";
  if (action == OnConflictAction::kDoNothing) return out + " DO NOTHING";
  out += " DO UPDATE SET " + AssignmentList(assignments);
  if (where) out += " WHERE " + where->ToString();
  return out;
}

std::string InsertStmt::ToString() const {
  std::string out =
      (with ? with->ToString() : "") + "INSERT INTO " + table.ToString() + Alias(alias);
  if (!columns.empty()) out += " (" + JoinList(columns) + ")";
  out += source ? " " + source->ToString() : " DEFAULT VALUES";
  if (on_conflict) out += on_conflict->ToString();
  return out + Returning(returning);
}

std::string UpdateStmt::ToString() const {
  std::string out = (with ? with->ToString() : "") + "UPDATE " + table.ToString() + Alias(alias) +
                    " SET " + AssignmentList(assignments);
  if (where) out += " WHERE " + where->ToString();
  return out + Returning(returning);
}

std::string DeleteStmt::ToString() const {
  std::string out =
      (with ? with->ToString() : "") + "DELETE FROM " + table.ToString() + Alias(alias);
  if (where) out += " WHERE " + where->ToString();
  return out + Returning(returning);
}

}  // namespace tenantdb::sql
