#include "server/http/sql_request.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <cstddef>

#include "server/http/json_body.h"

namespace tenantdb::server::http {

namespace {

constexpr std::string_view kExample = R"({"sql": "SELECT 1", "params": []})";
constexpr size_t kMaxNamespaceLength = 64;

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidRequest, std::move(message));
}

}  // namespace

Result<Value> ParamValue(const boost::json::value& json, size_t index) {
  switch (json.kind()) {
    case boost::json::kind::null:
      return Value::Null(DataType::kText);
    case boost::json::kind::bool_:
      return Value::Boolean(json.get_bool());
    case boost::json::kind::int64:
      return Value::BigInt(json.get_int64());
    case boost::json::kind::uint64:
      return Invalid("params[" + std::to_string(index) +
                     "] = " + std::to_string(json.get_uint64()) +
                     " is beyond BIGINT's range (-2^63 .. 2^63-1)");
    case boost::json::kind::double_:
      return Value::Double(json.get_double());
    case boost::json::kind::string:
      return Value::Text(std::string(json.get_string()));
    case boost::json::kind::array:
    case boost::json::kind::object:
      return Value::Json(boost::json::serialize(json));
  }
  return Invalid("params[" + std::to_string(index) + "] has an unknown kind");
}

namespace {

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || name.size() > kMaxNamespaceLength) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

}  // namespace

Result<SqlRequest> ParseSqlRequest(std::string_view body) {
  // The document lives only while it is copied into the SqlRequest: a usual request's
  // fits this buffer on the stack, a bigger one's arena grows on the heap.
  alignas(std::max_align_t) unsigned char arena[2048];
  boost::json::monotonic_resource memory(arena, sizeof(arena));
  TDB_ASSIGN_OR_RETURN(
      JsonBody json,
      JsonBody::Parse(body, {"sql", "params", "namespace_id", "max_rows"}, kExample, &memory));
  SqlRequest request;
  TDB_ASSIGN_OR_RETURN(std::optional<std::string> sql, json.String("sql", /*required=*/true));
  // Required, so present; the check also keeps GCC's -O3 flow analysis from seeing an
  // uninitialized optional (-Wmaybe-uninitialized).
  if (!sql.has_value()) return Invalid("\"sql\" is required");
  request.sql.swap(*sql);

  if (const boost::json::value* params = json.Find("params")) {
    if (!params->is_array()) {
      return Invalid("\"params\" must be an array, not " + std::string(JsonKindName(*params)));
    }
    const boost::json::array& array = params->as_array();
    if (array.size() > kMaxSqlParams) {
      return Invalid("\"params\" has " + std::to_string(array.size()) + " values; at most " +
                     std::to_string(kMaxSqlParams) + " are allowed");
    }
    request.params.reserve(array.size());
    for (size_t i = 0; i < array.size(); ++i) {
      TDB_ASSIGN_OR_RETURN(Value value, ParamValue(array[i], i));
      request.params.push_back(std::move(value));
    }
  }

  TDB_ASSIGN_OR_RETURN(request.namespace_id, json.String("namespace_id", /*required=*/false));
  if (request.namespace_id && !IsPlainIdentifier(*request.namespace_id)) {
    return Invalid(
        "\"namespace_id\" must be a namespace name: letters, digits and _, not "
        "starting with a digit, at most 64 characters");
  }

  if (const boost::json::value* max_rows = json.Find("max_rows")) {
    if (max_rows->is_int64() && max_rows->get_int64() >= 0) {
      request.max_rows = static_cast<uint64_t>(max_rows->get_int64());
    } else if (max_rows->is_uint64()) {
      request.max_rows = max_rows->get_uint64();
    } else {
      return Invalid("\"max_rows\" must be a whole number >= 0");
    }
  }
  return request;
}

}  // namespace tenantdb::server::http
