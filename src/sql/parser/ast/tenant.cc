#include "sql/parser/ast/tenant.h"

#include "sql/parser/ast/expr.h"

namespace tenantdb::sql {

std::string UseStmt::ToString() const {
  return "USE " + QuoteIdentifier(namespace_name);
}

std::string CreateUserStmt::ToString() const {
  std::string out = "CREATE USER " + QuoteIdentifier(name);
  if (password) out += " PASSWORD '***'";  // never the password itself
  if (!role.empty()) out += " ROLE " + QuoteIdentifier(role);
  return out;
}

std::string AlterUserStmt::ToString() const {
  std::string out = "ALTER USER " + QuoteIdentifier(name) + " SET";
  if (password) out += " PASSWORD '***'";
  if (!role.empty()) out += " ROLE " + QuoteIdentifier(role);
  return out;
}

std::string DropUserStmt::ToString() const {
  return std::string("DROP USER ") + (if_exists ? "IF EXISTS " : "") + QuoteIdentifier(name);
}

std::string StorageFlushStmt::ToString() const {
  return "STORAGE FLUSH TABLE " + table.ToString();
}

std::string StorageCompactStmt::ToString() const {
  return "STORAGE COMPACT TABLE " + table.ToString();
}

std::string CreateStorageStmt::ToString() const {
  std::string out = "CREATE STORAGE " + QuoteIdentifier(storage_id) + " BASE_DIRECTORY " +
                    QuoteString(base_directory);
  if (user_tables_template) out += " USER_TABLES_TEMPLATE " + QuoteString(*user_tables_template);
  if (shared_tables_template) {
    out += " SHARED_TABLES_TEMPLATE " + QuoteString(*shared_tables_template);
  }
  return out;
}

std::string ShowNamespacesStmt::ToString() const {
  return "SHOW NAMESPACES";
}

std::string ShowTablesStmt::ToString() const {
  return namespace_name ? "SHOW TABLES IN " + QuoteIdentifier(*namespace_name) : "SHOW TABLES";
}

std::string DescribeTableStmt::ToString() const {
  return "DESCRIBE TABLE " + table.ToString();
}

std::string ShowCreateTableStmt::ToString() const {
  return "SHOW CREATE TABLE " + table.ToString();
}

std::string ExecuteAsUserStmt::ToString() const {
  return "EXECUTE AS USER " + QuoteString(user_id) + " (" +
         (statement ? statement->ToString() : "<null>") + ")";
}

}  // namespace tenantdb::sql
