// POSIX-style regular-expression matching: regexp_like(string, pattern [, flags]), which
// the operators `~`, `~*`, `!~` and `!~*` bind to (psql's \d family filters names with
// `OPERATOR(pg_catalog.~)`). Patterns are ECMAScript regular expressions (std::regex), which
// agree with PostgreSQL's advanced regular expressions on the common subset: anchors,
// classes, alternation, groups, quantifiers, escapes. Flag 'i' ignores case; 'c' (the
// default) respects it. A pattern that does not compile is invalid_argument.
// Cost: each thread keeps the last 16 compiled patterns, so a pattern applied to every row
// of a scan compiles once.
#include <list>
#include <regex>
#include <string>
#include <utility>

#include "sql/function/function_registry.h"

namespace tenantdb::sql {
namespace {

constexpr DataType kText = DataType::kText;
constexpr DataType kBool = DataType::kBoolean;
constexpr size_t kCachedPatterns = 16;

Result<const std::regex*> Compile(std::string_view pattern, bool icase) {
  thread_local std::list<std::pair<std::string, std::regex>> cache;
  std::string key = std::string(icase ? "i:" : "c:") + std::string(pattern);
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->first == key) {
      cache.splice(cache.begin(), cache, it);
      return &cache.front().second;
    }
  }
  auto flags = std::regex::ECMAScript;
  if (icase) flags |= std::regex::icase;
  try {
    std::regex re{std::string(pattern), flags};
    cache.emplace_front(std::move(key), std::move(re));
  } catch (const std::regex_error& e) {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid regular expression \"" + std::string(pattern) + "\": " + e.what());
  }
  if (cache.size() > kCachedPatterns) cache.pop_back();
  return &cache.front().second;
}

Result<Value> RegexpLike(std::span<const Value> a, const FunctionContext&) {
  bool icase = false;
  if (a.size() > 2) {
    for (char f : a[2].as_bytes()) {
      if (f == 'i') {
        icase = true;
      } else if (f == 'c') {
        icase = false;
      } else {
        return Status(ErrorCode::kInvalidArgument,
                      "invalid regular expression option: \"" + std::string(1, f) + "\"");
      }
    }
  }
  TDB_ASSIGN_OR_RETURN(const std::regex* re, Compile(a[1].as_bytes(), icase));
  const std::string_view s = a[0].as_bytes();
  return Value::Boolean(std::regex_search(s.begin(), s.end(), *re));
}

}  // namespace

void AddRegexFunctions(std::vector<ScalarFunction>* out) {
  Add(out, "regexp_like", {{{kText, kText}, kBool}, {{kText, kText, kText}, kBool}}, RegexpLike);
}

}  // namespace tenantdb::sql
