#include "ids/identifier.h"

namespace tenantdb {

namespace {

struct Rules {
  std::string_view what;  // for messages: "namespace name"
  size_t max_length;
  bool fold_case;
  bool app_chars;  // user ids: also upper case, '.', '@' and '-'
};

Rules RulesFor(IdentifierKind kind) {
  switch (kind) {
    case IdentifierKind::kNamespace:
      return {"namespace name", 63, true, false};
    case IdentifierKind::kTable:
      return {"table name", 63, true, false};
    case IdentifierKind::kStorage:
      return {"storage id", 63, true, false};
    case IdentifierKind::kUser:
      return {"user id", 128, false, true};
  }
  return {"identifier", 63, true, false};
}

bool IsLower(char c) {
  return c >= 'a' && c <= 'z';
}
bool IsUpper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

std::string Quote(std::string_view name) {
  // Keep messages readable (and single-line) whatever the input holds.
  std::string out = "'";
  for (char c : name.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (name.size() > 80) out += "...";
  return out + "'";
}

}  // namespace

Status NormalizeIdentifier(IdentifierKind kind, std::string_view name, std::string* out) {
  const Rules rules = RulesFor(kind);
  if (name.empty()) {
    return Status(ErrorCode::kInvalidIdentifier, std::string(rules.what) + " must not be empty");
  }
  if (name.size() > rules.max_length) {
    return Status(ErrorCode::kNameTooLong, std::string(rules.what) + " " + Quote(name) + " is " +
                                               std::to_string(name.size()) +
                                               " bytes long; the limit is " +
                                               std::to_string(rules.max_length));
  }
  out->assign(name);
  for (size_t i = 0; i < out->size(); ++i) {
    char& c = (*out)[i];
    if (IsUpper(c) && rules.fold_case) c = static_cast<char>(c - 'A' + 'a');
    bool ok = IsLower(c) || c == '_' || (i > 0 && IsDigit(c));
    if (rules.app_chars) {
      ok = ok || IsUpper(c) || IsDigit(c) || (i > 0 && (c == '.' || c == '@' || c == '-'));
    }
    if (!ok) {
      std::string allowed = rules.app_chars
                                ? "letters, digits, '_', and after the first character '.', "
                                  "'@' and '-'"
                                : "letters, digits and '_', not starting with a digit";
      return Status(ErrorCode::kInvalidIdentifier, std::string(rules.what) + " " + Quote(name) +
                                                       " has a character not allowed at position " +
                                                       std::to_string(i + 1) + "; use " + allowed);
    }
  }
  return Status::Ok();
}

bool IsReservedIdentifier(IdentifierKind kind, std::string_view normalized) {
  switch (kind) {
    case IdentifierKind::kNamespace:
      return normalized == "system" || normalized == "information_schema" ||
             normalized.starts_with("pg_");
    case IdentifierKind::kUser:
      // The built-in principals (catalog/role.h: BuiltinUserRole).
      return normalized == "system" || normalized == "root";
    case IdentifierKind::kTable:
    case IdentifierKind::kStorage:
      return false;
  }
  return false;
}

}  // namespace tenantdb
