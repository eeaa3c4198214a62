#include "cli/embedded_client.h"

#include "cli/cursor_reader.h"
#include "tenantdb/copy.h"

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
  Result<uint64_t> CopyFrom(const std::string& sql,
                            const std::function<Result<std::string>()>& read) override {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<Cursor> cursor, connection_.session->Query(sql));
    CopyIn* in = cursor->copy_in();
    if (in == nullptr) {
      return Status(ErrorCode::kInvalidArgument, "\\copy FROM did not start a COPY FROM STDIN");
    }
    while (true) {
      Result<std::string> chunk = read();
      if (!chunk.ok()) {
        in->Abort();
        return chunk.status();
      }
      if (chunk->empty()) break;
      TDB_RETURN_IF_ERROR(in->Write(*chunk));
    }
    return in->Finish();
  }
  Result<uint64_t> CopyTo(const std::string& sql,
                          const std::function<Status(std::string_view)>& write) override {
    TDB_ASSIGN_OR_RETURN(std::unique_ptr<Cursor> cursor, connection_.session->Query(sql));
    if (cursor->copy() == nullptr) {
      return Status(ErrorCode::kInvalidArgument, "\\copy TO did not start a COPY TO STDOUT");
    }
    while (true) {
      TDB_ASSIGN_OR_RETURN(bool more, cursor->Next());
      if (!more) break;
      const RowBatch& batch = cursor->batch();
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        TDB_ASSIGN_OR_RETURN(std::string_view line, batch.GetBytes(r, 0));
        TDB_RETURN_IF_ERROR(write(line));
      }
    }
    return cursor->rows_affected();
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
