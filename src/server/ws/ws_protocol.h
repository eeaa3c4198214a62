// The live-query WebSocket protocol's messages (GET /v1/ws): JSON text frames, one
// message each, with a "type" field. Decoding is strict and never throws, so hostile
// input gets an error with a stable code (fuzz/ws_message_fuzz.cc):
//
//   client -> server
//     {"type":"authenticate","method":"jwt","token":"..."}
//     {"type":"authenticate","method":"basic","username":"u","password":"p"}
//     {"type":"subscribe","subscription":{"id":"s1","sql":"SELECT ...","params":[...],
//                                         "options":{"batch_size":100,"last_rows":20,
//                                                    "from":42}}}
//     {"type":"next_batch","subscription_id":"s1"}
//     {"type":"unsubscribe","subscription_id":"s1"}
//     {"type":"ping"}
//   server -> client
//     auth_success {user, role}   auth_error {message}
//     subscription_ack {subscription_id, schema:[{name,data_type,index}], batch_control}
//     initial_data_batch {subscription_id, rows, batch_control:{batch_num, has_more,
//                         status:"loading"|"ready", last_seq}}
//     change {subscription_id, change_type:"insert"|"update"|"delete", rows, old_values?,
//             seq}
//     unsubscribed {subscription_id}   pong   error {subscription_id?, code, message}
//
// Values are encoded as the HTTP SQL API encodes them (server/http/json_text.h: BIGINT
// beyond 2^53-1 as strings, timestamps ISO 8601, ...); params decode as its params do.
//
// Error codes of the protocol itself (besides the engine's, e.g. syntax_error):
//   invalid_message   not JSON, not an object, a field missing or of the wrong kind
//   unknown_type      a "type" the server does not know
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tenantdb/changes.h"
#include "tenantdb/result.h"
#include "tenantdb/role.h"
#include "tenantdb/value.h"

namespace tenantdb::server::ws {

enum class ClientType : uint8_t {
  kAuthenticate,
  kSubscribe,
  kNextBatch,
  kUnsubscribe,
  kPing,
};

struct SubscribeOptions {
  std::optional<uint64_t> batch_size;
  std::optional<uint64_t> last_rows;
  std::optional<uint64_t> from;
};

struct ClientMessage {
  ClientType type = ClientType::kPing;
  // authenticate
  std::string method;  // "jwt" or "basic"
  std::string token;
  std::string username;
  std::string password;
  // subscribe (id), next_batch and unsubscribe (subscription_id)
  std::string subscription_id;
  std::string sql;
  std::vector<Value> params;
  SubscribeOptions options;
};

// A decoding failure: a protocol code ("invalid_message", "unknown_type") and a message
// a client can act on; `subscription_id` when the message named one.
struct DecodeError {
  std::string code;
  std::string message;
  std::string subscription_id;
};

// Longest subscription id accepted (ids are echoed in every message of the subscription).
inline constexpr size_t kMaxSubscriptionIdBytes = 128;

// Decodes one text frame. Fields the type does not define are ignored (clients of the
// KalamDB protocol send a few extra ones).
std::variant<ClientMessage, DecodeError> DecodeClientMessage(std::string_view text);

// ---- server messages: each returns the whole JSON text ----
std::string AuthSuccessMessage(std::string_view user, Role role);
std::string AuthErrorMessage(std::string_view message);
std::string SubscriptionAckMessage(std::string_view id, const std::vector<Column>& columns,
                                   uint64_t batch_size);
std::string InitialBatchMessage(std::string_view id, const std::vector<std::vector<Value>>& rows,
                                size_t begin, size_t end, uint64_t batch_num, bool has_more,
                                uint64_t last_seq);
std::string ChangeMessage(std::string_view id, ChangeType type, const std::vector<Value>& row,
                          const std::optional<std::vector<Value>>& old_row, uint64_t seq);
std::string UnsubscribedMessage(std::string_view id);
std::string PongMessage();
// `subscription_id` empty: the field is left out.
std::string ErrorMessage(std::string_view subscription_id, std::string_view code,
                         std::string_view message);

}  // namespace tenantdb::server::ws
