#include "catalog/schema_cache.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace tenantdb {

namespace {

// A removed slot. Probes walk past it (the chain continues), inserts may reuse it.
const TableEntry* const kTombstone = reinterpret_cast<const TableEntry*>(uintptr_t{1});

// Entries a shard collects before handing them to RCU in one callback.
constexpr size_t kRetireBatch = 64;

uint64_t HashTableId(const TableId& id) {
  // splitmix64's finalizer: spreads the two symbol indices over all 64 bits.
  uint64_t x = id.packed();
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Maps the hash's low 32 bits onto [0, size) without a division (size < 2^32).
size_t SlotIndex(uint64_t hash, size_t size) {
  return static_cast<size_t>(((hash & 0xffffffffULL) * size) >> 32);
}

}  // namespace

// One shard's open-addressing array with linear probing. Replaced whole when it needs
// to grow or is clogged with tombstones; never resized in place, so a reader that loaded
// the pointer can probe it to the end while a writer builds the next one.
struct SchemaCache::SlotArray {
  explicit SlotArray(size_t n) : size(n), slots(std::make_unique<std::atomic<const TableEntry*>[]>(n)) {
    for (size_t i = 0; i < n; ++i) slots[i].store(nullptr, std::memory_order_relaxed);
  }
  const size_t size;
  std::unique_ptr<std::atomic<const TableEntry*>[]> slots;
};

struct alignas(64) SchemaCache::Shard {
  std::mutex mu;
  std::atomic<const SlotArray*> published{nullptr};  // what readers probe
  std::shared_ptr<SlotArray> array;                  // owner of `published`
  size_t capacity = 0;                               // most live entries in this shard
  size_t max_slots = 0;                              // slot array size at full capacity
  std::atomic<size_t> live{0};
  size_t tombstones = 0;
  size_t hand = 0;  // CLOCK hand: next slot the evictor looks at
  std::atomic<uint64_t> evictions{0};
  std::vector<const TableEntry*> retired;  // removed, awaiting a grace period
};

SchemaCache::SchemaCache(Options options, Loader loader)
    : loader_(std::move(loader)), capacity_(std::max<size_t>(1, options.capacity)) {
  size_t shards = options.shards;
  if (shards == 0) shards = std::clamp<size_t>(capacity_ / 1024, 1, 64);
  shards = std::bit_floor(std::clamp<size_t>(shards, 1, 64));
  shard_bits_ = std::countr_zero(shards);
  for (size_t i = 0; i < shards; ++i) {
    auto shard = std::make_unique<Shard>();
    // Spread capacity so the shard capacities add up to exactly capacity_.
    shard->capacity = capacity_ / shards + (i < capacity_ % shards ? 1 : 0);
    shard->capacity = std::max<size_t>(shard->capacity, 1);
    shard->max_slots = shard->capacity + shard->capacity / 3 + 2;  // load factor <= 0.75
    shard->array = std::make_shared<SlotArray>(std::min<size_t>(16, shard->max_slots));
    shard->published.store(shard->array.get(), std::memory_order_release);
    shards_.push_back(std::move(shard));
  }
}

SchemaCache::~SchemaCache() {
  Clear();
  RcuBarrier();  // run every deferred release before the shards go away
}

SchemaCache::Shard& SchemaCache::ShardFor(uint64_t hash) const {
  return *shards_[shard_bits_ == 0 ? 0 : hash >> (64 - shard_bits_)];
}

const TableEntry* SchemaCache::Lookup(const Shard& shard, uint64_t hash,
                                      const TableId& id) const {
  const SlotArray* array = shard.published.load(std::memory_order_acquire);
  size_t i = SlotIndex(hash, array->size);
  for (size_t probes = 0; probes < array->size; ++probes) {
    const TableEntry* e = array->slots[i].load(std::memory_order_acquire);
    if (e == nullptr) return nullptr;
    if (e != kTombstone && e->id_ == id) return e;
    if (++i == array->size) i = 0;
  }
  return nullptr;
}

Result<TableEntryRef> SchemaCache::Get(const TableId& id) {
  const uint64_t hash = HashTableId(id);
  {
    RcuReadSection section;
    if (const TableEntry* e = Lookup(ShardFor(hash), hash, id)) {
      if (!e->referenced_.load(std::memory_order_relaxed)) {
        e->referenced_.store(true, std::memory_order_relaxed);
      }
      hits_.Add();
      return TableEntryRef(e);  // safe: RCU keeps the cache's own reference alive
    }
  }
  RcuReadSection section;
  TDB_ASSIGN_OR_RETURN(const TableEntry* e, LoadAndInsert(id, hash));
  return TableEntryRef(e);
}

Result<const TableEntry*> SchemaCache::Get(const RcuReadSection&, const TableId& id) {
  const uint64_t hash = HashTableId(id);
  if (const TableEntry* e = Lookup(ShardFor(hash), hash, id)) {
    if (!e->referenced_.load(std::memory_order_relaxed)) {
      e->referenced_.store(true, std::memory_order_relaxed);
    }
    hits_.Add();
    return e;
  }
  return LoadAndInsert(id, hash);
}

Result<const TableEntry*> SchemaCache::LoadAndInsert(const TableId& id, uint64_t hash) {
  // Called inside a read section: the returned pointer stays valid until it closes even
  // if another thread evicts the entry right after it is inserted.
  misses_.Add();
  TDB_ASSIGN_OR_RETURN(TableEntryRef loaded, loader_(id));
  if (!loaded || !(loaded->id() == id)) {
    return Status(ErrorCode::kInternal,
                  "catalog loader returned the wrong table for " + id.ToString());
  }
  Shard& shard = ShardFor(hash);
  std::lock_guard<std::mutex> lock(shard.mu);
  return InsertLocked(shard, hash, loaded, /*replace=*/false);
}

Result<TableEntryRef> SchemaCache::GetByName(std::string_view ns, std::string_view table) {
  TDB_ASSIGN_OR_RETURN(TableId id, TableId::Make(ns, table));
  return Get(id);
}

TableEntryRef SchemaCache::Peek(const TableId& id) const {
  const uint64_t hash = HashTableId(id);
  RcuReadSection section;
  return TableEntryRef(Lookup(ShardFor(hash), hash, id));
}

void SchemaCache::Insert(TableEntryRef entry) {
  const uint64_t hash = HashTableId(entry->id());
  Shard& shard = ShardFor(hash);
  std::lock_guard<std::mutex> lock(shard.mu);
  InsertLocked(shard, hash, entry, /*replace=*/true);
}

const TableEntry* SchemaCache::InsertLocked(Shard& shard, uint64_t hash,
                                            const TableEntryRef& entry, bool replace) {
  SlotArray* array = shard.array.get();
  size_t i = SlotIndex(hash, array->size);
  size_t free_slot = array->size;  // first tombstone on the probe path, if any
  for (size_t probes = 0; probes < array->size; ++probes) {
    const TableEntry* e = array->slots[i].load(std::memory_order_relaxed);
    if (e == nullptr) break;
    if (e == kTombstone) {
      if (free_slot == array->size) free_slot = i;
    } else if (e->id_ == entry->id_) {
      if (!replace) return e;  // another thread loaded it first: keep one copy
      entry->AddRef();         // the cache's reference
      array->slots[i].store(entry.get(), std::memory_order_release);
      RetireLocked(shard, e);
      FlushRetiredLocked(shard);
      return entry.get();
    }
    if (++i == array->size) i = 0;
  }

  if (shard.live.load(std::memory_order_relaxed) >= shard.capacity) EvictOneLocked(shard);
  const size_t live = shard.live.load(std::memory_order_relaxed);
  if ((live + shard.tombstones + 1) * 8 > array->size * 7) {
    RebuildLocked(shard, live + 1);
    return InsertLocked(shard, hash, entry, replace);  // probe the new array
  }
  if (free_slot == array->size) free_slot = i;  // the empty slot that ended the probe
  if (array->slots[free_slot].load(std::memory_order_relaxed) == kTombstone) --shard.tombstones;
  entry->AddRef();  // the cache's reference
  array->slots[free_slot].store(entry.get(), std::memory_order_release);
  shard.live.fetch_add(1, std::memory_order_relaxed);
  return entry.get();
}

void SchemaCache::EvictOneLocked(Shard& shard) {
  SlotArray* array = shard.array.get();
  // Terminates: live >= 1, and one full sweep clears every reference bit.
  while (true) {
    if (shard.hand >= array->size) shard.hand = 0;
    const TableEntry* e = array->slots[shard.hand].load(std::memory_order_relaxed);
    if (e != nullptr && e != kTombstone) {
      if (e->referenced_.load(std::memory_order_relaxed)) {
        e->referenced_.store(false, std::memory_order_relaxed);
      } else {
        array->slots[shard.hand].store(kTombstone, std::memory_order_release);
        shard.live.fetch_sub(1, std::memory_order_relaxed);
        ++shard.tombstones;
        shard.evictions.fetch_add(1, std::memory_order_relaxed);
        RetireLocked(shard, e);
        ++shard.hand;
        return;
      }
    }
    ++shard.hand;
  }
}

void SchemaCache::RebuildLocked(Shard& shard, size_t min_live) {
  // Double for growth, capped at the size that holds `capacity` at load 0.75.
  const size_t size = std::clamp<size_t>(2 * min_live, 16, std::max<size_t>(shard.max_slots, 16));
  auto next = std::make_shared<SlotArray>(size);
  const SlotArray& old = *shard.array;
  for (size_t i = 0; i < old.size; ++i) {
    const TableEntry* e = old.slots[i].load(std::memory_order_relaxed);
    if (e == nullptr || e == kTombstone) continue;
    size_t j = SlotIndex(HashTableId(e->id_), size);
    while (next->slots[j].load(std::memory_order_relaxed) != nullptr) {
      if (++j == size) j = 0;
    }
    next->slots[j].store(e, std::memory_order_relaxed);
  }
  shard.published.store(next.get(), std::memory_order_release);
  // Readers may still be probing the old array: free it after a grace period.
  RcuDefer([old_array = std::move(shard.array)] {});
  shard.array = std::move(next);
  shard.tombstones = 0;
  shard.hand = 0;
}

void SchemaCache::RetireLocked(Shard& shard, const TableEntry* entry) {
  shard.retired.push_back(entry);
  if (shard.retired.size() >= kRetireBatch) FlushRetiredLocked(shard);
}

void SchemaCache::FlushRetiredLocked(Shard& shard) {
  if (shard.retired.empty()) return;
  RcuDefer([batch = std::move(shard.retired)] {
    for (const TableEntry* e : batch) e->Release();
  });
  shard.retired.clear();
}

bool SchemaCache::Invalidate(const TableId& id) {
  const uint64_t hash = HashTableId(id);
  Shard& shard = ShardFor(hash);
  std::lock_guard<std::mutex> lock(shard.mu);
  SlotArray* array = shard.array.get();
  size_t i = SlotIndex(hash, array->size);
  for (size_t probes = 0; probes < array->size; ++probes) {
    const TableEntry* e = array->slots[i].load(std::memory_order_relaxed);
    if (e == nullptr) return false;
    if (e != kTombstone && e->id_ == id) {
      array->slots[i].store(kTombstone, std::memory_order_release);
      shard.live.fetch_sub(1, std::memory_order_relaxed);
      ++shard.tombstones;
      RetireLocked(shard, e);
      FlushRetiredLocked(shard);
      return true;
    }
    if (++i == array->size) i = 0;
  }
  return false;
}

void SchemaCache::Clear() {
  for (auto& shard_ptr : shards_) {
    Shard& shard = *shard_ptr;
    std::lock_guard<std::mutex> lock(shard.mu);
    auto empty = std::make_shared<SlotArray>(std::min<size_t>(16, shard.max_slots));
    shard.published.store(empty.get(), std::memory_order_release);
    for (size_t i = 0; i < shard.array->size; ++i) {
      const TableEntry* e = shard.array->slots[i].load(std::memory_order_relaxed);
      if (e != nullptr && e != kTombstone) shard.retired.push_back(e);
    }
    RcuDefer([old_array = std::move(shard.array)] {});
    shard.array = std::move(empty);
    shard.live.store(0, std::memory_order_relaxed);
    shard.tombstones = 0;
    shard.hand = 0;
    FlushRetiredLocked(shard);
  }
}

Result<std::string> SchemaCache::StoragePath(const TableId& table, const UserId* user,
                                             std::optional<uint32_t> shard) {
  RcuReadSection section;
  TDB_ASSIGN_OR_RETURN(const TableEntry* e, Get(section, table));
  return e->StoragePath(user, shard);
}

SchemaCache::Stats SchemaCache::stats() const {
  Stats s;
  s.hits = hits_.Read();
  s.misses = misses_.Read();
  s.capacity = capacity_;
  for (const auto& shard : shards_) {
    s.entries += shard->live.load(std::memory_order_relaxed);
    s.evictions += shard->evictions.load(std::memory_order_relaxed);
  }
  return s;
}

void SchemaCache::ResetCounters() {
  hits_.Reset();
  misses_.Reset();
  for (auto& shard : shards_) shard->evictions.store(0, std::memory_order_relaxed);
}

}  // namespace tenantdb
