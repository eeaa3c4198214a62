#include "cli/bench_http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "server/auth/base64.h"

namespace tenantdb::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

BenchHttpClient::BenchHttpClient(std::string host, int port)
    : host_(std::move(host)), port_(port), socket_(io_) {}

BenchHttpClient::~BenchHttpClient() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

Status BenchHttpClient::Connect() {
  beast::error_code ec;
  socket_.close(ec);
  buffer_.clear();
  const tcp::endpoint endpoint(asio::ip::make_address(host_, ec), static_cast<uint16_t>(port_));
  if (ec) return Status(ErrorCode::kInvalidArgument, "bad address " + host_ + ": " + ec.message());
  socket_.open(endpoint.protocol(), ec);
  if (!ec) socket_.set_option(tcp::no_delay(true), ec);
  if (!ec) socket_.connect(endpoint, ec);
  if (ec) {
    return Status(ErrorCode::kIoError,
                  "connect to " + host_ + ":" + std::to_string(port_) + ": " + ec.message());
  }
  connected_ = true;
  ++connects_;
  return Status::Ok();
}

Result<BenchHttpResponse> BenchHttpClient::Post(const std::string& target, const std::string& body,
                                                const std::string& authorization) {
  return Send(true, target, body, authorization);
}

Result<BenchHttpResponse> BenchHttpClient::Get(const std::string& target) {
  return Send(false, target, "", "");
}

Result<BenchHttpResponse> BenchHttpClient::Send(bool post, const std::string& target,
                                                const std::string& body,
                                                const std::string& authorization) {
  http::request<http::string_body> request(post ? http::verb::post : http::verb::get, target, 11);
  request.set(http::field::host, host_ + ":" + std::to_string(port_));
  request.keep_alive(true);
  if (!authorization.empty()) request.set(http::field::authorization, authorization);
  if (post) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  // A reused connection may have been closed by the server (idle timeout) since the last
  // response: then the write or the read fails at once and the request goes again, once,
  // on a fresh connection. A fresh connection that fails is an error.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connected_;
    if (!connected_) TDB_RETURN_IF_ERROR(Connect());
    beast::error_code ec;
    http::write(socket_, request, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    if (!ec) http::read(socket_, buffer_, parser, ec);
    if (ec) {
      connected_ = false;
      if (reused && (ec == http::error::end_of_stream || ec == asio::error::connection_reset ||
                     ec == asio::error::broken_pipe || ec == asio::error::eof)) {
        continue;
      }
      return Status(ErrorCode::kIoError,
                    std::string(post ? "POST " : "GET ") + target + ": " + ec.message());
    }
    http::response<http::string_body> response = parser.release();
    if (!response.keep_alive()) {
      socket_.close(ec);
      connected_ = false;
    }
    return BenchHttpResponse{static_cast<int>(response.result_int()), std::move(response.body())};
  }
  return Status(ErrorCode::kIoError, "connection closed twice by the server");
}

namespace {

Status ErrorFromResponse(const BenchHttpResponse& response, const std::string& what) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(response.body, ec);
  std::string detail = response.body.substr(0, 300);
  if (!ec && v.is_object()) {
    const boost::json::object& o = v.as_object();
    if (const auto* err = o.if_contains("error"); err != nullptr && err->is_object()) {
      const auto& e = err->as_object();
      auto field = [&e](const char* name) -> std::string {
        const auto* f = e.if_contains(name);
        return f != nullptr && f->is_string() ? std::string(f->as_string()) : "";
      };
      detail = field("code") + " (" + field("sqlstate") + "): " + field("message");
    }
  }
  return Status(ErrorCode::kIoError,
                what + ": HTTP " + std::to_string(response.status) + " " + detail);
}

}  // namespace

Status BenchSqlClient::Login(const std::string& user, const std::string& password) {
  boost::json::object body;
  body["username"] = user;
  body["password"] = password;
  TDB_ASSIGN_OR_RETURN(BenchHttpResponse r,
                       http_.Post("/v1/api/auth/login", boost::json::serialize(body), ""));
  if (r.status != 200) return ErrorFromResponse(r, "login as " + user);
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(r.body, ec);
  const boost::json::value* token =
      !ec && v.is_object() ? v.as_object().if_contains("access_token") : nullptr;
  if (token == nullptr || !token->is_string()) {
    return Status(ErrorCode::kIoError,
                  "login as " + user + ": no access_token in " + r.body.substr(0, 200));
  }
  authorization_ = "Bearer " + std::string(token->as_string());
  return Status::Ok();
}

void BenchSqlClient::UseBasic(const std::string& user, const std::string& password) {
  std::string encoded =
      server::Base64Encode(user + ":" + password, server::Base64Alphabet::kStandard);
  while (encoded.size() % 4 != 0)
    encoded.push_back('=');  // RFC 7617 credentials are padded base64
  authorization_ = "Basic " + encoded;
}

Result<boost::json::value> BenchSqlClient::Sql(const std::string& sql,
                                               const std::string& params_json,
                                               const std::string& namespace_id) {
  std::string body = "{\"sql\":" + boost::json::serialize(boost::json::string(sql));
  if (!params_json.empty()) body += ",\"params\":" + params_json;
  if (!namespace_id.empty()) {
    body += ",\"namespace_id\":" + boost::json::serialize(boost::json::string(namespace_id));
  }
  body += "}";
  TDB_ASSIGN_OR_RETURN(BenchHttpResponse r, http_.Post("/v1/api/sql", body, authorization_));
  if (r.status != 200) return ErrorFromResponse(r, sql.substr(0, 60));
  boost::system::error_code ec;
  json_memory_->resource.reset();  // the previous response's value is gone now
  json_memory_->resource.emplace(json_memory_->bytes, sizeof(json_memory_->bytes));
  boost::json::value v =
      boost::json::parse(r.body, ec, boost::json::storage_ptr(&*json_memory_->resource));
  if (ec || !v.is_object()) {
    return Status(ErrorCode::kIoError, "response is not a JSON object: " + r.body.substr(0, 200));
  }
  const auto* status = v.as_object().if_contains("status");
  if (status == nullptr || !status->is_string() || status->as_string() != "success") {
    return ErrorFromResponse(r, sql.substr(0, 60));
  }
  return v;
}

const boost::json::array* BenchResultRows(const boost::json::value& response, size_t index) {
  if (!response.is_object()) return nullptr;
  const auto* results = response.as_object().if_contains("results");
  if (results == nullptr || !results->is_array() || results->as_array().size() <= index) {
    return nullptr;
  }
  const auto& result = results->as_array()[index];
  const auto* rows = result.is_object() ? result.as_object().if_contains("rows") : nullptr;
  return rows != nullptr && rows->is_array() ? &rows->as_array() : nullptr;
}

}  // namespace tenantdb::cli
