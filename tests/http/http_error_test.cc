// HttpStatusFor and the error body (http_error.h): every status code issue 11 lists for
// the SQL API has the error codes documented for it, including those no socket test can
// provoke on purpose (500 internal / io_error / data corruption, 507 disk full); the
// socket tests (http_server_test.cc, http_api_test.mjs) cover the ones a request can.
#include "server/http/http_error.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tenantdb::server::http {
namespace {

TEST(HttpError, EveryDocumentedStatusHasItsCodes) {
  const std::pair<ErrorCode, int> expected[] = {
      {ErrorCode::kSyntaxError, 400},
      {ErrorCode::kUndefinedColumn, 400},
      {ErrorCode::kInvalidRequest, 400},
      {ErrorCode::kQueryCanceled, 400},
      {ErrorCode::kDivisionByZero, 400},
      {ErrorCode::kInvalidAuthorization, 401},
      {ErrorCode::kInvalidPassword, 401},
      {ErrorCode::kInsufficientPrivilege, 403},
      {ErrorCode::kReadOnly, 403},
      {ErrorCode::kUndefinedTable, 404},
      {ErrorCode::kNotFound, 404},
      {ErrorCode::kUniqueViolation, 409},
      {ErrorCode::kSerializationFailure, 409},
      {ErrorCode::kDeadlockDetected, 409},
      {ErrorCode::kLockNotAvailable, 409},
      {ErrorCode::kAlreadyExists, 409},
      {ErrorCode::kObjectInUse, 409},
      {ErrorCode::kDependentObjectsStillExist, 409},
      {ErrorCode::kWrongObjectType, 400},
      {ErrorCode::kRequestTooLarge, 413},
      {ErrorCode::kRateLimited, 429},
      {ErrorCode::kInternal, 500},
      {ErrorCode::kIoError, 500},
      {ErrorCode::kCorruption, 500},
      {ErrorCode::kConfigFileError, 500},
      {ErrorCode::kAdminShutdown, 503},
      {ErrorCode::kTooManyConnections, 503},
      {ErrorCode::kDiskFull, 507},
  };
  for (const auto& [code, status] : expected)
    EXPECT_EQ(HttpStatusFor(code), status) << ErrorCodeName(code);
}

TEST(HttpError, AServerFailureBodyNamesItsCodeAndSqlstate) {
  const Status failure(ErrorCode::kIoError, "disk read failed");
  const boost::json::value body = boost::json::parse(ErrorBodyJson(failure));
  EXPECT_EQ(body.at("status").as_string(), "error");
  EXPECT_EQ(body.at("error").at("code").as_string(), ErrorCodeName(ErrorCode::kIoError));
  EXPECT_EQ(body.at("error").at("sqlstate").as_string(), ErrorCodeSqlState(ErrorCode::kIoError));
  EXPECT_EQ(body.at("error").at("message").as_string(), "disk read failed");
  EXPECT_FALSE(body.at("error").as_object().contains("position"));
  const boost::json::value positioned =
      boost::json::parse(ErrorBodyJson(Status(ErrorCode::kSyntaxError, "x at position 3"), 3));
  EXPECT_EQ(positioned.at("error").at("position").as_int64(), 3);
}

}  // namespace
}  // namespace tenantdb::server::http
