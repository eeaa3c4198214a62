// Session and PreparedStatement (include/tenantdb/session.h) over an EngineSession.
#include "engine/public_impl.h"
#include "sql/parser/parser.h"

namespace tenantdb {

namespace {

std::unique_ptr<Cursor> MakeCursor(std::unique_ptr<EngineStatement> statement,
                                   const CancelFlag& cancel) {
  auto impl = std::make_unique<Cursor::Impl>();
  if (statement->schema() != nullptr) {
    impl->columns.reserve(statement->schema()->num_fields());
    for (const Field& f : statement->schema()->fields())
      impl->columns.push_back(Column{f.name, f.type});
  }
  impl->statement = std::move(statement);
  impl->cancel = cancel;
  return std::make_unique<Cursor>(std::move(impl));
}

}  // namespace

// ---- PreparedStatement -----------------------------------------------------------------

PreparedStatement::PreparedStatement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedStatement::~PreparedStatement() = default;

size_t PreparedStatement::num_parameters() const {
  return impl_->prepared->num_parameters();
}

std::vector<DataType> PreparedStatement::parameter_types() const {
  std::vector<DataType> types;
  for (const std::optional<DataType>& t : impl_->prepared->ParameterTypes())
    types.push_back(t.value_or(DataType::kText));
  return types;
}

std::optional<std::vector<Column>> PreparedStatement::columns() const {
  const std::shared_ptr<const Schema> schema = impl_->prepared->ResultSchema();
  if (schema == nullptr) return std::nullopt;
  std::vector<Column> columns;
  for (const Field& f : schema->fields())
    columns.push_back(Column{f.name, f.type});
  return columns;
}

// ---- Session ---------------------------------------------------------------------------

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Cursor>> Session::Query(std::string_view sql,
                                               const std::vector<Value>& params) {
  impl_->cancel->store(false, std::memory_order_release);
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> statement,
                       impl_->session.Open(sql, params));
  return MakeCursor(std::move(statement), impl_->cancel);
}

Result<std::unique_ptr<Cursor>> Session::Query(const PreparedStatement& statement,
                                               const std::vector<Value>& params) {
  if (statement.impl().owner != impl_.get()) {
    return Status(ErrorCode::kInvalidArgument,
                  "the prepared statement belongs to another session; prepare it on this one");
  }
  impl_->cancel->store(false, std::memory_order_release);
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> open,
                       impl_->session.OpenPrepared(*statement.impl().prepared, params));
  return MakeCursor(std::move(open), impl_->cancel);
}

Result<CommandResult> Session::Execute(std::string_view sql, const std::vector<Value>& params) {
  impl_->cancel->store(false, std::memory_order_release);
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::SharedStatements> statements,
                       impl_->session.Parse(sql));
  CommandResult last;
  for (const std::shared_ptr<const sql::Statement>& stmt : *statements) {
    if (impl_->cancel->load(std::memory_order_acquire)) return QueryCanceled();
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<EngineStatement> open,
                         impl_->session.OpenParsed(stmt, params));
    // Read through the same cursor an application would, so Cancel() works the same.
    std::unique_ptr<Cursor> cursor = MakeCursor(std::move(open), impl_->cancel);
    while (true) {
      TDB_ASSIGN_OR_RETURN(bool more, cursor->Next());
      if (!more) break;
    }
    last.command_tag = cursor->command_tag();
    last.rows_affected = cursor->rows_affected();
  }
  return last;
}

Result<std::unique_ptr<PreparedStatement>> Session::Prepare(std::string_view sql) {
  auto impl = std::make_unique<PreparedStatement::Impl>();
  TDB_ASSIGN_OR_RETURN(impl->prepared, impl_->session.Prepare(sql));
  impl->owner = impl_.get();
  return std::make_unique<PreparedStatement>(std::move(impl));
}

void Session::Cancel() {
  // The engine's token stops the statement inside its operators (within milliseconds);
  // the flag also stops a script of Execute() before its next statement and an open
  // cursor at its next Next().
  impl_->cancel->store(true, std::memory_order_release);
  impl_->session.Cancel();
}

size_t Session::statement_mem() const {
  return impl_->session.statement_mem();
}

const std::string& Session::user() const {
  return impl_->user_name;
}

Role Session::role() const {
  return impl_->session.role();
}

const std::string& Session::current_namespace() const {
  return impl_->session.current_namespace();
}

Status Session::Use(std::string_view namespace_name) {
  return impl_->session.Use(namespace_name);
}

bool Session::in_transaction() const {
  return impl_->session.in_transaction();
}

}  // namespace tenantdb
