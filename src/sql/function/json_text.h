// JSON helpers other layers' code needs from json_functions.cc: a SQL value as JSON text
// (json_agg), and the rows of the JSON table functions (the FROM clause's
// json[b]_array_elements[_text], json[b]_each[_text], json[b]_object_keys).
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "types/value.h"

namespace tenantdb::sql {

// `v` as JSON text, as to_json / to_jsonb write it: numbers as numbers (non-finite ones
// as strings), booleans, JSON as itself (compacted), NULL as null, anything else as the
// JSON string of its text output. Errors: invalid_text_representation for a JSON value
// whose text does not parse.
Result<std::string> JsonText(const Value& v);

// What a JSON table function makes of a document.
enum class JsonExpansion : uint8_t {
  kElements,      // json[b]_array_elements: each element, as JSON
  kElementsText,  // json[b]_array_elements_text: each element as ->> gives it
  kEach,          // json[b]_each: (key, value as JSON)
  kEachText,      // json[b]_each_text: (key, value as ->> gives it)
  kObjectKeys,    // json[b]_object_keys: each key
};
// One row: the key (kEach*, kObjectKeys) and the value (all but kObjectKeys).
struct JsonRow {
  std::optional<std::string> key;
  Value value;
};
// The rows `doc` expands to. Objects keep their members in document order for the json_
// functions; `jsonb` orders them as jsonb stores them (shorter keys first, then bytewise)
// with the last of duplicate keys kept. Errors: invalid_text_representation (doc does not
// parse), invalid_argument (an array function given a non-array, an object function a
// non-object; PostgreSQL's "cannot extract elements from an object").
Result<std::vector<JsonRow>> ExpandJson(const Value& doc, JsonExpansion kind, bool jsonb);

}  // namespace tenantdb::sql
