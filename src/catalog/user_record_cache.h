// UserRecordCache: the stored user records (role, credentials version, password hash)
// the persistent catalog read last, so that checking a bearer token — which needs the
// account's current role and credentials version on every request — costs a hash-map
// lookup instead of a RocksDB read.
//
// Consistency: the catalog is the only writer of user records and calls Invalidate()
// after each write. A reader takes Generation() *before* it reads the store and hands it
// to Insert(), which keeps the record only if no write happened since; so the cache
// never holds a record older than a write that has returned. The generation is global
// (user writes are rare): an unrelated write costs a later miss, never a stale read.
//
// Memory: at most `capacity` records (each a few hundred bytes: the hashes); past that
// an arbitrary record of the shard is dropped. Absent users are not remembered.
//
// Thread safety: every method may be called concurrently (sharded mutexes, an atomic
// generation). Records are immutable and shared.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "catalog/catalog_records.h"
#include "ids/identifier.h"

namespace tenantdb {

class UserRecordCache {
 public:
  static constexpr size_t kDefaultCapacity = 16384;

  explicit UserRecordCache(size_t capacity = kDefaultCapacity);
  UserRecordCache(const UserRecordCache&) = delete;
  UserRecordCache& operator=(const UserRecordCache&) = delete;

  // Take before reading the store; pass to Insert().
  uint64_t Generation() const { return generation_.load(std::memory_order_acquire); }

  // The cached record of `user`, or null.
  std::shared_ptr<const UserRecord> Find(std::string_view user) const;
  // Remembers `record` unless a write happened since `generation` was taken. `pin`, the
  // user's interned name, is held while the record is cached: a name whose last handle
  // goes is freed, and every request of that user (a token check, a session) would
  // intern it afresh under a write lock.
  void Insert(std::string_view user, std::shared_ptr<const UserRecord> record, uint64_t generation,
              UserId pin = UserId());
  // After a write of `user`'s record (create, update, drop): forgets it and turns away
  // fills that read the store before the write.
  void Invalidate(std::string_view user);

  size_t size() const;

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    struct Entry {
      std::shared_ptr<const UserRecord> record;
      UserId pin;
    };
    absl::flat_hash_map<std::string, Entry> records;
  };
  Shard& ShardFor(std::string_view user) const;

  const size_t shard_capacity_;
  std::atomic<uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace tenantdb
