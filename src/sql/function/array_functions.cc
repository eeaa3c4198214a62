#include "sql/function/array_functions.h"

#include <algorithm>
#include <string>

#include "sql/function/cast.h"
#include "sql/function/function_registry.h"
#include "sql/function/text_array.h"
#include "types/array_value.h"

namespace tenantdb::sql {
namespace {

// Polymorphic parameter types of the signature tables below, PostgreSQL's anycompatible
// and anycompatiblearray: every one of them in a call resolves to one element type, the
// common type of the arguments at those places (unknown arguments follow; all unknown
// gives TEXT). They never leave this file.
constexpr DataType kAnyElement = static_cast<DataType>(0x7F);
constexpr DataType kAnyArray = ArrayOf(kAnyElement);
constexpr DataType kBool = DataType::kBoolean;
constexpr DataType kInt = DataType::kInt;
constexpr DataType kBigInt = DataType::kBigInt;
constexpr DataType kText = DataType::kText;

bool IsOperatorName(std::string_view name) {
  return name.ends_with(" any") || name.ends_with(" all") || name == "@>" || name == "<@" ||
         name == "&&" || name == "||";
}

Status NoSuchFunction(const ScalarFunction& f, std::span<const std::optional<DataType>> types) {
  if (IsOperatorName(f.name) && types.size() == 2) {
    auto text = [](const std::optional<DataType>& t) {
      return t ? std::string(PgTypeName(*t)) : std::string("unknown");
    };
    std::string op(f.name);
    if (op.ends_with(" any") || op.ends_with(" all")) op.resize(op.size() - 4);
    return Status(ErrorCode::kUndefinedFunction,
                  "operator does not exist: " + text(types[0]) + " " + op + " " + text(types[1]));
  }
  return UndefinedFunctionError(f.name, types);
}

// Tries one signature: resolves its polymorphic types, then checks the arguments cast
// implicitly. Returns the number of exact matches, or -1 when not viable.
int TrySignature(const FunctionSignature& sig, std::span<const std::optional<DataType>> types,
                 std::vector<DataType>* params, DataType* result) {
  if (sig.params.size() != types.size()) return -1;
  std::optional<DataType> element;
  bool polymorphic = sig.result == kAnyArray || sig.result == kAnyElement;
  for (size_t i = 0; i < types.size(); ++i) {
    const DataType p = sig.params[i];
    if (p != kAnyArray && p != kAnyElement) continue;
    polymorphic = true;
    if (!types[i].has_value()) continue;
    if (p == kAnyArray && !IsArray(*types[i])) return -1;
    if (p == kAnyElement && IsArray(*types[i])) return -1;
    const DataType e = ElementType(*types[i]);
    if (!element.has_value()) {
      element = e;
    } else if (std::optional<DataType> common = CommonType(*element, e)) {
      element = *common;
    } else {
      return -1;
    }
  }
  if (polymorphic && !element.has_value()) element = kText;
  auto resolve = [&](DataType t) {
    return t == kAnyArray ? ArrayOf(*element) : (t == kAnyElement ? *element : t);
  };
  params->clear();
  int exact = 0;
  for (size_t i = 0; i < types.size(); ++i) {
    const DataType p = resolve(sig.params[i]);
    params->push_back(p);
    if (!types[i].has_value()) continue;
    if (*types[i] == p) {
      ++exact;
    } else if (IsArray(*types[i]) && IsArray(p)) {
      // anycompatiblearray: the elements widen (int[] || numeric[]).
      if (!CanCastImplicitly(ElementType(*types[i]), ElementType(p))) return -1;
    } else if (!CanCastImplicitly(*types[i], p)) {
      return -1;
    }
  }
  *result = resolve(sig.result);
  return exact;
}

Result<DataType> BindPolymorphic(const ScalarFunction& f,
                                 std::span<const std::optional<DataType>> types,
                                 std::vector<DataType>* cast_to) {
  int best = -1;
  DataType best_result = kText;
  std::vector<DataType> params;
  for (const FunctionSignature& sig : f.signatures) {
    DataType result;
    const int exact = TrySignature(sig, types, &params, &result);
    if (exact > best) {
      best = exact;
      best_result = result;
      *cast_to = params;
    }
  }
  if (best < 0) return NoSuchFunction(f, types);
  return best_result;
}

// x op ANY / ALL (a): over an array, x and the elements take their common type; over TEXT
// (a pg_catalog column holding an array literal) x compares as text, whatever its type.
Result<DataType> BindQuantified(const ScalarFunction& f,
                                std::span<const std::optional<DataType>> types,
                                std::vector<DataType>* cast_to) {
  if (types.size() == 2 && types[1] == kText) {
    cast_to->assign({kText, kText});
    return kBool;
  }
  return BindPolymorphic(f, types, cast_to);
}

// ARRAY[e1, ...]: the elements' common type, as PostgreSQL's ARRAY constructor.
Result<DataType> BindConstructor(const ScalarFunction&,
                                 std::span<const std::optional<DataType>> types,
                                 std::vector<DataType>* cast_to) {
  if (types.empty()) {
    return Status(ErrorCode::kTypeMismatch,
                  "cannot determine type of empty array; cast it, e.g. ARRAY[]::integer[]");
  }
  std::optional<DataType> element;
  for (const std::optional<DataType>& t : types) {
    if (!t.has_value()) continue;
    if (IsArray(*t)) {
      return Status(ErrorCode::kFeatureNotSupported, "multidimensional arrays are not supported");
    }
    if (!element.has_value()) {
      element = *t;
    } else if (std::optional<DataType> common = CommonType(*element, *t)) {
      element = *common;
    } else {
      return Status(ErrorCode::kTypeMismatch, "ARRAY types " + std::string(PgTypeName(*element)) +
                                                  " and " + std::string(PgTypeName(*t)) +
                                                  " cannot be matched");
    }
  }
  const DataType e = element.value_or(kText);
  cast_to->assign(types.size(), e);
  return ArrayOf(e);
}

Result<std::vector<Value>> Elements(const Value& array) {
  return DecodeArray(ElementType(array.type()), array.as_bytes());
}

Value MakeArray(DataType element, std::span<const Value> elements) {
  return Value::Array(element, EncodeArray(element, elements));
}

// Equality as IS NOT DISTINCT FROM (array_position, array_remove find NULLs).
bool SameElement(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() == b.is_null();
  return CompareScalars(a, b) == 0;
}

Result<Value> Construct(std::span<const Value> a, const FunctionContext&) {
  // Bind gave every argument the element type, so a[0]'s type is it.
  return MakeArray(a[0].type(), a);
}

Result<Value> Subscript(std::span<const Value> a, const FunctionContext&) {
  const DataType element = ElementType(a[0].type());
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  const int64_t i = a[1].as_int64();
  if (i < 1 || i > static_cast<int64_t>(e.size())) return Value::Null(element);
  return e[i - 1];
}

// array_length(a, 1) and array_upper(a, 1): the length; NULL for other dimensions and
// for an empty array (which has no dimensions).
Result<Value> Length(std::span<const Value> a, const FunctionContext&) {
  const uint32_t n = ArrayCardinality(a[0].as_bytes());
  if (a[1].as_int64() != 1 || n == 0) return Value::Null(kInt);
  return Value::Int(static_cast<int32_t>(n));
}

Result<Value> Lower(std::span<const Value> a, const FunctionContext&) {
  const uint32_t n = ArrayCardinality(a[0].as_bytes());
  if (a[1].as_int64() != 1 || n == 0) return Value::Null(kInt);
  return Value::Int(1);
}

Result<Value> Cardinality(std::span<const Value> a, const FunctionContext&) {
  return Value::Int(static_cast<int32_t>(ArrayCardinality(a[0].as_bytes())));
}

Result<Value> Ndims(std::span<const Value> a, const FunctionContext&) {
  if (ArrayCardinality(a[0].as_bytes()) == 0) return Value::Null(kInt);
  return Value::Int(1);
}

// array_position(a, x [, start]): not strict in x (a NULL is found like any value).
Result<Value> Position(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(kInt);
  int64_t start = 1;
  if (a.size() > 2) {
    if (a[2].is_null()) {
      return Status(ErrorCode::kNullValueNotAllowed, "initial position must not be null");
    }
    start = a[2].as_int64();
  }
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  for (int64_t i = std::max<int64_t>(start, 1); i <= static_cast<int64_t>(e.size()); ++i) {
    if (SameElement(e[i - 1], a[1])) return Value::Int(static_cast<int32_t>(i));
  }
  return Value::Null(kInt);
}

Result<Value> Positions(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(ArrayOf(kInt));
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  std::vector<Value> out;
  for (size_t i = 0; i < e.size(); ++i) {
    if (SameElement(e[i], a[1])) out.push_back(Value::Int(static_cast<int32_t>(i + 1)));
  }
  return MakeArray(kInt, out);
}

// array_append / array_prepend / array_cat: a NULL array counts as empty, as PostgreSQL.
Result<Value> Append(std::span<const Value> a, const FunctionContext&) {
  const DataType element = ElementType(a[0].type());
  std::vector<Value> e;
  if (!a[0].is_null()) {
    TDB_ASSIGN_OR_RETURN(e, Elements(a[0]));
  }
  e.push_back(a[1]);
  return MakeArray(element, e);
}

Result<Value> Prepend(std::span<const Value> a, const FunctionContext&) {
  const DataType element = ElementType(a[1].type());
  std::vector<Value> e{a[0]};
  if (!a[1].is_null()) {
    TDB_ASSIGN_OR_RETURN(std::vector<Value> rest, Elements(a[1]));
    e.insert(e.end(), rest.begin(), rest.end());
  }
  return MakeArray(element, e);
}

Result<Value> Cat(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return a[1];
  if (a[1].is_null()) return a[0];
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  TDB_ASSIGN_OR_RETURN(std::vector<Value> rest, Elements(a[1]));
  e.insert(e.end(), rest.begin(), rest.end());
  return MakeArray(ElementType(a[0].type()), e);
}

Result<Value> Remove(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return a[0];
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  std::vector<Value> out;
  for (Value& v : e) {
    if (!SameElement(v, a[1])) out.push_back(std::move(v));
  }
  return MakeArray(ElementType(a[0].type()), out);
}

Result<Value> Replace(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return a[0];
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  for (Value& v : e) {
    if (SameElement(v, a[1])) v = a[2];
  }
  return MakeArray(ElementType(a[0].type()), e);
}

// Whether every non-NULL... PostgreSQL's array_contain_compare: every element of `inner`
// equals some element of `outer`; a NULL element equals nothing.
Result<bool> ContainsAll(const Value& outer, const Value& inner) {
  TDB_ASSIGN_OR_RETURN(std::vector<Value> o, Elements(outer));
  TDB_ASSIGN_OR_RETURN(std::vector<Value> in, Elements(inner));
  for (const Value& x : in) {
    if (x.is_null()) return false;
    bool found = false;
    for (const Value& y : o)
      found = found || (!y.is_null() && CompareScalars(x, y) == 0);
    if (!found) return false;
  }
  return true;
}

Result<Value> Contains(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(bool v, ContainsAll(a[0], a[1]));
  return Value::Boolean(v);
}

Result<Value> ContainedBy(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(bool v, ContainsAll(a[1], a[0]));
  return Value::Boolean(v);
}

Result<Value> Overlaps(std::span<const Value> a, const FunctionContext&) {
  TDB_ASSIGN_OR_RETURN(std::vector<Value> x, Elements(a[0]));
  TDB_ASSIGN_OR_RETURN(std::vector<Value> y, Elements(a[1]));
  for (const Value& u : x) {
    if (u.is_null()) continue;
    for (const Value& v : y) {
      if (!v.is_null() && CompareScalars(u, v) == 0) return Value::Boolean(true);
    }
  }
  return Value::Boolean(false);
}

// array_to_string(a, sep [, null_text]): NULL elements skipped unless null_text is given.
Result<Value> ToString(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null() || a[1].is_null()) return Value::Null(kText);
  TDB_ASSIGN_OR_RETURN(std::vector<Value> e, Elements(a[0]));
  const bool show_nulls = a.size() > 2 && !a[2].is_null();
  std::string out;
  bool first = true;
  for (const Value& v : e) {
    if (v.is_null() && !show_nulls) continue;
    if (!first) out += a[1].as_bytes();
    first = false;
    out += v.is_null() ? std::string(a[2].as_bytes()) : v.ToString();
  }
  return Value::Text(std::move(out));
}

// string_to_array(s, sep [, null_text]): a NULL separator splits into characters (UTF-8
// sequences), an empty one gives the whole string; an empty string gives {}.
Result<Value> FromString(std::span<const Value> a, const FunctionContext&) {
  if (a[0].is_null()) return Value::Null(ArrayOf(kText));
  const std::string_view s = a[0].as_bytes();
  std::vector<std::string> parts;
  if (!s.empty()) {
    if (a[1].is_null()) {
      for (size_t i = 0; i < s.size();) {
        size_t n = 1;
        while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xC0) == 0x80)
          ++n;
        parts.emplace_back(s.substr(i, n));
        i += n;
      }
    } else if (a[1].as_bytes().empty()) {
      parts.emplace_back(s);
    } else {
      const std::string_view sep = a[1].as_bytes();
      size_t start = 0;
      while (true) {
        const size_t at = s.find(sep, start);
        parts.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + sep.size();
      }
    }
  }
  std::vector<Value> e;
  e.reserve(parts.size());
  for (std::string& p : parts) {
    if (a.size() > 2 && !a[2].is_null() && p == a[2].as_bytes()) {
      e.push_back(Value::Null(kText));
    } else {
      e.push_back(Value::Text(std::move(p)));
    }
  }
  return MakeArray(kText, e);
}

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

bool Holds(Cmp op, int c) {
  switch (op) {
    case Cmp::kEq:
      return c == 0;
    case Cmp::kNe:
      return c != 0;
    case Cmp::kLt:
      return c < 0;
    case Cmp::kLe:
      return c <= 0;
    case Cmp::kGt:
      return c > 0;
    case Cmp::kGe:
      return c >= 0;
  }
  return false;
}

// x op ANY (a) / x op ALL (a), PostgreSQL's ScalarArrayOpExpr: a NULL array gives NULL;
// an empty one false for ANY and true for ALL; otherwise a decisive element (true for
// ANY, false for ALL) wins, else any NULL comparison (x or an element NULL) gives NULL.
// Over TEXT (a pg_catalog array literal, text_array.h) the elements compare as text.
template <Cmp kOp, bool kAll>
Result<Value> Quantified(std::span<const Value> a, const FunctionContext&) {
  if (a[1].is_null()) return Value::Null(kBool);
  std::vector<Value> e;
  if (IsArray(a[1].type())) {
    TDB_ASSIGN_OR_RETURN(e, Elements(a[1]));
  } else {
    TDB_ASSIGN_OR_RETURN(TextArray texts, ParseTextArray(a[1].as_bytes()));
    for (auto& t : texts)
      e.push_back(t ? Value::Text(std::move(*t)) : Value::Null(kText));
  }
  bool saw_null = false;
  for (const Value& v : e) {
    if (a[0].is_null() || v.is_null()) {
      saw_null = true;
      continue;
    }
    const bool holds = Holds(kOp, CompareScalars(a[0], v));
    if (holds != kAll) return Value::Boolean(!kAll);
  }
  if (saw_null) return Value::Null(kBool);
  return Value::Boolean(kAll);
}

void AddPoly(std::vector<ScalarFunction>* out, std::string_view name,
             std::vector<FunctionSignature> signatures, ScalarEvalFn eval, bool strict = true,
             ScalarBindFn bind = BindPolymorphic) {
  ScalarFunction f;
  f.name = name;
  f.signatures = std::move(signatures);
  f.custom_bind = bind;
  f.eval = eval;
  f.strict = strict;
  out->push_back(std::move(f));
}

template <Cmp kOp>
void AddQuantified(std::vector<ScalarFunction>* out, std::string_view any, std::string_view all) {
  const std::vector<FunctionSignature> sigs = {{{kAnyElement, kAnyArray}, kBool}};
  AddPoly(out, any, sigs, Quantified<kOp, false>, false, BindQuantified);
  AddPoly(out, all, sigs, Quantified<kOp, true>, false, BindQuantified);
}

}  // namespace

void AddArrayFunctions(std::vector<ScalarFunction>* out) {
  AddPoly(out, "array", {}, Construct, /*strict=*/false, BindConstructor);
  AddPoly(out, "array_element", {{{kAnyArray, kBigInt}, kAnyElement}}, Subscript);
  AddPoly(out, "array_length", {{{kAnyArray, kInt}, kInt}}, Length);
  AddPoly(out, "array_upper", {{{kAnyArray, kInt}, kInt}}, Length);
  AddPoly(out, "array_lower", {{{kAnyArray, kInt}, kInt}}, Lower);
  AddPoly(out, "array_ndims", {{{kAnyArray}, kInt}}, Ndims);
  AddPoly(out, "cardinality", {{{kAnyArray}, kInt}}, Cardinality);
  AddPoly(out, "array_position",
          {{{kAnyArray, kAnyElement}, kInt}, {{kAnyArray, kAnyElement, kInt}, kInt}}, Position,
          false);
  AddPoly(out, "array_positions", {{{kAnyArray, kAnyElement}, ArrayOf(kInt)}}, Positions, false);
  AddPoly(out, "array_append", {{{kAnyArray, kAnyElement}, kAnyArray}}, Append, false);
  AddPoly(out, "array_prepend", {{{kAnyElement, kAnyArray}, kAnyArray}}, Prepend, false);
  AddPoly(out, "array_cat", {{{kAnyArray, kAnyArray}, kAnyArray}}, Cat, false);
  AddPoly(out, "array_remove", {{{kAnyArray, kAnyElement}, kAnyArray}}, Remove, false);
  AddPoly(out, "array_replace", {{{kAnyArray, kAnyElement, kAnyElement}, kAnyArray}}, Replace,
          false);
  AddPoly(out, "@>", {{{kAnyArray, kAnyArray}, kBool}}, Contains);
  AddPoly(out, "<@", {{{kAnyArray, kAnyArray}, kBool}}, ContainedBy);
  AddPoly(out, "&&", {{{kAnyArray, kAnyArray}, kBool}}, Overlaps);
  AddPoly(out, "arraycontains", {{{kAnyArray, kAnyArray}, kBool}}, Contains);
  AddPoly(out, "arraycontained", {{{kAnyArray, kAnyArray}, kBool}}, ContainedBy);
  AddPoly(out, "arrayoverlap", {{{kAnyArray, kAnyArray}, kBool}}, Overlaps);
  AddPoly(out, "array_to_string", {{{kAnyArray, kText}, kText}, {{kAnyArray, kText, kText}, kText}},
          ToString, false);
  AddPoly(out, "string_to_array",
          {{{kText, kText}, ArrayOf(kText)}, {{kText, kText, kText}, ArrayOf(kText)}}, FromString,
          false);
  AddQuantified<Cmp::kEq>(out, "= any", "= all");
  AddQuantified<Cmp::kNe>(out, "<> any", "<> all");
  AddQuantified<Cmp::kLt>(out, "< any", "< all");
  AddQuantified<Cmp::kLe>(out, "<= any", "<= all");
  AddQuantified<Cmp::kGt>(out, "> any", "> all");
  AddQuantified<Cmp::kGe>(out, ">= any", ">= all");
}

}  // namespace tenantdb::sql
