#include "server/http/http_error.h"

#include <charconv>

#include "server/http/json_text.h"

namespace tenantdb::server::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kInvalidAuthorization:
    case ErrorCode::kInvalidPassword:
      return 401;
    case ErrorCode::kInsufficientPrivilege:
    case ErrorCode::kReadOnly:
      return 403;
    case ErrorCode::kUndefinedTable:
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kUniqueViolation:
    case ErrorCode::kSerializationFailure:
    case ErrorCode::kDeadlockDetected:
    case ErrorCode::kLockNotAvailable:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kDuplicateTable:
    case ErrorCode::kObjectInUse:
    case ErrorCode::kDependentObjectsStillExist:
      return 409;
    case ErrorCode::kRequestTooLarge:
      return 413;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kInternal:
    case ErrorCode::kIoError:
    case ErrorCode::kCorruption:
    case ErrorCode::kConfigFileError:
      return 500;
    case ErrorCode::kAdminShutdown:
    case ErrorCode::kTooManyConnections:
      return 503;
    case ErrorCode::kDiskFull:
      return 507;
    default:
      // Everything else is about the request itself: its SQL, its values, its shape.
      return 400;
  }
}

std::optional<size_t> ErrorPosition(std::string_view message) {
  constexpr std::string_view kMarker = "at position ";
  const size_t at = message.rfind(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  const char* begin = message.data() + at + kMarker.size();
  const char* end = message.data() + message.size();
  size_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin || value == 0) return std::nullopt;
  return value;
}

std::string ErrorObjectJson(const Status& status, std::optional<size_t> position) {
  std::string out = "{\"code\":";
  AppendJsonString(status.code_name(), &out);
  out += ",\"sqlstate\":";
  AppendJsonString(status.sqlstate(), &out);
  out += ",\"message\":";
  AppendJsonString(status.message(), &out);
  if (position) {
    out += ",\"position\":";
    out += std::to_string(*position);
  }
  out += '}';
  return out;
}

std::string ErrorBodyJson(const Status& status, std::optional<size_t> position) {
  return "{\"status\":\"error\",\"error\":" + ErrorObjectJson(status, position) + "}";
}

}  // namespace tenantdb::server::http
