// The PostgreSQL frontend/backend protocol, version 3: what a client sends, decoded.
//
// Two shapes reach the server. The first packet of a connection has no type byte —
// Int32 length (itself included), Int32 code, body — and is a StartupMessage (code
// 196608, protocol 3.0, then name/value string pairs ending in an empty name),
// SSLRequest (80877103), GSSENCRequest (80877104) or CancelRequest (80877102, then
// the backend's process id and secret key). Every later message is Byte1 type, Int32
// length (itself included), body. message_framer.h cuts those out of the byte stream;
// this file turns one body into a struct.
//
// Every decoder checks every length against the body it reads from and fails with
// invalid_request (SQLSTATE 08P01, "protocol_violation" to the client) saying which
// message and what was wrong; the connection then sends that as a FATAL ErrorResponse
// and closes. Nothing here allocates more than the body's size.
//
// 'p' means PasswordMessage, SASLInitialResponse or SASLResponse depending on the
// authentication step, so it has one decoder per meaning.
//
// Thread safety: pure functions. Ownership: the structs own copies of what they keep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tenantdb/status.h"

namespace tenantdb::server::pgwire {

inline constexpr int32_t kProtocolVersion3 = 196608;  // 3 << 16
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;

struct StartupPacket {
  enum class Kind { kStartup, kSslRequest, kGssEncRequest, kCancel };
  Kind kind = Kind::kStartup;
  int32_t protocol = 0;
  // kStartup: "user", "database", "application_name", "options", ... in order.
  std::vector<std::pair<std::string, std::string>> parameters;
  // kCancel: the BackendKeyData of the connection whose statement to cancel.
  int32_t process_id = 0;
  int32_t secret_key = 0;

  // The value of parameter `name`, or empty.
  std::string_view Parameter(std::string_view name) const;
};

// `body`: the packet after its length word (the code first).
Result<StartupPacket> DecodeStartupPacket(std::string_view body);

struct QueryMessage {  // 'Q'
  std::string sql;
};
struct ParseMessage {     // 'P'
  std::string statement;  // "" = the unnamed statement
  std::string sql;
  std::vector<uint32_t> parameter_oids;  // 0: let the server infer
};
struct BindMessage {  // 'B'
  std::string portal;
  std::string statement;
  std::vector<int16_t> parameter_formats;              // none: all text; one: all; else one each
  std::vector<std::optional<std::string>> parameters;  // nullopt: NULL
  std::vector<int16_t> result_formats;                 // as parameter_formats
};
struct DescribeMessage {  // 'D'
  bool portal = false;    // 'P'; else 'S' (statement)
  std::string name;
};
struct ExecuteMessage {  // 'E'
  std::string portal;
  int32_t max_rows = 0;  // 0: all
};
struct CloseMessage {  // 'C'
  bool portal = false;
  std::string name;
};
struct CopyDataMessage {  // 'd'
  std::string data;
};
struct CopyDoneMessage {};  // 'c'
struct CopyFailMessage {    // 'f'
  std::string message;
};
struct SyncMessage {};       // 'S'
struct FlushMessage {};      // 'H'
struct TerminateMessage {};  // 'X'
// 'p': its meaning depends on the authentication step; kept raw here.
struct PasswordPacket {
  std::string body;
};

using FrontendMessage =
    std::variant<QueryMessage, ParseMessage, BindMessage, DescribeMessage, ExecuteMessage,
                 CloseMessage, SyncMessage, FlushMessage, TerminateMessage, PasswordPacket,
                 CopyDataMessage, CopyDoneMessage, CopyFailMessage>;

// Decodes one typed message. Errors: invalid_request for a malformed body, and
// feature_not_supported (0A000) for a valid type this server does not take
// (FunctionCall 'F'). COPY messages decode anywhere; the session drops them outside COPY,
// as PostgreSQL does.
Result<FrontendMessage> DecodeFrontendMessage(char type, std::string_view body);

// The three meanings of 'p'.
struct PasswordMessage {
  std::string password;
};
struct SaslInitialResponse {
  std::string mechanism;
  std::optional<std::string> data;  // nullopt: the client sent length -1
};
Result<PasswordMessage> DecodePasswordMessage(std::string_view body);
Result<SaslInitialResponse> DecodeSaslInitialResponse(std::string_view body);
// SASLResponse: the body is the mechanism's data as it is.

}  // namespace tenantdb::server::pgwire
