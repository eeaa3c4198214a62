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

// ALTER TABLE ... RENAME COLUMN records, in the new schema's metadata, the names a
// column had before (key kRenamedColumnPrefix + current name, value the former names
// newest first, comma-separated), so rows and files written under an older version are
// still found by name.
inline constexpr std::string_view kRenamedColumnPrefix = "tdb.renamed_from.";
std::vector<std::string> FormerNames(const Schema& schema, std::string_view field);
// Position in `source` of field `target_field` of `target`: by its name, else by one of
// its former names.
std::optional<size_t> FindFieldOrFormer(const Schema& source, const Schema& target,
                                        size_t target_field);

// ALTER TABLE ... ADD COLUMN ... DEFAULT records the value rows written before the
// column existed read as (key kMissingValuePrefix + column name); without one they read
// as NULL. PostgreSQL's "missing value", evaluated once when the column is added.
inline constexpr std::string_view kMissingValuePrefix = "tdb.missing.";
// DROP COLUMN records the name: stored rows and files keep values under it.
inline constexpr std::string_view kDroppedColumnPrefix = "tdb.dropped.";
std::string EncodeMissingValue(const Value& value);
// The value older rows read for field `field` of `schema` (NULL when none recorded).
Value MissingValue(const Schema& schema, size_t field);

// Structural hash of fields and metadata (every member of every field).
size_t HashSchemaParts(const std::vector<Field>& fields, const SchemaMetadata& metadata);

}  // namespace tenantdb
