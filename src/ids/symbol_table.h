// SymbolTable: the process-wide intern table behind every identifier, and Symbol, the
// 4-byte reference-counted handle to one interned string.
//
// Why: a multi-tenant catalog holds millions of names, most of them repeated (every
// table of namespace "chat" names "chat"). Interning stores each distinct string once;
// a Symbol is its 32-bit slot index, so copying, comparing and hashing identifiers is
// O(1) and never allocates. Symbols are reference counted so that the names of users
// and tables that go away are freed and their slots reused: memory follows the live
// set, not the history.
//
// Layout: a slot is 16 bytes (count, length, and up to 11 bytes of text inline; longer
// text lives in its own allocation). Slots sit in chunks of 4096 that never move, so a
// Symbol reads its text and bumps its count without a lock. Per shard (16, picked by
// the string's hash) a hash set of slot indices finds existing strings; it is read
// under a shared lock and written under an exclusive one. Symbol 0 is the empty string:
// permanent and never counted.
//
// Thread safety: everything may be called concurrently. Copying a Symbol is one relaxed
// atomic increment; the release that drops the last reference takes the shard's lock.
// Capacity: 2^28 live symbols; text up to 255 bytes (identifiers are validated to be
// much shorter before they get here).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "common/no_destructor.h"

namespace tenantdb {

class SymbolTable {
 public:
  static constexpr size_t kMaxLength = 255;
  static constexpr size_t kInlineLength = 11;

  // The table every Symbol uses; built on first use and never destroyed, so Symbols in
  // static objects stay valid while the program exits.
  static SymbolTable& Global() {
    static NoDestructor<SymbolTable> table;
    return *table;
  }

  // A count at or above this never changes again: the symbol lives for the rest of the
  // process. For the few names every thread copies all the time (storage ids), where a
  // shared count would bounce between cores on every copy.
  static constexpr uint32_t kImmortal = uint32_t{1} << 31;

  // Slot index of `text` with one reference taken. With create=false, 0 when absent.
  uint32_t Intern(std::string_view text, bool create);
  void Ref(uint32_t index) {
    std::atomic<uint32_t>& refs = SlotAt(index).refs;
    if (refs.load(std::memory_order_relaxed) < kImmortal)
      refs.fetch_add(1, std::memory_order_relaxed);
  }
  // Makes `index` immortal (see kImmortal).
  void MakeImmortal(uint32_t index) {
    std::atomic<uint32_t>& refs = SlotAt(index).refs;
    uint32_t r = refs.load(std::memory_order_relaxed);
    while (r < kImmortal &&
           !refs.compare_exchange_weak(r, r + kImmortal, std::memory_order_relaxed)) {
    }
  }
  void Unref(uint32_t index);
  std::string_view View(uint32_t index) const;

  // Live symbols, excluding the permanent empty one.
  size_t live_symbols() const { return live_.load(std::memory_order_relaxed); }

  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;
  SymbolTable();
  ~SymbolTable();

 private:
  struct Slot {
    std::atomic<uint32_t> refs;  // 0 while the slot is free
    uint8_t length;
    // Text inline when length <= kInlineLength; otherwise bytes 3..10 hold the pointer
    // to the out-of-line copy. A free slot keeps the next free index in bytes 3..6.
    char text[kInlineLength];
  };
  static_assert(sizeof(Slot) == 16);

  static constexpr uint32_t kChunkBits = 12;     // 4096 slots, 64 KiB
  static constexpr uint32_t kDirectoryBits = 8;  // 256 chunks per directory page
  static constexpr uint32_t kPageCount = 256;    // 2^(12+8+8) = 2^28 slots

  struct Chunk {
    Slot slots[size_t{1} << kChunkBits];
  };
  struct DirectoryPage {
    std::atomic<Chunk*> chunks[size_t{1} << kDirectoryBits] = {};
  };

  Slot& SlotAt(uint32_t index) const {
    DirectoryPage* page =
        pages_[index >> (kChunkBits + kDirectoryBits)].load(std::memory_order_acquire);
    Chunk* chunk = page->chunks[(index >> kChunkBits) & ((1u << kDirectoryBits) - 1)].load(
        std::memory_order_acquire);
    return chunk->slots[index & ((1u << kChunkBits) - 1)];
  }

  uint32_t AllocateSlot(std::string_view text);  // caller holds the shard lock
  void FreeSlot(uint32_t index);                 // caller holds the shard lock
  size_t ShardOf(std::string_view text) const;

  struct Shards;  // the per-shard hash sets; defined in the .cc to keep absl out of here
  std::unique_ptr<Shards> shards_;
  std::atomic<DirectoryPage*> pages_[kPageCount] = {};
  std::atomic<size_t> live_{0};
};

class Symbol {
 public:
  // The empty string.
  Symbol() = default;
  Symbol(const Symbol& other) noexcept : index_(other.index_) { Ref(); }
  Symbol(Symbol&& other) noexcept : index_(std::exchange(other.index_, 0)) {}
  Symbol& operator=(const Symbol& other) noexcept {
    Symbol copy(other);
    std::swap(index_, copy.index_);
    return *this;
  }
  Symbol& operator=(Symbol&& other) noexcept {
    std::swap(index_, other.index_);
    return *this;
  }
  ~Symbol() {
    if (index_ != 0) SymbolTable::Global().Unref(index_);
  }

  // Interns `text` (at most 255 bytes) and returns a handle holding one reference.
  static Symbol Intern(std::string_view text) {
    return Symbol(text.empty() ? 0 : SymbolTable::Global().Intern(text, true));
  }
  // The existing symbol for `text`, or the empty Symbol when nobody holds it. Never adds
  // to the table, so lookups of unknown names cannot grow memory.
  static Symbol Find(std::string_view text) {
    return Symbol(text.empty() ? 0 : SymbolTable::Global().Intern(text, false));
  }

  // Keeps this symbol for the rest of the process and stops counting its references.
  void MakeImmortal() const {
    if (index_ != 0) SymbolTable::Global().MakeImmortal(index_);
  }

  std::string_view view() const {
    return index_ == 0 ? std::string_view() : SymbolTable::Global().View(index_);
  }
  bool empty() const { return index_ == 0; }
  // Stable while any handle to the symbol lives; equal symbols have equal indices.
  uint32_t index() const { return index_; }

  friend bool operator==(const Symbol& a, const Symbol& b) { return a.index_ == b.index_; }

 private:
  explicit Symbol(uint32_t adopted_index) : index_(adopted_index) {}
  void Ref() const {
    if (index_ != 0) SymbolTable::Global().Ref(index_);
  }

  uint32_t index_ = 0;
};

}  // namespace tenantdb
