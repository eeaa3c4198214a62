// HeapBytesInUse and TrimHeap when jemalloc is the process's malloc, as in the release
// binary. This binary is built without sanitizers (their allocator would replace
// jemalloc) from common/heap_meter.cc alone, and linked with jemalloc.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/heap_meter.h"

namespace tenantdb {
namespace {

TEST(HeapMeterJemalloc, ReadsJemallocsStatistics) {
  EXPECT_EQ(std::string(HeapAllocatorName()), "jemalloc");
}

TEST(HeapMeterJemalloc, CountsWhatIsAllocatedAndNoLongerWhatIsFreed) {
  TrimHeap();
  const size_t before = HeapBytesInUse();
  constexpr size_t kBlocks = 1000;
  constexpr size_t kBlockBytes = 10 * 1024;  // a jemalloc size class: no rounding
  std::vector<std::unique_ptr<char[]>> blocks;
  blocks.reserve(kBlocks);
  for (size_t i = 0; i < kBlocks; ++i) {
    blocks.push_back(std::make_unique<char[]>(kBlockBytes));
    std::memset(blocks.back().get(), int(i), kBlockBytes);
  }
  const size_t held = HeapBytesInUse();
  ASSERT_GE(held, before);
  const double grown = double(held - before);
  EXPECT_GE(grown, double(kBlocks * kBlockBytes));
  EXPECT_LE(grown, 1.05 * double(kBlocks * kBlockBytes) + 64 * 1024);

  blocks.clear();
  blocks.shrink_to_fit();
  const double after = double(HeapBytesInUse());
  EXPECT_LE(after, double(before) + 64 * 1024) << "freed blocks still counted";
}

TEST(HeapMeterJemalloc, SmallBlocksFreedByThisThreadAreNotCounted) {
  // Small blocks freed go to the thread's cache first; jemalloc counts those as allocated
  // until the cache is flushed, which HeapBytesInUse does.
  TrimHeap();
  const size_t before = HeapBytesInUse();
  std::vector<void*> small;
  for (int i = 0; i < 100; ++i)
    small.push_back(std::malloc(48));
  const size_t held = HeapBytesInUse();
  EXPECT_GE(held, before + 100 * 48);
  for (void* p : small)
    std::free(p);
  EXPECT_LE(HeapBytesInUse(), before + 4096);
}

}  // namespace
}  // namespace tenantdb
