#include "catalog/schema_cache.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdlib>

namespace tenantdb {

namespace {

// A slot is one word: the entry pointer in the low 48 bits (x86-64 and AArch64 user
// space) and 16 bits of the key's hash on top, so a probe compares tags and only
// dereferences an entry whose tag matches: a miss walks a run of slots in one or two
// cache lines instead of touching one entry per slot.
constexpr uintptr_t kEmpty = 0;
// A removed slot. Probes walk past it (the chain continues), inserts may reuse it.
constexpr uintptr_t kTombstone = 1;
constexpr int kTagShift = 48;
constexpr uintptr_t kPointerMask = (uintptr_t{1} << kTagShift) - 1;

// Bits 32..47 of the hash: the low 32 bits pick the slot and the top bits the shard.
uintptr_t TagOf(uint64_t hash) {
  return ((hash >> 32) & 0xffff) << kTagShift;
}
uintptr_t Pack(const TableEntry* e, uint64_t hash) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(e);
  if ((p & ~kPointerMask) != 0) std::abort();  // an address beyond 48 bits: unsupported
  return p | TagOf(hash);
}
const TableEntry* EntryOf(uintptr_t word) {
  return reinterpret_cast<const TableEntry*>(word & kPointerMask);
}
bool IsEntry(uintptr_t word) {
  return word > kTombstone;
}

// Entries a shard collects before handing them to RCU in one callback.
constexpr size_t kRetireBatch = 64;

constexpr size_t kMinSlots = 16;

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
  explicit SlotArray(size_t n) : size(n), slots(std::make_unique<std::atomic<uintptr_t>[]>(n)) {
    for (size_t i = 0; i < n; ++i)
      slots[i].store(kEmpty, std::memory_order_relaxed);
  }
  const size_t size;
  std::unique_ptr<std::atomic<uintptr_t>[]> slots;
};

struct alignas(64) SchemaCache::Shard {
  // What readers probe: alone on its cache line, so writers updating the fields below
  // do not pull the line away from every reader of the shard.
  std::atomic<const SlotArray*> published{nullptr};
  alignas(64) std::mutex mu;
  std::shared_ptr<SlotArray> array;  // owner of `published`
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
    shard->array = std::make_shared<SlotArray>(kMinSlots);
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

const TableEntry* SchemaCache::Lookup(const Shard& shard, uint64_t hash, const TableId& id) const {
  const SlotArray* array = shard.published.load(std::memory_order_acquire);
  const uintptr_t tag = TagOf(hash);
  size_t i = SlotIndex(hash, array->size);
  for (size_t probes = 0; probes < array->size; ++probes) {
    const uintptr_t word = array->slots[i].load(std::memory_order_acquire);
    if (word == kEmpty) return nullptr;
    if (IsEntry(word) && (word & ~kPointerMask) == tag && EntryOf(word)->id_ == id) {
      return EntryOf(word);
    }
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

const TableEntry* SchemaCache::InsertLocked(Shard& shard, uint64_t hash, const TableEntryRef& entry,
                                            bool replace) {
  SlotArray* array = shard.array.get();
  const uintptr_t tag = TagOf(hash);
  size_t i = SlotIndex(hash, array->size);
  size_t free_slot = array->size;  // first tombstone on the probe path, if any
  for (size_t probes = 0; probes < array->size; ++probes) {
    const uintptr_t word = array->slots[i].load(std::memory_order_relaxed);
    if (word == kEmpty) break;
    const TableEntry* e = EntryOf(word);
    if (word == kTombstone) {
      if (free_slot == array->size) free_slot = i;
    } else if ((word & ~kPointerMask) == tag && e->id_ == entry->id_) {
      if (!replace) return e;  // another thread loaded it first: keep one copy
      entry->AddRef();         // the cache's reference
      array->slots[i].store(Pack(entry.get(), hash), std::memory_order_release);
      RetireLocked(shard, e);
      FlushRetiredLocked(shard);
      return entry.get();
    }
    if (++i == array->size) i = 0;
  }

  // The bound is global; the victim comes from this shard, whose lock we hold. Shards
  // are picked by hash, so this approximates one CLOCK over the whole cache. A full
  // cache only reads the total (one entry out, one in), so a steady stream of misses
  // does not bounce a shared counter between cores; growing claims a unit by CAS, so
  // concurrent inserts in other shards cannot overshoot together.
  size_t total = total_live_.load(std::memory_order_relaxed);
  bool claimed = false;
  while (total < capacity_ && !claimed) {
    claimed = total_live_.compare_exchange_weak(total, total + 1, std::memory_order_relaxed);
  }
  if (!claimed) {
    if (shard.live.load(std::memory_order_relaxed) > 0) {
      EvictOneLocked(shard);
    } else {
      // Full, but every entry sits in other shards: exceed the bound by this one entry
      // rather than take a second shard's lock. Needs capacity < shards to happen.
      total_live_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  const size_t live = shard.live.load(std::memory_order_relaxed);
  if ((live + shard.tombstones + 1) * 5 > array->size * 4) {
    RebuildLocked(shard, live + 1);
    array = shard.array.get();
    free_slot = SlotIndex(hash, array->size);  // no tombstones now: first empty slot
    while (array->slots[free_slot].load(std::memory_order_relaxed) != kEmpty) {
      if (++free_slot == array->size) free_slot = 0;
    }
  }
  if (free_slot == array->size) free_slot = i;  // the empty slot that ended the probe
  if (array->slots[free_slot].load(std::memory_order_relaxed) == kTombstone) --shard.tombstones;
  entry->AddRef();  // the cache's reference
  array->slots[free_slot].store(Pack(entry.get(), hash), std::memory_order_release);
  shard.live.fetch_add(1, std::memory_order_relaxed);
  return entry.get();
}

void SchemaCache::EvictOneLocked(Shard& shard) {
  SlotArray* array = shard.array.get();
  // Terminates: live >= 1, and one full sweep clears every reference bit.
  while (true) {
    if (shard.hand >= array->size) shard.hand = 0;
    const uintptr_t word = array->slots[shard.hand].load(std::memory_order_relaxed);
    if (IsEntry(word)) {
      const TableEntry* e = EntryOf(word);
      if (e->referenced_.load(std::memory_order_relaxed)) {
        e->referenced_.store(false, std::memory_order_relaxed);
      } else {
        array->slots[shard.hand].store(kTombstone, std::memory_order_release);
        shard.live.fetch_sub(1, std::memory_order_relaxed);  // the insert adds it back
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
  // Load factor 0.6 after a rebuild; the next comes when entries and tombstones fill
  // 0.8, so growth is geometric (x1.33), linear-probing runs stay short, and slot
  // memory stays near 10-13 bytes per entry.
  const size_t size = std::max<size_t>(kMinSlots, min_live * 5 / 3 + 1);
  auto next = std::make_shared<SlotArray>(size);
  const SlotArray& old = *shard.array;
  for (size_t i = 0; i < old.size; ++i) {
    const uintptr_t word = old.slots[i].load(std::memory_order_relaxed);
    if (!IsEntry(word)) continue;
    size_t j = SlotIndex(HashTableId(EntryOf(word)->id_), size);
    while (next->slots[j].load(std::memory_order_relaxed) != kEmpty) {
      if (++j == size) j = 0;
    }
    next->slots[j].store(word, std::memory_order_relaxed);
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
    for (const TableEntry* e : batch)
      e->Release();
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
    const uintptr_t word = array->slots[i].load(std::memory_order_relaxed);
    if (word == kEmpty) return false;
    const TableEntry* e = EntryOf(word);
    if (IsEntry(word) && e->id_ == id) {
      array->slots[i].store(kTombstone, std::memory_order_release);
      shard.live.fetch_sub(1, std::memory_order_relaxed);
      total_live_.fetch_sub(1, std::memory_order_relaxed);
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
    auto empty = std::make_shared<SlotArray>(kMinSlots);
    shard.published.store(empty.get(), std::memory_order_release);
    for (size_t i = 0; i < shard.array->size; ++i) {
      const uintptr_t word = shard.array->slots[i].load(std::memory_order_relaxed);
      if (IsEntry(word)) shard.retired.push_back(EntryOf(word));
    }
    RcuDefer([old_array = std::move(shard.array)] {});
    shard.array = std::move(empty);
    total_live_.fetch_sub(shard.live.exchange(0, std::memory_order_relaxed),
                          std::memory_order_relaxed);
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
  for (auto& shard : shards_)
    shard->evictions.store(0, std::memory_order_relaxed);
}

}  // namespace tenantdb
