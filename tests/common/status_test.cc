#include "common/status.h"

#include <gtest/gtest.h>

namespace tenantdb {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status(ErrorCode::kInvalidArgument, std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  TDB_ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

TEST(Status, OkHasNoMessageAndCodeOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_EQ(s.sqlstate(), "00000");
}

TEST(Status, ErrorCarriesStableCodeSqlStateAndMessage) {
  Status s(ErrorCode::kInvalidIdentifier, "bad name");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code_name(), "invalid_identifier");
  EXPECT_EQ(s.sqlstate(), "42602");
  EXPECT_EQ(s.ToString(), "invalid_identifier: bad name");
  Status copy = s;
  EXPECT_EQ(copy.ToString(), s.ToString());
}

TEST(Status, EveryCodeHasANameAndFiveCharacterSqlState) {
  for (int c = 0; c <= static_cast<int>(ErrorCode::kCharacterNotInRepertoire); ++c) {
    auto code = static_cast<ErrorCode>(c);
    EXPECT_FALSE(ErrorCodeName(code).empty());
    EXPECT_EQ(ErrorCodeSqlState(code).size(), 5u);
  }
}

TEST(Result, PropagatesErrorsThroughAssignOrReturn) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "3 is odd");
}

}  // namespace
}  // namespace tenantdb
