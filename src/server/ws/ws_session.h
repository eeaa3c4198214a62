// WsSession: one client's live-query WebSocket (GET /v1/ws, ws_protocol.h), taken over
// from the HttpConnection that read the upgrade request. Runs on that connection's
// strand on the server's I/O threads; binding subscriptions and reading their snapshots
// (I/O) run on the statement scheduler, one task at a time per connection, for every
// subscribe read so far (a burst: up to kMaxOpenBatch); the connection reads ahead at
// most kMaxQueued messages meanwhile (backpressure on the client), and answers them in
// the order they came.
//
// Subscription life (each bound by tenantdb::LiveQuery as the authenticated user):
//   loading   registered with the hub (changes are queued), snapshot being read
//   paging    snapshot rows sent batch by batch on next_batch; changes stay queued
//   live      queued and new changes applied in sequence order
// A `cursor` per subscription is the highest number handled; records at or below it, or
// reflected by the snapshot (LivePosition), are dropped. A record past cursor + 1 (a
// number the listener never showed us: abandoned by a failed write, or before a resume's
// `from`) makes the session read the log from the cursor (Database::ReadChanges) before
// going on, so every number is handled exactly once and in order. `options.from`
// subscribes without a snapshot, cursor = from, and catches up the same way
// (resync_required when the log no longer holds it).
//
// Slow clients. Outgoing messages queue here, bounded by [ws] max_queue_messages and
// max_queue_bytes; the hub's Sink bounds changes not yet turned into messages. Past
// either, the client gets error {code:"slow_consumer"} and is disconnected (after
// [http] write_timeout at most if it does not even read that). Listener callbacks only
// queue into the Sink and post: writers never wait for a socket.
//
// Thread safety: everything runs on the strand, except the worker tasks, which touch
// only the Session and the LiveQueries of the subscriptions being opened (the strand
// does not use them meanwhile). Ownership: shared — pending handlers hold it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "server/http/server_state.h"
#include "server/ws/write_coalescing_stream.h"
#include "server/ws/ws_hub.h"
#include "server/ws/ws_protocol.h"
#include "tenantdb/live_query.h"
#include "tenantdb/session.h"

namespace tenantdb::server::ws {

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  WsSession(boost::beast::tcp_stream stream, std::shared_ptr<http::ServerState> state,
            std::string client_address);
  ~WsSession();
  WsSession(const WsSession&) = delete;
  WsSession& operator=(const WsSession&) = delete;

  // Answers the upgrade `request` (already read) and starts: authenticates from its
  // `?token=` or Authorization header when it has one, then reads messages.
  void Start(Request request);

 private:
  struct Subscription {
    enum class State : unsigned char { kLoading, kPaging, kLive };
    std::string id;
    uint64_t key = 0;
    std::unique_ptr<LiveQuery> query;
    uint64_t registration = 0;
    State state = State::kLoading;
    std::vector<std::vector<Value>> rows;  // the snapshot while paging
    size_t next_row = 0;
    size_t batch_size = 0;
    uint64_t batch_num = 0;
    uint64_t cursor = 0;
    LivePosition position;
    // Changes while not live (a vector: an idle subscription holds no allocation here).
    std::vector<std::shared_ptr<const std::vector<ChangeRecord>>> buffered;
    size_t buffered_records = 0;
  };
  // What a worker task hands back to the strand after a subscribe.
  struct Opened {
    Status status;
    std::unique_ptr<LiveQuery> query;
    uint64_t registration = 0;
    std::optional<LiveSnapshot> snapshot;  // none: resuming from `from`
    uint64_t from = 0;
    std::string id, refusal_code;  // a refused PendingOpen passed through
  };

  void OnAccepted(boost::beast::error_code ec, std::string authorization);
  void Authenticate(std::string authorization);
  // A subscribe checked and registered on the strand, waiting to be opened by a worker.
  // Or a subscribe refused by those checks, told when its turn comes (refusal_code set).
  struct PendingOpen {
    uint64_t key = 0;
    std::string id, refusal_code, refusal;
    std::string sql;
    std::vector<Value> params;
    std::optional<uint64_t> from;
    std::optional<uint64_t> last_rows;
  };
  using Decoded = std::variant<ClientMessage, DecodeError>;
  // Messages read ahead at most; subscribes opened by one worker task at most.
  static constexpr size_t kMaxQueued = 256;
  static constexpr size_t kMaxOpenBatch = 128;
  // Framed bytes the socket has not taken yet, beyond which messages wait in out_.
  static constexpr size_t kMaxBufferedBytes = 64 * 1024;

  void Read();
  void OnRead(boost::beast::error_code ec);
  // Handles queued messages in order until one must wait for the subscribes before it,
  // then starts opening those subscribes (one worker task for all of them), then reads on.
  void Pump();
  // Bytes of the client's wait in the socket (not yet read by Beast).
  bool MoreToRead();
  void HandleMessage(Decoded decoded);
  void Subscribe(ClientMessage message);
  void StartOpening();
  Opened Open(const PendingOpen& pending);
  void OnOpened(uint64_t key, Opened opened);
  void NextBatch(const std::string& id);
  void Unsubscribe(const std::string& id, bool reply);
  void SendBatch(Subscription& sub);
  void GoLive(Subscription& sub);
  // The hub's catalog check found a table or this connection's account changed.
  void OnCatalogNotice(const CatalogNotice& notice);
  void DrainPending();
  // Applies `records` (in order) to a live subscription; false when it ended.
  bool HandleRecords(Subscription& sub, const std::vector<ChangeRecord>& records);
  bool CatchUp(Subscription& sub);
  // Applies one record not yet handled and sends what it means; false when the
  // subscription (or the connection) ended.
  bool Deliver(Subscription& sub, const ChangeRecord& record);
  void EndSubscription(Subscription& sub, std::string_view code, std::string_view message);
  void Send(std::string message);
  void Write();
  void Overflow(const std::string& why);
  void CloseAfterFlush(boost::beast::websocket::close_code code, std::string reason);
  void RetireAll();
  void Close();

  boost::beast::websocket::stream<WriteCoalescingStream> ws_;
  std::shared_ptr<http::ServerState> state_;
  WsHub* hub_;
  std::string client_address_;
  uint64_t session_id_ = 0;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer close_timer_;
  std::shared_ptr<Sink> sink_;

  std::optional<std::string> user_;
  Role role_ = Role::kUser;
  std::unique_ptr<Session> session_;

  std::unordered_map<std::string, uint64_t> ids_;  // subscription id -> key
  std::unordered_map<uint64_t, std::unique_ptr<Subscription>> subs_;
  std::vector<std::unique_ptr<Subscription>> retired_;  // see RetireAll
  uint64_t next_key_ = 1;

  std::deque<std::string> out_;
  size_t out_bytes_ = 0;
  // The first this many of out_ may be sent: everything visible when they were queued is
  // durable (see Write()).
  size_t durable_messages_ = 0;
  bool writing_ = false;
  bool busy_ = false;  // authentication runs on a worker; reading is paused
  // Subscribes arrive in bursts (a client reconnecting opens all of its subscriptions at
  // once): they are read ahead into `queued_` and opened by one worker task per burst,
  // in order, instead of one task and two thread hand-offs each. Any other message
  // waits in the queue behind the subscribes before it, so replies keep their order.
  std::deque<Decoded> queued_;        // read, not yet handled (bounded: kMaxQueued)
  std::vector<PendingOpen> to_open_;  // checked subscribes for the next worker task
  bool opening_ = false;              // a worker task is opening subscribes
  bool reading_ = false;
  bool closing_ = false;  // no more messages are taken or queued
  bool closed_ = false;
  std::optional<std::pair<boost::beast::websocket::close_code, std::string>> close_after_flush_;
};

}  // namespace tenantdb::server::ws
