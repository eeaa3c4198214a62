// ManifestCache: hits skip the loader, invalidation forces a reload, a load that raced an
// invalidation is not kept, and the cache stays within its capacity.
#include "storage/manifest_cache.h"

#include <gtest/gtest.h>

namespace tenantdb {
namespace {

ManifestCache::Entry EntryWithFiles(size_t files) {
  ManifestCache::Entry e;
  e.manifest.claimed = true;
  for (size_t i = 0; i < files; ++i) {
    ManifestFile f;
    f.batch_number = i + 1;
    e.manifest.files.push_back(f);
  }
  return e;
}

TEST(ManifestCache, HitsDoNotReload) {
  ManifestCache cache;
  int loads = 0;
  auto load = [&]() -> Result<ManifestCache::Entry> {
    ++loads;
    return EntryWithFiles(2);
  };
  ASSERT_EQ(cache.Get(7, "alice", load).value()->manifest.files.size(), 2u);
  ASSERT_EQ(cache.Get(7, "alice", load).value()->manifest.files.size(), 2u);
  EXPECT_EQ(loads, 1);
  // Another user, another table, the SHARED directory: separate entries.
  ASSERT_TRUE(cache.Get(7, "bob", load).ok());
  ASSERT_TRUE(cache.Get(8, "alice", load).ok());
  ASSERT_TRUE(cache.Get(7, "", load).ok());
  EXPECT_EQ(loads, 4);
  EXPECT_EQ(cache.size(), 4u);
}

TEST(ManifestCache, InvalidateReloads) {
  ManifestCache cache;
  size_t files = 1;
  auto load = [&]() -> Result<ManifestCache::Entry> { return EntryWithFiles(files); };
  ASSERT_EQ(cache.Get(1, "u", load).value()->manifest.files.size(), 1u);
  files = 3;  // a flush recorded two more files
  ASSERT_EQ(cache.Get(1, "u", load).value()->manifest.files.size(), 1u);
  cache.Invalidate(1, "u");
  ASSERT_EQ(cache.Get(1, "u", load).value()->manifest.files.size(), 3u);
}

TEST(ManifestCache, LoadRacingAnInvalidationIsNotKept) {
  ManifestCache cache;
  int loads = 0;
  size_t files = 1;
  auto racing = [&]() -> Result<ManifestCache::Entry> {
    ++loads;
    ManifestCache::Entry e = EntryWithFiles(files);  // read before the write commits
    files = 2;
    cache.Invalidate(1, "u");  // the writer commits and invalidates meanwhile
    return e;
  };
  // The racing load is answered, but not cached: the next Get sees the write.
  ASSERT_EQ(cache.Get(1, "u", racing).value()->manifest.files.size(), 1u);
  auto plain = [&]() -> Result<ManifestCache::Entry> {
    ++loads;
    return EntryWithFiles(files);
  };
  ASSERT_EQ(cache.Get(1, "u", plain).value()->manifest.files.size(), 2u);
  EXPECT_EQ(loads, 2);
}

TEST(ManifestCache, LoadErrorsAreNotCached) {
  ManifestCache cache;
  auto failing = []() -> Result<ManifestCache::Entry> {
    return Status(ErrorCode::kIoError, "disk");
  };
  EXPECT_EQ(cache.Get(1, "u", failing).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(ManifestCache, StaysWithinCapacity) {
  ManifestCache cache(/*capacity=*/64);
  auto load = []() -> Result<ManifestCache::Entry> { return EntryWithFiles(1); };
  for (int u = 0; u < 10'000; ++u)
    ASSERT_TRUE(cache.Get(1, "user" + std::to_string(u), load).ok());
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace tenantdb
