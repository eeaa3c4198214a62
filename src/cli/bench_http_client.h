// A blocking HTTP/1.1 keep-alive client for `tenantdb bench http` (Boost.Beast over one
// Asio TCP socket): one connection, reused for every request while the server keeps it
// open, reopened when the server closed it between requests. Errors are Status values; no
// exception leaves this class. One client per thread; not thread-safe.
//
// BenchSqlClient adds tenantdb's JSON API on top: login once for a token, then
// POST /v1/api/sql with {"sql","params","namespace_id"} and a Bearer token.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>
#include <memory>
#include <optional>
#include <string>

#include "common/status.h"

namespace tenantdb::cli {

struct BenchHttpResponse {
  int status = 0;
  std::string body;
};

class BenchHttpClient {
 public:
  BenchHttpClient(std::string host, int port);
  ~BenchHttpClient();
  BenchHttpClient(const BenchHttpClient&) = delete;
  BenchHttpClient& operator=(const BenchHttpClient&) = delete;

  // POST `body` (application/json) to `target`; `authorization` is the whole header value
  // ("Bearer ...", "Basic ..."), empty for none. A request that fails on a connection the
  // server had already closed is sent once more on a new one.
  Result<BenchHttpResponse> Post(const std::string& target, const std::string& body,
                                 const std::string& authorization);
  Result<BenchHttpResponse> Get(const std::string& target);
  // Connections opened so far (1 for a client whose keep-alive held throughout).
  int connects() const { return connects_; }

 private:
  Result<BenchHttpResponse> Send(bool post, const std::string& target, const std::string& body,
                                 const std::string& authorization);
  Status Connect();

  std::string host_;
  int port_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  std::string request_;  // the request being sent, its memory reused
  bool connected_ = false;
  int connects_ = 0;
};

// tenantdb's SQL API through an BenchHttpClient.
class BenchSqlClient {
 public:
  BenchSqlClient(std::string host, int port)
      : http_(std::move(host), port), json_memory_(std::make_unique<JsonMemory>()) {}

  // POST /v1/api/auth/login; later statements carry the access token.
  Status Login(const std::string& user, const std::string& password);
  // Later statements carry HTTP Basic credentials instead of a token.
  void UseBasic(const std::string& user, const std::string& password);
  // Runs `sql` (params: a JSON array, "" for none); returns the response's JSON when its
  // status is "success", else the error's code, SQLSTATE and message. The value lives in
  // this client's parse memory: it is valid until the next Sql() call (a load generator
  // parses tens of thousands of responses a second, each without a malloc per node).
  Result<boost::json::value> Sql(const std::string& sql, const std::string& params_json = "",
                                 const std::string& namespace_id = "");
  BenchHttpClient& http() { return http_; }
  // The Authorization header value statements carry ("Bearer <token>" after Login).
  const std::string& authorization() const { return authorization_; }

 private:
  BenchHttpClient http_;
  std::string authorization_;
  // The last statement and namespace, their JSON text, and the request body being sent.
  std::string last_sql_, last_namespace_, sql_json_, namespace_json_, body_;
  // Where the last response was parsed: a fixed buffer, then blocks from the heap.
  struct JsonMemory {
    alignas(16) unsigned char bytes[64 << 10];
    std::optional<boost::json::monotonic_resource> resource;
  };
  std::unique_ptr<JsonMemory> json_memory_;
};

// The rows of result `index` of a successful SQL response (nullptr when absent).
const boost::json::array* BenchResultRows(const boost::json::value& response, size_t index = 0);

}  // namespace tenantdb::cli
