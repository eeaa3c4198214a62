#include "server/pgwire/message_framer.h"

#include <string>

#include "server/pgwire/wire_reader.h"

namespace tenantdb::server::pgwire {

Result<std::optional<Frame>> NextFrame(std::string_view buffer, bool startup,
                                       size_t max_message_bytes) {
  const size_t header = startup ? 4 : 5;
  if (buffer.size() < header) return std::optional<Frame>();
  Frame frame;
  WireReader r(buffer);
  if (!startup) {
    uint8_t type = 0;
    r.Byte(&type);
    frame.type = static_cast<char>(type);
  }
  int32_t length = 0;
  r.Int32(&length);
  const size_t limit = startup ? kMaxStartupPacketBytes : max_message_bytes;
  if (length < 4 || static_cast<size_t>(length) > limit) {
    return Status(ErrorCode::kInvalidRequest,
                  std::string(startup ? "invalid startup packet" : "invalid message") + " length " +
                      std::to_string(length) + " (at least 4, at most " + std::to_string(limit) +
                      " bytes)");
  }
  if (startup && length < 8) {
    return Status(ErrorCode::kInvalidRequest,
                  "invalid startup packet length " + std::to_string(length) + " (at least 8)");
  }
  const size_t total = header - 4 + static_cast<size_t>(length);
  if (buffer.size() < total) return std::optional<Frame>();
  frame.body = buffer.substr(header, total - header);
  frame.size = total;
  return std::optional<Frame>(frame);
}

}  // namespace tenantdb::server::pgwire
