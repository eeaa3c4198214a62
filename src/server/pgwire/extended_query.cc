// ProtocolSession: the extended query protocol — Parse, Bind, Describe, Execute, Close,
// Sync (protocol_session.h).
#include "server/pgwire/pg_types.h"
#include "server/pgwire/protocol_session.h"
#include "server/pgwire/value_codec.h"
#include "tenantdb/script.h"

namespace tenantdb::server::pgwire {

namespace {

std::string Quoted(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

// PostgreSQL's SQLSTATEs for protocol-level name errors, which tenantdb's codes do not
// distinguish: the status keeps its stable code, the wire gets PostgreSQL's state.
constexpr std::string_view kUndefinedStatement = "26000";  // invalid_sql_statement_name
constexpr std::string_view kUndefinedPortal = "34000";     // invalid_cursor_name
constexpr std::string_view kDuplicateStatement = "42P05";  // duplicate_prepared_statement
constexpr std::string_view kDuplicatePortal = "42P03";     // duplicate_cursor

// The formats of `columns` result columns from Bind's list: none (all text), one (all
// the same) or one per column. Error: invalid_request for another count.
Result<std::vector<int16_t>> ColumnFormats(const std::vector<int16_t>& requested, size_t columns) {
  if (requested.empty()) return std::vector<int16_t>(columns, 0);
  if (requested.size() == 1) return std::vector<int16_t>(columns, requested[0]);
  if (requested.size() != columns) {
    return Status(ErrorCode::kInvalidRequest,
                  "bind message has " + std::to_string(requested.size()) +
                      " result formats but query has " + std::to_string(columns) + " columns");
  }
  return requested;
}

void WriteError(BackendWriter& writer, std::string_view sqlstate, const std::string& message) {
  ErrorFields fields;
  fields.severity = "ERROR";
  fields.sqlstate = sqlstate;
  fields.message = message;
  writer.ErrorResponse(fields);
}

}  // namespace

void ProtocolSession::Parse(ParseMessage& m) {
  auto fail = [&](const Status& status, std::string_view sqlstate = {}) {
    if (sqlstate.empty()) {
      SendError(status, m.sql, 0, failed_transaction_);
    } else {
      WriteError(writer_, sqlstate, std::string(status.message()));
    }
    skip_until_sync_ = true;
  };
  if (!m.statement.empty() && statements_.contains(m.statement)) {
    return fail(Status(ErrorCode::kAlreadyExists,
                       "prepared statement " + Quoted(m.statement) + " already exists"),
                kDuplicateStatement);
  }
  auto statement = std::make_shared<Statement>();
  statement->sql = std::move(m.sql);
  statement->declared_oids = std::move(m.parameter_oids);
  if (!SplitScript(statement->sql).empty()) {
    const bool was_failed = failed_transaction_;
    Result<std::unique_ptr<PreparedStatement>> prepared = session_->Prepare(statement->sql);
    if (!prepared.ok()) {
      AfterStatement(prepared.status());
      SendError(prepared.status(), statement->sql, 0, was_failed);
      skip_until_sync_ = true;
      return;
    }
    statement->prepared = std::move(*prepared);
    const std::vector<DataType> types = statement->prepared->parameter_types();
    for (size_t i = 0; i < types.size(); ++i) {
      const uint32_t declared =
          i < statement->declared_oids.size() ? statement->declared_oids[i] : kUnknownOid;
      statement->parameter_oids.push_back(declared != kUnknownOid ? declared : TypeOid(types[i]));
    }
  }
  statements_[m.statement] = statement;
  writer_.ParseComplete();
}

void ProtocolSession::Bind(BindMessage& m) {
  auto fail = [&](const Status& status, std::string_view sqlstate = {}) {
    WriteError(writer_, sqlstate.empty() ? status.sqlstate() : sqlstate,
               std::string(status.message()));
    skip_until_sync_ = true;
  };
  const auto found = statements_.find(m.statement);
  if (found == statements_.end()) {
    return fail(Status(ErrorCode::kNotFound,
                       m.statement.empty()
                           ? std::string("unnamed prepared statement does not exist")
                           : "prepared statement " + Quoted(m.statement) + " does not exist"),
                kUndefinedStatement);
  }
  if (!m.portal.empty() && portals_.contains(m.portal)) {
    return fail(Status(ErrorCode::kAlreadyExists, "cursor " + Quoted(m.portal) + " already exists"),
                kDuplicatePortal);
  }
  const std::shared_ptr<Statement>& statement = found->second;
  const std::vector<DataType> types =
      statement->prepared ? statement->prepared->parameter_types() : std::vector<DataType>();
  if (m.parameters.size() != types.size()) {
    return fail(Status(ErrorCode::kInvalidRequest,
                       "bind message supplies " + std::to_string(m.parameters.size()) +
                           " parameters, but prepared statement " + Quoted(m.statement) +
                           " requires " + std::to_string(types.size())));
  }
  auto portal = std::make_unique<Portal>();
  portal->statement = statement;
  portal->result_formats = std::move(m.result_formats);
  portal->parameters.reserve(types.size());
  for (size_t i = 0; i < types.size(); ++i) {
    if (!m.parameters[i].has_value()) {
      portal->parameters.push_back(Value::Null(types[i]));
      continue;
    }
    const int16_t format = m.parameter_formats.empty()       ? 0
                           : m.parameter_formats.size() == 1 ? m.parameter_formats[0]
                                                             : m.parameter_formats[i];
    const uint32_t oid =
        i < statement->declared_oids.size() ? statement->declared_oids[i] : kUnknownOid;
    Result<Value> value = DecodeParameter(*m.parameters[i], format == 1, oid, types[i]);
    if (!value.ok()) {
      return fail(Status(value.status().code(), std::string(value.status().message()) +
                                                    " (parameter $" + std::to_string(i + 1) + ")"));
    }
    portal->parameters.push_back(std::move(*value));
  }
  portals_[m.portal] = std::move(portal);
  writer_.BindComplete();
}

Status ProtocolSession::Open(Portal& portal) {
  if (portal.cursor != nullptr || portal.done) return Status::Ok();
  if (portal.statement->prepared == nullptr) {
    portal.done = true;  // empty query
    return Status::Ok();
  }
  const bool was_failed = failed_transaction_;
  Result<std::unique_ptr<Cursor>> cursor =
      session_->Query(*portal.statement->prepared, portal.parameters);
  if (!cursor.ok()) {
    AfterStatement(cursor.status());
    SendError(cursor.status(), portal.statement->sql, 0, was_failed);
    skip_until_sync_ = true;
    return cursor.status();
  }
  portal.cursor = std::move(*cursor);
  Result<std::vector<int16_t>> formats =
      ColumnFormats(portal.result_formats, portal.cursor->columns().size());
  if (!formats.ok()) {
    SendError(formats.status());
    skip_until_sync_ = true;
    return formats.status();
  }
  portal.formats = std::move(*formats);
  return Status::Ok();
}

void ProtocolSession::Describe(const DescribeMessage& m) {
  if (!m.portal) {
    const auto found = statements_.find(m.name);
    if (found == statements_.end()) {
      WriteError(writer_, kUndefinedStatement,
                 "prepared statement " + Quoted(m.name) + " does not exist");
      skip_until_sync_ = true;
      return;
    }
    const Statement& statement = *found->second;
    writer_.ParameterDescription(statement.parameter_oids);
    std::optional<std::vector<Column>> columns;
    if (statement.prepared) columns = statement.prepared->columns();
    if (columns.has_value() && !columns->empty()) {
      SendRowDescription(*columns, std::vector<int16_t>(columns->size(), 0));
    } else {
      writer_.NoData();
    }
    return;
  }
  const auto found = portals_.find(m.name);
  if (found == portals_.end()) {
    WriteError(writer_, kUndefinedPortal, "portal " + Quoted(m.name) + " does not exist");
    skip_until_sync_ = true;
    return;
  }
  Portal& portal = *found->second;
  if (!Open(portal).ok()) return;
  if (portal.cursor != nullptr && portal.cursor->returns_rows() &&
      portal.cursor->copy() == nullptr) {
    SendRowDescription(portal.cursor->columns(), portal.formats);
  } else {
    writer_.NoData();
  }
}

void ProtocolSession::Execute(const ExecuteMessage& m) {
  const auto found = portals_.find(m.portal);
  if (found == portals_.end()) {
    WriteError(writer_, kUndefinedPortal, "portal " + Quoted(m.portal) + " does not exist");
    skip_until_sync_ = true;
    return;
  }
  Portal& portal = *found->second;
  if (portal.statement->prepared == nullptr) {
    writer_.EmptyQueryResponse();
    return;
  }
  const bool was_failed = failed_transaction_;
  if (!Open(portal).ok()) return;
  if (!portal.done && StartCopyIn(portal.cursor.get(), &portal)) return;  // copy_protocol.cc
  const Status status = Run(portal, m.max_rows);
  AfterStatement(status);
  if (!status.ok()) {
    SendError(status, portal.statement->sql, 0, was_failed);
    skip_until_sync_ = true;
  }
}

void ProtocolSession::Close(const CloseMessage& m) {
  if (m.portal) {
    portals_.erase(m.name);
  } else {
    statements_.erase(m.name);
  }
  writer_.CloseComplete();
}

void ProtocolSession::Sync() {
  skip_until_sync_ = false;
  // Portals last until the end of the transaction; outside one, that is now.
  if (!session_->in_transaction()) portals_.clear();
  writer_.ReadyForQuery(TransactionStatus());
}

}  // namespace tenantdb::server::pgwire
