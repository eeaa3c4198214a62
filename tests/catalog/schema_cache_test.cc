#include "catalog/schema_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "catalog/schema_pool.h"

namespace tenantdb {
namespace {

std::atomic<int> g_live_providers{0};

// A provider in the sense of table_entry.h: derives from TableEntry, holds no user.
// Counting live instances lets tests see how many providers exist.
class CountingProvider : public TableEntry {
 public:
  CountingProvider(const TableDefinition& d, const StorageInfo* s) : TableEntry(d, s) {
    g_live_providers.fetch_add(1);
  }
  ~CountingProvider() override { g_live_providers.fetch_sub(1); }
};

// The test's stand-in for the persistent catalog: definitions in a map, looked up by
// the loader. Counts loads so tests can tell hits from misses.
class Catalog {
 public:
  Catalog() : storages_("/data/storage") {}

  TableId AddTable(const std::string& ns, const std::string& name, TableType type,
                   uint32_t version = 1) {
    TableDefinition d;
    d.id = *TableId::Make(ns, name);
    d.table_number = next_number_++;
    d.type = type;
    d.schema_version = version;
    d.schema = pool_.Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, true, false, ""}});
    d.storage_id = storages_.local()->id;
    std::lock_guard<std::mutex> lock(mu_);
    defs_[d.id] = d;
    return d.id;
  }

  SchemaCache::Loader loader() {
    return [this](const TableId& id) -> Result<TableEntryRef> {
      loads_.fetch_add(1);
      std::lock_guard<std::mutex> lock(mu_);
      auto it = defs_.find(id);
      if (it == defs_.end()) {
        return Status(ErrorCode::kNotFound, "table " + id.ToString() + " does not exist");
      }
      return TableEntryRef(MakeRef<CountingProvider>(it->second, storages_.local()));
    };
  }

  TableEntryRef MakeEntry(const TableId& id, uint32_t version) {
    std::lock_guard<std::mutex> lock(mu_);
    TableDefinition d = defs_.at(id);
    d.schema_version = version;
    return TableEntryRef(MakeRef<CountingProvider>(d, storages_.local()));
  }

  int loads() const { return loads_.load(); }

 private:
  StorageRegistry storages_;
  SchemaPool pool_;
  std::mutex mu_;
  absl::flat_hash_map<TableId, TableDefinition> defs_;
  uint32_t next_number_ = 1;
  std::atomic<int> loads_{0};
};

SchemaCache::Options Capacity(size_t n, size_t shards = 1) {
  SchemaCache::Options o;
  o.capacity = n;
  o.shards = shards;
  return o;
}

TEST(SchemaCache, InsertAndGet) {
  Catalog catalog;
  TableId id = catalog.AddTable("chat", "messages", TableType::kUser);
  SchemaCache cache(Capacity(10), catalog.loader());
  cache.Insert(catalog.MakeEntry(id, 3));
  auto entry = cache.Get(id);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ((*entry)->schema_version(), 3u);
  EXPECT_EQ((*entry)->type(), TableType::kUser);
  EXPECT_EQ(catalog.loads(), 0);  // served from the insert
}

TEST(SchemaCache, GetByName) {
  Catalog catalog;
  catalog.AddTable("chat", "messages", TableType::kUser);
  SchemaCache cache(Capacity(10), catalog.loader());
  auto entry = cache.GetByName("Chat", "MESSAGES");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ((*entry)->id().ToString(), "chat.messages");
  EXPECT_EQ(cache.GetByName("chat", "missing").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(cache.GetByName("chat", "bad name").status().code(), ErrorCode::kInvalidIdentifier);
}

TEST(SchemaCache, Invalidate) {
  Catalog catalog;
  TableId id = catalog.AddTable("chat", "messages", TableType::kShared);
  SchemaCache cache(Capacity(10), catalog.loader());
  TableEntryRef first = *cache.Get(id);
  EXPECT_EQ(catalog.loads(), 1);
  EXPECT_TRUE(cache.Invalidate(id));
  EXPECT_FALSE(cache.Invalidate(id));
  EXPECT_FALSE(cache.Peek(id));
  TableEntryRef second = *cache.Get(id);
  EXPECT_EQ(catalog.loads(), 2);
  EXPECT_NE(first.get(), second.get());
  EXPECT_EQ(first->id(), id);  // the old entry is still valid for its holder
}

TEST(SchemaCache, Clear) {
  Catalog catalog;
  SchemaCache cache(Capacity(100, 4), catalog.loader());
  for (int i = 0; i < 50; ++i)
    ASSERT_TRUE(
        cache.Get(catalog.AddTable("ns", "t" + std::to_string(i), TableType::kShared)).ok());
  EXPECT_EQ(cache.stats().entries, 50u);
  cache.Clear();
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_FALSE(cache.Peek(*TableId::Make("ns", "t0")));
  EXPECT_TRUE(cache.Get(*TableId::Make("ns", "t0")).ok());
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST(SchemaCache, Metrics) {
  Catalog catalog;
  TableId a = catalog.AddTable("ns", "a", TableType::kShared);
  TableId b = catalog.AddTable("ns", "b", TableType::kShared);
  TableId c = catalog.AddTable("ns", "c", TableType::kShared);
  SchemaCache cache(Capacity(2), catalog.loader());
  ASSERT_TRUE(cache.Get(a).ok());                              // miss
  ASSERT_TRUE(cache.Get(a).ok());                              // hit
  ASSERT_TRUE(cache.Get(b).ok());                              // miss
  ASSERT_TRUE(cache.Get(c).ok());                              // miss, evicts one
  EXPECT_FALSE(cache.Get(*TableId::Make("ns", "nope")).ok());  // miss, not cached
  SchemaCache::Stats s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 4u);
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_EQ(s.entries, 2u);
  EXPECT_EQ(s.capacity, 2u);
  EXPECT_DOUBLE_EQ(s.hit_rate(), 0.2);
  cache.ResetCounters();
  EXPECT_EQ(cache.stats().hits, 0u);
}

TEST(SchemaCache, EvictLruKeepsSizeWithinCapacity) {
  Catalog catalog;
  SchemaCache cache(Capacity(64, 4), catalog.loader());
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        cache.Get(catalog.AddTable("ns", "t" + std::to_string(i), TableType::kShared)).ok());
    ASSERT_LE(cache.stats().entries, 64u);
  }
  EXPECT_EQ(cache.stats().entries, 64u);
  EXPECT_EQ(cache.stats().evictions, 1000u - 64u);
}

TEST(SchemaCache, EvictionOrderSparesRecentlyUsedEntries) {
  Catalog catalog;
  SchemaCache cache(Capacity(3), catalog.loader());
  TableId a = catalog.AddTable("ns", "a", TableType::kShared);
  TableId b = catalog.AddTable("ns", "b", TableType::kShared);
  TableId c = catalog.AddTable("ns", "c", TableType::kShared);
  for (const TableId& id : {a, b, c})
    ASSERT_TRUE(cache.Get(id).ok());
  ASSERT_TRUE(cache.Get(a).ok());  // a is now the most recently used
  ASSERT_TRUE(cache.Get(catalog.AddTable("ns", "d", TableType::kShared)).ok());
  EXPECT_TRUE(cache.Peek(a));  // a victim is one of the untouched b and c
  EXPECT_EQ(bool(cache.Peek(b)) + bool(cache.Peek(c)), 1);

  // Round after round, the one entry not used since it arrived is the one evicted; every
  // entry used in the meantime survives, wherever the CLOCK hand stands.
  std::vector<TableId> cached;
  for (const TableId& id : {a, b, c, *TableId::Make("ns", "d")}) {
    if (cache.Peek(id)) cached.push_back(id);
  }
  ASSERT_EQ(cached.size(), 3u);
  TableId newest = cached.back();
  cached.pop_back();
  ASSERT_TRUE(cache.Get(newest).ok());  // start from a state where every entry was used
  for (int round = 0; round < 20; ++round) {
    TableId fresh = catalog.AddTable("ns", "r" + std::to_string(round), TableType::kShared);
    ASSERT_TRUE(cache.Get(fresh).ok());  // evicts someone; fresh itself stays untouched
    cached.push_back(newest);
    std::vector<TableId> survivors;
    for (const TableId& id : cached) {
      if (cache.Peek(id)) survivors.push_back(id);
    }
    ASSERT_EQ(survivors.size(), 2u) << "round " << round;
    for (const TableId& id : survivors)
      ASSERT_TRUE(cache.Get(id).ok());  // use them
    cached = survivors;
    newest = fresh;
    // Next round's insert must evict `fresh`, the only entry not used since it came.
    TableId probe = catalog.AddTable("ns", "p" + std::to_string(round), TableType::kShared);
    ASSERT_TRUE(cache.Get(probe).ok());
    EXPECT_FALSE(cache.Peek(fresh)) << "round " << round;
    for (const TableId& id : survivors)
      EXPECT_TRUE(cache.Peek(id)) << "round " << round;
    for (const TableId& id : survivors)
      ASSERT_TRUE(cache.Get(id).ok());
    newest = probe;
  }
}

// Removal shifts probe runs back instead of leaving tombstones: after any sequence of
// removals every remaining entry must still be found and no removed one.
TEST(SchemaCache, RemovalsKeepEveryRemainingEntryReachable) {
  Catalog catalog;
  SchemaCache cache(Capacity(4096, 1), catalog.loader());
  std::vector<TableId> ids;
  for (int i = 0; i < 2000; ++i) {
    ids.push_back(catalog.AddTable("shift", "t" + std::to_string(i), TableType::kShared));
    ASSERT_TRUE(cache.Get(ids.back()).ok());
  }
  std::mt19937 rng(7);
  std::vector<bool> present(ids.size(), true);
  for (int round = 0; round < 4000; ++round) {
    const size_t k = rng() % ids.size();
    if (present[k]) {
      ASSERT_TRUE(cache.Invalidate(ids[k]));
      present[k] = false;
    } else {
      ASSERT_TRUE(cache.Get(ids[k]).ok());
      present[k] = true;
    }
    if (round % 500 == 0) {
      for (size_t i = 0; i < ids.size(); ++i)
        ASSERT_EQ(bool(cache.Peek(ids[i])), present[i]) << i;
    }
  }
  size_t expected = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(bool(cache.Peek(ids[i])), present[i]) << i;
    expected += present[i];
  }
  EXPECT_EQ(cache.stats().entries, expected);
}

TEST(SchemaCache, StoragePathResolution) {
  Catalog catalog;
  TableId user_table = catalog.AddTable("chat", "messages", TableType::kUser);
  TableId shared_table = catalog.AddTable("chat", "rooms", TableType::kShared);
  SchemaCache cache(Capacity(10), catalog.loader());
  UserId alice = *UserId::Make("alice");
  UserId bob = *UserId::Make("Bob@example.com");
  EXPECT_EQ(*cache.StoragePath(user_table, &alice), "chat/messages/alice");
  EXPECT_EQ(*cache.StoragePath(user_table, &bob), "chat/messages/Bob@example.com");
  EXPECT_EQ(*cache.StoragePath(shared_table, nullptr), "chat/rooms");
  EXPECT_EQ(cache.StoragePath(user_table, nullptr).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(cache.StoragePath(*TableId::Make("chat", "none"), &alice).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(catalog.loads(), 3);  // two tables loaded once each, plus the missing one
}

TEST(SchemaCache, InsertReplacesAndOldHoldersKeepTheirVersion) {
  Catalog catalog;
  TableId id = catalog.AddTable("chat", "messages", TableType::kUser);
  SchemaCache cache(Capacity(10), catalog.loader());
  TableEntryRef v1 = *cache.Get(id);
  cache.Insert(catalog.MakeEntry(id, 2));
  TableEntryRef v2 = *cache.Get(id);
  EXPECT_EQ(v1->schema_version(), 1u);
  EXPECT_EQ(v2->schema_version(), 2u);
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST(SchemaCache, LoaderErrorsAreReturnedAndNotCached) {
  Catalog catalog;
  TableId id = *TableId::Make("chat", "later");
  SchemaCache cache(Capacity(10), catalog.loader());
  EXPECT_EQ(cache.Get(id).status().code(), ErrorCode::kNotFound);
  catalog.AddTable("chat", "later", TableType::kShared);
  EXPECT_TRUE(cache.Get(id).ok());  // created after the failed lookup: now found

  TableId other = catalog.AddTable("chat", "other", TableType::kShared);
  SchemaCache wrong(Capacity(10), [&](const TableId&) -> Result<TableEntryRef> {
    return catalog.MakeEntry(other, 1);
  });
  EXPECT_EQ(wrong.Get(id).status().code(), ErrorCode::kInternal);
}

TEST(SchemaCache, PinnedGetNeedsNoReferenceCount) {
  Catalog catalog;
  TableId id = catalog.AddTable("chat", "messages", TableType::kUser);
  SchemaCache cache(Capacity(10), catalog.loader());
  RcuReadSection section;
  auto first = cache.Get(section, id);  // miss: loaded
  ASSERT_TRUE(first.ok());
  auto second = cache.Get(section, id);  // hit
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ((*first)->ref_count_for_testing(), 1u);  // only the cache's own reference
}

TEST(SchemaCache, NUsersTimesMTablesIsMProviders) {
  constexpr int kUsers = 50;
  constexpr int kTables = 20;
  Catalog catalog;
  std::vector<TableId> tables;
  for (int t = 0; t < kTables; ++t)
    tables.push_back(catalog.AddTable("app", "t" + std::to_string(t), TableType::kUser));
  const int providers_before = g_live_providers.load();
  {
    SchemaCache cache(Capacity(1000), catalog.loader());
    std::set<const TableEntry*> distinct;
    for (int u = 0; u < kUsers; ++u) {
      UserId user = *UserId::Make("user" + std::to_string(u));
      for (const TableId& t : tables) {
        TableEntryRef e = *cache.Get(t);
        distinct.insert(e.get());
        // The per-user part travels with the request, not in the provider.
        EXPECT_EQ(*e->StoragePath(&user, std::nullopt),
                  "app/" + std::string(t.table().str()) + "/" + std::string(user.str()));
      }
    }
    EXPECT_EQ(distinct.size(), static_cast<size_t>(kTables));
    EXPECT_EQ(g_live_providers.load() - providers_before, kTables);
    EXPECT_EQ(catalog.loads(), kTables);
  }
  EXPECT_EQ(g_live_providers.load(), providers_before);  // the cache released them all
}

TEST(SchemaCache, ConcurrentAccess) {
  Catalog catalog;
  constexpr int kTables = 500;
  std::vector<TableId> tables;
  for (int t = 0; t < kTables; ++t)
    tables.push_back(catalog.AddTable("ns", "t" + std::to_string(t), TableType::kShared));
  SchemaCache cache(Capacity(128, 4), catalog.loader());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&, th] {
      std::mt19937 rng(th);
      for (int i = 0; i < 20000; ++i) {
        const TableId& id = tables[rng() % (i % 2 ? 16 : kTables)];
        if (i % 3 == 0) {
          RcuReadSection section;
          auto e = cache.Get(section, id);
          if (!e.ok() || !((*e)->id() == id)) failures.fetch_add(1);
        } else {
          auto e = cache.Get(id);
          if (!e.ok() || !((*e)->id() == id)) failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(failures.load(), 0);
  SchemaCache::Stats s = cache.stats();
  EXPECT_EQ(s.hits + s.misses, 80000u);
  EXPECT_LE(s.entries, 128u);
  EXPECT_GT(s.hits, 0u);
}

// Readers keep using entries (owned and pinned) while another thread invalidates,
// replaces and clears them. Run under AddressSanitizer, any use of a freed entry fails.
TEST(SchemaCache, InvalidateWhileReadingIsSafe) {
  Catalog catalog;
  constexpr int kTables = 32;
  std::vector<TableId> tables;
  for (int t = 0; t < kTables; ++t)
    tables.push_back(catalog.AddTable("ns", "t" + std::to_string(t), TableType::kUser));
  SchemaCache cache(Capacity(16, 2), catalog.loader());
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      std::mt19937 rng(r);
      UserId user = *UserId::Make("reader" + std::to_string(r));
      while (!stop.load()) {
        const TableId& id = tables[rng() % kTables];
        TableEntryRef held = *cache.Get(id);
        RcuReadSection section;
        const TableEntry* pinned = *cache.Get(section, tables[rng() % kTables]);
        for (int k = 0; k < 10; ++k) {
          ASSERT_EQ(held->schema()->num_fields(), 2u);
          ASSERT_TRUE(pinned->StoragePath(&user, std::nullopt).ok());
        }
        reads.fetch_add(1);
      }
    });
  }
  std::mt19937 rng(99);
  for (int i = 0; i < 3000; ++i) {
    const TableId& id = tables[rng() % kTables];
    switch (i % 3) {
      case 0:
        cache.Invalidate(id);
        break;
      case 1:
        cache.Insert(catalog.MakeEntry(id, i));
        break;
      case 2:
        if (i % 30 == 2) cache.Clear();
        break;
    }
  }
  stop.store(true);
  for (auto& t : readers)
    t.join();
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace tenantdb
