// libFuzzer target: what a client sends the HTTP server (server/http/).
// The input is read three ways:
//   1. as raw bytes off a socket by Beast's request parser, with the server's limits
//      (16 kB of headers, a 64 kB body here); a request that parses is routed
//      (route_table.h) and its body decoded as the SQL API's (sql_request.h) and the
//      login route's (json_body.h);
//   2. as a POST /v1/api/sql body on its own (sql_request.h), so the fuzzer reaches the
//      JSON and parameter decoding without first finding valid HTTP framing;
//   3. as text the server writes back inside JSON (json_text.h): the output must parse
//      as a JSON string whatever the bytes (invalid UTF-8 becomes U+FFFD) and give back
//      the input when it was valid UTF-8.
// Nothing may crash, hang or leak; every decoding error must be invalid_request.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include "server/http/json_body.h"
#include "server/http/json_text.h"
#include "server/http/route_table.h"
#include "server/http/sql_request.h"

namespace {

using namespace tenantdb;
using namespace tenantdb::server::http;

void DecodeSqlBody(std::string_view body) {
  const Result<SqlRequest> request = ParseSqlRequest(body);
  if (!request.ok() && request.status().code() != ErrorCode::kInvalidRequest) std::abort();
  if (request.ok() && request->params.size() > kMaxSqlParams) std::abort();
}

void ParseHttp(std::string_view input) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 << 10);
  parser.body_limit(64 << 10);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t offset = 0;
  while (offset < input.size() && !parser.is_done()) {
    const size_t used =
        parser.put(boost::asio::buffer(input.data() + offset, input.size() - offset), ec);
    offset += used;
    if (ec == bhttp::error::need_more) break;  // the input ends inside the request
    if (ec || used == 0) return;
  }
  ec = {};
  if (!parser.is_done()) {
    if (!parser.got_some()) return;  // put_eof requires a started message
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return;
  }
  const auto& request = parser.get();
  const RouteMatch route = MatchRoute(request.method_string(), request.target());
  if (route.id == RouteId::kSql) DecodeSqlBody(request.body());
  if (route.id == RouteId::kLogin) {
    const Result<JsonBody> body = JsonBody::Parse(request.body(), {"username", "password"}, "{}");
    if (body.ok()) {
      const auto user = body->String("username", true);
      if (!user.ok() && user.status().code() != ErrorCode::kInvalidRequest) std::abort();
    }
  }
}

bool IsValidUtf8(std::string_view text) {
  std::string out;
  AppendJsonString(text, &out);
  // Valid UTF-8 round-trips; AppendJsonString replaced something otherwise.
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(out, ec);
  if (ec || !parsed.is_string()) std::abort();
  return std::string_view(parsed.as_string()) == text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  ParseHttp(input);
  DecodeSqlBody(input);
  const bool valid = IsValidUtf8(input);
  // Plain ASCII without control characters is valid UTF-8 and must round-trip.
  bool ascii = true;
  for (unsigned char c : input)
    ascii = ascii && c < 0x80;
  if (ascii && !valid) std::abort();
  return 0;
}
