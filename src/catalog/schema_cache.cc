#include "catalog/schema_cache.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdlib>
#include <deque>

namespace tenantdb {

namespace {

// A slot is one word: 16 bits of the key's hash on top, the entry pointer in the low 48
// bits (x86-64 and AArch64 user space), and in the pointer's always-zero bit 0 the CLOCK
// reference bit. Everything the cache does without reading an entry's id happens on
// slot words alone: a probe compares tags and dereferences only an entry whose tag
// matches; the home slot of a key is computed from its tag, so moving and rehashing
// entries never touches them; and the evictor reads and clears reference bits in the
// array. Entries are cold memory in a big catalog, so this is most of a miss's cost.
constexpr uintptr_t kEmpty = 0;
constexpr uintptr_t kReferenced = 1;
constexpr int kTagShift = 48;
constexpr uintptr_t kPointerMask = ((uintptr_t{1} << kTagShift) - 1) & ~kReferenced;
constexpr uintptr_t kTagMask = ~((uintptr_t{1} << kTagShift) - 1);

// Bits 32..47 of the hash (the top bits pick the shard).
uintptr_t TagOf(uint64_t hash) {
  return ((hash >> 32) & 0xffff) << kTagShift;
}
uintptr_t Pack(const TableEntry* e, uint64_t hash) {
  const uintptr_t p = reinterpret_cast<uintptr_t>(e);
  if ((p & ~kPointerMask) != 0) std::abort();  // beyond 48 bits or misaligned: unsupported
  return p | TagOf(hash);
}
const TableEntry* EntryOf(uintptr_t word) {
  return reinterpret_cast<const TableEntry*>(word & kPointerMask);
}
bool TagMatches(uintptr_t word, uintptr_t tag) {
  return (word & kTagMask) == tag;
}

// Entries a shard collects before starting one grace period for all of them.
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

// The home slot of a key: its 16-bit tag scaled onto [0, size) without a division.
// Homes are spread evenly while size <= 65536 (a shard of 39,000 entries at load 0.6;
// 256 shards make 10 million); beyond that only every (size/65536)th slot is a home and
// probe runs lengthen.
size_t HomeOf(uintptr_t word_or_tag, size_t size) {
  return static_cast<size_t>(((word_or_tag >> kTagShift) * size) >> 16);
}
size_t SlotIndex(uint64_t hash, size_t size) {
  return HomeOf(TagOf(hash), size);
}

}  // namespace

// One shard's linear-probing array. Replaced whole when it must grow, never resized in
// place, so a reader that loaded the pointer can probe it while a writer builds the
// next one.
struct SchemaCache::SlotArray {
  explicit SlotArray(size_t n) : size(n), slots(std::make_unique<std::atomic<uintptr_t>[]>(n)) {
    for (size_t i = 0; i < n; ++i)
      slots[i].store(kEmpty, std::memory_order_relaxed);
  }
  size_t Next(size_t i) const { return i + 1 == size ? 0 : i + 1; }
  const size_t size;
  std::unique_ptr<std::atomic<uintptr_t>[]> slots;
};

// Entries removed together, waiting for readers that might still see them.
struct SchemaCache::RetiredBatch {
  std::vector<const TableEntry*> entries;
  std::shared_ptr<std::atomic<bool>> grace_over;  // set by an RCU callback
};

struct SchemaCache::ReleaseList {
  ReleaseList() = default;
  ReleaseList(const ReleaseList&) = delete;
  ReleaseList& operator=(const ReleaseList&) = delete;
  ~ReleaseList() {
    for (const RetiredBatch& batch : batches) {
      for (const TableEntry* e : batch.entries)
        e->Release();
    }
  }
  std::vector<RetiredBatch> batches;
};

struct alignas(64) SchemaCache::Shard {
  // What readers probe: alone on its cache line, so writers updating the fields below
  // do not pull the line away from every reader of the shard.
  std::atomic<const SlotArray*> published{nullptr};
  alignas(64) std::mutex mu;
  std::shared_ptr<SlotArray> array;  // owner of `published`
  std::atomic<size_t> live{0};
  size_t hand = 0;  // CLOCK hand: next slot the evictor looks at
  std::atomic<uint64_t> evictions{0};
  std::vector<const TableEntry*> retired;  // removed, no grace period started yet
  std::deque<RetiredBatch> waiting;        // grace period started, oldest first
};

SchemaCache::SchemaCache(Options options, Loader loader)
    : loader_(std::move(loader)), capacity_(std::max<size_t>(1, options.capacity)) {
  size_t shards = options.shards;
  if (shards == 0) shards = std::clamp<size_t>(capacity_ / 1024, 1, 256);
  shards = std::bit_floor(std::clamp<size_t>(shards, 1, 256));
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
  RcuBarrier();  // every grace period started so far is over
  ReleaseList ready;
  for (auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    TakeReleasableLocked(*shard, ready);
  }
}

SchemaCache::Shard& SchemaCache::ShardFor(uint64_t hash) const {
  return *shards_[shard_bits_ == 0 ? 0 : hash >> (64 - shard_bits_)];
}

const TableEntry* SchemaCache::Lookup(const Shard& shard, uint64_t hash, const TableId& id,
                                      bool touch) const {
  const SlotArray* array = shard.published.load(std::memory_order_acquire);
  const uintptr_t tag = TagOf(hash);
  size_t i = SlotIndex(hash, array->size);
  for (size_t probes = 0; probes < array->size; ++probes) {
    const uintptr_t word = array->slots[i].load(std::memory_order_acquire);
    if (word == kEmpty) return nullptr;
    if (TagMatches(word, tag) && EntryOf(word)->id_ == id) {
      if (touch && (word & kReferenced) == 0) {
        // Only when clear, so hot entries cost readers no write. A CAS, not an OR: if a
        // writer changed the slot meanwhile, the bit must not land on what is there now.
        uintptr_t expected = word;
        array->slots[i].compare_exchange_strong(expected, word | kReferenced,
                                                std::memory_order_relaxed);
      }
      return EntryOf(word);
    }
    i = array->Next(i);
  }
  return nullptr;
}

Result<TableEntryRef> SchemaCache::Get(const TableId& id) {
  const uint64_t hash = HashTableId(id);
  {
    RcuReadSection section;
    if (const TableEntry* e = Lookup(ShardFor(hash), hash, id, /*touch=*/true)) {
      hits_.Add();
      return TableEntryRef(e);  // safe: the cache's own reference outlives the section
    }
  }
  RcuReadSection section;
  TDB_ASSIGN_OR_RETURN(const TableEntry* e, LoadAndInsert(id, hash));
  return TableEntryRef(e);
}

Result<const TableEntry*> SchemaCache::Get(const RcuReadSection&, const TableId& id) {
  const uint64_t hash = HashTableId(id);
  if (const TableEntry* e = Lookup(ShardFor(hash), hash, id, /*touch=*/true)) {
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
  ReleaseList ready;
  std::lock_guard<std::mutex> lock(shard.mu);
  TakeReleasableLocked(shard, ready);
  return InsertLocked(shard, hash, loaded, /*replace=*/false);
}

Result<TableEntryRef> SchemaCache::GetByName(std::string_view ns, std::string_view table) {
  TDB_ASSIGN_OR_RETURN(TableId id, TableId::Make(ns, table));
  return Get(id);
}

TableEntryRef SchemaCache::Peek(const TableId& id) const {
  const uint64_t hash = HashTableId(id);
  RcuReadSection section;
  return TableEntryRef(Lookup(ShardFor(hash), hash, id, /*touch=*/false));
}

void SchemaCache::Insert(TableEntryRef entry) {
  const uint64_t hash = HashTableId(entry->id());
  Shard& shard = ShardFor(hash);
  ReleaseList ready;
  std::lock_guard<std::mutex> lock(shard.mu);
  TakeReleasableLocked(shard, ready);
  InsertLocked(shard, hash, entry, /*replace=*/true);
}

const TableEntry* SchemaCache::InsertLocked(Shard& shard, uint64_t hash, const TableEntryRef& entry,
                                            bool replace) {
  SlotArray* array = shard.array.get();
  const uintptr_t tag = TagOf(hash);
  for (size_t i = SlotIndex(hash, array->size), probes = 0; probes < array->size;
       ++probes, i = array->Next(i)) {
    const uintptr_t word = array->slots[i].load(std::memory_order_relaxed);
    if (word == kEmpty) break;
    const TableEntry* e = EntryOf(word);
    if (TagMatches(word, tag) && e->id_ == entry->id_) {
      if (!replace) return e;  // another thread loaded it first: keep one copy
      entry->AddRef();         // the cache's reference
      array->slots[i].store(Pack(entry.get(), hash), std::memory_order_release);
      RetireLocked(shard, e);
      FlushRetiredLocked(shard);
      return entry.get();
    }
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
  if ((live + 1) * 10 > array->size * 7) {
    GrowLocked(shard, live + 1);
    array = shard.array.get();
  }
  size_t i = SlotIndex(hash, array->size);
  while (array->slots[i].load(std::memory_order_relaxed) != kEmpty)
    i = array->Next(i);
  entry->AddRef();  // the cache's reference
  array->slots[i].store(Pack(entry.get(), hash), std::memory_order_release);
  shard.live.fetch_add(1, std::memory_order_relaxed);
  return entry.get();
}

void SchemaCache::EvictOneLocked(Shard& shard) {
  SlotArray* array = shard.array.get();
  // Terminates: live >= 1, and one full sweep clears every reference bit.
  while (true) {
    if (shard.hand >= array->size) shard.hand = 0;
    const uintptr_t word = array->slots[shard.hand].load(std::memory_order_relaxed);
    if (word != kEmpty) {
      const TableEntry* e = EntryOf(word);
      if (word & kReferenced) {
        // A reader's CAS may set it again at once; losing such a race only costs the
        // entry one early second chance.
        array->slots[shard.hand].store(word & ~kReferenced, std::memory_order_relaxed);
      } else {
        // The hand stays: the shift may have moved an unvisited entry into this slot.
        RemoveSlotLocked(shard, shard.hand);
        shard.live.fetch_sub(1, std::memory_order_relaxed);  // the insert adds it back
        shard.evictions.fetch_add(1, std::memory_order_relaxed);
        RetireLocked(shard, e);
        return;
      }
    }
    ++shard.hand;
  }
}

void SchemaCache::RemoveSlotLocked(Shard& shard, size_t hole) {
  // Backward-shift deletion: walk the run after the hole; an entry whose home slot does
  // not lie in (hole, j] can be found from the hole too, so it moves there and its old
  // slot becomes the hole. Each store is atomic; readers see every entry somewhere
  // except, briefly, one being moved behind them (a harmless miss, see the header).
  SlotArray* array = shard.array.get();
  for (size_t j = array->Next(hole);; j = array->Next(j)) {
    const uintptr_t word = array->slots[j].load(std::memory_order_relaxed);
    if (word == kEmpty) break;
    const size_t home = HomeOf(word, array->size);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    array->slots[hole].store(word, std::memory_order_release);
    hole = j;
  }
  array->slots[hole].store(kEmpty, std::memory_order_release);
}

void SchemaCache::GrowLocked(Shard& shard, size_t min_live) {
  // Load factor 0.5 after growing; the next growth comes at 0.7, so growth is geometric
  // (x1.4), linear-probing runs stay short (misses probe ~6 slots at 0.7 against ~13
  // at 0.8) and slot memory stays near 11-16 bytes per entry.
  const size_t size = std::max<size_t>(kMinSlots, min_live * 2 + 1);
  auto next = std::make_shared<SlotArray>(size);
  const SlotArray& old = *shard.array;
  for (size_t i = 0; i < old.size; ++i) {
    const uintptr_t word = old.slots[i].load(std::memory_order_relaxed);
    if (word == kEmpty) continue;
    size_t j = HomeOf(word, size);
    while (next->slots[j].load(std::memory_order_relaxed) != kEmpty)
      j = next->Next(j);
    next->slots[j].store(word, std::memory_order_relaxed);
  }
  shard.published.store(next.get(), std::memory_order_release);
  // Readers may still be probing the old array: free it after a grace period.
  RcuDefer([old_array = std::move(shard.array)] {});
  shard.array = std::move(next);
  shard.hand = 0;
}

void SchemaCache::RetireLocked(Shard& shard, const TableEntry* entry) {
  shard.retired.push_back(entry);
  if (shard.retired.size() >= kRetireBatch) FlushRetiredLocked(shard);
}

void SchemaCache::FlushRetiredLocked(Shard& shard) {
  if (shard.retired.empty()) return;
  // The RCU callback only raises a flag; the entries are released by this shard's next
  // writer (TakeReleasableLocked), not by liburcu's thread, so freeing stays on the
  // threads doing the work instead of competing with them for cores.
  auto grace_over = std::make_shared<std::atomic<bool>>(false);
  RcuDefer([grace_over] { grace_over->store(true, std::memory_order_release); });
  shard.waiting.push_back(RetiredBatch{std::move(shard.retired), std::move(grace_over)});
  shard.retired.clear();
}

void SchemaCache::TakeReleasableLocked(Shard& shard, ReleaseList& out) {
  while (!shard.waiting.empty() &&
         shard.waiting.front().grace_over->load(std::memory_order_acquire)) {
    out.batches.push_back(std::move(shard.waiting.front()));
    shard.waiting.pop_front();
  }
}

bool SchemaCache::Invalidate(const TableId& id) {
  const uint64_t hash = HashTableId(id);
  Shard& shard = ShardFor(hash);
  ReleaseList ready;
  std::lock_guard<std::mutex> lock(shard.mu);
  TakeReleasableLocked(shard, ready);
  SlotArray* array = shard.array.get();
  const uintptr_t tag = TagOf(hash);
  for (size_t i = SlotIndex(hash, array->size), probes = 0; probes < array->size;
       ++probes, i = array->Next(i)) {
    const uintptr_t word = array->slots[i].load(std::memory_order_relaxed);
    if (word == kEmpty) return false;
    const TableEntry* e = EntryOf(word);
    if (TagMatches(word, tag) && e->id_ == id) {
      RemoveSlotLocked(shard, i);
      shard.live.fetch_sub(1, std::memory_order_relaxed);
      total_live_.fetch_sub(1, std::memory_order_relaxed);
      RetireLocked(shard, e);
      FlushRetiredLocked(shard);
      return true;
    }
  }
  return false;
}

void SchemaCache::Clear() {
  for (auto& shard_ptr : shards_) {
    Shard& shard = *shard_ptr;
    ReleaseList ready;
    std::lock_guard<std::mutex> lock(shard.mu);
    TakeReleasableLocked(shard, ready);
    auto empty = std::make_shared<SlotArray>(kMinSlots);
    shard.published.store(empty.get(), std::memory_order_release);
    for (size_t i = 0; i < shard.array->size; ++i) {
      const uintptr_t word = shard.array->slots[i].load(std::memory_order_relaxed);
      if (word != kEmpty) shard.retired.push_back(EntryOf(word));
    }
    RcuDefer([old_array = std::move(shard.array)] {});
    shard.array = std::move(empty);
    total_live_.fetch_sub(shard.live.exchange(0, std::memory_order_relaxed),
                          std::memory_order_relaxed);
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
