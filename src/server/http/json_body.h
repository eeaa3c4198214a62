// JsonBody: reading a request body that must be one JSON object with known fields, for
// every POST route. Strict on purpose: a field the route does not define (a typo such
// as "max_row", or an attempt such as "role": "system") is refused with
// invalid_request naming the allowed fields, instead of being silently ignored.
//
// Errors are invalid_request (SQLSTATE 08P01, HTTP 400) with a message a client can act
// on. Boost.JSON is used with error codes; nothing throws out of here. Nesting deeper
// than 32 levels is refused (Boost.JSON's default), so a hostile body cannot recurse
// deeply.
//
// Thread safety: a JsonBody is a value used by one thread.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "tenantdb/status.h"

namespace tenantdb::server::http {

class JsonBody {
 public:
  // Parses `body`; `allowed` lists the fields the route reads, `example` is shown when
  // the body is not an object (e.g. {"sql": "SELECT 1"}). The document's memory comes
  // from `arena` (which must outlive the JsonBody) when given, else from an arena the
  // JsonBody owns.
  static Result<JsonBody> Parse(std::string_view body,
                                std::initializer_list<std::string_view> allowed,
                                std::string_view example,
                                boost::json::monotonic_resource* arena = nullptr);

  // The field's value, or nullptr when absent (JSON null counts as absent).
  const boost::json::value* Find(std::string_view field) const;
  // A string field; invalid_request when present with another type, or absent and
  // `required`.
  Result<std::optional<std::string>> String(std::string_view field, bool required) const;

 private:
  explicit JsonBody(boost::json::object object) : object_(std::move(object)) {}
  boost::json::object object_;
};

// "a string", "a number", ... for error messages about a value of the wrong kind.
std::string_view JsonKindName(const boost::json::value& value);

}  // namespace tenantdb::server::http
