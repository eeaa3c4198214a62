// libFuzzer target: what a client sends the live-query WebSocket (server/ws/). The input
// is read two ways:
//   1. as the bytes after a valid upgrade request, by Beast's WebSocket server stream
//      (frame headers, masking, fragmentation, control frames, the server's 64 kB message
//      limit), every text message it yields then decoded as the server decodes it;
//   2. as one message on its own (ws_protocol.h DecodeClientMessage), so the fuzzer
//      reaches the JSON and field decoding without first finding valid framing.
// Nothing may crash, hang or leak; a decoding error must carry a protocol code, and a
// decoded subscribe must respect the id and parameter bounds.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include "server/http/sql_request.h"
#include "server/ws/ws_protocol.h"

namespace {

using namespace tenantdb;
using namespace tenantdb::server::ws;

void Decode(std::string_view text) {
  std::variant<ClientMessage, DecodeError> m = DecodeClientMessage(text);
  if (auto* error = std::get_if<DecodeError>(&m)) {
    if (error->code != "invalid_message" && error->code != "unknown_type") std::abort();
    if (error->message.empty()) std::abort();
    return;
  }
  const ClientMessage& message = std::get<ClientMessage>(m);
  if (message.type == ClientType::kSubscribe) {
    if (message.subscription_id.empty() ||
        message.subscription_id.size() > kMaxSubscriptionIdBytes) {
      std::abort();
    }
    if (message.params.size() > server::http::kMaxSqlParams) std::abort();
  }
  // The server's answer about it must be JSON-safe whatever the id's bytes.
  (void)ErrorMessage(message.subscription_id, "invalid_message", message.sql);
}

void ReadFrames(std::string_view input) {
  namespace beast = boost::beast;
  boost::asio::io_context io;
  std::string bytes =
      "GET /v1/ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  bytes.append(input);
  beast::test::stream client(io, bytes);
  client.close_remote();  // the input ends: reads past it see end of stream
  beast::websocket::stream<beast::test::stream&> ws(client);
  ws.read_message_max(64 << 10);
  beast::error_code ec;
  ws.accept(ec);
  if (ec) return;
  beast::flat_buffer buffer;
  for (int messages = 0; messages < 1000; ++messages) {
    ws.read(buffer, ec);
    if (ec) return;
    if (ws.got_text()) Decode(beast::buffers_to_string(buffer.data()));
    buffer.consume(buffer.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ReadFrames(input);
  Decode(input);
  return 0;
}
