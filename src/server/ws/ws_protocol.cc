#include "server/ws/ws_protocol.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "server/http/json_text.h"
#include "server/http/sql_request.h"

namespace tenantdb::server::ws {

namespace {

using http::AppendJsonString;
using http::AppendJsonValue;

DecodeError Invalid(std::string message, std::string subscription_id = "") {
  return DecodeError{"invalid_message", std::move(message), std::move(subscription_id)};
}

// A string field: nullopt when absent; an error text when of another kind.
std::optional<std::string> StringField(const boost::json::object& object, std::string_view name,
                                       std::string* error) {
  const boost::json::value* v = object.if_contains(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    *error = "\"" + std::string(name) + "\" must be a string";
    return std::nullopt;
  }
  return std::string(v->get_string());
}

// A non-negative integer option; error text when of another kind.
std::optional<uint64_t> CountField(const boost::json::object& object, std::string_view name,
                                   std::string* error) {
  const boost::json::value* v = object.if_contains(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
  if (v->is_string()) {
    // A sequence number beyond 2^53 comes back as a string (json_text.h); take it so.
    const std::string_view s = v->get_string();
    uint64_t n = 0;
    bool ok = !s.empty() && s.size() <= 20;
    for (char c : s) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      const uint64_t digit = static_cast<uint64_t>(c - '0');
      if (n > (UINT64_MAX - digit) / 10) {
        ok = false;
        break;
      }
      n = n * 10 + digit;
    }
    if (ok) return n;
  }
  *error = "\"" + std::string(name) + "\" must be a non-negative integer";
  return std::nullopt;
}

std::variant<ClientMessage, DecodeError> DecodeSubscribe(const boost::json::object& object) {
  const boost::json::value* sub = object.if_contains("subscription");
  if (sub == nullptr || !sub->is_object()) {
    return Invalid(
        "subscribe needs \"subscription\": {\"id\": \"s1\", \"sql\": \"SELECT ...\", "
        "\"params\": [], \"options\": {}}");
  }
  const boost::json::object& s = sub->get_object();
  ClientMessage m;
  m.type = ClientType::kSubscribe;
  std::string error;
  std::optional<std::string> id = StringField(s, "id", &error);
  if (!error.empty() || !id.has_value() || id->empty()) {
    return Invalid("subscription.id must be a non-empty string");
  }
  if (id->size() > kMaxSubscriptionIdBytes) {
    return Invalid("subscription.id is longer than " + std::to_string(kMaxSubscriptionIdBytes) +
                   " bytes");
  }
  m.subscription_id = std::move(*id);
  std::optional<std::string> sql = StringField(s, "sql", &error);
  if (!error.empty() || !sql.has_value()) {
    return Invalid("subscription.sql must be a string", m.subscription_id);
  }
  m.sql = std::move(*sql);
  if (const boost::json::value* params = s.if_contains("params");
      params != nullptr && !params->is_null()) {
    if (!params->is_array())
      return Invalid("subscription.params must be an array", m.subscription_id);
    const boost::json::array& array = params->get_array();
    if (array.size() > http::kMaxSqlParams) {
      return Invalid(
          "subscription.params has more than " + std::to_string(http::kMaxSqlParams) + " values",
          m.subscription_id);
    }
    for (size_t i = 0; i < array.size(); ++i) {
      Result<Value> value = http::ParamValue(array[i], i);
      if (!value.ok()) return Invalid(std::string(value.status().message()), m.subscription_id);
      m.params.push_back(std::move(value).value());
    }
  }
  if (const boost::json::value* options = s.if_contains("options");
      options != nullptr && !options->is_null()) {
    if (!options->is_object()) {
      return Invalid("subscription.options must be an object", m.subscription_id);
    }
    const boost::json::object& o = options->get_object();
    m.options.batch_size = CountField(o, "batch_size", &error);
    m.options.last_rows = CountField(o, "last_rows", &error);
    m.options.from = CountField(o, "from", &error);
    if (!error.empty()) return Invalid("subscription.options." + error, m.subscription_id);
  }
  return m;
}

void AppendRow(const std::vector<Value>& row, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonValue(row[i], out);
  }
  out->push_back(']');
}

void AppendTypeAndId(std::string_view type, std::string_view id, std::string* out) {
  *out += "{\"type\":";
  AppendJsonString(type, out);
  *out += ",\"subscription_id\":";
  AppendJsonString(id, out);
}

}  // namespace

std::variant<ClientMessage, DecodeError> DecodeClientMessage(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(text, ec);
  if (ec) return Invalid("the message is not JSON: " + ec.message());
  if (!json.is_object()) return Invalid("a message is a JSON object with a \"type\"");
  const boost::json::object& object = json.get_object();
  std::string error;
  std::optional<std::string> type = StringField(object, "type", &error);
  if (!type.has_value()) return Invalid("a message needs a \"type\" string");
  ClientMessage m;
  if (*type == "ping") {
    m.type = ClientType::kPing;
    return m;
  }
  if (*type == "authenticate") {
    m.type = ClientType::kAuthenticate;
    std::optional<std::string> method = StringField(object, "method", &error);
    m.method = method.value_or("jwt");
    if (m.method == "jwt") {
      std::optional<std::string> token = StringField(object, "token", &error);
      if (!token.has_value() || token->empty()) {
        return Invalid("authenticate with method \"jwt\" needs a \"token\" string");
      }
      m.token = std::move(*token);
      return m;
    }
    if (m.method == "basic") {
      std::optional<std::string> user = StringField(object, "username", &error);
      std::optional<std::string> password = StringField(object, "password", &error);
      if (!user.has_value() || !password.has_value()) {
        return Invalid("authenticate with method \"basic\" needs \"username\" and \"password\"");
      }
      m.username = std::move(*user);
      m.password = std::move(*password);
      return m;
    }
    return Invalid("authenticate's method is \"jwt\" or \"basic\"");
  }
  if (*type == "subscribe") return DecodeSubscribe(object);
  if (*type == "next_batch" || *type == "unsubscribe") {
    m.type = *type == "next_batch" ? ClientType::kNextBatch : ClientType::kUnsubscribe;
    std::optional<std::string> id = StringField(object, "subscription_id", &error);
    if (!id.has_value() || id->empty()) {
      return Invalid(*type + " needs a \"subscription_id\" string");
    }
    m.subscription_id = std::move(*id);
    return m;
  }
  DecodeError unknown;
  unknown.code = "unknown_type";
  unknown.message = "unknown message type \"" + type->substr(0, 64) +
                    "\"; the types are authenticate, subscribe, next_batch, unsubscribe, ping";
  return unknown;
}

std::string AuthSuccessMessage(std::string_view user, Role role) {
  std::string out = "{\"type\":\"auth_success\",\"user\":";
  AppendJsonString(user, &out);
  out += ",\"role\":";
  AppendJsonString(RoleName(role), &out);
  out += "}";
  return out;
}

std::string AuthErrorMessage(std::string_view message) {
  std::string out = "{\"type\":\"auth_error\",\"message\":";
  AppendJsonString(message, &out);
  out += "}";
  return out;
}

std::string SubscriptionAckMessage(std::string_view id, const std::vector<Column>& columns,
                                   uint64_t batch_size) {
  std::string out;
  AppendTypeAndId("subscription_ack", id, &out);
  out += ",\"schema\":[";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ",";
    out += "{\"name\":";
    AppendJsonString(columns[i].name, &out);
    out += ",\"data_type\":";
    AppendJsonString(DataTypeName(columns[i].type), &out);
    out += ",\"index\":" + std::to_string(i) + "}";
  }
  out += "],\"batch_control\":{\"batch_size\":" + std::to_string(batch_size) +
         ",\"status\":\"loading\"}}";
  return out;
}

std::string InitialBatchMessage(std::string_view id, const std::vector<std::vector<Value>>& rows,
                                size_t begin, size_t end, uint64_t batch_num, bool has_more,
                                uint64_t last_seq) {
  std::string out;
  AppendTypeAndId("initial_data_batch", id, &out);
  out += ",\"rows\":[";
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out += ",";
    AppendRow(rows[i], &out);
  }
  out += "],\"batch_control\":{\"batch_num\":" + std::to_string(batch_num) +
         ",\"has_more\":" + (has_more ? "true" : "false") +
         ",\"status\":" + (has_more ? "\"loading\"" : "\"ready\"") + ",\"last_seq\":";
  AppendJsonValue(Value::BigInt(static_cast<int64_t>(last_seq)), &out);
  out += "}}";
  return out;
}

std::string ChangeMessage(std::string_view id, ChangeType type, const std::vector<Value>& row,
                          const std::optional<std::vector<Value>>& old_row, uint64_t seq) {
  std::string out;
  AppendTypeAndId("change", id, &out);
  out += ",\"change_type\":";
  AppendJsonString(ChangeTypeName(type), &out);
  out += ",\"rows\":[";
  AppendRow(row, &out);
  out += "]";
  if (old_row.has_value()) {
    out += ",\"old_values\":[";
    AppendRow(*old_row, &out);
    out += "]";
  }
  out += ",\"seq\":";
  AppendJsonValue(Value::BigInt(static_cast<int64_t>(seq)), &out);
  out += "}";
  return out;
}

std::string UnsubscribedMessage(std::string_view id) {
  std::string out;
  AppendTypeAndId("unsubscribed", id, &out);
  out += "}";
  return out;
}

std::string PongMessage() {
  return "{\"type\":\"pong\"}";
}

std::string ErrorMessage(std::string_view subscription_id, std::string_view code,
                         std::string_view message) {
  std::string out = "{\"type\":\"error\"";
  if (!subscription_id.empty()) {
    out += ",\"subscription_id\":";
    AppendJsonString(subscription_id, &out);
  }
  out += ",\"code\":";
  AppendJsonString(code, &out);
  out += ",\"message\":";
  AppendJsonString(message, &out);
  out += "}";
  return out;
}

}  // namespace tenantdb::server::ws
