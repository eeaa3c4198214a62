#include "server/pgwire/frontend_messages.h"

#include "server/pgwire/wire_reader.h"

namespace tenantdb::server::pgwire {

namespace {

// The most parameters or result columns a Bind may describe: PostgreSQL's limit too
// (the counts are Int16).
constexpr int16_t kMaxCount = 32767;

Status Malformed(std::string_view message, std::string_view why) {
  return Status(ErrorCode::kInvalidRequest,
                "invalid " + std::string(message) + " message: " + std::string(why));
}

Result<std::vector<int16_t>> ReadFormats(WireReader* r, std::string_view message) {
  int16_t count = 0;
  if (!r->Int16(&count) || count < 0) return Malformed(message, "bad format count");
  if (static_cast<size_t>(count) * 2 > r->remaining()) {
    return Malformed(message, "format count larger than the message");
  }
  std::vector<int16_t> formats(static_cast<size_t>(count));
  for (int16_t& f : formats) {
    if (!r->Int16(&f)) return Malformed(message, "truncated format codes");
    if (f != 0 && f != 1) {
      return Malformed(message, "format code " + std::to_string(f) + " (0 text or 1 binary)");
    }
  }
  return formats;
}

Result<FrontendMessage> DecodeParse(std::string_view body) {
  WireReader r(body);
  ParseMessage m;
  int16_t count = 0;
  if (!r.CString(&m.statement) || !r.CString(&m.sql) || !r.Int16(&count) || count < 0) {
    return Malformed("Parse", "truncated or missing strings");
  }
  if (static_cast<size_t>(count) * 4 > r.remaining()) {
    return Malformed("Parse", "parameter type count larger than the message");
  }
  m.parameter_oids.resize(static_cast<size_t>(count));
  for (uint32_t& oid : m.parameter_oids) {
    int32_t v = 0;
    if (!r.Int32(&v)) return Malformed("Parse", "truncated parameter types");
    oid = static_cast<uint32_t>(v);
  }
  if (!r.done()) return Malformed("Parse", "trailing bytes");
  return FrontendMessage(std::move(m));
}

Result<FrontendMessage> DecodeBind(std::string_view body) {
  WireReader r(body);
  BindMessage m;
  if (!r.CString(&m.portal) || !r.CString(&m.statement)) {
    return Malformed("Bind", "truncated portal or statement name");
  }
  TDB_ASSIGN_OR_RETURN(m.parameter_formats, ReadFormats(&r, "Bind"));
  int16_t count = 0;
  if (!r.Int16(&count) || count < 0 || count > kMaxCount) {
    return Malformed("Bind", "bad parameter count");
  }
  // Each parameter takes at least its 4-byte length.
  if (static_cast<size_t>(count) * 4 > r.remaining()) {
    return Malformed("Bind", "parameter count larger than the message");
  }
  m.parameters.reserve(static_cast<size_t>(count));
  for (int16_t i = 0; i < count; ++i) {
    int32_t length = 0;
    if (!r.Int32(&length) || length < -1) return Malformed("Bind", "bad parameter length");
    if (length == -1) {
      m.parameters.emplace_back(std::nullopt);
      continue;
    }
    std::string_view bytes;
    if (!r.Bytes(static_cast<size_t>(length), &bytes)) {
      return Malformed("Bind", "parameter " + std::to_string(i + 1) + " runs past the message");
    }
    m.parameters.emplace_back(std::string(bytes));
  }
  if (m.parameter_formats.size() > 1 && m.parameter_formats.size() != m.parameters.size()) {
    return Malformed("Bind", std::to_string(m.parameter_formats.size()) +
                                 " parameter formats for " + std::to_string(m.parameters.size()) +
                                 " parameters");
  }
  TDB_ASSIGN_OR_RETURN(m.result_formats, ReadFormats(&r, "Bind"));
  if (!r.done()) return Malformed("Bind", "trailing bytes");
  return FrontendMessage(std::move(m));
}

Result<std::pair<bool, std::string>> DecodeTarget(std::string_view body, std::string_view message) {
  WireReader r(body);
  uint8_t kind = 0;
  std::string name;
  if (!r.Byte(&kind) || !r.CString(&name) || !r.done()) {
    return Malformed(message, "expected 'S' or 'P' and a name");
  }
  if (kind != 'S' && kind != 'P') {
    return Malformed(message, "target must be 'S' (statement) or 'P' (portal)");
  }
  return std::make_pair(kind == 'P', std::move(name));
}

Result<FrontendMessage> NoBody(FrontendMessage message, std::string_view body,
                               std::string_view name) {
  if (!body.empty()) return Malformed(name, "unexpected body");
  return message;
}

}  // namespace

std::string_view StartupPacket::Parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return {};
}

Result<StartupPacket> DecodeStartupPacket(std::string_view body) {
  WireReader r(body);
  StartupPacket p;
  if (!r.Int32(&p.protocol)) return Malformed("startup", "shorter than its protocol code");
  switch (p.protocol) {
    case kSslRequestCode:
      p.kind = StartupPacket::Kind::kSslRequest;
      if (!r.done()) return Malformed("SSLRequest", "trailing bytes");
      return p;
    case kGssEncRequestCode:
      p.kind = StartupPacket::Kind::kGssEncRequest;
      if (!r.done()) return Malformed("GSSENCRequest", "trailing bytes");
      return p;
    case kCancelRequestCode:
      p.kind = StartupPacket::Kind::kCancel;
      if (!r.Int32(&p.process_id) || !r.Int32(&p.secret_key) || !r.done()) {
        return Malformed("CancelRequest", "expected a process id and a secret key");
      }
      return p;
    default:
      break;
  }
  if ((p.protocol >> 16) != 3) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "unsupported frontend protocol " + std::to_string(p.protocol >> 16) + "." +
                      std::to_string(p.protocol & 0xFFFF) + ": server supports 3.0 to 3.0");
  }
  // Minor versions above 0 are answered as 3.0 (NegotiateProtocolVersion is not sent;
  // libpq asks for 3.0).
  while (true) {
    std::string name;
    if (!r.CString(&name)) return Malformed("startup", "parameter list not terminated");
    if (name.empty()) break;
    std::string value;
    if (!r.CString(&value)) return Malformed("startup", "missing value for " + name);
    p.parameters.emplace_back(std::move(name), std::move(value));
  }
  if (!r.done()) return Malformed("startup", "trailing bytes after the parameter list");
  if (p.Parameter("user").empty()) {
    return Status(ErrorCode::kInvalidAuthorization,
                  "no PostgreSQL user name specified in startup packet");
  }
  return p;
}

Result<FrontendMessage> DecodeFrontendMessage(char type, std::string_view body) {
  switch (type) {
    case 'Q': {
      WireReader r(body);
      QueryMessage m;
      if (!r.CString(&m.sql) || !r.done()) return Malformed("Query", "expected one string");
      return FrontendMessage(std::move(m));
    }
    case 'P':
      return DecodeParse(body);
    case 'B':
      return DecodeBind(body);
    case 'D': {
      TDB_ASSIGN_OR_RETURN(auto target, DecodeTarget(body, "Describe"));
      return FrontendMessage(DescribeMessage{target.first, std::move(target.second)});
    }
    case 'E': {
      WireReader r(body);
      ExecuteMessage m;
      if (!r.CString(&m.portal) || !r.Int32(&m.max_rows) || !r.done()) {
        return Malformed("Execute", "expected a portal name and a row limit");
      }
      if (m.max_rows < 0) m.max_rows = 0;  // PostgreSQL treats a negative limit as none
      return FrontendMessage(std::move(m));
    }
    case 'C': {
      TDB_ASSIGN_OR_RETURN(auto target, DecodeTarget(body, "Close"));
      return FrontendMessage(CloseMessage{target.first, std::move(target.second)});
    }
    case 'S':
      return NoBody(SyncMessage{}, body, "Sync");
    case 'H':
      return NoBody(FlushMessage{}, body, "Flush");
    case 'X':
      return NoBody(TerminateMessage{}, body, "Terminate");
    case 'p':
      return FrontendMessage(PasswordPacket{std::string(body)});
    case 'F':
      return Status(ErrorCode::kFeatureNotSupported,
                    "the function call protocol (F) is not supported");
    case 'd':
      return FrontendMessage(CopyDataMessage{std::string(body)});
    case 'c':
      return NoBody(CopyDoneMessage{}, body, "CopyDone");
    case 'f': {
      WireReader r(body);
      CopyFailMessage m;
      if (!r.CString(&m.message) || !r.done()) return Malformed("CopyFail", "expected one string");
      return FrontendMessage(std::move(m));
    }
    default:
      break;
  }
  const unsigned char c = static_cast<unsigned char>(type);
  std::string shown =
      (c >= 0x20 && c < 0x7f) ? std::string("'") + type + "'" : "byte " + std::to_string(c);
  return Status(ErrorCode::kInvalidRequest, "invalid frontend message type " + shown);
}

Result<PasswordMessage> DecodePasswordMessage(std::string_view body) {
  WireReader r(body);
  PasswordMessage m;
  if (!r.CString(&m.password) || !r.done()) {
    return Malformed("PasswordMessage", "expected one string");
  }
  return m;
}

Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body) {
  WireReader r(body);
  SaslInitialResponse m;
  int32_t length = 0;
  if (!r.CString(&m.mechanism) || !r.Int32(&length) || length < -1) {
    return Malformed("SASLInitialResponse", "expected a mechanism and a length");
  }
  if (length >= 0) {
    std::string_view data;
    if (!r.Bytes(static_cast<size_t>(length), &data)) {
      return Malformed("SASLInitialResponse", "data runs past the message");
    }
    m.data = std::string(data);
  }
  if (!r.done()) return Malformed("SASLInitialResponse", "trailing bytes");
  return m;
}

}  // namespace tenantdb::server::pgwire
