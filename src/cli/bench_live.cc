// `tenantdb bench live`: live queries over the WebSocket (GET /v1/ws) of a `tenantdb serve`
// child process (bench_serve_process.h) on a fresh data directory and an ephemeral
// loopback port. The client side is Boost.Beast WebSocket streams on ONE Asio I/O thread
// (no thread per socket), each over a WriteCoalescingStream (a socket's burst of
// subscribes leaves in one write, as the server's replies do); writes go over HTTP
// (bench_http_client.h) from the main thread. The CPU seconds of the server and of this
// client during the idle phase are printed (they share the machine's cores).
//
// Setup: root creates --users accounts (each logs in once; its access token goes in the
// upgrade's ?token=), the USER tables bench.idle, bench.one and bench.chat and the SHARED
// table bench.feed (ACCESS_LEVEL 'PUBLIC'), all (id BIGINT PRIMARY KEY, thread_id BIGINT,
// sent_ns BIGINT, body TEXT). Socket i authenticates as user i % --users.
//
// Phases:
//   idle      --subscriptions over --sockets, each `SELECT sent_ns, thread_id, id FROM
//             bench.idle WHERE thread_id = $1` (its own thread). subscribe_all_seconds runs
//             from the first TCP connect to the last subscription's ready batch (connects,
//             handshakes and authentication included). bytes_per_subscription is the
//             server's VmRSS (/proc/<pid>/status) after every subscription is ready and a
//             second of idleness, minus its VmRSS before the first socket, divided by the
//             subscriptions: everything the server holds per idle subscription, its share
//             of the socket and session included. heap_bytes_per_subscription is the same
//             difference of the server allocator's bytes in use (system.stats heap_bytes:
//             jemalloc's stats.allocated in the release binary; blocks in other threads'
//             caches count): what is held, without what the allocator keeps free in its
//             arenas or the thread stacks. Then every socket is closed.
//   latency 1 one socket, one subscription on bench.one (thread 0); --seconds of
//             sequential single-row INSERTs by its user, each matching it.
//   latency N --latency-subscriptions over --latency-sockets on bench.chat: socket s has
//             thread_ids k of the subscriptions s, s + sockets, ...; a chat app: each
//             INSERT (as the socket's user, a random one of its threads) matches exactly
//             one subscription (the others of that user's slice evaluate and drop it).
//             The received change must come on the subscription of its thread_id.
//   feed      --feed-subscribers subscriptions of `SELECT ... FROM bench.feed` (100 per
//             socket), every INSERT (root, 4 writer threads) matching all of them; writers
//             stay at most a window of rows ahead of the slowest delivery, so no client
//             is ever a slow consumer. notifications_per_s = change messages received per
//             second over --seconds.
//
// What the latency measures: the writer reads the monotonic clock (steady_clock, the
// same clock in this one process) immediately BEFORE sending the INSERT and stores it in
// the row's sent_ns; the client thread subtracts it from the clock when the change
// message has been read off its socket. So a figure is the whole path write-issued ->
// notification-received: the HTTP request, the statement, the durable (synced) commit,
// the fan-out and the WebSocket frame. It is an upper bound of commit -> received; the
// INSERT's own round trip (a synced commit: on a slow disk, most of the figure) and the
// receive time minus the moment the writer read the INSERT's acknowledgement (negative
// when the subscriber heard first) are printed beside it; nothing is subtracted from the
// JSON figures. Every write's notification must arrive (within 10 s of the phase's end),
// else the bench fails.
//
// Progress goes to stderr; the last stdout line is one JSON object with exactly the
// fields change_latency_us_p50_1, change_latency_us_p99_1, change_latency_us_p50_10k,
// change_latency_us_p99_10k, subscriptions, subscribe_all_seconds,
// bytes_per_subscription, heap_bytes_per_subscription, notifications_per_s.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "cli/bench_commands.h"
#include "cli/bench_directory.h"
#include "cli/bench_http_client.h"
#include "cli/bench_serve_process.h"
#include "cli/bench_util.h"
#include "cli/commands.h"
#include "server/ws/write_coalescing_stream.h"

namespace tenantdb::cli {

namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr size_t kFeedPerSocket = 100;
constexpr int kFeedWriters = 4;

// What the sockets report; written on the I/O thread, read by the main thread.
struct Counters {
  // The last socket's TCP connect, WebSocket upgrade and auth_success (NowNanos).
  std::atomic<int64_t> last_connected{0}, last_upgraded{0}, last_authenticated{0};
  std::atomic<int64_t> authenticated{0};
  std::atomic<int64_t> ready{0};
  std::atomic<int64_t> changes{0};
  std::atomic<int64_t> closed{0};
  std::atomic<bool> recording{false};
  std::atomic<bool> failed{false};
  bool check_thread = false;  // set before sockets start: ids must be "t<thread_id>"
  std::mutex mu;
  std::vector<int64_t> latencies;  // guarded by mu (ns)
  // (row id, receive time) of each change while recording; guarded by mu
  std::vector<std::pair<int64_t, int64_t>> received;
  std::string error;  // guarded by mu

  void Fail(std::string why) {
    std::lock_guard<std::mutex> lock(mu);
    if (error.empty()) error = std::move(why);
    failed.store(true);
  }
  std::string Error() {
    std::lock_guard<std::mutex> lock(mu);
    return error;
  }
};

// One change message: {"type":"change","subscription_id":"t12",...,"rows":[[sent_ns,
// thread_id,id]],"seq":5}. Parsed by hand: the throughput phase reads a million a second.
bool ParseChange(const std::string& m, std::string_view* id, int64_t* sent_ns, int64_t* thread,
                 int64_t* row_id) {
  static constexpr std::string_view kId = "\"subscription_id\":\"";
  static constexpr std::string_view kRows = "\"rows\":[[";
  size_t p = m.find(kId);
  if (p == std::string::npos) return false;
  p += kId.size();
  const size_t q = m.find('"', p);
  if (q == std::string::npos) return false;
  *id = std::string_view(m).substr(p, q - p);
  p = m.find(kRows, q);
  if (p == std::string::npos) return false;
  char* end = nullptr;
  *sent_ns = std::strtoll(m.c_str() + p + kRows.size(), &end, 10);
  if (*end != ',') return false;
  *thread = std::strtoll(end + 1, &end, 10);
  if (*end != ',') return false;
  *row_id = std::strtoll(end + 1, &end, 10);
  return *end == ']';
}

// A WebSocket client connection, driven entirely on the I/O thread.
class LiveSocket : public std::enable_shared_from_this<LiveSocket> {
 public:
  LiveSocket(net::io_context& io, Counters* counters)
      : ws_(server::ws::WriteCoalescingStream(beast::tcp_stream(io), beast::role_type::client)),
        counters_(counters) {}

  // Connects, upgrades with ?token=, and once authenticated sends `subscribes`.
  void Start(tcp::endpoint endpoint, std::string token, std::vector<std::string> subscribes) {
    subscribes_ = std::move(subscribes);
    subscriptions_.store(int64_t(subscribes_.size()));
    host_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    target_ = "/v1/ws?token=" + token;
    beast::get_lowest_layer(ws_).async_connect(endpoint, [self = shared_from_this()](
                                                             beast::error_code ec) {
      if (ec) return self->Fail("connect: " + ec.message());
      self->counters_->last_connected.store(NowNanos());
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true), ec);
      self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      self->ws_.async_handshake(self->host_, self->target_, [self](beast::error_code ec2) {
        if (ec2) return self->Fail("handshake: " + ec2.message());
        self->counters_->last_upgraded.store(NowNanos());
        self->Read();
      });
    });
  }

  // Rows every subscription of this socket has received (any thread): its change
  // messages divided by its subscriptions, when each row matches all of them.
  int64_t RowsReceived() const {
    const int64_t subs = subscriptions_.load();
    return subs == 0 ? 0 : changes_.load(std::memory_order_relaxed) / subs;
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    beast::get_lowest_layer(ws_).close();
  }

 private:
  void Fail(const std::string& why) {
    if (!closed_) counters_->Fail(why);
    Close();
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) {
        if (!self->closed_) self->counters_->closed.fetch_add(1);
        self->closed_ = true;
        return;
      }
      std::string m = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      self->OnMessage(m);
      self->Read();
    });
  }

  void OnMessage(const std::string& m) {
    const int64_t now = NowNanos();
    if (m.starts_with("{\"type\":\"change\"")) {
      std::string_view id;
      int64_t sent = 0;
      int64_t thread = 0;
      int64_t row = 0;
      if (!ParseChange(m, &id, &sent, &thread, &row)) return Fail("unreadable change: " + m);
      if (counters_->check_thread && id != "t" + std::to_string(thread)) {
        return Fail("a change of thread " + std::to_string(thread) + " reached subscription " +
                    std::string(id));
      }
      if (counters_->recording.load(std::memory_order_relaxed)) {
        std::lock_guard<std::mutex> lock(counters_->mu);
        counters_->latencies.push_back(now - sent);
        counters_->received.emplace_back(row, now);
      }
      counters_->changes.fetch_add(1, std::memory_order_relaxed);
      changes_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    if (m.starts_with("{\"type\":\"subscription_ack\"")) return;
    if (m.starts_with("{\"type\":\"initial_data_batch\"")) {
      if (m.find("\"has_more\":true") != std::string::npos) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(m, ec);
        if (ec) return Fail("unreadable batch: " + m.substr(0, 200));
        boost::json::object next{{"type", "next_batch"},
                                 {"subscription_id", v.as_object().at("subscription_id")}};
        Send(boost::json::serialize(next));
      } else {
        counters_->ready.fetch_add(1);
      }
      return;
    }
    if (m.starts_with("{\"type\":\"auth_success\"")) {
      counters_->last_authenticated.store(now);
      counters_->authenticated.fetch_add(1);
      for (const std::string& s : subscribes_)
        ws_.next_layer().AppendText(s);
      ws_.next_layer().Send();
      subscribes_.clear();
      subscribes_.shrink_to_fit();
      return;
    }
    if (m == "{\"type\":\"pong\"}") return;
    Fail("unexpected message: " + m.substr(0, 300));
  }

  // Messages are framed into the stream's buffer and sent together, as the server does
  // (server/ws/write_coalescing_stream.h): a burst of subscribes leaves in one write.
  void Send(const std::string& message) {
    if (closed_) return;
    ws_.next_layer().AppendText(message);
    ws_.next_layer().Send();
    if (flush_pending_) return;
    flush_pending_ = true;
    ws_.next_layer().AsyncFlushed([self = shared_from_this()](beast::error_code ec) {
      self->flush_pending_ = false;
      if (ec) self->Fail("write: " + ec.message());
    });
  }

  websocket::stream<server::ws::WriteCoalescingStream> ws_;
  Counters* counters_;
  beast::flat_buffer buffer_;
  std::string host_;
  std::string target_;
  std::vector<std::string> subscribes_;
  bool flush_pending_ = false;
  bool closed_ = false;
  std::atomic<int64_t> changes_{0};
  std::atomic<int64_t> subscriptions_{0};
};

// The I/O thread and the sockets of one phase.
class SocketPool {
 public:
  explicit SocketPool(Counters* counters)
      : counters_(counters), work_(net::make_work_guard(io_)), thread_([this] { io_.run(); }) {}
  ~SocketPool() {
    CloseAll();
    work_.reset();
    thread_.join();
  }

  void Open(const tcp::endpoint& endpoint, const std::string& token,
            std::vector<std::string> subscribes) {
    auto socket = std::make_shared<LiveSocket>(io_, counters_);
    sockets_.push_back(socket);
    net::post(io_, [socket, endpoint, token, subscribes = std::move(subscribes)]() mutable {
      socket->Start(endpoint, token, std::move(subscribes));
    });
  }

  // The fewest rows any socket has fully received (see LiveSocket::RowsReceived). Call
  // only while no socket is being opened or closed.
  int64_t SlowestRowsReceived() const {
    int64_t slowest = std::numeric_limits<int64_t>::max();
    for (const auto& s : sockets_)
      slowest = std::min(slowest, s->RowsReceived());
    return sockets_.empty() ? 0 : slowest;
  }

  // Closes every socket and waits until the I/O thread did.
  void CloseAll() {
    std::promise<void> done;
    net::post(io_, [this, &done] {
      for (auto& s : sockets_)
        s->Close();
      sockets_.clear();
      done.set_value();
    });
    done.get_future().wait();
  }

 private:
  Counters* counters_;
  net::io_context io_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  std::vector<std::shared_ptr<LiveSocket>> sockets_;  // touched on the I/O thread after Open
  std::thread thread_;
};

std::string SubscribeMessage(const std::string& id, const std::string& table, int64_t thread) {
  boost::json::object sub{{"id", id},
                          {"sql", "SELECT sent_ns, thread_id, id FROM bench." + table +
                                      (thread >= 0 ? " WHERE thread_id = $1" : "")}};
  if (thread >= 0) sub["params"] = boost::json::array{thread};
  boost::json::object m{{"type", "subscribe"}, {"subscription", std::move(sub)}};
  return boost::json::serialize(m);
}

// User + system CPU seconds process `pid` (0: this process) has used (/proc/<pid>/stat).
double CpuSeconds(pid_t pid) {
  std::ifstream in(pid == 0 ? std::string("/proc/self/stat")
                            : "/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Fields after the command name, which is in parentheses and may contain spaces.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / double(sysconf(_SC_CLK_TCK));
}

int64_t VmRssBytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

// Waits until `done()` or `seconds` pass or a socket failed.
Status WaitFor(Counters& c, double seconds, const std::function<bool()>& done,
               const std::string& what) {
  const double start = NowSeconds();
  while (!done()) {
    if (c.failed.load()) return Status(ErrorCode::kIoError, what + ": " + c.Error());
    if (NowSeconds() - start > seconds) {
      return Status(ErrorCode::kIoError,
                    what + ": not done within " + std::to_string(int(seconds)) + " s");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (c.failed.load()) return Status(ErrorCode::kIoError, what + ": " + c.Error());
  return Status::Ok();
}

struct Latency {
  double p50_us = 0;
  double p99_us = 0;
  double insert_p50_us = 0;
  size_t writes = 0;
};

struct Figures {
  Latency one, many;
  size_t subscriptions = 0;
  double subscribe_all_seconds = 0;
  double bytes_per_subscription = 0;
  double heap_bytes_per_subscription = 0;
  double notifications_per_s = 0;
};

class LiveWorkload {
 public:
  LiveWorkload(const LiveBenchOptions& options, ServeProcess* serve)
      : options_(options),
        serve_(serve),
        endpoint_(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(serve->port())) {}

  Status Setup(const std::string& root_password) {
    root_ = std::make_unique<BenchSqlClient>(serve_->host(), serve_->port());
    TDB_RETURN_IF_ERROR(root_->Login("root", root_password));
    TDB_RETURN_IF_ERROR(root_->Sql("CREATE NAMESPACE IF NOT EXISTS bench").status());
    for (const char* table : {"idle", "one", "chat"}) {
      TDB_RETURN_IF_ERROR(
          root_
              ->Sql(std::string("CREATE TABLE bench.") + table + kColumns + " WITH (TYPE = 'USER')")
              .status());
    }
    TDB_RETURN_IF_ERROR(root_
                            ->Sql(std::string("CREATE TABLE bench.feed") + kColumns +
                                  " WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC')")
                            .status());
    const std::string salt = std::to_string(getpid());
    for (size_t u = 0; u < options_.users; ++u) {
      const std::string name = "live_user" + std::to_string(u);
      const std::string password = "live-password-" + std::to_string(u) + "-" + salt;
      TDB_RETURN_IF_ERROR(
          root_->Sql("CREATE USER '" + name + "' WITH PASSWORD '" + password + "' ROLE user")
              .status());
      auto client = std::make_unique<BenchSqlClient>(serve_->host(), serve_->port());
      TDB_RETURN_IF_ERROR(client->Login(name, password));
      tokens_.push_back(client->authorization().substr(7));  // after "Bearer "
      users_.push_back(std::move(client));
    }
    for (int w = 0; w < kFeedWriters; ++w) {
      auto client = std::make_unique<BenchSqlClient>(serve_->host(), serve_->port());
      TDB_RETURN_IF_ERROR(client->Login("root", root_password));
      feed_writers_.push_back(std::move(client));
    }
    return Status::Ok();
  }

  // The server allocator's bytes in use (system.stats heap_bytes), asked as root.
  Result<double> ServerHeapBytes() {
    TDB_ASSIGN_OR_RETURN(boost::json::value response,
                         root_->Sql("SELECT metric_value FROM system.stats WHERE metric_name = "
                                    "'heap_bytes'"));
    const boost::json::array* rows = BenchResultRows(response);
    if (rows == nullptr || rows->size() != 1) {
      return Status(ErrorCode::kIoError, "system.stats has no heap_bytes row");
    }
    return rows->at(0).as_array().at(0).to_number<double>();
  }

  Status Idle(Figures* f) {
    Counters c;
    const int64_t rss_before = VmRssBytes(serve_->pid());
    TDB_ASSIGN_OR_RETURN(const double heap_before, ServerHeapBytes());
    const size_t n = options_.subscriptions;
    const size_t sockets = std::min(options_.sockets, n);
    const double server_cpu_before = CpuSeconds(serve_->pid());
    const double client_cpu_before = CpuSeconds(0);
    const double start = NowSeconds();
    const int64_t start_ns = NowNanos();
    {
      SocketPool pool(&c);
      for (size_t s = 0; s < sockets; ++s) {
        std::vector<std::string> subs;
        for (size_t k = s; k < n; k += sockets)
          subs.push_back(SubscribeMessage("i" + std::to_string(k), "idle", int64_t(k)));
        pool.Open(endpoint_, tokens_[s % tokens_.size()], std::move(subs));
      }
      TDB_RETURN_IF_ERROR(WaitFor(
          c, 600, [&] { return c.authenticated.load() == int64_t(sockets); }, "idle: connect"));
      const double connected = NowSeconds() - start;
      std::fprintf(stderr,
                   "bench live: the last of %zu sockets connected after %.2f s, upgraded after "
                   "%.2f s, authenticated after %.2f s\n",
                   sockets, double(c.last_connected.load() - start_ns) / 1e9,
                   double(c.last_upgraded.load() - start_ns) / 1e9,
                   double(c.last_authenticated.load() - start_ns) / 1e9);
      TDB_RETURN_IF_ERROR(WaitFor(
          c, 600, [&] { return c.ready.load() == int64_t(n); }, "idle: subscribe"));
      f->subscribe_all_seconds = NowSeconds() - start;
      f->subscriptions = n;
      std::fprintf(stderr,
                   "bench live: CPU while subscribing: server %.2f s, this benchmark's client "
                   "%.2f s (of %.2f s x %u cores)\n",
                   CpuSeconds(serve_->pid()) - server_cpu_before, CpuSeconds(0) - client_cpu_before,
                   f->subscribe_all_seconds, std::thread::hardware_concurrency());
      std::this_thread::sleep_for(std::chrono::seconds(1));
      const int64_t rss_after = VmRssBytes(serve_->pid());
      f->bytes_per_subscription = double(rss_after - rss_before) / double(n);
      TDB_ASSIGN_OR_RETURN(const double heap_after, ServerHeapBytes());
      f->heap_bytes_per_subscription = (heap_after - heap_before) / double(n);
      std::fprintf(stderr,
                   "bench live: %zu subscriptions over %zu sockets ready in %.2f s (sockets "
                   "connected and authenticated after %.2f s); server VmRSS %.1f MiB -> %.1f "
                   "MiB idle: %.0f bytes per subscription; heap in use %.1f MiB -> %.1f MiB: "
                   "%.0f bytes per subscription\n",
                   n, sockets, f->subscribe_all_seconds, connected, double(rss_before) / 1048576.0,
                   double(rss_after) / 1048576.0, f->bytes_per_subscription,
                   heap_before / 1048576.0, heap_after / 1048576.0, f->heap_bytes_per_subscription);
      if (c.failed.load()) return Status(ErrorCode::kIoError, "idle: " + c.Error());
    }
    return Status::Ok();
  }

  // Sequential INSERTs into `table` for --seconds, write i as user `user(i)` with thread
  // `thread(i)`; every write must be received once.
  Status Latencies(const std::string& table, size_t subscriptions, size_t sockets, Latency* out) {
    Counters c;
    c.check_thread = true;
    sockets = std::min(sockets, subscriptions);
    SocketPool pool(&c);
    for (size_t s = 0; s < sockets; ++s) {
      std::vector<std::string> subs;
      for (size_t k = s; k < subscriptions; k += sockets)
        subs.push_back(SubscribeMessage("t" + std::to_string(k), table, int64_t(k)));
      pool.Open(endpoint_, tokens_[s % tokens_.size()], std::move(subs));
    }
    TDB_RETURN_IF_ERROR(WaitFor(
        c, 600, [&] { return c.ready.load() == int64_t(subscriptions); }, table + ": subscribe"));
    std::mt19937_64 rng(42);
    std::vector<int64_t> inserts;
    std::vector<int64_t> acks;  // acks[id - 1]: when write `id`'s response was read
    int64_t id = 0;
    const std::string sql = "INSERT INTO bench." + table +
                            " (id, thread_id, sent_ns, body) VALUES ($1, $2, $3, 'hello')";
    c.recording.store(true);
    const double start = NowSeconds();
    while (NowSeconds() - start < options_.seconds) {
      const size_t k = size_t(rng() % subscriptions);
      // Subscription k lives on socket k % sockets, whose user is that socket's.
      BenchSqlClient& writer = *users_[(k % sockets) % users_.size()];
      ++id;
      const int64_t sent = NowNanos();
      boost::json::array params{id, int64_t(k), sent};
      TDB_RETURN_IF_ERROR(writer.Sql(sql, boost::json::serialize(params), "bench").status());
      acks.push_back(NowNanos());
      inserts.push_back(acks.back() - sent);
      if (c.failed.load()) return Status(ErrorCode::kIoError, table + ": " + c.Error());
    }
    TDB_RETURN_IF_ERROR(WaitFor(
        c, 10, [&] { return c.changes.load() >= id; }, table + ": every write's notification"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (c.changes.load() != id) {
      return Status(ErrorCode::kInternal, table + ": " + std::to_string(c.changes.load()) +
                                              " notifications for " + std::to_string(id) +
                                              " writes (each must match exactly one)");
    }
    pool.CloseAll();
    std::vector<int64_t> samples;
    std::vector<int64_t> after_ack;  // receive time - the writer's ack time (signed)
    {
      std::lock_guard<std::mutex> lock(c.mu);
      samples = c.latencies;
      for (const auto& [row, at] : c.received) {
        if (row >= 1 && row <= int64_t(acks.size()))
          after_ack.push_back(at - acks[size_t(row - 1)]);
      }
    }
    const size_t before_ack =
        size_t(std::count_if(after_ack.begin(), after_ack.end(), [](int64_t d) { return d < 0; }));
    out->writes = size_t(id);
    out->p50_us = Percentile(samples, 50) / 1000.0;
    out->p99_us = Percentile(samples, 99) / 1000.0;
    out->insert_p50_us = Percentile(inserts, 50) / 1000.0;
    const double insert_p99_us = Percentile(inserts, 99) / 1000.0;
    std::fprintf(stderr,
                 "bench live: %zu subscription(s) over %zu socket(s), %zu writes each matching "
                 "one: write issued -> notification received p50 %.0f us, p99 %.0f us; the "
                 "INSERT's own round trip (a synced commit) p50 %.0f us, p99 %.0f us; "
                 "notification received - INSERT acknowledged p50 %.0f us, p99 %.0f us (%zu "
                 "of %zu arrived before the writer read its acknowledgement)\n",
                 subscriptions, sockets, out->writes, out->p50_us, out->p99_us, out->insert_p50_us,
                 insert_p99_us, Percentile(after_ack, 50) / 1000.0,
                 Percentile(after_ack, 99) / 1000.0, before_ack, after_ack.size());
    return Status::Ok();
  }

  Status Feed(Figures* f) {
    Counters c;
    const size_t n = options_.feed_subscribers;
    const size_t sockets = (n + kFeedPerSocket - 1) / kFeedPerSocket;
    SocketPool pool(&c);
    for (size_t s = 0; s < sockets; ++s) {
      std::vector<std::string> subs;
      for (size_t k = s; k < n; k += sockets)
        subs.push_back(SubscribeMessage("f" + std::to_string(k), "feed", -1));
      pool.Open(endpoint_, tokens_[s % tokens_.size()], std::move(subs));
    }
    TDB_RETURN_IF_ERROR(WaitFor(
        c, 600, [&] { return c.ready.load() == int64_t(n); }, "feed: subscribe"));
    // Rows written but not yet received by the slowest socket stay below `window`, so no
    // socket's queue (about window * 100 changes) reaches [ws] max_queue_messages.
    const int64_t window = 24;
    std::atomic<int64_t> next_id{0};
    std::atomic<int64_t> written{0};
    std::atomic<bool> stop{false};
    std::mutex error_mu;
    Status error;
    std::vector<std::thread> writers;
    for (int w = 0; w < kFeedWriters; ++w) {
      writers.emplace_back([&, w] {
        BenchSqlClient& client = *feed_writers_[size_t(w)];
        while (!stop.load()) {
          if (next_id.load() - pool.SlowestRowsReceived() >= window) {
            std::this_thread::sleep_for(std::chrono::microseconds(50));
            continue;
          }
          const int64_t id = ++next_id;
          boost::json::array params{id, int64_t(w), NowNanos()};
          Status s = client
                         .Sql(
                             "INSERT INTO bench.feed (id, thread_id, sent_ns, body) VALUES ($1, "
                             "$2, $3, 'hello')",
                             boost::json::serialize(params), "bench")
                         .status();
          if (!s.ok()) {
            std::lock_guard<std::mutex> lock(error_mu);
            if (error.ok()) error = std::move(s);
            stop.store(true);
          }
          written.fetch_add(1);
        }
      });
    }
    // A warm-up of a tenth of the phase, then the measured window.
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.seconds / 10));
    const int64_t first = c.changes.load();
    const double start = NowSeconds();
    while (NowSeconds() - start < options_.seconds && !stop.load() && !c.failed.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int64_t delivered = c.changes.load() - first;
    const double elapsed = NowSeconds() - start;
    stop.store(true);
    for (std::thread& t : writers)
      t.join();
    TDB_RETURN_IF_ERROR(error);
    const int64_t rows = written.load();
    TDB_RETURN_IF_ERROR(WaitFor(
        c, 30, [&] { return c.changes.load() >= rows * int64_t(n); }, "feed: every delivery"));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (c.changes.load() != rows * int64_t(n)) {
      return Status(ErrorCode::kInternal, "feed: " + std::to_string(c.changes.load()) +
                                              " notifications for " + std::to_string(rows) +
                                              " rows x " + std::to_string(n) + " subscribers");
    }
    f->notifications_per_s = double(delivered) / elapsed;
    std::fprintf(stderr,
                 "bench live: %zu subscribers of one SHARED table over %zu sockets: %.0f "
                 "notifications/s (%lld rows by %d writers, every delivery counted and "
                 "checked)\n",
                 n, sockets, f->notifications_per_s, static_cast<long long>(rows), kFeedWriters);
    return Status::Ok();
  }

 private:
  static constexpr const char* kColumns =
      " (id BIGINT PRIMARY KEY, thread_id BIGINT, sent_ns BIGINT, body TEXT)";

  const LiveBenchOptions& options_;
  ServeProcess* serve_;
  tcp::endpoint endpoint_;
  std::unique_ptr<BenchSqlClient> root_;
  std::vector<std::unique_ptr<BenchSqlClient>> users_;
  std::vector<std::string> tokens_;
  std::vector<std::unique_ptr<BenchSqlClient>> feed_writers_;
};

std::string RandomPassword() {
  std::random_device rd;
  std::string out;
  const char* hex = "0123456789abcdef";
  for (int i = 0; i < 24; ++i)
    out.push_back(hex[rd() % 16]);
  return out;
}

size_t CeilDiv(size_t a, size_t b) {
  return (a + b - 1) / b;
}

Status RunWorkload(const LiveBenchOptions& options, const std::string& dir, Figures* f) {
  // The server's per-connection and per-user subscription limits are raised only as far
  // as this run needs: per connection, the most any phase puts on one socket (100 with
  // the defaults: the default limit); per user, the sum over the phases (a phase's
  // closed sockets may not yet have released their subscriptions when the next
  // subscribes), 1,201 with the defaults.
  const size_t users = std::max<size_t>(1, options.users);
  size_t per_connection = 100;
  size_t per_user = 0;
  for (auto [subs, sockets] :
       {std::pair{options.subscriptions, options.sockets}, std::pair{size_t(1), size_t(1)},
        std::pair{options.latency_subscriptions, options.latency_sockets},
        std::pair{options.feed_subscribers, size_t(0)}}) {
    sockets = sockets == 0 ? CeilDiv(subs, kFeedPerSocket) : std::min(sockets, subs);
    per_connection = std::max(per_connection, CeilDiv(subs, sockets));
    per_user += CeilDiv(sockets, users) * CeilDiv(subs, sockets);
  }
  per_user = std::max<size_t>(per_user, 1000);
  const std::string config = dir + "/live.toml";
  {
    std::ofstream out(config);
    out << "[logging]\nlevel = \"warn\"\n[ws]\nmax_subscriptions_per_connection = "
        << per_connection << "\nmax_subscriptions_per_user = " << per_user << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + config);
  }
  ServeOptions serve_options;
  serve_options.data_dir = dir + "/data";
  serve_options.root_password = RandomPassword();
  serve_options.log_path = dir + "/serve.log";
  serve_options.extra_args = {"--config", config};
  for (const std::string& a : options.serve_args)
    serve_options.extra_args.push_back(a);
  TDB_ASSIGN_OR_RETURN(std::unique_ptr<ServeProcess> serve, ServeProcess::Start(serve_options));
  std::fprintf(stderr,
               "bench live: tenantdb serve (pid %d) on http://%s:%d, log %s; [ws] "
               "max_subscriptions_per_connection = %zu, max_subscriptions_per_user = %zu\n",
               int(serve->pid()), serve->host().c_str(), serve->port(),
               serve_options.log_path.c_str(), per_connection, per_user);
  {
    LiveWorkload work(options, serve.get());
    TDB_RETURN_IF_ERROR(work.Setup(serve_options.root_password));
    std::fprintf(stderr, "bench live: %zu users logged in; write issued -> received measured\n",
                 users);
    TDB_RETURN_IF_ERROR(work.Idle(f));
    TDB_RETURN_IF_ERROR(work.Latencies("one", 1, 1, &f->one));
    TDB_RETURN_IF_ERROR(
        work.Latencies("chat", options.latency_subscriptions, options.latency_sockets, &f->many));
    TDB_RETURN_IF_ERROR(work.Feed(f));
  }
  const int status = serve->Stop();
  std::fprintf(stderr, "bench live: tenantdb serve stopped (wait status %d)\n", status);
  return Status::Ok();
}

}  // namespace

int RunLiveBench(const LiveBenchOptions& options) {
  Figures f;
  const Status status =
      RunInBenchDirectory("live", options.directory, options.keep,
                          [&](const std::string& dir) { return RunWorkload(options, dir, &f); });
  if (!status.ok()) {
    std::fprintf(stderr, "bench live: %s\n", status.ToString().c_str());
    return 1;
  }
  JsonLine json;
  json.Add("change_latency_us_p50_1", std::round(f.one.p50_us))
      .Add("change_latency_us_p99_1", std::round(f.one.p99_us))
      .Add("change_latency_us_p50_10k", std::round(f.many.p50_us))
      .Add("change_latency_us_p99_10k", std::round(f.many.p99_us))
      .Add("subscriptions", double(f.subscriptions))
      .Add("subscribe_all_seconds", std::round(f.subscribe_all_seconds * 1000) / 1000)
      .Add("bytes_per_subscription", std::round(f.bytes_per_subscription))
      .Add("heap_bytes_per_subscription", std::round(f.heap_bytes_per_subscription))
      .Add("notifications_per_s", std::round(f.notifications_per_s));
  json.Print();
  return 0;
}

void RegisterLiveBench(CLI::App* bench) {
  auto options = std::make_shared<LiveBenchOptions>();
  CLI::App* l =
      bench->add_subcommand("live", "Live queries over WebSocket: latency, scale, fan-out");
  l->add_option("--subscriptions", options->subscriptions,
                "Idle subscriptions opened (subscribe_all_seconds, bytes_per_subscription)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  l->add_option("--sockets", options->sockets, "WebSockets they are spread over")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  l->add_option("--latency-subscriptions", options->latency_subscriptions,
                "Subscriptions of the latency-at-scale phase (each write matches one)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  l->add_option("--latency-sockets", options->latency_sockets, "WebSockets they are spread over")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  l->add_option("--feed-subscribers", options->feed_subscribers,
                "Subscribers of one SHARED table (notifications_per_s), 100 per socket")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  l->add_option("--users", options->users, "Accounts the sockets authenticate as")
      ->check(CLI::Range(1, 10'000))
      ->capture_default_str();
  l->add_option("--seconds", options->seconds, "Seconds per measured phase")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  l->add_option("--serve-arg", options->serve_args,
                "Extra argument for `tenantdb serve` (repeatable)");
  l->add_option("--dir", options->directory,
                "Working directory for the server's data (erased first; default: a temporary "
                "one, removed after)");
  l->add_flag("--keep", options->keep, "Keep the working directory afterwards");
  l->callback([options] { SetExitCode(RunLiveBench(*options)); });
}

}  // namespace tenantdb::cli
