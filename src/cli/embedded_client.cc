#include "cli/embedded_client.h"

#include "cli/cursor_reader.h"

namespace tenantdb::cli {

namespace {

class EmbeddedClient final : public SqlClient {
 public:
  explicit EmbeddedClient(Connection connection) : connection_(std::move(connection)) {}

  Result<sql::QueryResult> Run(const std::string& statement) override {
    Session& session = *connection_.session;
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<Cursor> cursor, session.Query(statement));
    // Held within statement_mem, so a huge result fails with out_of_memory instead of
    // exhausting the machine.
    return ReadAll(*cursor, session.statement_mem());
  }
  void Cancel() override { connection_.session->Cancel(); }
  const std::string& user() const override { return connection_.session->user(); }
  std::string role_name() const override {
    return std::string(RoleName(connection_.session->role()));
  }
  std::string current_namespace() const override {
    return connection_.session->current_namespace();
  }
  std::string location() const override { return {}; }
  bool in_transaction() const override { return connection_.session->in_transaction(); }

 private:
  Connection connection_;
};

}  // namespace

Result<std::unique_ptr<SqlClient>> OpenEmbeddedClient(const ConnectOptions& options) {
  TDB_ASSIGN_OR_RETURN(Connection connection, Connect(options));
  return std::unique_ptr<SqlClient>(std::make_unique<EmbeddedClient>(std::move(connection)));
}

}  // namespace tenantdb::cli
