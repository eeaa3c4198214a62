// ProtocolSession's COPY sub-protocol (protocol_session.h): COPY FROM STDIN fed by
// CopyData through the cursor's CopyIn sink (tenantdb/copy.h), COPY TO STDOUT sent as
// CopyData, one message per encoded row.
#include "server/pgwire/protocol_session.h"

namespace tenantdb::server::pgwire {

bool ProtocolSession::StartCopyIn(Cursor* cursor, Portal* portal) {
  if (cursor == nullptr || cursor->copy_in() == nullptr) return false;
  const CopyInfo* info = cursor->copy();
  copy_in_.emplace();
  copy_in_->cursor = cursor;
  copy_in_->portal = portal;
  writer_.CopyInResponse(info != nullptr && info->binary ? 1 : 0,
                         static_cast<int16_t>(info != nullptr ? info->num_columns : 0));
  return true;
}

Status ProtocolSession::RunCopyOut(Portal& portal) {
  Cursor& cursor = *portal.cursor;
  const CopyInfo* info = cursor.copy();
  writer_.CopyOutResponse(info->binary ? 1 : 0, static_cast<int16_t>(info->num_columns));
  while (true) {
    Result<bool> more = cursor.Next();
    if (!more.ok()) return more.status();
    if (!*more) break;
    const RowBatch& batch = cursor.batch();
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      TDB_ASSIGN_OR_RETURN(std::string_view line, batch.GetBytes(r, 0));
      writer_.CopyData(line);
      TDB_RETURN_IF_ERROR(MaybeFlush());
    }
  }
  writer_.CopyDone();
  portal.done = true;
  portal.tag = cursor.command_tag();
  writer_.CommandComplete(portal.tag);
  return Status::Ok();
}

void ProtocolSession::OnCopyData(const CopyDataMessage& m) {
  if (!copy_in_.has_value()) return;  // after an error: dropped, as PostgreSQL does
  CopyIn* in = copy_in_->cursor->copy_in();
  Status written = in != nullptr ? in->Write(m.data)
                                 : Status(ErrorCode::kInternal, "the COPY statement was closed");
  if (!written.ok()) EndCopyIn(written);
}

void ProtocolSession::OnCopyDone() {
  if (!copy_in_.has_value()) return;
  CopyIn* in = copy_in_->cursor->copy_in();
  if (in == nullptr) {
    EndCopyIn(Status(ErrorCode::kInternal, "the COPY statement was closed"));
    return;
  }
  Result<uint64_t> rows = in->Finish();
  EndCopyIn(rows.ok() ? Status::Ok() : rows.status());
}

void ProtocolSession::OnCopyFail(const CopyFailMessage& m) {
  if (!copy_in_.has_value()) return;
  if (CopyIn* in = copy_in_->cursor->copy_in(); in != nullptr) in->Abort();
  EndCopyIn(Status(ErrorCode::kQueryCanceled, "COPY from stdin failed: " + m.message));
}

void ProtocolSession::CopyInterrupted() {
  if (CopyIn* in = copy_in_->cursor->copy_in(); in != nullptr) in->Abort();
  copy_in_.reset();
  AfterStatement(Status(ErrorCode::kInvalidRequest, "COPY interrupted"));
  ErrorFields fields;
  fields.severity = "FATAL";
  fields.sqlstate = "08P01";
  fields.message = "unexpected message type during COPY from stdin";
  writer_.ErrorResponse(fields);
}

void ProtocolSession::EndCopyIn(const Status& status) {
  CopyInState state = std::move(*copy_in_);
  copy_in_.reset();
  AfterStatement(status);
  if (status.ok()) {
    const std::string tag = state.cursor->command_tag();
    writer_.CommandComplete(tag);
    if (state.portal != nullptr) {
      state.portal->done = true;
      state.portal->tag = tag;
      return;  // the client's Sync brings ReadyForQuery
    }
    state.owned.reset();
    ContinueSimpleQuery(state.next_statement);
    return;
  }
  state.cursor->Close();
  SendError(status);
  if (state.portal != nullptr) {
    skip_until_sync_ = true;
  } else {
    writer_.ReadyForQuery(TransactionStatus());
  }
}

}  // namespace tenantdb::server::pgwire
