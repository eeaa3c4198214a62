// A small WebSocket client for the live-query tests (Boost.Beast over a real socket on
// 127.0.0.1). Reads are bounded in time: Next() runs the client's own io_context for at
// most the given time; a read not finished then stays pending for the next call (so a
// test can stop reading — a stalled client — and resume later).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

namespace tenantdb::server::ws::testing {

class WsClient {
 public:
  // Connects to 127.0.0.1:`port` and upgrades `target`; ok() says whether it worked,
  // handshake_status() the HTTP status when the server refused the upgrade.
  WsClient(uint16_t port, const std::string& target = "/v1/ws",
           const std::map<std::string, std::string>& headers = {})
      : ws_(io_) {
    namespace beast = boost::beast;
    boost::system::error_code ec;
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    beast::get_lowest_layer(ws_).connect(endpoint, ec);
    if (ec) return;
    ws_.set_option(beast::websocket::stream_base::decorator(
        [headers](beast::websocket::request_type& request) {
          for (const auto& [name, value] : headers)
            request.set(name, value);
        }));
    ws_.read_message_max(64u << 20);
    beast::websocket::response_type response;
    ws_.handshake(response, "127.0.0.1", target, ec);
    handshake_status_ = response.result_int();
    ok_ = !ec;
  }
  bool ok() const { return ok_; }
  int handshake_status() const { return handshake_status_; }

  bool Send(const std::string& text) {
    boost::system::error_code ec;
    ws_.text(true);
    ws_.write(boost::asio::buffer(text), ec);
    return !ec;
  }
  bool Send(const boost::json::value& message) { return Send(boost::json::serialize(message)); }

  // The next message, or nullopt when `limit` passed or the connection closed (closed()
  // then says so and close_reason() has the server's reason).
  std::optional<boost::json::value> Next(
      std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    if (!pending_ && !closed_) {
      pending_ = true;
      ws_.async_read(buffer_, [this](boost::system::error_code ec, size_t) {
        pending_ = false;
        if (ec) {
          closed_ = true;
          close_reason_ = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
          return;
        }
        messages_.push_back(boost::beast::buffers_to_string(buffer_.data()));
        buffer_.consume(buffer_.size());
      });
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (messages_.empty() && !closed_ && std::chrono::steady_clock::now() < deadline) {
      io_.restart();
      io_.run_one_for(deadline - std::chrono::steady_clock::now());
    }
    if (messages_.empty()) return std::nullopt;
    std::string text = std::move(messages_.front());
    messages_.pop_front();
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec) return boost::json::value(text);  // not JSON: the raw text (tests fail on it)
    return v;
  }

  // The next message whose "type" is not `skip`... or simply the next of `type`: skips
  // others, nullopt on timeout.
  std::optional<boost::json::value> NextOfType(
      const std::string& type, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = Next(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!m.has_value()) return std::nullopt;
      if (m->is_object() && m->as_object().contains("type") && m->at("type").as_string() == type) {
        return m;
      }
    }
    return std::nullopt;
  }

  bool closed() const { return closed_; }
  const std::string& close_reason() const { return close_reason_; }

  void Close() {
    boost::system::error_code ec;
    boost::beast::get_lowest_layer(ws_).socket().shutdown(
        boost::asio::ip::tcp::socket::shutdown_both, ec);
    boost::beast::get_lowest_layer(ws_).close();
    closed_ = true;
    io_.restart();
    io_.poll();
  }

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> messages_;
  bool ok_ = false;
  int handshake_status_ = 0;
  bool pending_ = false;
  bool closed_ = false;
  std::string close_reason_;
};

}  // namespace tenantdb::server::ws::testing
