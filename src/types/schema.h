// Schema: an immutable, ordered list of Fields plus string key/value metadata.
//
// Schemas are shared between tables through SchemaPool (catalog/schema_pool.h), so a
// Schema knows nothing about which table uses it. Metadata is kept sorted by key, so two
// schemas built from the same pairs in any order are equal and hash alike.
//
// Thread safety: immutable after construction; share freely as
// std::shared_ptr<const Schema>.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/field.h"
#include "types/value.h"

namespace tenantdb {

using SchemaMetadata = std::vector<std::pair<std::string, std::string>>;

class Schema {
 public:
  Schema(std::vector<Field> fields, SchemaMetadata metadata);

  const std::vector<Field>& fields() const { return fields_; }
  const Field& field(size_t i) const { return fields_[i]; }
  size_t num_fields() const { return fields_.size(); }
  const SchemaMetadata& metadata() const { return metadata_; }
  // Value for `key`, if present.
  std::optional<std::string_view> metadata_value(std::string_view key) const;

  // Position of the column called `name` (exact, already normalized), or nullopt.
  // O(number of fields): schemas are short and this keeps the object small.
  std::optional<size_t> FieldIndex(std::string_view name) const;
  // Position of the column whose id is `id` (non-zero), or nullopt. O(number of fields).
  std::optional<size_t> FieldIndexById(uint32_t id) const;
  // Positions of the primary-key columns, in field order.
  std::vector<size_t> PrimaryKeyIndices() const;

  friend bool operator==(const Schema& a, const Schema& b) {
    return a.fields_ == b.fields_ && a.metadata_ == b.metadata_;
  }

  // "(id BIGINT NOT NULL PRIMARY KEY, body TEXT)"
  std::string ToString() const;

 private:
  std::vector<Field> fields_;
  SchemaMetadata metadata_;  // sorted by key
};

// Position in `source` of the column that field `target_field` of `target` is, across
// schema versions of one table: by column id (see field.h), so renames, drops and a name
// reused by a new column never confuse two columns. Fields without an id (files written
// by other tools) fall back to their name.
std::optional<size_t> FindSameColumn(const Schema& source, const Schema& target,
                                     size_t target_field);

// ALTER TABLE ... ADD COLUMN ... DEFAULT records the value rows written before the
// column existed read as (key kMissingValuePrefix + column id); without one they read
// as NULL. PostgreSQL's "missing value", evaluated once when the column is added.
inline constexpr std::string_view kMissingValuePrefix = "tdb.missing.";
std::string MissingValueKey(uint32_t column_id);
std::string EncodeMissingValue(const Value& value);
// The value older rows read for field `field` of `schema` (NULL when none recorded).
Value MissingValue(const Schema& schema, size_t field);

// Structural hash of fields and metadata (every member of every field).
size_t HashSchemaParts(const std::vector<Field>& fields, const SchemaMetadata& metadata);

}  // namespace tenantdb
