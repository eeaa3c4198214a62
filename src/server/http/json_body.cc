#include "server/http/json_body.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <exception>
#include <optional>

namespace tenantdb::server::http {

namespace {

Status Invalid(std::string message) {
  return Status(ErrorCode::kInvalidRequest, std::move(message));
}

}  // namespace

std::string_view JsonKindName(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "a number";
    case boost::json::kind::string:
      return "a string";
    case boost::json::kind::array:
      return "an array";
    case boost::json::kind::object:
      return "an object";
  }
  return "a value";
}

Result<JsonBody> JsonBody::Parse(std::string_view body,
                                 std::initializer_list<std::string_view> allowed,
                                 std::string_view example, boost::json::monotonic_resource* arena) {
  boost::system::error_code ec;
  std::optional<boost::json::value> parsed;
  try {
    // One arena for the whole document (a request body is small and read once): no
    // allocation per string and array.
    boost::json::storage_ptr storage =
        arena != nullptr ? boost::json::storage_ptr(arena)
                         : boost::json::make_shared_resource<boost::json::monotonic_resource>();
    // Constructed in place: assigning a value parsed into one memory resource to a value
    // of another copies the whole document.
    parsed.emplace(boost::json::parse(body, ec, std::move(storage)));
  } catch (const std::exception& e) {  // allocation failure: the only thing parse throws
    return Invalid(std::string("the body could not be read: ") + e.what());
  }
  boost::json::value& value = *parsed;
  if (ec) {
    if (body.empty()) {
      return Invalid("the request has no body; send a JSON object like " + std::string(example));
    }
    return Invalid("the body is not valid JSON (" + ec.message() + "); send a JSON object like " +
                   std::string(example));
  }
  if (!value.is_object()) {
    return Invalid("the body is " + std::string(JsonKindName(value)) +
                   "; send a JSON object like " + std::string(example));
  }
  boost::json::object& object = value.as_object();
  for (const auto& field : object) {
    bool known = false;
    for (std::string_view name : allowed)
      known = known || field.key() == name;
    if (!known) {
      std::string list;
      for (std::string_view name : allowed) {
        if (!list.empty()) list += ", ";
        list += name;
      }
      std::string key(field.key());
      if (key.size() > 64) key = key.substr(0, 64) + "...";
      return Invalid("unknown field \"" + key + "\" in the body; allowed: " + list +
                     " (a request runs as the user of its Authorization header, nothing else)");
    }
  }
  return JsonBody(std::move(object));
}

const boost::json::value* JsonBody::Find(std::string_view field) const {
  const boost::json::value* value = object_.if_contains(field);
  if (value == nullptr || value->is_null()) return nullptr;
  return value;
}

Result<std::optional<std::string>> JsonBody::String(std::string_view field, bool required) const {
  const boost::json::value* value = Find(field);
  if (value == nullptr) {
    if (required) return Invalid("the body has no \"" + std::string(field) + "\" field");
    return std::optional<std::string>();
  }
  if (!value->is_string()) {
    return Invalid("\"" + std::string(field) + "\" must be a string, not " +
                   std::string(JsonKindName(*value)));
  }
  return std::optional<std::string>(std::string(value->as_string()));
}

}  // namespace tenantdb::server::http
