#include "ids/symbol_table.h"

#include <cassert>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace tenantdb {

namespace {

constexpr size_t kShardCount = 16;
constexpr uint32_t kNoFreeSlot = 0;  // slot 0 is the empty symbol, never on the free list

size_t HashText(std::string_view text) {
  return absl::Hash<std::string_view>()(text);
}

}  // namespace

// One shard of the lookup index: slot indices hashed and compared by their text, so a
// lookup by string_view finds the index without building a key.
struct SymbolTable::Shards {
  struct Hash {
    using is_transparent = void;
    const SymbolTable* table;
    size_t operator()(uint32_t index) const { return HashText(table->View(index)); }
    size_t operator()(std::string_view text) const { return HashText(text); }
  };
  struct Eq {
    using is_transparent = void;
    const SymbolTable* table;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, std::string_view b) const { return table->View(a) == b; }
    bool operator()(std::string_view a, uint32_t b) const { return a == table->View(b); }
  };
  struct Shard {
    explicit Shard(const SymbolTable* table) : set(0, Hash{table}, Eq{table}) {}
    mutable std::shared_mutex mu;
    absl::flat_hash_set<uint32_t, Hash, Eq> set;
  };

  explicit Shards(const SymbolTable* table) {
    for (auto& shard : shards)
      shard = std::make_unique<Shard>(table);
  }
  std::unique_ptr<Shard> shards[kShardCount];

  // Slot allocation is global (not per shard) so that chunks fill densely.
  std::mutex alloc_mu;
  uint32_t next_unused = 1;  // slots below this have been handed out at least once
  uint32_t free_head = kNoFreeSlot;
  std::vector<std::unique_ptr<Chunk>> chunks;
  std::vector<std::unique_ptr<DirectoryPage>> pages;
};

SymbolTable::SymbolTable() : shards_(std::make_unique<Shards>(this)) {
  // Reserve slot 0 for the empty symbol by allocating the first chunk now.
  std::lock_guard<std::mutex> lock(shards_->alloc_mu);
  shards_->pages.push_back(std::make_unique<DirectoryPage>());
  pages_[0].store(shards_->pages.back().get(), std::memory_order_release);
  shards_->chunks.push_back(std::make_unique<Chunk>());
  pages_[0].load()->chunks[0].store(shards_->chunks.back().get(), std::memory_order_release);
}

SymbolTable::~SymbolTable() = default;

size_t SymbolTable::ShardOf(std::string_view text) const {
  // The high bits: absl's table uses the low ones, so shard and bucket stay independent.
  return HashText(text) >> (sizeof(size_t) * 8 - 4);
}

std::string_view SymbolTable::View(uint32_t index) const {
  const Slot& slot = SlotAt(index);
  if (slot.length <= kInlineLength) return std::string_view(slot.text, slot.length);
  const char* heap;
  std::memcpy(&heap, slot.text + 3, sizeof(heap));
  return std::string_view(heap, slot.length);
}

uint32_t SymbolTable::Intern(std::string_view text, bool create) {
  assert(!text.empty() && text.size() <= kMaxLength);
  Shards::Shard& shard = *shards_->shards[ShardOf(text)];
  {
    // A slot reachable from the set always has refs >= 1 here: the count only reaches
    // zero under the exclusive lock (see Unref), so this increment never revives a slot
    // that is being freed.
    std::shared_lock<std::shared_mutex> lock(shard.mu);
    auto it = shard.set.find(text);
    if (it != shard.set.end()) {
      Ref(*it);
      return *it;
    }
  }
  if (!create) return 0;
  std::unique_lock<std::shared_mutex> lock(shard.mu);
  auto it = shard.set.find(text);
  if (it != shard.set.end()) {
    Ref(*it);
    return *it;
  }
  uint32_t index = AllocateSlot(text);
  shard.set.insert(index);
  return index;
}

void SymbolTable::Unref(uint32_t index) {
  Slot& slot = SlotAt(index);
  uint32_t refs = slot.refs.load(std::memory_order_relaxed);
  // Fast path: not the last reference, so no lock. Dropping the last one must happen
  // under the shard's exclusive lock so that Intern cannot find the slot in between.
  if (refs >= kImmortal) return;
  while (refs > 1) {
    if (slot.refs.compare_exchange_weak(refs, refs - 1, std::memory_order_release,
                                        std::memory_order_relaxed)) {
      return;
    }
  }
  Shards::Shard& shard = *shards_->shards[ShardOf(View(index))];
  std::unique_lock<std::shared_mutex> lock(shard.mu);
  if (slot.refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;  // revived by Intern
  shard.set.erase(index);
  FreeSlot(index);
}

uint32_t SymbolTable::AllocateSlot(std::string_view text) {
  std::lock_guard<std::mutex> lock(shards_->alloc_mu);
  uint32_t index;
  if (shards_->free_head != kNoFreeSlot) {
    index = shards_->free_head;
    std::memcpy(&shards_->free_head, SlotAt(index).text + 3, sizeof(uint32_t));
  } else {
    index = shards_->next_unused++;
    if ((index & ((1u << kChunkBits) - 1)) == 0) {  // first slot of a new chunk
      uint32_t page_index = index >> (kChunkBits + kDirectoryBits);
      if (page_index >= kPageCount) std::abort();  // 2^28 live names: beyond any catalog
      if (pages_[page_index].load(std::memory_order_relaxed) == nullptr) {
        shards_->pages.push_back(std::make_unique<DirectoryPage>());
        pages_[page_index].store(shards_->pages.back().get(), std::memory_order_release);
      }
      shards_->chunks.push_back(std::make_unique<Chunk>());
      pages_[page_index]
          .load(std::memory_order_relaxed)
          ->chunks[(index >> kChunkBits) & ((1u << kDirectoryBits) - 1)]
          .store(shards_->chunks.back().get(), std::memory_order_release);
    }
  }
  Slot& slot = SlotAt(index);
  slot.length = static_cast<uint8_t>(text.size());
  if (text.size() <= kInlineLength) {
    std::memcpy(slot.text, text.data(), text.size());
  } else {
    char* heap = std::allocator<char>().allocate(text.size());
    std::memcpy(heap, text.data(), text.size());
    std::memcpy(slot.text + 3, &heap, sizeof(heap));
  }
  slot.refs.store(1, std::memory_order_relaxed);
  live_.fetch_add(1, std::memory_order_relaxed);
  return index;
}

void SymbolTable::FreeSlot(uint32_t index) {
  Slot& slot = SlotAt(index);
  if (slot.length > kInlineLength) {
    char* heap;
    std::memcpy(&heap, slot.text + 3, sizeof(heap));
    std::allocator<char>().deallocate(heap, slot.length);
  }
  std::lock_guard<std::mutex> lock(shards_->alloc_mu);
  slot.length = 0;
  std::memcpy(slot.text + 3, &shards_->free_head, sizeof(uint32_t));
  shards_->free_head = index;
  live_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace tenantdb
