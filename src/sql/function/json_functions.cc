// JSON operators and functions of the scalar registry, with PostgreSQL's semantics for
// json/jsonb values (tenantdb has one JSON type, which keeps its text as written).
//
//   j -> 'key' | j -> n     the member / the n-th element (from 0; negative counts from
//                           the end) as JSON; NULL when absent or of another kind
//   j ->> 'key' | j ->> n   the same as text (a JSON string unquoted; JSON null is NULL)
//   j #> '{a,0}'            the value at a path (keys, or indices into arrays); #>> as text
//   j @> k, k <@ j          containment as jsonb's: every member of an object in k is
//                           in j's with a containing value, every element of an array in k
//                           is contained by some element of j's, scalars equal (a scalar k
//                           is also contained by an array holding it at the top level)
//   j ? 'key'               a top-level object key, or string element of a top-level array
//   j ?| '{a,b}', j ?& ...  any / all of the keys (a text array literal)
//   json_typeof / jsonb_typeof, json_array_length / jsonb_array_length,
//   json_build_object / jsonb_build_object (key, value, ...),
//   json_build_array / jsonb_build_array (value, ...), to_json / to_jsonb (value)
//
// The parser turns the operators into calls of functions named after them (->, ->>, ...),
// which SQL cannot call by name. Values extracted or built are written compactly
// (`{"a":1}`), where PostgreSQL's jsonb output adds a space after ':' and ','.
// Parsing is Boost.JSON's (common/boost_json.cc compiles it).
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "sql/function/cast.h"
#include "sql/function/function_registry.h"
#include "sql/function/json_text.h"
#include "sql/function/text_array.h"
#include "types/array_value.h"
#include "types/numeric.h"

namespace tenantdb::sql {
namespace {

namespace json = boost::json;

constexpr DataType kJson = DataType::kJson;
constexpr DataType kText = DataType::kText;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kBool = DataType::kBoolean;

Result<json::value> Parse(const Value& v) {
  boost::system::error_code ec;
  json::value parsed = json::parse(v.as_bytes(), ec);
  if (ec)
    return Status(ErrorCode::kInvalidTextRepresentation, "invalid input syntax for type json");
  return parsed;
}

// Compact JSON text; numbers as PostgreSQL writes them (2.5, not Boost's 2.5E0).
void Write(const json::value& v, std::string* out) {
  switch (v.kind()) {
    case json::kind::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, value] : v.get_object()) {
        if (!first) out->push_back(',');
        first = false;
        out->append(json::serialize(json::string(key)));
        out->push_back(':');
        Write(value, out);
      }
      out->push_back('}');
      return;
    }
    case json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const json::value& e : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        Write(e, out);
      }
      out->push_back(']');
      return;
    }
    case json::kind::double_: {
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
      out->append(buf, r.ptr);
      return;
    }
    default:
      out->append(json::serialize(v));
  }
}

std::string Text(const json::value& v) {
  std::string out;
  Write(v, &out);
  return out;
}

Value AsJson(const json::value& v) {
  return Value::Json(Text(v));
}

// ->> and #>>: a string's characters, JSON null as NULL, anything else its JSON text.
Value AsText(const json::value& v) {
  if (v.is_string()) return Value::Text(std::string(v.get_string()));
  if (v.is_null()) return Value::Null(kText);
  return Value::Text(Text(v));
}

const json::value* Member(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}

const json::value* Element(const json::value& v, int64_t index) {
  if (!v.is_array()) return nullptr;
  const json::array& a = v.get_array();
  if (index < 0) index += static_cast<int64_t>(a.size());
  if (index < 0 || index >= static_cast<int64_t>(a.size())) return nullptr;
  return &a[static_cast<size_t>(index)];
}

// The step `a[1]` of a path: a key of an object, or an integer index of an array.
const json::value* Step(const json::value& v, std::string_view step) {
  if (v.is_object()) return Member(v, step);
  if (!v.is_array() || step.empty()) return nullptr;
  char* end = nullptr;
  const std::string s(step);
  const long long index = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() || *end != '\0') return nullptr;
  return Element(v, index);
}

Result<const json::value*> AtPath(const json::value& root, const Value& path) {
  TDB_ASSIGN_OR_RETURN(TextArray steps, ParseTextArray(path.as_bytes()));
  const json::value* at = &root;
  for (const auto& step : steps) {
    if (!step.has_value()) return nullptr;  // a NULL step finds nothing
    at = Step(*at, *step);
    if (at == nullptr) return nullptr;
  }
  return at;
}

template <bool kAsText>
Result<Value> Get(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, Parse(a[0]));
  const json::value* found =
      a[1].type() == kText ? Member(v, a[1].as_bytes()) : Element(v, a[1].as_int64());
  if (found == nullptr) return Value::Null(kAsText ? kText : kJson);
  return kAsText ? AsText(*found) : AsJson(*found);
}

template <bool kAsText>
Result<Value> GetPath(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, Parse(a[0]));
  TDB_ASSIGN_OR_RETURN(const json::value* found, AtPath(v, a[1]));
  if (found == nullptr) return Value::Null(kAsText ? kText : kJson);
  return kAsText ? AsText(*found) : AsJson(*found);
}

bool SameScalar(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    // Integers compare exactly; any double involved compares as doubles.
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    return a.to_number<double>() == b.to_number<double>();
  }
  return a == b;
}

// jsonb's containment (PostgreSQL's JsonbDeepContains); `top`: the operands themselves,
// where an array also contains a scalar it holds.
bool Contains(const json::value& outer, const json::value& inner, bool top = false) {
  if (inner.is_object()) {
    if (!outer.is_object()) return false;
    for (const auto& [key, value] : inner.get_object()) {
      const json::value* mine = outer.get_object().if_contains(key);
      if (mine == nullptr || !Contains(*mine, value)) return false;
    }
    return true;
  }
  if (inner.is_array()) {
    if (!outer.is_array()) return false;
    for (const json::value& wanted : inner.get_array()) {
      bool found = false;
      for (const json::value& mine : outer.get_array()) {
        if (wanted.is_structured() ? Contains(mine, wanted)
                                   : !mine.is_structured() && SameScalar(mine, wanted)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  if (top && outer.is_array()) {  // a top-level scalar is contained by an array holding it
    for (const json::value& mine : outer.get_array())
      if (!mine.is_structured() && SameScalar(mine, inner)) return true;
    return false;
  }
  return !outer.is_structured() && SameScalar(outer, inner);
}

Result<Value> ContainsFn(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value outer, Parse(a[0]));
  TDB_ASSIGN_OR_RETURN(json::value inner, Parse(a[1]));
  return Value::Boolean(Contains(outer, inner, true));
}

Result<Value> ContainedFn(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value inner, Parse(a[0]));
  TDB_ASSIGN_OR_RETURN(json::value outer, Parse(a[1]));
  return Value::Boolean(Contains(outer, inner, true));
}

Result<Value> HasKey(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, Parse(a[0]));
  const std::string_view key = a[1].as_bytes();
  if (v.is_object()) return Value::Boolean(v.get_object().contains(key));
  if (v.is_array()) {
    for (const json::value& e : v.get_array())
      if (e.is_string() && e.get_string() == key) return Value::Boolean(true);
  }
  return Value::Boolean(false);
}

// ?| (any) and ?& (all) of the keys in a text array literal ('{a,b}'); NULL elements are
// ignored, as in PostgreSQL.
template <bool kAll>
Result<Value> HasKeys(std::span<const Value> a, const FunctionContext& ctx) {
  TDB_ASSIGN_OR_RETURN(TextArray keys, ParseTextArray(a[1].as_bytes()));
  for (const auto& key : keys) {
    if (!key.has_value()) continue;
    const Value args[2] = {a[0], Value::Text(*key)};
    TDB_ASSIGN_OR_RETURN(Value has, HasKey(args, ctx));
    if (has.as_bool() != kAll) return has;
  }
  return Value::Boolean(kAll);
}

Result<Value> TypeOf(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, Parse(a[0]));
  switch (v.kind()) {
    case json::kind::object:
      return Value::Text("object");
    case json::kind::array:
      return Value::Text("array");
    case json::kind::string:
      return Value::Text("string");
    case json::kind::bool_:
      return Value::Text("boolean");
    case json::kind::null:
      return Value::Text("null");
    default:
      return Value::Text("number");
  }
}

Result<Value> ArrayLength(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, Parse(a[0]));
  if (!v.is_array()) {
    return Status(ErrorCode::kInvalidArgument, v.is_object()
                                                   ? "cannot get array length of a non-array"
                                                   : "cannot get array length of a scalar");
  }
  return Value::Int(static_cast<int32_t>(v.get_array().size()));
}

// A SQL value as JSON, as to_jsonb does: numbers as numbers (non-finite ones as strings),
// booleans, JSON as itself, NULL as null, arrays as JSON arrays, everything else as its
// text output.
Result<json::value> ToJson(const Value& v) {
  if (v.is_null()) return json::value(nullptr);
  if (IsArray(v.type())) {
    TDB_ASSIGN_OR_RETURN(std::vector<Value> elements,
                         DecodeArray(ElementType(v.type()), v.as_bytes()));
    json::array out;
    for (const Value& e : elements) {
      TDB_ASSIGN_OR_RETURN(json::value j, ToJson(e));
      out.push_back(std::move(j));
    }
    return json::value(std::move(out));
  }
  switch (v.type()) {
    case DataType::kBoolean:
      return json::value(v.as_bool());
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
      return json::value(v.as_int64());
    case DataType::kReal:
    case DataType::kDouble: {
      const double d = v.as_double();
      if (!std::isfinite(d)) return json::value(v.ToString());
      return json::value(d);
    }
    case DataType::kNumeric: {
      // A JSON number, as PostgreSQL writes one; through a double, so trailing zeros and
      // digits past 17 are not kept (PostgreSQL keeps the numeric's text).
      const Numeric n = v.as_numeric();
      if (n.scale == 0 && n.unscaled >= INT64_MIN && n.unscaled <= INT64_MAX) {
        return json::value(static_cast<int64_t>(n.unscaled));
      }
      return json::value(NumericToDouble(n));
    }
    case DataType::kJson:
      return Parse(v);
    case DataType::kText:
      return json::value(v.as_bytes());
    default: {
      TDB_ASSIGN_OR_RETURN(Value text, CastValue(v, kText));
      return json::value(text.as_bytes());
    }
  }
}

Result<Value> ToJsonFn(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(json::value v, ToJson(a[0]));
  return AsJson(v);
}

Result<Value> BuildObject(std::span<const Value> a, const FunctionContext&) {
  if (a.size() % 2 != 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "argument list must have even number of elements (json_build_object takes "
                  "key, value pairs)");
  }
  json::object out;
  for (size_t i = 0; i < a.size(); i += 2) {
    if (a[i].is_null()) {
      return Status(ErrorCode::kNotNullViolation,
                    "argument " + std::to_string(i + 1) + ": key must not be null");
    }
    TDB_ASSIGN_OR_RETURN(Value key, CastValue(a[i], kText));
    TDB_ASSIGN_OR_RETURN(json::value value, ToJson(a[i + 1]));
    out[key.as_bytes()] = std::move(value);
  }
  return AsJson(out);
}

Result<Value> BuildArray(std::span<const Value> a, const FunctionContext&) {
  json::array out;
  for (const Value& v : a) {
    TDB_ASSIGN_OR_RETURN(json::value e, ToJson(v));
    out.push_back(std::move(e));
  }
  return AsJson(out);
}

// Any number of arguments of any types, each kept as it is (unknown literals as text).
Result<DataType> BindVariadicAny(const ScalarFunction&,
                                 std::span<const std::optional<DataType>> arg_types,
                                 std::vector<DataType>* cast_to) {
  cast_to->clear();
  for (const auto& t : arg_types)
    cast_to->push_back(t.value_or(kText));
  return kJson;
}

Result<DataType> BindOneAny(const ScalarFunction& f,
                            std::span<const std::optional<DataType>> arg_types,
                            std::vector<DataType>* cast_to) {
  if (arg_types.size() != 1) return UndefinedFunctionError(f.name, arg_types);
  return BindVariadicAny(f, arg_types, cast_to);
}

void AddVariadic(std::vector<ScalarFunction>* out, std::string_view name, ScalarEvalFn eval,
                 ScalarBindFn bind) {
  ScalarFunction f;
  f.name = name;
  f.custom_bind = bind;
  f.eval = eval;
  f.strict = false;  // NULL arguments become JSON null
  out->push_back(std::move(f));
}

}  // namespace

Result<std::string> JsonText(const Value& v) {
  TDB_ASSIGN_OR_RETURN(json::value j, ToJson(v));
  return Text(j);
}

Result<std::vector<JsonRow>> ExpandJson(const Value& doc, JsonExpansion kind, bool jsonb) {
  TDB_ASSIGN_OR_RETURN(json::value root, Parse(doc));
  std::vector<JsonRow> rows;
  const bool text = kind == JsonExpansion::kElementsText || kind == JsonExpansion::kEachText;
  if (kind == JsonExpansion::kElements || kind == JsonExpansion::kElementsText) {
    if (!root.is_array()) {
      return Status(ErrorCode::kInvalidArgument, std::string("cannot extract elements from ") +
                                                     (root.is_object() ? "an object" : "a scalar") +
                                                     "; the function takes a JSON array");
    }
    for (const json::value& e : root.get_array())
      rows.push_back(JsonRow{std::nullopt, text ? AsText(e) : AsJson(e)});
    return rows;
  }
  if (!root.is_object()) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string("cannot deconstruct ") + (root.is_array() ? "an array" : "a scalar") +
                      " as an object; the function takes a JSON object");
  }
  std::vector<std::pair<std::string_view, const json::value*>> members;
  for (const auto& member : root.get_object())
    members.emplace_back(member.key(), &member.value());
  if (jsonb) {
    // jsonb's order: shorter keys first, then bytewise; of duplicate keys the last wins.
    std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
      if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
      return a.first < b.first;
    });
    std::vector<std::pair<std::string_view, const json::value*>> unique;
    for (const auto& m : members) {
      if (!unique.empty() && unique.back().first == m.first) {
        unique.back() = m;
      } else {
        unique.push_back(m);
      }
    }
    members = std::move(unique);
  }
  for (const auto& m : members) {
    JsonRow row{std::string(m.first), Value::Null(kText)};
    if (kind == JsonExpansion::kEach) row.value = AsJson(*m.second);
    if (kind == JsonExpansion::kEachText) row.value = AsText(*m.second);
    rows.push_back(std::move(row));
  }
  return rows;
}

void AddJsonFunctions(std::vector<ScalarFunction>* out) {
  Add(out, "->", {{{kJson, kText}, kJson}, {{kJson, kInt}, kJson}}, Get<false>);
  Add(out, "->>", {{{kJson, kText}, kText}, {{kJson, kInt}, kText}}, Get<true>);
  Add(out, "#>", {{{kJson, kText}, kJson}}, GetPath<false>);
  Add(out, "#>>", {{{kJson, kText}, kText}}, GetPath<true>);
  Add(out, "@>", {{{kJson, kJson}, kBool}}, ContainsFn);
  Add(out, "<@", {{{kJson, kJson}, kBool}}, ContainedFn);
  Add(out, "?", {{{kJson, kText}, kBool}}, HasKey);
  Add(out, "?|", {{{kJson, kText}, kBool}}, HasKeys<false>);
  Add(out, "?&", {{{kJson, kText}, kBool}}, HasKeys<true>);
  for (std::string_view name : {"json_typeof", "jsonb_typeof"})
    Add(out, name, {{{kJson}, kText}}, TypeOf);
  for (std::string_view name : {"json_array_length", "jsonb_array_length"})
    Add(out, name, {{{kJson}, kInt}}, ArrayLength);
  for (std::string_view name : {"json_build_object", "jsonb_build_object"})
    AddVariadic(out, name, BuildObject, BindVariadicAny);
  for (std::string_view name : {"json_build_array", "jsonb_build_array"})
    AddVariadic(out, name, BuildArray, BindVariadicAny);
  for (std::string_view name : {"to_json", "to_jsonb"})
    AddVariadic(out, name, ToJsonFn, BindOneAny);
}

}  // namespace tenantdb::sql
