// libFuzzer target: the bytes a PostgreSQL client sends (server/pgwire): the startup
// packet, then typed messages, cut by the framer (with its size bounds) and decoded by
// the frontend decoders; 'p' bodies through all three password decoders; every Bind
// parameter through the value decoder as every type, in text and binary. Nothing may
// crash, hang or allocate past the bounds; a decoded frame never extends past the input.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/pgwire/frontend_messages.h"
#include "server/pgwire/message_framer.h"
#include "server/pgwire/pg_types.h"
#include "server/pgwire/value_codec.h"

namespace {

using namespace tenantdb;
using namespace tenantdb::server::pgwire;

constexpr size_t kMaxMessage = 1 << 16;

void DecodeParameters(const BindMessage& bind) {
  for (const auto& parameter : bind.parameters) {
    if (!parameter.has_value()) continue;
    for (DataType type : kAllDataTypes) {
      (void)DecodeParameter(*parameter, false, 0, type);
      (void)DecodeParameter(*parameter, true, 0, type);
      (void)DecodeParameter(*parameter, true, TypeOid(type), DataType::kBigInt);
    }
    (void)DecodeParameter(*parameter, true, kJsonbOid, DataType::kJson);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  bool startup = true;
  for (int messages = 0; messages < 64; ++messages) {
    Result<std::optional<Frame>> frame = NextFrame(input, startup, kMaxMessage);
    if (!frame.ok() || !frame->has_value()) break;
    const Frame& f = **frame;
    if (f.size > input.size() || f.body.size() > f.size) std::abort();
    if (startup) {
      Result<StartupPacket> packet = DecodeStartupPacket(f.body);
      // SSLRequest / GSSENCRequest are followed by another startup packet.
      startup = packet.ok() && packet->kind != StartupPacket::Kind::kStartup &&
                packet->kind != StartupPacket::Kind::kCancel;
    } else {
      Result<FrontendMessage> message = DecodeFrontendMessage(f.type, f.body);
      if (message.ok()) {
        if (const auto* bind = std::get_if<BindMessage>(&*message)) DecodeParameters(*bind);
        if (const auto* parse = std::get_if<ParseMessage>(&*message)) {
          if (parse->parameter_oids.size() * 4 > f.body.size()) std::abort();
        }
      }
      if (f.type == 'p') {
        (void)DecodePasswordMessage(f.body);
        (void)DecodeSaslInitialResponse(f.body);
      }
    }
    input.remove_prefix(f.size);
  }
  return 0;
}
