#include "catalog/path_template.h"

namespace tenantdb {

namespace {

Status TemplateError(std::string_view text, size_t pos, const std::string& what) {
  return Status(ErrorCode::kInvalidPathTemplate, "path template '" + std::string(text) + "' " +
                                                     what + " at position " +
                                                     std::to_string(pos + 1));
}

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == '/' || c == '=';
}

}  // namespace

Result<PathTemplate> PathTemplate::Parse(std::string_view text) {
  PathTemplate t;
  t.text_ = std::string(text);
  if (text.empty()) return TemplateError(text, 0, "is empty");
  if (text.front() == '/')
    return TemplateError(text, 0, "is absolute; it must be relative to the storage base directory");
  if (text.back() == '/') return TemplateError(text, text.size() - 1, "ends with '/'");

  bool previous_was_placeholder = false;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close == std::string_view::npos) return TemplateError(text, i, "has an unclosed '{'");
      std::string_view name = text.substr(i + 1, close - i - 1);
      Kind kind;
      if (name == "namespace") {
        kind = Kind::kNamespace;
      } else if (name == "tableName") {
        kind = Kind::kTable;
      } else if (name == "userId") {
        kind = Kind::kUser;
        t.has_user_ = true;
      } else if (name == "shard") {
        kind = Kind::kShard;
        t.has_shard_ = true;
      } else {
        return TemplateError(text, i,
                             "has unknown placeholder {" + std::string(name) +
                                 "}; use {namespace}, {tableName}, {userId} or {shard}");
      }
      if (previous_was_placeholder) {
        return TemplateError(text, i, "joins two placeholders with nothing between them");
      }
      t.segments_.push_back({kind, {}});
      previous_was_placeholder = true;
      i = close + 1;
      continue;
    }
    if (text[i] == '}') return TemplateError(text, i, "has a '}' without '{'");
    if (!IsPathChar(text[i])) {
      return TemplateError(
          text, i,
          "has a character not allowed in paths (use letters, digits, '_', '-', '.', '=', '/')");
    }
    size_t end = i;
    while (end < text.size() && text[end] != '{' && text[end] != '}' && IsPathChar(text[end]))
      ++end;
    t.segments_.push_back({Kind::kLiteral, std::string(text.substr(i, end - i))});
    previous_was_placeholder = false;
    i = end;
  }
  // Reject empty, "." and ".." directory levels (placeholder values are identifiers,
  // which can never be "." or "..").
  size_t start = 0;
  while (start <= text.size()) {
    size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    std::string_view level = text.substr(start, slash - start);
    if (level.empty()) return TemplateError(text, start, "has an empty directory level ('//')");
    if (level == "." || level == "..") return TemplateError(text, start, "has a '.' or '..' level");
    start = slash + 1;
  }
  return t;
}

uint32_t PathTemplate::ShardOf(const UserId& user) {
  // FNV-1a: fixed constants, byte by byte, no seed — unlike std::hash, the same on every
  // platform and in every release, which a directory layout needs.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : user.str()) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return static_cast<uint32_t>(hash % kShardCount);
}

Result<std::string> PathTemplate::Resolve(const TableId& table, const UserId* user,
                                          std::optional<uint32_t> shard) const {
  std::string out;
  out.reserve(text_.size() + 32);
  for (const Segment& s : segments_) {
    switch (s.kind) {
      case Kind::kLiteral:
        out += s.literal;
        break;
      case Kind::kNamespace:
        out += table.ns().str();
        break;
      case Kind::kTable:
        out += table.table().str();
        break;
      case Kind::kUser:
        if (user == nullptr || user->empty()) {
          return Status(
              ErrorCode::kInvalidArgument,
              "path template '" + text_ + "' needs a user id for table " + table.ToString());
        }
        out += user->str();
        break;
      case Kind::kShard:
        if (!shard) shard = user != nullptr && !user->empty() ? ShardOf(*user) : 0;
        out += std::to_string(*shard);
        break;
    }
  }
  return out;
}

}  // namespace tenantdb
