// ProtocolSession: dispatch, the simple query protocol, rows and errors (protocol_session.h).
// The extended protocol's messages are in extended_query.cc.
#include "server/pgwire/protocol_session.h"

#include <charconv>

#include "server/pgwire/pg_types.h"
#include "server/pgwire/value_codec.h"
#include "tenantdb/script.h"

namespace tenantdb::server::pgwire {

namespace {

// Characters (UTF-8 code points) in `text`: PostgreSQL's positions count characters.
size_t CharCount(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Splits "... at position N" off the end of an engine message: the message without it,
// and N (0 when absent).
std::pair<std::string_view, int> SplitPosition(std::string_view message) {
  constexpr std::string_view kMarker = " at position ";
  const size_t at = message.rfind(kMarker);
  if (at == std::string_view::npos) return {message, 0};
  std::string_view digits = message.substr(at + kMarker.size());
  size_t length = 0;
  while (length < digits.size() && digits[length] >= '0' && digits[length] <= '9')
    ++length;
  int position = 0;
  if (length == 0 ||
      std::from_chars(digits.data(), digits.data() + length, position).ec != std::errc()) {
    return {message, 0};
  }
  // Only when the position ends the message (or a parenthesis / sentence follows):
  // "... at position 8" or "... at position 8)".
  std::string rest(digits.substr(length));
  if (!rest.empty() && rest != ")" && rest[0] != ':' && rest[0] != ';') return {message, 0};
  if (rest.empty()) return {message.substr(0, at), position};
  return {message, position};
}

}  // namespace

ProtocolSession::ProtocolSession(std::unique_ptr<Session> session, std::string* out, FlushFn flush)
    : session_(std::move(session)), out_(out), writer_(out), flush_(std::move(flush)) {}

ProtocolSession::~ProtocolSession() {
  // Cursors before the session that made them.
  portals_.clear();
  statements_.clear();
}

char ProtocolSession::TransactionStatus() const {
  if (!session_->in_transaction()) return 'I';
  return failed_transaction_ ? 'E' : 'T';
}

bool ProtocolSession::Handle(FrontendMessage message) {
  if (std::holds_alternative<TerminateMessage>(message)) return false;
  if (copy_in_.has_value() && !std::holds_alternative<CopyDataMessage>(message) &&
      !std::holds_alternative<CopyDoneMessage>(message) &&
      !std::holds_alternative<CopyFailMessage>(message) &&
      !std::holds_alternative<SyncMessage>(message) &&
      !std::holds_alternative<FlushMessage>(message)) {
    CopyInterrupted();
    return false;
  }
  if (skip_until_sync_ && !std::holds_alternative<SyncMessage>(message)) return true;
  std::visit(
      [this](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, QueryMessage>) {
          SimpleQuery(m.sql);
        } else if constexpr (std::is_same_v<T, ParseMessage>) {
          Parse(m);
        } else if constexpr (std::is_same_v<T, BindMessage>) {
          Bind(m);
        } else if constexpr (std::is_same_v<T, DescribeMessage>) {
          Describe(m);
        } else if constexpr (std::is_same_v<T, ExecuteMessage>) {
          Execute(m);
        } else if constexpr (std::is_same_v<T, CloseMessage>) {
          Close(m);
        } else if constexpr (std::is_same_v<T, SyncMessage>) {
          if (!copy_in_.has_value()) Sync();  // PostgreSQL ignores Sync during COPY IN
        } else if constexpr (std::is_same_v<T, CopyDataMessage>) {
          OnCopyData(m);
        } else if constexpr (std::is_same_v<T, CopyDoneMessage>) {
          OnCopyDone();
        } else if constexpr (std::is_same_v<T, CopyFailMessage>) {
          OnCopyFail(m);
        } else if constexpr (std::is_same_v<T, FlushMessage>) {
          // Output is written after each read anyway (pg_connection.h).
        } else if constexpr (std::is_same_v<T, PasswordPacket>) {
          SendError(Status(ErrorCode::kInvalidRequest,
                           "unexpected password message after authentication"));
          skip_until_sync_ = true;
        }
      },
      message);
  return !flush_failed_;
}

void ProtocolSession::SimpleQuery(const std::string& sql) {
  // A simple query drops the unnamed statement and portal, as PostgreSQL's does.
  portals_.erase("");
  statements_.erase("");
  simple_sql_ = sql;
  simple_ranges_ = SplitScript(simple_sql_);
  if (simple_ranges_.empty()) writer_.EmptyQueryResponse();
  ContinueSimpleQuery(0);
}

void ProtocolSession::ContinueSimpleQuery(size_t from) {
  const std::string& sql = simple_sql_;
  for (size_t i = from; i < simple_ranges_.size(); ++i) {
    const StatementRange range = simple_ranges_[i];
    const std::string_view text =
        std::string_view(sql).substr(range.begin, range.end - range.begin);
    Portal portal;
    const bool was_failed = failed_transaction_;
    Result<std::unique_ptr<Cursor>> cursor = session_->Query(text);
    Status status = cursor.ok() ? Status::Ok() : cursor.status();
    if (status.ok()) {
      portal.cursor = std::move(*cursor);
      if (StartCopyIn(portal.cursor.get(), nullptr)) {
        copy_in_->owned = std::move(portal.cursor);
        copy_in_->cursor = copy_in_->owned.get();
        copy_in_->next_statement = i + 1;
        return;  // ReadyForQuery once the COPY ends
      }
      if (portal.cursor->returns_rows() && portal.cursor->copy() == nullptr) {
        portal.formats.assign(portal.cursor->columns().size(), 0);
        SendRowDescription(portal.cursor->columns(), portal.formats);
      }
      status = Run(portal, 0);
    }
    AfterStatement(status);
    if (!status.ok()) {
      SendError(status, sql, range.begin, was_failed);
      break;
    }
    if (flush_failed_) return;
  }
  writer_.ReadyForQuery(TransactionStatus());
}

void ProtocolSession::AfterStatement(const Status& status) {
  if (!session_->in_transaction()) {
    failed_transaction_ = false;
  } else if (!status.ok()) {
    failed_transaction_ = true;
  }
}

void ProtocolSession::SendRowDescription(const std::vector<Column>& columns,
                                         const std::vector<int16_t>& formats) {
  std::vector<FieldDescription> fields;
  fields.reserve(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    FieldDescription f;
    f.name = columns[i].name;
    f.type_oid = TypeOid(columns[i].type);
    f.type_length = TypeLength(columns[i].type);
    f.format = i < formats.size() ? formats[i] : 0;
    fields.push_back(std::move(f));
  }
  writer_.RowDescription(fields);
}

Status ProtocolSession::Run(Portal& portal, int32_t max_rows) {
  if (portal.done) {
    writer_.CommandComplete(portal.tag);
    return Status::Ok();
  }
  Cursor& cursor = *portal.cursor;
  if (cursor.copy() != nullptr) return RunCopyOut(portal);
  int64_t sent = 0;
  if (cursor.returns_rows()) {
    const std::vector<Column>& columns = cursor.columns();
    while (true) {
      if (!portal.batch_pending) {
        Result<bool> more = cursor.Next();
        if (!more.ok()) return more.status();
        if (!*more) break;
        portal.batch_pending = true;
        portal.next_row = 0;
      }
      const RowBatch& batch = cursor.batch();
      while (portal.next_row < batch.num_rows()) {
        if (max_rows > 0 && sent == max_rows) {
          writer_.PortalSuspended();
          return Status::Ok();
        }
        TDB_RETURN_IF_ERROR(SendRow(batch, portal.next_row, columns, portal.formats));
        ++portal.next_row;
        ++sent;
      }
      portal.batch_pending = false;
    }
  }
  portal.done = true;
  portal.tag = cursor.command_tag();
  if (portal.tag.empty()) portal.tag = cursor.command();
  // The statement's NOTICEs (Cursor::notices: CREATE TABLE's defaults, VACUUM's no-op)
  // before its CommandComplete, as PostgreSQL sends them during execution.
  for (const std::string& notice : cursor.notices()) {
    ErrorFields fields;
    fields.severity = "NOTICE";
    fields.sqlstate = "00000";
    fields.message = notice;
    writer_.NoticeResponse(fields);
  }
  writer_.CommandComplete(portal.tag);
  return Status::Ok();
}

Status ProtocolSession::SendRow(const RowBatch& batch, size_t row,
                                const std::vector<Column>& columns,
                                const std::vector<int16_t>& formats) {
  writer_.BeginDataRow(static_cast<int16_t>(columns.size()));
  for (size_t c = 0; c < columns.size(); ++c) {
    if (batch.IsNull(row, c)) {
      writer_.Null();
      continue;
    }
    const size_t at = writer_.BeginValue();
    TDB_RETURN_IF_ERROR(AppendValue(batch, row, c, columns[c].type, formats[c] == 1, out_));
    writer_.EndValue(at);
  }
  writer_.EndMessage();
  return MaybeFlush();
}

Status ProtocolSession::MaybeFlush() {
  if (out_->size() < kFlushBytes) return Status::Ok();
  Status written = flush_(out_);
  if (!written.ok()) {
    flush_failed_ = true;
    return written;
  }
  return Status::Ok();
}

void ProtocolSession::SendError(const Status& status, std::string_view sql, size_t sql_offset,
                                bool was_failed) {
  auto [message, position] = SplitPosition(status.message());
  std::string_view sqlstate = status.sqlstate();
  if (status.code() == ErrorCode::kInvalidTransactionState && was_failed) {
    sqlstate = "25P02";  // in_failed_sql_transaction
  }
  if (position > 0 && !sql.empty()) {
    position += static_cast<int>(CharCount(sql.substr(0, sql_offset)));
  }
  ErrorFields fields;
  fields.severity = "ERROR";
  fields.sqlstate = sqlstate;
  fields.message = message;
  fields.detail = status.detail();
  fields.position = position;
  writer_.ErrorResponse(fields);
}

}  // namespace tenantdb::server::pgwire
