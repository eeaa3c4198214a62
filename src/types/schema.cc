#include "types/schema.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace tenantdb {

Schema::Schema(std::vector<Field> fields, SchemaMetadata metadata)
    : fields_(std::move(fields)), metadata_(std::move(metadata)) {
  std::sort(metadata_.begin(), metadata_.end());
}

std::optional<std::string_view> Schema::metadata_value(std::string_view key) const {
  for (const auto& [k, v] : metadata_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<size_t> Schema::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<size_t> Schema::PrimaryKeyIndices() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].primary_key) out.push_back(i);
  }
  return out;
}

std::string Schema::ToString() const {
  std::string out = "(";
  for (size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    if (i > 0) out += ", ";
    out += f.name;
    out += ' ';
    out += DataTypeName(f.type);
    if (!f.nullable) out += " NOT NULL";
    if (f.primary_key) out += " PRIMARY KEY";
    if (!f.default_expr.empty()) out += " DEFAULT " + f.default_expr;
  }
  return out + ")";
}

size_t HashSchemaParts(const std::vector<Field>& fields, const SchemaMetadata& metadata) {
  size_t h = absl::Hash<size_t>()(fields.size());
  for (const Field& f : fields) {
    h = absl::HashOf(h, f.name, static_cast<uint8_t>(f.type), f.nullable, f.primary_key,
                     f.default_expr);
  }
  SchemaMetadata sorted = metadata;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [k, v] : sorted)
    h = absl::HashOf(h, k, v);
  return h;
}

std::vector<std::string> FormerNames(const Schema& schema, std::string_view field) {
  std::vector<std::string> names;
  const std::string key = std::string(kRenamedColumnPrefix) + std::string(field);
  std::optional<std::string_view> value = schema.metadata_value(key);
  if (!value.has_value()) return names;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    names.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return names;
}

std::optional<size_t> FindFieldOrFormer(const Schema& source, const Schema& target,
                                        size_t target_field) {
  const std::string& name = target.field(target_field).name;
  if (auto i = source.FieldIndex(name)) return i;
  for (const std::string& former : FormerNames(target, name)) {
    if (auto i = source.FieldIndex(former)) return i;
  }
  return std::nullopt;
}

}  // namespace tenantdb
