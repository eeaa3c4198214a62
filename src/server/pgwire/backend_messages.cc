#include "server/pgwire/backend_messages.h"

#include <cassert>

namespace tenantdb::server::pgwire {

namespace {

void PutInt32At(std::string* out, size_t at, int32_t v) {
  const uint32_t u = static_cast<uint32_t>(v);
  (*out)[at] = static_cast<char>(u >> 24);
  (*out)[at + 1] = static_cast<char>(u >> 16);
  (*out)[at + 2] = static_cast<char>(u >> 8);
  (*out)[at + 3] = static_cast<char>(u);
}

}  // namespace

void BackendWriter::Begin(char type) {
  out_->push_back(type);
  message_start_ = out_->size();
  out_->append(4, '\0');  // the length, patched by EndMessage
}

void BackendWriter::EndMessage() {
  assert(out_->size() >= message_start_ + 4);
  PutInt32At(out_, message_start_, static_cast<int32_t>(out_->size() - message_start_));
}

void BackendWriter::Int16(int16_t v) {
  const uint16_t u = static_cast<uint16_t>(v);
  out_->push_back(static_cast<char>(u >> 8));
  out_->push_back(static_cast<char>(u));
}

void BackendWriter::Int32(int32_t v) {
  const size_t at = out_->size();
  out_->append(4, '\0');
  PutInt32At(out_, at, v);
}

void BackendWriter::CString(std::string_view s) {
  // A NUL inside would end the string early on the client's side: cut it there.
  out_->append(s.substr(0, s.find('\0')));
  out_->push_back('\0');
}

void BackendWriter::Empty(char type) {
  Begin(type);
  EndMessage();
}

void BackendWriter::AuthenticationCode(int32_t code) {
  Begin('R');
  Int32(code);
  EndMessage();
}

void BackendWriter::AuthenticationData(int32_t code, std::string_view data) {
  Begin('R');
  Int32(code);
  out_->append(data);
  EndMessage();
}

void BackendWriter::AuthenticationSasl(const std::vector<std::string_view>& mechanisms) {
  Begin('R');
  Int32(10);
  for (std::string_view m : mechanisms)
    CString(m);
  out_->push_back('\0');
  EndMessage();
}

void BackendWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  CString(name);
  CString(value);
  EndMessage();
}

void BackendWriter::BackendKeyData(int32_t process_id, int32_t secret_key) {
  Begin('K');
  Int32(process_id);
  Int32(secret_key);
  EndMessage();
}

void BackendWriter::ReadyForQuery(char status) {
  Begin('Z');
  out_->push_back(status);
  EndMessage();
}

void BackendWriter::RowDescription(const std::vector<FieldDescription>& fields) {
  Begin('T');
  Int16(static_cast<int16_t>(fields.size()));
  for (const FieldDescription& f : fields) {
    CString(f.name);
    Int32(0);  // table oid: not a column of a table the client can look up
    Int16(0);  // attribute number
    Int32(static_cast<int32_t>(f.type_oid));
    Int16(f.type_length);
    Int32(f.type_modifier);
    Int16(f.format);
  }
  EndMessage();
}

void BackendWriter::ParameterDescription(const std::vector<uint32_t>& oids) {
  Begin('t');
  Int16(static_cast<int16_t>(oids.size()));
  for (uint32_t oid : oids)
    Int32(static_cast<int32_t>(oid));
  EndMessage();
}

void BackendWriter::CopyResponse(char type, int8_t format, int16_t columns) {
  Begin(type);
  out_->push_back(static_cast<char>(format));
  Int16(columns);
  for (int16_t i = 0; i < columns; ++i)
    Int16(format);
  EndMessage();
}

void BackendWriter::CopyData(std::string_view bytes) {
  Begin('d');
  out_->append(bytes);
  EndMessage();
}

void BackendWriter::CommandComplete(std::string_view tag) {
  Begin('C');
  CString(tag);
  EndMessage();
}

void BackendWriter::Fields(char type, const ErrorFields& fields) {
  Begin(type);
  auto field = [&](char code, std::string_view value) {
    out_->push_back(code);
    CString(value);
  };
  field('S', fields.severity);
  field('V', fields.severity);
  field('C', fields.sqlstate);
  field('M', fields.message);
  if (!fields.detail.empty()) field('D', fields.detail);
  if (!fields.hint.empty()) field('H', fields.hint);
  if (fields.position > 0) field('P', std::to_string(fields.position));
  out_->push_back('\0');
  EndMessage();
}

void BackendWriter::BeginDataRow(int16_t columns) {
  Begin('D');
  Int16(columns);
}

void BackendWriter::Null() {
  Int32(-1);
}

void BackendWriter::Value(std::string_view bytes) {
  Int32(static_cast<int32_t>(bytes.size()));
  out_->append(bytes);
}

size_t BackendWriter::BeginValue() {
  const size_t at = out_->size();
  out_->append(4, '\0');
  return at;
}

void BackendWriter::EndValue(size_t at) {
  PutInt32At(out_, at, static_cast<int32_t>(out_->size() - at - 4));
}

}  // namespace tenantdb::server::pgwire
