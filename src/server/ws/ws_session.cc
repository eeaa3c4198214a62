#include "server/ws/ws_session.h"

#include <algorithm>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

#include "server/http/json_text.h"

namespace tenantdb::server::ws {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of query parameter `name` in `target` (percent-decoded), or "".
std::string QueryParameter(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return "";
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name || eq == std::string_view::npos) continue;
    std::string_view raw = pair.substr(eq + 1);
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%' && i + 2 < raw.size() && HexDigit(raw[i + 1]) >= 0 &&
          HexDigit(raw[i + 2]) >= 0) {
        out.push_back(static_cast<char>(HexDigit(raw[i + 1]) * 16 + HexDigit(raw[i + 2])));
        i += 2;
      } else if (raw[i] == '+') {
        out.push_back(' ');
      } else {
        out.push_back(raw[i]);
      }
    }
    return out;
  }
  return "";
}

std::string CodeOf(const Status& status) {
  // ALTER or DROP TABLE under a subscription (LiveQuery::Apply): a code clients match.
  if (status.code() == ErrorCode::kSerializationFailure) return "schema_changed";
  return std::string(status.code_name());
}

}  // namespace

WsSession::WsSession(beast::tcp_stream stream, std::shared_ptr<http::ServerState> state,
                     std::string client_address)
    : ws_(WriteCoalescingStream(std::move(stream), beast::role_type::server, kMaxBufferedBytes)),
      state_(std::move(state)),
      hub_(state_->ws_hub.get()),
      client_address_(std::move(client_address)),
      close_timer_(ws_.get_executor()) {}

WsSession::~WsSession() {
  for (auto& [key, sub] : subs_) {
    if (sub->registration != 0) hub_->Remove(sub->registration);
    if (user_) hub_->ReleaseUserSlot(*user_);
  }
  hub_->UnregisterSession(session_id_);
}

void WsSession::Start(Request request) {
  std::weak_ptr<WsSession> weak = weak_from_this();
  const net::any_io_executor executor = ws_.get_executor();
  session_id_ = hub_->RegisterSession(
      [weak, executor] {
        net::post(executor, [weak] {
          if (auto self = weak.lock()) self->Close();
        });
      },
      [weak, executor](const CatalogNotice& notice) {
        net::post(executor, [weak, notice] {
          if (auto self = weak.lock()) self->OnCatalogNotice(notice);
        });
      });
  sink_ = std::make_shared<Sink>(
      [weak, executor] {
        net::post(executor, [weak] {
          if (auto self = weak.lock()) self->DrainPending();
        });
      },
      hub_->options().max_queue_messages);
  std::string authorization;
  const auto header = request.find(beast::http::field::authorization);
  if (header != request.end()) authorization = std::string(header->value());
  if (authorization.empty()) {
    const std::string token = QueryParameter(request.target(), "token");
    if (!token.empty()) authorization = "Bearer " + token;
  }
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  // Beast fails a stream past its limit with a bare 1009 close; a message up to four
  // times [ws] max_message_bytes is read, so the client is told why in a JSON error.
  ws_.read_message_max(hub_->options().max_message_bytes * 4);
  auto kept = std::make_shared<Request>(std::move(request));
  ws_.async_accept(
      *kept, [self = shared_from_this(), kept, authorization = std::move(authorization)](
                 beast::error_code ec) mutable { self->OnAccepted(ec, std::move(authorization)); });
}

void WsSession::OnAccepted(beast::error_code ec, std::string authorization) {
  if (ec) {
    Close();
    return;
  }
  if (!authorization.empty()) {
    Authenticate(std::move(authorization));
    return;
  }
  Read();
}

void WsSession::Authenticate(std::string authorization) {
  busy_ = true;
  // Basic credentials cost a password hash (tens of milliseconds): not on the loop.
  const bool basic = authorization.size() >= 6 && (authorization.compare(0, 6, "Basic ") == 0 ||
                                                   authorization.compare(0, 6, "basic ") == 0);
  auto self = shared_from_this();
  auto task = [self, authorization = std::move(authorization)] {
    Result<Principal> principal =
        self->state_->authenticator->Authenticate(authorization, self->client_address_);
    std::shared_ptr<Result<std::unique_ptr<Session>>> session;
    if (principal.ok()) {
      // The account as it is now: the hub's catalog check ends this connection when it
      // is dropped or its password or role changes (its token then no longer works).
      Result<std::optional<Account>> account = self->state_->db->FindAccount(principal->user);
      if (account.ok() && account->has_value()) {
        self->hub_->SetSessionAccount(self->session_id_, std::move(**account));
      }
      session = std::make_shared<Result<std::unique_ptr<Session>>>(
          self->state_->db->Connect(principal->user, principal->role));
    }
    auto result = std::make_shared<Result<Principal>>(std::move(principal));
    net::post(self->ws_.get_executor(), [self, result, session] {
      self->busy_ = false;
      if (self->closing_) return;
      Status failed = result->ok() ? (*session).status() : result->status();
      if (!failed.ok()) {
        self->Send(AuthErrorMessage(failed.message()));
        self->CloseAfterFlush(websocket::close_code::policy_error, "authentication failed");
        return;
      }
      self->user_ = (*result)->user;
      self->role_ = (*result)->role;
      self->session_ = std::move(**session);
      self->Send(AuthSuccessMessage(*self->user_, self->role_));
      self->Pump();
    });
  };
  http::StatementScheduler& scheduler = *state_->scheduler;
  if (!(basic ? scheduler.SchedulePool(std::move(task)) : scheduler.Schedule(std::move(task)))) {
    busy_ = false;
    Send(ErrorMessage("", "admin_shutdown", "the server is shutting down"));
    CloseAfterFlush(websocket::close_code::going_away, "shutting down");
  }
}

// ---- reading -----------------------------------------------------------------------------

void WsSession::Read() {
  if (reading_ || busy_ || closing_ || queued_.size() >= kMaxQueued) return;
  reading_ = true;
  ws_.async_read(buffer_,
                 [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
}

void WsSession::OnRead(beast::error_code ec) {
  reading_ = false;
  if (ec) {
    Close();  // the peer left, or broke the protocol (Beast answered it with a close)
    return;
  }
  if (buffer_.size() > hub_->options().max_message_bytes) {
    buffer_.consume(buffer_.size());
    Send(ErrorMessage("", "message_too_large",
                      "a message is larger than " +
                          std::to_string(hub_->options().max_message_bytes) +
                          " bytes ([ws] max_message_bytes)"));
    CloseAfterFlush(websocket::close_code::too_big, "message too large");
    return;
  }
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (!ws_.got_text()) {
    queued_.push_back(
        DecodeError{"invalid_message", "messages are JSON text frames, not binary", ""});
  } else {
    queued_.push_back(DecodeClientMessage(text));
  }
  Pump();
}

void WsSession::Pump() {
  while (!opening_ && !busy_ && !closing_ && !queued_.empty()) {
    const auto* message = std::get_if<ClientMessage>(&queued_.front());
    const bool subscribe = message != nullptr && message->type == ClientType::kSubscribe;
    if (!subscribe && !to_open_.empty()) break;  // after the subscribes before it
    Decoded next = std::move(queued_.front());
    queued_.pop_front();
    HandleMessage(std::move(next));
    if (to_open_.size() >= kMaxOpenBatch) break;
  }
  // While the client's burst is still arriving (bytes wait in the socket), read on: one
  // task then opens the whole burst and its replies leave in one socket write.
  if (!opening_ && !closing_ && !to_open_.empty() &&
      (to_open_.size() >= kMaxOpenBatch || queued_.size() >= kMaxQueued || !MoreToRead())) {
    StartOpening();
  }
  Read();
}

bool WsSession::MoreToRead() {
  return ws_.next_layer().MoreBytesWaiting();
}

void WsSession::HandleMessage(Decoded decoded) {
  if (closing_) return;
  if (auto* error = std::get_if<DecodeError>(&decoded)) {
    Send(ErrorMessage(error->subscription_id, error->code, error->message));
    return;
  }
  ClientMessage& message = std::get<ClientMessage>(decoded);
  if (message.type == ClientType::kPing) {
    Send(PongMessage());
    return;
  }
  if (message.type == ClientType::kAuthenticate) {
    if (user_.has_value()) {
      Send(ErrorMessage("", "already_authenticated",
                        "this connection is authenticated as " + *user_ + "; open another"));
      return;
    }
    if (message.method == "basic") {
      Authenticate("Basic " + http::Base64Padded(message.username + ":" + message.password));
    } else {
      Authenticate("Bearer " + message.token);
    }
    return;
  }
  if (!user_.has_value()) {
    Send(ErrorMessage(message.subscription_id, "not_authenticated",
                      "send {\"type\":\"authenticate\",\"method\":\"jwt\",\"token\":...} first "
                      "(or connect with ?token= or an Authorization header)"));
    return;
  }
  switch (message.type) {
    case ClientType::kSubscribe:
      Subscribe(std::move(message));
      return;
    case ClientType::kNextBatch:
      NextBatch(message.subscription_id);
      return;
    case ClientType::kUnsubscribe:
      Unsubscribe(message.subscription_id, /*reply=*/true);
      return;
    default:
      return;
  }
}

// ---- subscriptions -------------------------------------------------------------------------

void WsSession::Subscribe(ClientMessage message) {
  const std::string& id = message.subscription_id;
  const WsOptions& options = hub_->options();
  // A refusal is told in order: after the replies to the subscribes queued before it.
  auto refuse = [&](std::string code, std::string text) {
    if (to_open_.empty()) {
      Send(ErrorMessage(id, code, text));
      return;
    }
    PendingOpen refused;
    refused.id = id;
    refused.refusal_code = std::move(code);
    refused.refusal = std::move(text);
    to_open_.push_back(std::move(refused));
  };
  if (ids_.count(id) != 0) {
    refuse("subscription_exists", "subscription " + id + " is already open on this connection");
    return;
  }
  if (subs_.size() >= options.max_subscriptions_per_connection) {
    refuse("too_many_subscriptions",
           "this connection has " + std::to_string(options.max_subscriptions_per_connection) +
               " subscriptions open ([ws] max_subscriptions_per_connection)");
    return;
  }
  if (Status slot = hub_->AcquireUserSlot(*user_); !slot.ok()) {
    refuse("too_many_subscriptions", std::string(slot.message()));
    return;
  }
  const uint64_t key = next_key_++;
  auto sub = std::make_unique<Subscription>();
  sub->id = id;
  sub->key = key;
  sub->batch_size = static_cast<size_t>(
      std::max<uint64_t>(1, message.options.batch_size.value_or(options.default_batch_size)));
  ids_[id] = key;
  subs_[key] = std::move(sub);
  PendingOpen pending;
  pending.key = key;
  pending.sql = std::move(message.sql);
  pending.params = std::move(message.params);
  pending.from = message.options.from;
  pending.last_rows = message.options.last_rows;
  to_open_.push_back(std::move(pending));
}

void WsSession::StartOpening() {
  opening_ = true;
  auto self = shared_from_this();
  auto task = [self, batch = std::move(to_open_)]() mutable {
    auto opened = std::make_shared<std::vector<std::pair<uint64_t, Opened>>>();
    opened->reserve(batch.size());
    for (PendingOpen& pending : batch) {
      if (!pending.refusal_code.empty()) {
        Opened refused;
        refused.status = Status(ErrorCode::kInvalidArgument, pending.refusal);
        refused.refusal_code = std::move(pending.refusal_code);
        refused.id = std::move(pending.id);
        opened->emplace_back(0, std::move(refused));
      } else {
        opened->emplace_back(pending.key, self->Open(pending));
      }
    }
    net::post(self->ws_.get_executor(), [self, opened] {
      self->opening_ = false;
      for (auto& [key, result] : *opened) {
        if (!result.refusal_code.empty()) {
          self->Send(ErrorMessage(result.id, result.refusal_code, result.status.message()));
        } else {
          self->OnOpened(key, std::move(result));
        }
      }
      self->Pump();
    });
  };
  to_open_.clear();
  if (!state_->scheduler->Schedule(std::move(task))) {
    opening_ = false;
    Send(ErrorMessage("", "admin_shutdown", "the server is shutting down"));
    CloseAfterFlush(websocket::close_code::going_away, "shutting down");
  }
}

// On a worker: binds the query, registers it with the hub, reads its snapshot.
WsSession::Opened WsSession::Open(const PendingOpen& pending) {
  Opened opened;
  WsHub* hub = hub_;
  Result<std::unique_ptr<LiveQuery>> query =
      LiveQuery::Open(*session_, pending.sql, pending.params);
  if (!query.ok()) {
    opened.status = query.status();
  } else {
    LiveQuery& q = **query;
    // Registered before the snapshot is read: see live_query.h and ws_hub.h.
    opened.registration =
        hub->Add(q.ns(), q.table(), q.slice_user(), q.table_generation(), sink_, pending.key);
    if (pending.from.has_value() && q.windowed()) {
      hub->Remove(opened.registration);
      opened.registration = 0;
      opened.status = Status(ErrorCode::kFeatureNotSupported,
                             "an ORDER BY subscription cannot resume from a seq (its window "
                             "is computed from its snapshot): subscribe without \"from\"");
    } else if (pending.from.has_value()) {
      opened.from = *pending.from;
    } else {
      Result<LiveSnapshot> snapshot = q.ReadSnapshot(hub->options().max_snapshot_rows);
      if (!snapshot.ok()) {
        hub->Remove(opened.registration);
        opened.registration = 0;
        opened.status = snapshot.status();
      } else {
        opened.snapshot = std::move(snapshot).value();
        if (pending.last_rows.has_value() && opened.snapshot->rows.size() > *pending.last_rows) {
          auto& rows = opened.snapshot->rows;
          rows.erase(rows.begin(), rows.end() - static_cast<ptrdiff_t>(*pending.last_rows));
        }
      }
    }
    if (opened.status.ok()) opened.query = std::move(query).value();
  }
  return opened;
}

void WsSession::OnOpened(uint64_t key, Opened opened) {
  auto it = subs_.find(key);
  if (it == subs_.end()) {  // the connection closed meanwhile
    if (opened.registration != 0) hub_->Remove(opened.registration);
    return;
  }
  Subscription& sub = *it->second;
  if (!opened.status.ok()) {
    const std::string id = sub.id;
    ids_.erase(id);
    subs_.erase(it);
    hub_->ReleaseUserSlot(*user_);
    Send(ErrorMessage(id, CodeOf(opened.status), opened.status.message()));
    return;
  }
  sub.query = std::move(opened.query);
  sub.registration = opened.registration;
  Send(SubscriptionAckMessage(sub.id, sub.query->columns(), sub.batch_size));
  if (opened.snapshot.has_value()) {
    sub.rows = std::move(opened.snapshot->rows);
    sub.position = std::move(opened.snapshot->position);
    sub.cursor = sub.position.after_seq;
    sub.state = Subscription::State::kPaging;
    SendBatch(sub);  // may go live (and end the subscription): `sub` is not used after
  } else {
    // Resuming from `from`: no rows, then the log after it, then live.
    sub.position.after_seq = opened.from;
    sub.cursor = opened.from;
    Send(InitialBatchMessage(sub.id, {}, 0, 0, 0, false, sub.cursor));
    sub.batch_num = 1;
    if (CatchUp(sub)) GoLive(sub);
  }
}

void WsSession::SendBatch(Subscription& sub) {
  const size_t end = std::min(sub.rows.size(), sub.next_row + sub.batch_size);
  const bool has_more = end < sub.rows.size();
  Send(InitialBatchMessage(sub.id, sub.rows, sub.next_row, end, sub.batch_num, has_more,
                           sub.position.after_seq));
  ++sub.batch_num;
  sub.next_row = end;
  if (!has_more) {
    sub.rows.clear();
    sub.rows.shrink_to_fit();
    GoLive(sub);
  }
}

void WsSession::NextBatch(const std::string& id) {
  auto it = ids_.find(id);
  if (it == ids_.end()) {
    Send(ErrorMessage(id, "unknown_subscription", "no subscription " + id + " on this connection"));
    return;
  }
  Subscription& sub = *subs_.at(it->second);
  if (sub.state != Subscription::State::kPaging) {
    Send(ErrorMessage(id, "no_more_batches",
                      "subscription " + id + " has sent all of its initial data"));
    return;
  }
  SendBatch(sub);
}

void WsSession::Unsubscribe(const std::string& id, bool reply) {
  auto it = ids_.find(id);
  if (it == ids_.end()) {
    if (reply) {
      Send(ErrorMessage(id, "unknown_subscription",
                        "no subscription " + id + " on this connection"));
    }
    return;
  }
  auto sub = subs_.find(it->second);
  if (sub->second->registration != 0) hub_->Remove(sub->second->registration);
  hub_->ReleaseUserSlot(*user_);
  subs_.erase(sub);
  ids_.erase(it);
  if (reply) Send(UnsubscribedMessage(id));
}

void WsSession::EndSubscription(Subscription& sub, std::string_view code,
                                std::string_view message) {
  const std::string id = sub.id;
  Send(ErrorMessage(id, code, message));
  Unsubscribe(id, /*reply=*/false);
}

void WsSession::OnCatalogNotice(const CatalogNotice& notice) {
  if (closing_) return;
  std::vector<std::string> ended;
  for (const auto& [key, sub] : subs_) {
    if (notice.kind == CatalogNotice::Kind::kAccount) {
      ended.push_back(sub->id);
    } else if (sub->query != nullptr && sub->query->table_generation() == notice.generation &&
               sub->query->table() == notice.table && sub->query->ns() == notice.ns) {
      ended.push_back(sub->id);
    }
  }
  for (const std::string& id : ended) {
    auto it = ids_.find(id);
    if (it == ids_.end() || closing_) continue;
    EndSubscription(*subs_.at(it->second), notice.code, notice.message);
  }
  if (notice.kind == CatalogNotice::Kind::kAccount) {
    Send(ErrorMessage("", notice.code, notice.message));
    CloseAfterFlush(websocket::close_code::policy_error, notice.code);
  }
}

void WsSession::GoLive(Subscription& sub) {
  sub.state = Subscription::State::kLive;
  std::vector<std::shared_ptr<const std::vector<ChangeRecord>>> buffered = std::move(sub.buffered);
  sub.buffered.clear();
  sub.buffered_records = 0;
  for (const auto& records : buffered)
    if (!HandleRecords(sub, *records)) return;
}

void WsSession::DrainPending() {
  if (closing_) return;
  bool overflowed = false;
  std::deque<Sink::Pending> pending = sink_->Take(&overflowed);
  if (overflowed) {
    Overflow("more than " + std::to_string(hub_->options().max_queue_messages) +
             " changes waited for this connection ([ws] max_queue_messages)");
    return;
  }
  for (Sink::Pending& p : pending) {
    auto it = subs_.find(p.subscription);
    if (it == subs_.end()) continue;  // unsubscribed since
    Subscription& sub = *it->second;
    if (sub.state != Subscription::State::kLive) {
      sub.buffered_records += p.records->size();
      if (sub.buffered_records > hub_->options().max_queue_messages) {
        Overflow("more than " + std::to_string(hub_->options().max_queue_messages) +
                 " changes arrived while subscription " + sub.id +
                 " sent its initial data ([ws] max_queue_messages)");
        return;
      }
      sub.buffered.push_back(std::move(p.records));
      continue;
    }
    HandleRecords(sub, *p.records);
    if (closing_) return;
  }
}

bool WsSession::HandleRecords(Subscription& sub, const std::vector<ChangeRecord>& records) {
  for (const ChangeRecord& record : records) {
    if (closing_) return false;
    if (record.seq <= sub.cursor || sub.position.Covers(record.seq)) {
      sub.cursor = std::max(sub.cursor, record.seq);
      continue;
    }
    if (record.seq > sub.cursor + 1) {
      // A number we were not shown (abandoned, or before a resume point): the log has
      // whatever exists between, in order.
      if (!CatchUp(sub)) return false;
      if (record.seq <= sub.cursor) continue;
    }
    if (!Deliver(sub, record)) return false;
  }
  return !closing_;
}

bool WsSession::Deliver(Subscription& sub, const ChangeRecord& record) {
  Result<std::vector<LiveChange>> changes = sub.query->Apply(record);
  if (!changes.ok()) {
    EndSubscription(sub, CodeOf(changes.status()), changes.status().message());
    return false;
  }
  sub.cursor = record.seq;
  for (const LiveChange& c : *changes)
    Send(ChangeMessage(sub.id, c.type, c.row, c.old_row, c.seq));
  return !closing_;
}

bool WsSession::CatchUp(Subscription& sub) {
  const LiveQuery& q = *sub.query;
  // Bounded: each round moves the cursor forward or ends.
  for (int round = 0; round < 1'000'000; ++round) {
    Result<ChangeReadResult> read =
        state_->db->ReadChanges(q.ns(), q.table(), q.slice_user(), sub.cursor, 1000);
    if (!read.ok()) {
      EndSubscription(sub, CodeOf(read.status()), read.status().message());
      return false;
    }
    if (read->resync_required) {
      EndSubscription(sub, "resync_required",
                      "changes after seq " + std::to_string(sub.cursor) +
                          " are no longer retained (the oldest is " +
                          std::to_string(read->oldest_seq) +
                          "); subscribe again without \"from\" to read the rows afresh");
      return false;
    }
    for (const ChangeRecord& record : read->changes) {
      if (closing_) return false;
      if (record.seq <= sub.cursor || sub.position.Covers(record.seq)) {
        sub.cursor = std::max(sub.cursor, record.seq);
        continue;
      }
      if (!Deliver(sub, record)) return false;
    }
    if (!read->has_more) {
      sub.cursor = std::max(sub.cursor, read->last_seq);
      return !closing_;
    }
  }
  return !closing_;
}

// ---- writing -------------------------------------------------------------------------------

void WsSession::Send(std::string message) {
  if (closing_) return;
  const WsOptions& options = hub_->options();
  if (out_.size() + 1 > options.max_queue_messages ||
      out_bytes_ + message.size() > options.max_queue_bytes) {
    Overflow("the client reads too slowly: " + std::to_string(out_.size()) + " messages (" +
             std::to_string(out_bytes_) +
             " bytes) wait to be sent ([ws] max_queue_messages / max_queue_bytes); reconnect and "
             "resume with options.from = the last seq received");
    return;
  }
  out_bytes_ += message.size();
  out_.push_back(std::move(message));
  Write();
}

void WsSession::Write() {
  if (writing_ || closed_) return;
  if (durable_messages_ < out_.size()) {
    // What the queued messages tell (rows read, changes delivered) may come from commits
    // whose WAL sync is still to come (Session::DeferCommitSync): they go out once
    // everything visible now is durable — one atomic check when nothing waits. Only the
    // messages queued by now are cleared by that wait: under a steady write load a
    // fresh check would always find a newer write to wait for.
    Database& db = *hub_->db();
    const uint64_t position = db.WritePosition();
    const size_t queued = out_.size();
    if (db.IsDurable(position)) {
      durable_messages_ = queued;
    } else {
      writing_ = true;
      db.WhenDurable(position, [self = shared_from_this(), queued](const Status& durable) {
        net::post(self->ws_.get_executor(), [self, durable, queued] {
          self->writing_ = false;
          if (!durable.ok()) {
            self->Close();  // the commits they tell of may be lost
            return;
          }
          self->durable_messages_ =
              std::min(std::max(self->durable_messages_, queued), self->out_.size());
          self->Write();
        });
      });
      return;
    }
  }
  if (out_.empty()) {
    if (close_after_flush_.has_value()) {
      auto [code, reason] = std::move(*close_after_flush_);
      close_after_flush_.reset();
      writing_ = true;
      ws_.async_close(websocket::close_reason(code, reason),
                      [self = shared_from_this()](beast::error_code) {
                        self->writing_ = false;
                        self->Close();
                      });
    }
    return;
  }
  // Every queued message the stream has room for goes out in one socket write
  // (write_coalescing_stream.h); the rest waits until the socket took those.
  WriteCoalescingStream& stream = ws_.next_layer();
  while (durable_messages_ > 0 && stream.buffered_bytes() < kMaxBufferedBytes) {
    stream.AppendText(out_.front());
    out_bytes_ -= out_.front().size();
    out_.pop_front();
    --durable_messages_;
  }
  stream.Send();
  if (out_.empty() && !close_after_flush_.has_value()) return;
  writing_ = true;
  stream.AsyncFlushed([self = shared_from_this()](beast::error_code ec) {
    self->writing_ = false;
    if (ec) {
      self->Close();
      return;
    }
    self->Write();
  });
}

void WsSession::Overflow(const std::string& why) {
  if (closing_) return;
  state_->log->info("ws_slow_consumer client={} user={} reason=\"{}\"", client_address_,
                    user_.value_or(""), why);
  // What the stream holds is framed already and goes; the rest is dropped.
  out_.clear();
  out_bytes_ = 0;
  durable_messages_ = 0;
  std::string error = ErrorMessage("", "slow_consumer", why);
  out_bytes_ += error.size();
  out_.push_back(std::move(error));
  CloseAfterFlush(websocket::close_code::policy_error, "slow_consumer");
}

void WsSession::CloseAfterFlush(websocket::close_code code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  RetireAll();  // no more changes for this connection
  close_after_flush_ = std::make_pair(code, std::move(reason));
  // A client that does not even read the error is cut off after write_timeout.
  close_timer_.expires_after(state_->options.write_timeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->Close();
  });
  Write();
}

void WsSession::RetireAll() {
  // Subscriptions leave the hub now, but their objects live on until the session ends:
  // a close can start inside HandleRecords (a Send that overflows), whose caller still
  // holds a reference.
  for (auto& [key, sub] : subs_) {
    if (sub->registration != 0) hub_->Remove(sub->registration);
    sub->registration = 0;
    if (user_) hub_->ReleaseUserSlot(*user_);
    retired_.push_back(std::move(sub));
  }
  subs_.clear();
  ids_.clear();
}

void WsSession::Close() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  close_timer_.cancel();
  RetireAll();
  beast::error_code ec;
  beast::get_lowest_layer(ws_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(ws_).close();
}

}  // namespace tenantdb::server::ws
