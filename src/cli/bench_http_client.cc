#include "cli/bench_http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
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

namespace {

// A response parser that keeps the status and the body and no header fields: a load
// generator reads tens of thousands of responses a second, and Beast's own response
// parser allocates a node per field. Keep-alive and framing are basic_parser's.
class BodyOnlyParser final : public http::basic_parser<false> {
 public:
  explicit BodyOnlyParser(std::string* body) : body_(body) { body_->clear(); }
  int status() const { return status_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       beast::error_code&) override {}
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    status_ = code;
  }
  void on_field_impl(http::field, beast::string_view, beast::string_view,
                     beast::error_code&) override {}
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) body_->reserve(static_cast<size_t>(*length));
  }
  size_t on_body_impl(beast::string_view piece, beast::error_code&) override {
    body_->append(piece.data(), piece.size());
    return piece.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  size_t on_chunk_body_impl(std::uint64_t, beast::string_view piece, beast::error_code&) override {
    body_->append(piece.data(), piece.size());
    return piece.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  std::string* body_;
  int status_ = 0;
};

}  // namespace

Result<BenchHttpResponse> BenchHttpClient::Send(bool post, const std::string& target,
                                                const std::string& body,
                                                const std::string& authorization) {
  // The request is written by hand into one reused buffer and sent with one write (HTTP/1.1
  // keeps the connection alive by default).
  request_.clear();
  request_.append(post ? "POST " : "GET ").append(target).append(" HTTP/1.1\r\nHost: ");
  request_.append(host_).append(":").append(std::to_string(port_)).append("\r\n");
  if (!authorization.empty())
    request_.append("Authorization: ").append(authorization).append("\r\n");
  if (post) {
    request_.append("Content-Type: application/json\r\nContent-Length: ")
        .append(std::to_string(body.size()))
        .append("\r\n\r\n")
        .append(body);
  } else {
    request_.append("\r\n");
  }
  // A reused connection may have been closed by the server (idle timeout) since the last
  // response: then the write or the read fails at once and the request goes again, once,
  // on a fresh connection. A fresh connection that fails is an error.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = connected_;
    if (!connected_) TDB_RETURN_IF_ERROR(Connect());
    beast::error_code ec;
    asio::write(socket_, asio::buffer(request_), ec);
    BenchHttpResponse response;
    BodyOnlyParser parser(&response.body);
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
    if (!parser.keep_alive()) {
      socket_.close(ec);
      connected_ = false;
    }
    response.status = parser.status();
    return response;
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
  // A load generator sends the same few statements over and over: their JSON text is kept.
  if (sql != last_sql_ || namespace_id != last_namespace_) {
    last_sql_ = sql;
    last_namespace_ = namespace_id;
    sql_json_ = "{\"sql\":" + boost::json::serialize(boost::json::string(sql));
    namespace_json_ =
        namespace_id.empty()
            ? "}"
            : ",\"namespace_id\":" + boost::json::serialize(boost::json::string(namespace_id)) +
                  "}";
  }
  body_.assign(sql_json_);
  if (!params_json.empty()) body_.append(",\"params\":").append(params_json);
  body_.append(namespace_json_);
  TDB_ASSIGN_OR_RETURN(BenchHttpResponse r, http_.Post("/v1/api/sql", body_, authorization_));
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
