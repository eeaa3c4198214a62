// Cutting protocol messages out of the bytes read from a connection, with bounded sizes.
//
// A message is complete when its length word and that many bytes have arrived. The
// length is checked before anything is buffered for it: a startup packet may hold at
// most kMaxStartupPacketBytes (PostgreSQL's 10,000), any other message at most the
// server's max_message_bytes, and a length under 4 is impossible. Past either bound the
// connection is answered with a FATAL invalid_request (08P01) and closed, so a client
// cannot make the server buffer more than the bound per connection.
//
// Thread safety: pure functions. Cost: constant per call.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "tenantdb/status.h"

namespace tenantdb::server::pgwire {

inline constexpr size_t kMaxStartupPacketBytes = 10'000;
// The default bound on other messages (a Bind with large parameters, a long Query).
inline constexpr size_t kDefaultMaxMessageBytes = 64u << 20;

struct Frame {
  char type = 0;          // 0 for a startup packet
  std::string_view body;  // after the type and length; points into the buffer
  size_t size = 0;        // bytes of the buffer the message takes
};

// The first complete message at the start of `buffer`, nullopt when more bytes are
// needed. `startup`: the connection's first packet (no type byte). Errors:
// invalid_request (a length under 4 or over the bound, naming both).
Result<std::optional<Frame>> NextFrame(std::string_view buffer, bool startup,
                                       size_t max_message_bytes);

}  // namespace tenantdb::server::pgwire
