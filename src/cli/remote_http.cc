#include "cli/remote_http.h"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <exception>
#include <mutex>

namespace tenantdb::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  HttpUrl out;
  out.text = std::string(url);
  constexpr std::string_view kHttp = "http://";
  if (url.substr(0, 8) == "https://") {
    return Status(ErrorCode::kFeatureNotSupported,
                  "the shell speaks plain HTTP; connect to http://... (put a TLS proxy in front "
                  "of the server for remote use)");
  }
  if (url.substr(0, kHttp.size()) != kHttp) {
    return Status(ErrorCode::kInvalidArgument,
                  "--url must look like http://host:port, got '" + std::string(url) + "'");
  }
  std::string_view rest = url.substr(kHttp.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && path.back() == '/')
      path.remove_suffix(1);
    out.base_path = std::string(path);
  }
  std::string_view host = authority;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return Status(ErrorCode::kInvalidArgument, "unclosed '[' in --url '" + out.text + "'");
    }
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Status(ErrorCode::kInvalidArgument, "unexpected text after ']' in --url");
      }
      out.port = std::string(after.substr(1));
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    out.port = std::string(authority.substr(colon + 1));
  }
  if (host.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no host in --url '" + out.text + "'");
  }
  if (out.port.empty() || out.port.size() > 5 ||
      out.port.find_first_not_of("0123456789") != std::string::npos || std::stoi(out.port) == 0 ||
      std::stoi(out.port) > 65535) {
    return Status(ErrorCode::kInvalidArgument, "bad port in --url '" + out.text + "'");
  }
  out.host = std::string(host);
  return out;
}

struct HttpClient::State {
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  // Shared with Cancel(): the descriptor of the request in progress (-1: none).
  std::mutex mu;
  int in_flight_fd = -1;
  bool canceled = false;

  void Close() {
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    buffer.clear();
  }
};

HttpClient::HttpClient(HttpUrl url, size_t max_body_bytes)
    : url_(std::move(url)), max_body_bytes_(max_body_bytes), state_(std::make_unique<State>()) {}

HttpClient::~HttpClient() {
  state_->Close();
}

void HttpClient::Cancel() {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->in_flight_fd < 0 || state_->canceled) return;
  state_->canceled = true;
  // Wakes the blocked read or write on the shell's thread (shutdown(2) is safe from
  // another thread; the descriptor stays open until that thread closes it).
  ::shutdown(state_->in_flight_fd, SHUT_RDWR);
}

Result<HttpResponse> HttpClient::PostJson(std::string_view target, const std::string& json,
                                          const std::string& bearer) {
  const std::string path = url_.base_path + std::string(target);
  try {
    bool retry = false;
    Result<HttpResponse> response = Attempt(path, json, bearer, &retry);
    if (retry) response = Attempt(path, json, bearer, &retry);
    return response;
  } catch (const std::exception& e) {
    // Beast reports through error codes; this is allocation failure or a header value it
    // refuses.
    state_->Close();
    return Status(ErrorCode::kIoError, "HTTP request to " + url_.text + " failed: " + e.what());
  }
}

Result<HttpResponse> HttpClient::Attempt(const std::string& target, const std::string& json,
                                         const std::string& bearer, bool* retry) {
  State& s = *state_;
  const bool reused = s.socket.is_open();
  *retry = false;
  beast::error_code ec;
  if (!reused) {
    tcp::resolver resolver(s.io);
    auto endpoints = resolver.resolve(url_.host, url_.port, ec);
    if (!ec) asio::connect(s.socket, endpoints, ec);
    if (ec) {
      s.Close();
      return Status(ErrorCode::kIoError, "cannot connect to " + url_.text + ": " + ec.message());
    }
    s.socket.set_option(tcp::no_delay(true), ec);
  }

  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, url_.host + ":" + url_.port);
  request.set(http::field::user_agent, "tenantdb-shell");
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/json");
  if (!bearer.empty()) request.set(http::field::authorization, "Bearer " + bearer);
  request.keep_alive(true);
  request.body() = json;
  request.prepare_payload();

  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.in_flight_fd = s.socket.native_handle();
    s.canceled = false;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes_);
  http::write(s.socket, request, ec);
  if (!ec) http::read(s.socket, s.buffer, parser, ec);
  bool canceled = false;
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.in_flight_fd = -1;
    canceled = s.canceled;
  }
  if (canceled) {
    s.Close();
    return Status(ErrorCode::kQueryCanceled, "canceling statement due to user request");
  }
  if (ec == http::error::body_limit) {
    s.Close();
    return Status(ErrorCode::kOutOfMemory, "the result is larger than the " +
                                               std::to_string(max_body_bytes_ >> 20) +
                                               "MB the shell holds to print it; add a LIMIT");
  }
  if (ec) {
    s.Close();
    // A kept-alive connection the server closed while idle: nothing was processed.
    if (reused && !parser.got_some() &&
        (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::eof)) {
      *retry = true;
      return Status(ErrorCode::kIoError, "connection closed by the server");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      return Status(ErrorCode::kIoError,
                    "the server at " + url_.text + " closed the connection: " + ec.message());
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
      return Status(ErrorCode::kInvalidRequest,
                    "the answer from " + url_.text + " is not HTTP: " + ec.message());
    }
    return Status(ErrorCode::kIoError, "HTTP request to " + url_.text + " failed: " + ec.message());
  }
  http::response<http::string_body> response = parser.release();
  if (!response.keep_alive()) s.Close();
  return HttpResponse{static_cast<int>(response.result_int()), std::move(response.body())};
}

}  // namespace tenantdb::cli
