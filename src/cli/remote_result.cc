#include "cli/remote_result.h"

#include <boost/json.hpp>
#include <optional>

#include "server/auth/base64.h"
#include "sql/function/text_input.h"
#include "tenantdb/array.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb::cli {

namespace json = boost::json;

namespace {

Status BadShape(std::string_view what) {
  return Status(ErrorCode::kInvalidRequest,
                "the server's answer is not what this shell understands: " + std::string(what));
}

const json::object* ObjectAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

std::string StringAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->get_string());
}

std::optional<json::value> ParseJson(std::string_view body) {
  json::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec) return std::nullopt;
  return v;
}

std::string HttpStatusText(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 401:
      return "not authenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not found (is this a tenantdb server?)";
    case 413:
      return "request too large";
    case 429:
      return "rate limited";
    case 503:
      return "the server is shutting down or not ready";
    default:
      return "HTTP status " + std::to_string(status);
  }
}

ErrorCode CodeForHttpStatus(int status) {
  switch (status) {
    case 401:
      return ErrorCode::kInvalidAuthorization;
    case 403:
      return ErrorCode::kInsufficientPrivilege;
    case 413:
      return ErrorCode::kRequestTooLarge;
    case 429:
      return ErrorCode::kRateLimited;
    case 503:
      return ErrorCode::kAdminShutdown;
    default:
      return status >= 500 ? ErrorCode::kInternal : ErrorCode::kInvalidRequest;
  }
}

Status ErrorFromObject(int http_status, const json::object& error) {
  const std::string name = StringAt(error, "code");
  const std::string sqlstate = StringAt(error, "sqlstate");
  std::string message = StringAt(error, "message");
  if (message.empty()) message = HttpStatusText(http_status);
  std::optional<ErrorCode> code = ErrorCodeNamed(name, sqlstate);
  if (!code) {
    code = name.empty() ? CodeForHttpStatus(http_status) : ErrorCode::kInternal;
    if (!name.empty()) message += " (server error code " + name + ", SQLSTATE " + sqlstate + ")";
  }
  // FormatError draws the caret from "at position N" in the message.
  if (const json::value* p = error.if_contains("position"); p != nullptr && p->is_number()) {
    json::error_code ec;
    const auto position = p->to_number<int64_t>(ec);
    if (!ec && position > 0 && message.find("at position") == std::string::npos) {
      message += " at position " + std::to_string(position);
    }
  }
  return Status(*code, std::move(message));
}

// One cell as a value of `type`; nullopt when it does not convert.
std::optional<Value> CellValue(const json::value& cell, DataType type) {
  if (cell.is_null()) return Value::Null(type);
  if (type == DataType::kJson) return Value::Json(json::serialize(cell));
  if (IsArray(type)) {  // a JSON array of the elements (server/http/json_text.h)
    const json::array* items = cell.if_array();
    if (items == nullptr) return std::nullopt;
    std::vector<Value> elements;
    elements.reserve(items->size());
    for (const json::value& item : *items) {
      std::optional<Value> e = CellValue(item, ElementType(type));
      if (!e) return std::nullopt;
      elements.push_back(std::move(*e));
    }
    return MakeArrayValue(ElementType(type), elements);
  }
  if (cell.is_bool()) {
    if (type != DataType::kBoolean) return std::nullopt;
    return Value::Boolean(cell.get_bool());
  }
  if (cell.is_number()) {
    // Through the text input, which range-checks each integer type.
    std::string text = json::serialize(cell);
    if (type == DataType::kText) return Value::Text(std::move(text));
    auto v = sql::ParseTextAs(text, type);
    return v.ok() ? std::optional<Value>(std::move(*v)) : std::nullopt;
  }
  if (cell.is_string()) {
    std::string text(cell.get_string());
    if (type == DataType::kText) return Value::Text(std::move(text));
    if (type == DataType::kBytea) {
      while (!text.empty() && text.back() == '=')
        text.pop_back();
      auto bytes = server::Base64Decode(text, server::Base64Alphabet::kStandard);
      if (!bytes) return std::nullopt;
      return Value::Bytea(std::move(*bytes));
    }
    auto v = sql::ParseTextAs(text, type);
    return v.ok() ? std::optional<Value>(std::move(*v)) : std::nullopt;
  }
  return std::nullopt;  // an array or object outside a JSON column
}

// A cell as the text the server wrote, for a column shown as TEXT.
Value CellText(const json::value& cell) {
  if (cell.is_null()) return Value::Null(DataType::kText);
  if (cell.is_string()) return Value::Text(std::string(cell.get_string()));
  return Value::Text(json::serialize(cell));
}

Result<sql::QueryResult> ResultFromObject(const json::object& r) {
  sql::QueryResult result;
  result.command_tag = StringAt(r, "message");
  const json::value* schema = r.if_contains("schema");
  const json::value* rows = r.if_contains("rows");
  const bool has_schema = schema != nullptr && schema->is_array() && !schema->get_array().empty();
  if (!has_schema) {
    if (const json::value* n = r.if_contains("row_count"); n != nullptr && n->is_number()) {
      json::error_code ec;
      result.rows_affected = n->to_number<uint64_t>(ec);
    }
    return result;
  }
  std::vector<Field> fields;
  std::vector<DataType> types;
  for (const json::value& c : schema->get_array()) {
    const json::object* column = c.if_object();
    if (column == nullptr) return BadShape("a schema entry is not an object");
    const std::string type_name = StringAt(*column, "data_type");
    // A type this client does not know is shown as the text the server sends.
    const DataType type = ParseDataType(type_name).value_or(DataType::kText);
    fields.push_back(Field{StringAt(*column, "name"), type, true, false, ""});
    types.push_back(type);
  }
  if (rows != nullptr && !rows->is_array()) return BadShape("\"rows\" is not an array");
  const json::array empty;
  const json::array& row_list = rows != nullptr ? rows->get_array() : empty;
  // Convert column by column: a column with a cell that does not convert becomes TEXT.
  std::vector<std::vector<Value>> columns(types.size());
  for (size_t c = 0; c < types.size(); ++c) {
    columns[c].reserve(row_list.size());
    bool as_text = false;
    for (const json::value& row : row_list) {
      const json::array* cells = row.if_array();
      if (cells == nullptr || cells->size() != types.size()) {
        return BadShape("a row does not have one cell per column");
      }
      std::optional<Value> v = CellValue((*cells)[c], types[c]);
      if (!v) {
        as_text = true;
        break;
      }
      columns[c].push_back(std::move(*v));
    }
    if (as_text) {
      types[c] = DataType::kText;
      fields[c].type = DataType::kText;
      columns[c].clear();
      for (const json::value& row : row_list)
        columns[c].push_back(CellText(row.get_array()[c]));
    }
  }
  result.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
  Batch batch(result.schema);
  for (size_t c = 0; c < columns.size(); ++c) {
    ColumnVector& column = batch.mutable_column(c);
    column.Reserve(columns[c].size());
    for (const Value& v : columns[c])
      column.Append(v);
  }
  result.rows_affected = row_list.size();
  if (result.command_tag.empty()) result.command_tag = "SELECT " + std::to_string(row_list.size());
  if (!row_list.empty()) result.batches.push_back(std::move(batch));
  return result;
}

}  // namespace

std::optional<ErrorCode> ErrorCodeNamed(std::string_view name, std::string_view sqlstate) {
  // Every code this client knows: kOk .. kLastErrorCode (codes are only ever appended,
  // so a newer server's extra codes fall back to the SQLSTATE below).
  constexpr int kLast = static_cast<int>(kLastErrorCode);
  for (int i = 1; i <= kLast; ++i)
    if (ErrorCodeName(static_cast<ErrorCode>(i)) == name) return static_cast<ErrorCode>(i);
  for (int i = 1; i <= kLast; ++i)
    if (!sqlstate.empty() && ErrorCodeSqlState(static_cast<ErrorCode>(i)) == sqlstate)
      return static_cast<ErrorCode>(i);
  return std::nullopt;
}

std::string SqlRequestJson(std::string_view sql, std::string_view namespace_id) {
  json::object o;
  o["sql"] = sql;
  if (!namespace_id.empty()) o["namespace_id"] = namespace_id;
  return json::serialize(o);
}

std::string LoginRequestJson(std::string_view user, std::string_view password) {
  json::object o;
  o["username"] = user;
  o["password"] = password;
  return json::serialize(o);
}

Status ErrorFromResponse(int http_status, std::string_view body) {
  std::optional<json::value> v = ParseJson(body);
  if (v && v->is_object()) {
    if (const json::object* error = ObjectAt(v->get_object(), "error")) {
      return ErrorFromObject(http_status, *error);
    }
  }
  return Status(
      CodeForHttpStatus(http_status),
      "the server answered " + std::to_string(http_status) + ": " + HttpStatusText(http_status));
}

Result<SqlAnswer> ParseSqlAnswer(int http_status, std::string_view body) {
  std::optional<json::value> v = ParseJson(body);
  if (!v || !v->is_object()) {
    if (http_status >= 300) return SqlAnswer{{}, ErrorFromResponse(http_status, body)};
    return BadShape("not a JSON object");
  }
  const json::object& o = v->get_object();
  const std::string status = StringAt(o, "status");
  SqlAnswer answer;
  const json::value* results = o.if_contains("results");
  if (status == "error" || http_status >= 300) {
    answer.error = ErrorFromResponse(http_status, body);
    // An error answer lists the results of the statements that completed before it (and
    // the one it stopped, cut off: no "message"), when there are some.
    if (results == nullptr || !results->is_array()) return answer;
  } else if (status != "success") {
    return BadShape("\"status\" is neither success nor error");
  } else if (results == nullptr || !results->is_array()) {
    return BadShape("no \"results\" array");
  }
  for (const json::value& r : results->get_array()) {
    if (!r.is_object()) return BadShape("a result is not an object");
    if (!answer.error.ok() && !r.get_object().contains("message")) break;  // the failed one
    TDB_ASSIGN_OR_RETURN(sql::QueryResult one, ResultFromObject(r.get_object()));
    answer.results.push_back(std::move(one));
  }
  return answer;
}

Result<std::vector<sql::QueryResult>> ParseSqlResponse(int http_status, std::string_view body) {
  std::optional<json::value> v = ParseJson(body);
  if (!v || !v->is_object()) {
    if (http_status >= 300) return ErrorFromResponse(http_status, body);
    return BadShape("not a JSON object");
  }
  const json::object& o = v->get_object();
  const std::string status = StringAt(o, "status");
  if (status == "error" || http_status >= 300) return ErrorFromResponse(http_status, body);
  if (status != "success") return BadShape("\"status\" is neither success nor error");
  const json::value* results = o.if_contains("results");
  if (results == nullptr || !results->is_array()) return BadShape("no \"results\" array");
  std::vector<sql::QueryResult> out;
  for (const json::value& r : results->get_array()) {
    if (!r.is_object()) return BadShape("a result is not an object");
    TDB_ASSIGN_OR_RETURN(sql::QueryResult one, ResultFromObject(r.get_object()));
    out.push_back(std::move(one));
  }
  return out;
}

Result<LoginAnswer> ParseLoginResponse(int http_status, std::string_view body) {
  if (http_status != 200) return ErrorFromResponse(http_status, body);
  std::optional<json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return BadShape("the login answer is not a JSON object");
  const json::object& o = v->get_object();
  LoginAnswer answer;
  answer.access_token = StringAt(o, "access_token");
  if (answer.access_token.empty()) return BadShape("the login answer has no access_token");
  if (const json::object* user = ObjectAt(o, "user")) {
    answer.user = StringAt(*user, "id");
    answer.role = StringAt(*user, "role");
  }
  return answer;
}

}  // namespace tenantdb::cli
