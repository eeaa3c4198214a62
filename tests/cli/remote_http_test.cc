// HttpClient (remote_http.h) over real loopback sockets against a scripted peer: Ctrl-C's
// Cancel() interrupts a request whose answer never comes, an oversized body fails with
// out_of_memory instead of growing without bound, and a kept-alive connection the peer
// closed while idle is replaced transparently. The client against `tenantdb serve`
// itself is remote_shell_test.sh.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "cli/remote_http.h"

namespace tenantdb::cli {
namespace {

// A loopback listener on an ephemeral port; each accepted connection is handed to
// `serve` on the peer's thread, one after another.
class Peer {
 public:
  explicit Peer(std::function<void(int fd)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(listener_, 8), 0);
    socklen_t len = sizeof(addr);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      while (true) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;  // the listener was shut down
        accepted_.fetch_add(1);
        serve_(fd);
        ::close(fd);
      }
    });
  }
  ~Peer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  HttpUrl url() const {
    auto u = ParseHttpUrl("http://127.0.0.1:" + std::to_string(port_));
    return *u;
  }
  int accepted() const { return accepted_.load(); }

 private:
  std::function<void(int)> serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// Reads one request's head and its Content-Length body from `fd`; false at EOF.
bool ReadRequest(int fd) {
  std::string data;
  char buffer[4096];
  while (true) {
    const size_t head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t length = 0;
      const size_t cl = data.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end) length = std::stoul(data.substr(cl + 16));
      if (data.size() >= head_end + 4 + length) return true;
    }
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n <= 0) return false;
    data.append(buffer, static_cast<size_t>(n));
  }
}

void Send(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string Response(const std::string& body) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(HttpClient, CancelInterruptsARequestWhoseAnswerNeverComes) {
  std::atomic<bool> peer_saw_close{false};
  Peer peer([&](int fd) {
    if (!ReadRequest(fd)) return;
    // Never answer; wait for the client to go away (bounded).
    char byte;
    for (int i = 0; i < 100; ++i) {
      timeval tv{0, 100'000};
      ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      if (::recv(fd, &byte, 1, 0) == 0) {
        peer_saw_close = true;
        return;
      }
    }
  });
  HttpClient client(peer.url(), 1 << 20);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    client.Cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = client.PostJson("/v1/api/sql", R"({"sql":"SELECT 1"})", "token");
  const auto waited = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kQueryCanceled);
  EXPECT_LT(waited, std::chrono::seconds(5));
  // The peer (a server) sees the connection end: that is what cancels its statement.
  for (int i = 0; i < 100 && !peer_saw_close; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(peer_saw_close);
  // A Cancel() with nothing in flight does not poison the next request.
  client.Cancel();
}

TEST(HttpClient, ABodyOverTheLimitFailsCleanly) {
  Peer peer([](int fd) {
    if (ReadRequest(fd)) Send(fd, Response(std::string(64 << 10, 'x')));
  });
  HttpClient client(peer.url(), 4 << 10);
  auto r = client.PostJson("/v1/api/sql", "{}", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kOutOfMemory);
}

TEST(HttpClient, KeepsTheConnectionAndReplacesOneThePeerClosed) {
  Peer peer([](int fd) {
    // Answers two requests on a connection, then closes it while the client is idle.
    for (int i = 0; i < 2; ++i) {
      if (!ReadRequest(fd)) return;
      Send(fd, Response("{\"n\":" + std::to_string(i) + "}"));
    }
  });
  HttpClient client(peer.url(), 1 << 20);
  for (int i = 0; i < 4; ++i) {
    auto r = client.PostJson("/x", "{}", "");
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "{\"n\":" + std::to_string(i % 2) + "}");
    if (i == 1) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // peer closes
  }
  EXPECT_EQ(peer.accepted(), 2);
}

TEST(HttpClient, NotHttpIsAClearError) {
  Peer peer([](int fd) {
    if (ReadRequest(fd)) Send(fd, "SSH-2.0-OpenSSH_9.2\r\n");
  });
  HttpClient client(peer.url(), 1 << 20);
  auto r = client.PostJson("/v1/api/sql", "{}", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().code(), ErrorCode::kOk);
  EXPECT_NE(std::string(r.status().message()).find(peer.url().text), std::string::npos)
      << r.status().ToString();
}

}  // namespace
}  // namespace tenantdb::cli
