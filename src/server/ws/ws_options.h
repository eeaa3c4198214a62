// WsOptions: the live-query WebSocket's limits ([ws] in tenantdb.toml, TENANTDB_WS_* in
// the environment); tests set them directly.
//
// Thread safety: a value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tenantdb::server::ws {

struct WsOptions {
  // Messages waiting to be written to one connection (changes, batches, replies), and
  // the changes waiting to be turned into messages; past either the client is told
  // "slow_consumer" and disconnected (it resumes later from its last seq).
  size_t max_queue_messages = 4096;
  // The same bound in bytes of queued message text.
  size_t max_queue_bytes = 16u << 20;
  // Subscriptions open at once on one connection, and for one user over all connections.
  size_t max_subscriptions_per_connection = 100;
  size_t max_subscriptions_per_user = 1000;
  // Largest message a client may send: a larger one gets error "message_too_large" and
  // the connection closes (past four times this, with a bare 1009 close frame).
  size_t max_message_bytes = 64u << 10;
  // Most rows a subscription's initial data may hold (its WHERE clause must narrow more).
  size_t max_snapshot_rows = 100'000;
  // Rows per initial_data_batch when the subscription does not say.
  size_t default_batch_size = 1000;
  // How often the hub compares what subscriptions were bound to with the catalog (DROP
  // or ALTER TABLE, DROP USER, a password or role change end them: ws_hub.h).
  uint32_t catalog_check_ms = 200;
};

}  // namespace tenantdb::server::ws
