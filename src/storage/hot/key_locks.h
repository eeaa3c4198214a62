// KeyLocks: striped mutexes that serialize writers of the same hot-row key.
//
// RocksDB's plain DB has no read-modify-write; an INSERT must check "is the key free?"
// and write without another writer slipping in between. Each key hashes to one of a
// fixed number of stripes; a writer locks the stripes of all keys it touches, in stripe
// order (so two multi-key writers cannot deadlock), across its check and its write.
// Unrelated keys share a stripe only by hash collision, which costs waiting, never
// correctness. Memory: kStripes mutexes, fixed.
//
// Thread safety: Lock() may be called from any thread; a Guard unlocks on destruction
// and must be destroyed on the thread that made it (std::mutex rule).
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tenantdb {

class KeyLocks {
 public:
  static constexpr size_t kStripes = 1024;

  class Guard {
   public:
    Guard() = default;
    Guard(Guard&& other) noexcept;
    Guard& operator=(Guard&& other) noexcept;
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    ~Guard();

   private:
    friend class KeyLocks;
    void Release();
    KeyLocks* owner_ = nullptr;
    std::vector<size_t> stripes_;  // sorted, unique
  };

  // Locks the stripes of every key in `keys` (duplicates allowed).
  Guard Lock(std::span<const std::string> keys);
  Guard Lock(std::string_view key);

 private:
  std::array<std::mutex, kStripes> mutexes_;
};

}  // namespace tenantdb
