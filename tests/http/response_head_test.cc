// AppendResponseHead: the status line and fields every reply goes out with, in one
// buffer with its body (server/http/response_head.h).
#include "server/http/response_head.h"

#include <gtest/gtest.h>

namespace tenantdb::server::http {
namespace {

std::string Head(const ResponseHeadFields& fields) {
  std::string out;
  AppendResponseHead(fields, &out);
  return out;
}

TEST(ResponseHead, StatusLineFieldsInOrderAndContentLength) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Retry-After", "3"},
                                                              {"Vary", "Origin"}};
  ResponseHeadFields f;
  f.status = 429;
  f.content_type = "application/json";
  f.request_id = "0123456789abcdef";
  f.headers = &headers;
  f.content_length = 42;
  EXPECT_EQ(Head(f),
            "HTTP/1.1 429 Too Many Requests\r\n"
            "Content-Type: application/json\r\n"
            "X-Request-Id: 0123456789abcdef\r\n"
            "Retry-After: 3\r\n"
            "Vary: Origin\r\n"
            "Content-Length: 42\r\n"
            "\r\n");
}

TEST(ResponseHead, ClosingConnectionSaysSo) {
  ResponseHeadFields f;
  f.keep_alive = false;
  f.content_length = 0;
  EXPECT_EQ(Head(f), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, StatusesWithoutABodyHaveNoContentLength) {
  for (int status : {100, 204, 304}) {
    ResponseHeadFields f;
    f.status = status;
    f.content_length = 10;
    EXPECT_EQ(Head(f).find("Content-Length"), std::string::npos) << status;
    EXPECT_FALSE(StatusHasBody(status));
  }
  EXPECT_TRUE(StatusHasBody(200));
  EXPECT_TRUE(StatusHasBody(404));
}

TEST(ResponseHead, AFieldThatWouldSplitTheResponseIsLeftOut) {
  std::vector<std::pair<std::string, std::string>> headers = {
      {"Access-Control-Allow-Origin", "https://a.example\r\nSet-Cookie: x=1"},
      {"X-Bad\nName", "v"},
      {"X-Nul", std::string("a\0b", 3)},
      {"Allow", "GET, OPTIONS"}};
  ResponseHeadFields f;
  f.status = 405;
  f.headers = &headers;
  const std::string head = Head(f);
  EXPECT_EQ(head.find("Set-Cookie"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Bad"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Nul"), std::string::npos) << head;
  EXPECT_NE(head.find("Allow: GET, OPTIONS\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.rfind("\r\n\r\n"), head.size() - 4);
}

}  // namespace
}  // namespace tenantdb::server::http
