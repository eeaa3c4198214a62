#include "sql/parser/ast/statement.h"

namespace tenantdb::sql {

std::string_view StatementKindName(StatementKind kind) {
  switch (kind) {
    case StatementKind::kSelect:
      return "SELECT";
    case StatementKind::kInsert:
      return "INSERT";
    case StatementKind::kUpdate:
      return "UPDATE";
    case StatementKind::kDelete:
      return "DELETE";
    case StatementKind::kCreateTable:
      return "CREATE TABLE";
    case StatementKind::kDropTable:
      return "DROP TABLE";
    case StatementKind::kAlterTable:
      return "ALTER TABLE";
    case StatementKind::kCreateSchema:
      return "CREATE SCHEMA";
    case StatementKind::kDropSchema:
      return "DROP SCHEMA";
    case StatementKind::kTransaction:
      return "TRANSACTION";
    case StatementKind::kExplain:
      return "EXPLAIN";
    case StatementKind::kPrepare:
      return "PREPARE";
    case StatementKind::kExecute:
      return "EXECUTE";
    case StatementKind::kUse:
      return "USE";
    case StatementKind::kCreateUser:
      return "CREATE USER";
    case StatementKind::kStorageFlush:
      return "STORAGE FLUSH TABLE";
    case StatementKind::kStorageCompact:
      return "STORAGE COMPACT TABLE";
    case StatementKind::kCreateStorage:
      return "CREATE STORAGE";
    case StatementKind::kShowNamespaces:
      return "SHOW NAMESPACES";
    case StatementKind::kShowTables:
      return "SHOW TABLES";
    case StatementKind::kDescribeTable:
      return "DESCRIBE TABLE";
    case StatementKind::kExecuteAsUser:
      return "EXECUTE AS USER";
    case StatementKind::kSetVariable:
      return "SET";
    case StatementKind::kShowVariable:
      return "SHOW";
    case StatementKind::kDeallocate:
      return "DEALLOCATE";
    case StatementKind::kAlterUser:
      return "ALTER USER";
    case StatementKind::kShowCreateTable:
      return "SHOW CREATE TABLE";
    case StatementKind::kDropUser:
      return "DROP USER";
    case StatementKind::kCopy:
      return "COPY";
    case StatementKind::kTruncate:
      return "TRUNCATE TABLE";
    case StatementKind::kVacuum:
      return "VACUUM";
    case StatementKind::kCreateView:
      return "CREATE VIEW";
    case StatementKind::kDropView:
      return "DROP VIEW";
    case StatementKind::kCreateIndex:
      return "CREATE INDEX";
    case StatementKind::kDropIndex:
      return "DROP INDEX";
  }
  return "?";
}

}  // namespace tenantdb::sql
