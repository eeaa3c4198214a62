// DDL, delegated to engine/ddl_executor.h. Refused inside an explicit transaction (the
// catalog write is durable at once and could not be rolled back); every DDL statement
// bumps the schema epoch, so prepared plans bind again.
#include "engine/ddl_executor.h"
#include "engine/statement_handlers/session_state.h"

namespace tenantdb {

using sql::QueryResult;

Result<QueryResult> SessionState::RunDdl(const sql::Statement& stmt, const UserId& user,
                                         Role role) {
  if (transaction_) {
    aborted_ = true;
    return Status(ErrorCode::kInvalidTransactionState,
                  std::string(sql::StatementKindName(stmt.kind)) +
                      " cannot run inside a transaction block in tenantdb; COMMIT first");
  }
  sql::ExecContext ctx = MakeContext(nullptr, user, role);
  std::vector<std::optional<DataType>> none;
  sql::Binder binder(BindContextFor(ctx, &none));
  DdlContext ddl{db_, role, namespace_, &binder, user};
  auto result = ExecuteDdl(stmt, ddl);
  db_->BumpSchemaEpoch();
  return result;
}

}  // namespace tenantdb
