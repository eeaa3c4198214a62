// SchemaPool: hash-consing of Schemas, so tables with identical columns share one object.
//
// A chat application with a million users declares `messages` once, but a catalog that
// builds a Schema per table (or per version) would hold a million equal copies. Intern()
// returns the existing Schema when an equal one is alive, else publishes a new one. The
// pool holds no ownership: when the last table (or reader) drops a schema, the schema is
// freed and leaves the pool. Equality is checked member by member whenever hashes match,
// so a hash collision can never hand out the wrong schema.
//
// Thread safety: all methods may be called concurrently (one mutex; interning happens at
// DDL and catalog load, not per query). Schemas outlive the pool safely.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "types/schema.h"

namespace tenantdb {

class SchemaPool {
 public:
  using HashFunction = size_t (*)(const std::vector<Field>&, const SchemaMetadata&);

  // `hash` is replaceable so tests can force collisions.
  explicit SchemaPool(HashFunction hash = &HashSchemaParts);
  ~SchemaPool();
  SchemaPool(const SchemaPool&) = delete;
  SchemaPool& operator=(const SchemaPool&) = delete;

  // The shared Schema equal to (fields, metadata), created if none is alive.
  std::shared_ptr<const Schema> Intern(std::vector<Field> fields, SchemaMetadata metadata = {});

  struct Stats {
    uint64_t intern_calls = 0;
    uint64_t unique_schemas = 0;  // alive now
    // 1 - unique_schemas / intern_calls: the share of Intern calls answered by an
    // existing schema (0 when nothing was interned).
    double dedup_rate = 0;
  };
  Stats stats() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the deleters of live schemas
};

}  // namespace tenantdb
