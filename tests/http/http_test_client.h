// A small blocking HTTP/1.1 client for the server tests (Boost.Beast over a real socket
// on 127.0.0.1): one keep-alive connection, requests sent and responses read whole (a
// chunked response is reassembled; `chunked` says it was one).
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/auth/base64.h"

namespace tenantdb::server::http::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool chunked = false;
  std::string error;  // non-empty when the exchange failed (connection closed, ...)
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

inline std::string BasicAuth(std::string_view user, std::string_view password) {
  std::string text =
      Base64Encode(std::string(user) + ":" + std::string(password), Base64Alphabet::kStandard);
  while (text.size() % 4 != 0)
    text.push_back('=');
  return "Basic " + text;
}

class TestClient {
 public:
  explicit TestClient(uint16_t port) : socket_(io_) {
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    boost::system::error_code ec;
    socket_.connect(endpoint, ec);
    connected_ = !ec;
  }
  bool connected() const { return connected_; }
  boost::asio::ip::tcp::socket& socket() { return socket_; }

  // Sends a request without reading the response.
  bool Send(std::string_view method, std::string_view target, std::string_view body = {},
            std::string_view authorization = {},
            const std::map<std::string, std::string>& extra = {}) {
    namespace bhttp = boost::beast::http;
    bhttp::request<bhttp::string_body> request(bhttp::string_to_verb(method), target, 11);
    request.set(bhttp::field::host, "127.0.0.1");
    if (!authorization.empty()) request.set(bhttp::field::authorization, authorization);
    for (const auto& [name, value] : extra)
      request.set(name, value);
    if (!body.empty() || method == "POST") {
      request.set(bhttp::field::content_type, "application/json");
      request.body() = std::string(body);
      request.prepare_payload();
    }
    boost::system::error_code ec;
    bhttp::write(socket_, request, ec);
    return !ec;
  }

  // `head`: the response answers a HEAD request, so no body follows its headers
  // whatever Content-Length says.
  HttpResult Read(bool head = false) {
    namespace bhttp = boost::beast::http;
    HttpResult result;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(1ull << 32);
    parser.skip(head);
    boost::system::error_code ec;
    bhttp::read(socket_, buffer_, parser, ec);
    if (ec) {
      result.error = ec.message();
      return result;
    }
    auto& response = parser.get();
    result.status = response.result_int();
    result.body = response.body();
    result.chunked = response.chunked();
    for (const auto& field : response) {
      std::string name(field.name_string());
      for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      result.headers[name] = std::string(field.value());
    }
    return result;
  }

  HttpResult Request(std::string_view method, std::string_view target, std::string_view body = {},
                     std::string_view authorization = {},
                     const std::map<std::string, std::string>& extra = {}) {
    if (!Send(method, target, body, authorization, extra)) {
      HttpResult failed;
      failed.error = "send failed";
      return failed;
    }
    return Read(method == "HEAD");
  }

  // Writes raw bytes (malformed requests).
  bool WriteRaw(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
    return !ec;
  }

  // Waits up to `limit` for the server to close the connection: true when it did (end of
  // stream or reset), false when the limit passed or bytes arrived instead.
  bool WaitForClose(std::chrono::milliseconds limit) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(limit.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((limit.count() % 1000) * 1000);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char byte;
    const ssize_t n = ::recv(socket_.native_handle(), &byte, 1, 0);
    const bool closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    tv = timeval{};  // blocking reads again, without a limit
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return closed;
  }

  void Close() {
    boost::system::error_code ec;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

}  // namespace tenantdb::server::http::testing
