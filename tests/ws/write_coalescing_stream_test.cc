// WriteCoalescingStream (src/server/ws/write_coalescing_stream.h) on real loopback
// sockets against Beast's own WebSocket endpoints: frames it builds (every length form,
// masked on the client end) are read intact, a burst leaves in one socket write, Beast's
// control frames (pong, close) keep their place among the appended data.
#include "server/ws/write_coalescing_stream.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace tenantdb::server::ws {
namespace {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Messages of every frame length form: 7-bit, 16-bit and 64-bit lengths and their edges.
std::vector<std::string> Messages() {
  std::vector<std::string> out;
  for (size_t n : {0, 1, 125, 126, 127, 65535, 65536, 200000}) {
    std::string m(n, '\0');
    for (size_t i = 0; i < n; ++i)
      m[i] = static_cast<char>('a' + (i * 7 + n) % 26);
    out.push_back(std::move(m));
  }
  for (int i = 0; i < 100; ++i)
    out.push_back("{\"type\":\"change\",\"n\":" + std::to_string(i) + "}");
  return out;
}

// A connected pair of loopback sockets: `server` accepted, `client` connected.
struct SocketPair {
  net::io_context server_io, client_io;
  tcp::socket server{server_io}, client{client_io};
  SocketPair() {
    tcp::acceptor acceptor(server_io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
};

TEST(WriteCoalescingStreamTest, AServerBurstLeavesInOneSocketWriteAndBeastReadsEveryFrame) {
  SocketPair pair;
  websocket::stream<WriteCoalescingStream> server(
      WriteCoalescingStream(beast::tcp_stream(std::move(pair.server))));
  const std::vector<std::string> messages = Messages();
  std::promise<uint64_t> burst_writes;
  std::promise<bool> closed;
  auto burst = [&] {
    WriteCoalescingStream& stream = server.next_layer();
    const uint64_t before = stream.socket_writes();
    for (const std::string& m : messages)
      stream.AppendText(m);
    stream.Send();
    // Send() swapped everything appended into one socket write.
    burst_writes.set_value(stream.socket_writes() - before);
    // A ping from the client is answered (Beast's pong) while the burst is sent, and
    // the client's close ends the read.
    auto buffer = std::make_shared<beast::flat_buffer>();
    server.async_read(*buffer, [&, buffer](beast::error_code read_ec, size_t) {
      closed.set_value(read_ec == websocket::error::closed);
    });
    stream.AsyncFlushed([](beast::error_code flush_ec) { EXPECT_FALSE(flush_ec); });
  };
  server.async_accept([&](beast::error_code ec) {
    ASSERT_FALSE(ec) << ec.message();
    // The 101 response may still be in its socket write: the burst starts after it.
    server.next_layer().AsyncFlushed([&](beast::error_code flush_ec) {
      ASSERT_FALSE(flush_ec);
      burst();
    });
  });
  std::thread server_thread([&] { pair.server_io.run(); });

  websocket::stream<tcp::socket> client(std::move(pair.client));
  client.read_message_max(1 << 20);
  client.handshake("127.0.0.1", "/");
  // Beast's pong is written into the same stream while the burst is being sent: the
  // frames after it still read intact, and the close below finds a sound stream.
  client.ping("p");
  for (const std::string& expected : messages) {
    beast::flat_buffer buffer;
    client.read(buffer);
    ASSERT_TRUE(client.got_text());
    ASSERT_EQ(beast::buffers_to_string(buffer.data()), expected);
  }
  EXPECT_EQ(burst_writes.get_future().get(), 1u) << "the burst was not sent in one write";
  client.close(websocket::close_code::normal);
  EXPECT_TRUE(closed.get_future().get());
  server_thread.join();
}

TEST(WriteCoalescingStreamTest, ClientFramesAreMaskedAndBeastsServerReadsThem) {
  SocketPair pair;
  websocket::stream<tcp::socket> server(std::move(pair.server));
  server.read_message_max(1 << 20);
  const std::vector<std::string> messages = Messages();
  std::vector<std::string> received;
  std::thread server_thread([&] {
    server.accept();
    beast::error_code ec;
    while (true) {
      beast::flat_buffer buffer;
      server.read(buffer, ec);  // Beast's server fails an unmasked client frame
      if (ec) break;
      received.push_back(beast::buffers_to_string(buffer.data()));
    }
    EXPECT_EQ(ec, websocket::error::closed) << ec.message();
  });

  websocket::stream<WriteCoalescingStream> client(
      WriteCoalescingStream(beast::tcp_stream(std::move(pair.client)), beast::role_type::client));
  bool done = false;
  client.async_handshake("127.0.0.1", "/", [&](beast::error_code ec) {
    ASSERT_FALSE(ec) << ec.message();
    for (const std::string& m : messages)
      client.next_layer().AppendText(m);
    client.next_layer().Send();
    // Beast's close frame goes after the appended data and teardown sends both.
    client.async_close(websocket::close_code::normal, [&](beast::error_code close_ec) {
      EXPECT_FALSE(close_ec) << close_ec.message();
      done = true;
    });
  });
  pair.client_io.run();
  server_thread.join();
  EXPECT_TRUE(done);
  EXPECT_EQ(received, messages);
}

TEST(WriteCoalescingStreamTest, ASocketErrorFailsLaterWritesAndTheFlush) {
  SocketPair pair;
  WriteCoalescingStream stream(beast::tcp_stream(std::move(pair.server)));
  pair.client.close();
  beast::error_code last;
  int rounds = 0;
  std::function<void()> round = [&] {
    // Until the peer's reset reaches this end, writes may still succeed.
    stream.AppendText(std::string(100000, 'x'));
    stream.Send();
    stream.AsyncFlushed([&](beast::error_code ec) {
      last = ec;
      if (!ec && ++rounds < 100) round();
    });
  };
  round();
  pair.server_io.run();
  EXPECT_TRUE(last) << "writes to a closed peer never failed";
  beast::error_code after;
  stream.AsyncFlushed([&](beast::error_code ec) { after = ec; });
  pair.server_io.restart();
  pair.server_io.run();
  EXPECT_EQ(after, last);
}

}  // namespace
}  // namespace tenantdb::server::ws
