#include "sql/parser/ast/ddl.h"

namespace tenantdb::sql {

std::string ConstraintDef::ToString() const {
  std::string out = name.empty() ? "" : "CONSTRAINT " + QuoteIdentifier(name) + " ";
  if (kind == Kind::kCheck) return out + "CHECK (" + check->ToString() + ")";
  return out + "UNIQUE (" + JoinList(columns) + ")";
}

std::string ColumnDef::ToString() const {
  std::string out = QuoteIdentifier(name) + " " + type.ToString();
  if (not_null) out += " NOT NULL";
  if (primary_key) out += " PRIMARY KEY";
  if (default_value) out += " DEFAULT " + default_value->ToString();
  for (const ConstraintDef& c : constraints) {
    // A column's UNIQUE names the column itself.
    if (c.kind == ConstraintDef::Kind::kUnique) {
      out += c.name.empty() ? " UNIQUE" : " CONSTRAINT " + QuoteIdentifier(c.name) + " UNIQUE";
    } else {
      out += " " + c.ToString();
    }
  }
  return out;
}

std::string CreateTableStmt::ToString() const {
  std::string out = "CREATE ";
  if (table_type) out += std::string(TableTypeName(*table_type)) + " ";
  out += "TABLE ";
  if (if_not_exists) out += "IF NOT EXISTS ";
  out += table.ToString() + " (";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ", ";
    out += columns[i].ToString();
  }
  if (!primary_key.empty()) {
    if (!columns.empty()) out += ", ";
    out += "PRIMARY KEY (" + JoinList(primary_key) + ")";
  }
  for (const ConstraintDef& c : constraints) {
    if (!columns.empty() || !primary_key.empty() || &c != &constraints.front()) out += ", ";
    out += c.ToString();
  }
  out += ")";
  if (!options.empty()) {
    out += " WITH (";
    for (size_t i = 0; i < options.size(); ++i) {
      if (i > 0) out += ", ";
      out += options[i].key + " = " + QuoteString(options[i].value);
    }
    out += ")";
  }
  return out;
}

std::string CreateViewStmt::ToString() const {
  std::string out = or_replace ? "CREATE OR REPLACE VIEW " : "CREATE VIEW ";
  out += view.ToString();
  if (!column_names.empty()) {
    out += " (";
    for (size_t i = 0; i < column_names.size(); ++i) {
      if (i > 0) out += ", ";
      out += QuoteIdentifier(column_names[i]);
    }
    out += ")";
  }
  return out + " AS " + query->ToString();
}

std::string DropViewStmt::ToString() const {
  std::string out = "DROP VIEW ";
  if (if_exists) out += "IF EXISTS ";
  for (size_t i = 0; i < views.size(); ++i) {
    if (i > 0) out += ", ";
    out += views[i].ToString();
  }
  if (cascade) out += " CASCADE";
  return out;
}

std::string CreateIndexStmt::ToString() const {
  std::string out = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
  if (if_not_exists) out += "IF NOT EXISTS ";
  out += QuoteIdentifier(name) + " ON " + table.ToString() + " (";
  for (size_t i = 0; i < columns.size(); ++i)
    out += (i > 0 ? ", " : "") + QuoteIdentifier(columns[i]);
  return out + ")";
}

std::string DropIndexStmt::ToString() const {
  std::string out = "DROP INDEX ";
  if (if_exists) out += "IF EXISTS ";
  for (size_t i = 0; i < indexes.size(); ++i)
    out += (i > 0 ? ", " : "") + indexes[i].ToString();
  return out;
}

std::string DropTableStmt::ToString() const {
  std::string out = "DROP TABLE ";
  if (if_exists) out += "IF EXISTS ";
  for (size_t i = 0; i < tables.size(); ++i) {
    if (i > 0) out += ", ";
    out += tables[i].ToString();
  }
  if (cascade) out += " CASCADE";
  return out;
}

std::string AlterTableCommand::ToString() const {
  const std::string col = QuoteIdentifier(column_name);
  switch (action) {
    case AlterTableAction::kAddColumn:
      return std::string("ADD COLUMN ") + (if_exists ? "IF NOT EXISTS " : "") +
             (column ? column->ToString() : "<null>");
    case AlterTableAction::kDropColumn:
      return std::string("DROP COLUMN ") + (if_exists ? "IF EXISTS " : "") + col;
    case AlterTableAction::kRenameColumn:
      return "RENAME COLUMN " + col + " TO " + QuoteIdentifier(new_name);
    case AlterTableAction::kSetDefault:
      return "ALTER COLUMN " + col + " SET DEFAULT " +
             (default_value ? default_value->ToString() : "<null>");
    case AlterTableAction::kDropDefault:
      return "ALTER COLUMN " + col + " DROP DEFAULT";
    case AlterTableAction::kSetNotNull:
      return "ALTER COLUMN " + col + " SET NOT NULL";
    case AlterTableAction::kDropNotNull:
      return "ALTER COLUMN " + col + " DROP NOT NULL";
    case AlterTableAction::kRenameTable:
      return "RENAME TO " + QuoteIdentifier(new_name);
    case AlterTableAction::kAddPrimaryKey: {
      std::string keys;
      for (const std::string& k : key_columns)
        keys += (keys.empty() ? "" : ", ") + QuoteIdentifier(k);
      return "ADD PRIMARY KEY (" + keys + ")";
    }
  }
  return "?";
}

std::string AlterTableStmt::ToString() const {
  std::string out = "ALTER TABLE ";
  if (if_exists) out += "IF EXISTS ";
  out += table.ToString() + " ";
  for (size_t i = 0; i < commands.size(); ++i) {
    if (i > 0) out += ", ";
    out += commands[i].ToString();
  }
  return out;
}

std::string CreateSchemaStmt::ToString() const {
  return std::string("CREATE SCHEMA ") + (if_not_exists ? "IF NOT EXISTS " : "") +
         QuoteIdentifier(name);
}

std::string DropSchemaStmt::ToString() const {
  return std::string("DROP SCHEMA ") + (if_exists ? "IF EXISTS " : "") + JoinList(names) +
         (cascade ? " CASCADE" : "");
}

}  // namespace tenantdb::sql
