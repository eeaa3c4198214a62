#include "catalog/schema_pool.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/heap_meter.h"

namespace tenantdb {
namespace {

std::vector<Field> MessageFields(const std::string& extra = "") {
  std::vector<Field> f{{"id", DataType::kBigInt, false, true, ""},
                       {"content", DataType::kText, false, false, ""},
                       {"created_at", DataType::kTimestamp, true, false, "NOW()"}};
  if (!extra.empty()) f.push_back({extra, DataType::kInt, true, false, ""});
  return f;
}

size_t ConstantHash(const std::vector<Field>&, const SchemaMetadata&) {
  return 42;
}

TEST(SchemaPool, IdenticalStructuresShareOneObject) {
  SchemaPool pool;
  auto a = pool.Intern(MessageFields());
  auto b = pool.Intern(MessageFields());
  auto c = pool.Intern(MessageFields("thread_id"));
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
  auto with_meta = pool.Intern(MessageFields(), {{"owner", "chat"}});
  EXPECT_NE(with_meta.get(), a.get());
  EXPECT_EQ(pool.Intern(MessageFields(), {{"owner", "chat"}}).get(), with_meta.get());
}

TEST(SchemaPool, EveryFieldMemberTakesPartInEquality) {
  SchemaPool pool;
  auto base = pool.Intern(MessageFields());
  auto fields = MessageFields();
  fields[1].nullable = true;
  EXPECT_NE(pool.Intern(fields).get(), base.get());
  fields = MessageFields();
  fields[2].default_expr = "";
  EXPECT_NE(pool.Intern(fields).get(), base.get());
  fields = MessageFields();
  fields[0].type = DataType::kInt;
  EXPECT_NE(pool.Intern(fields).get(), base.get());
}

TEST(SchemaPool, ForcedHashCollisionsNeverMixSchemas) {
  SchemaPool pool(&ConstantHash);
  auto a = pool.Intern(MessageFields());
  auto b = pool.Intern(MessageFields("x"));
  auto c = pool.Intern(MessageFields("y"));
  EXPECT_NE(a.get(), b.get());
  EXPECT_NE(b.get(), c.get());
  EXPECT_EQ(*b, Schema(MessageFields("x"), {}));
  EXPECT_EQ(pool.Intern(MessageFields("y")).get(), c.get());
  EXPECT_EQ(pool.stats().unique_schemas, 3u);
}

TEST(SchemaPool, ReportsCallsUniqueSchemasAndDedupRate) {
  SchemaPool pool;
  std::vector<std::shared_ptr<const Schema>> held;
  for (int table = 0; table < 1000; ++table) {
    held.push_back(pool.Intern(MessageFields("c" + std::to_string(table % 10))));
  }
  SchemaPool::Stats s = pool.stats();
  EXPECT_EQ(s.intern_calls, 1000u);
  EXPECT_EQ(s.unique_schemas, 10u);
  EXPECT_DOUBLE_EQ(s.dedup_rate, 0.99);
}

TEST(SchemaPool, FreesSchemasNoTableUses) {
  SchemaPool pool;
  std::weak_ptr<const Schema> weak;
  {
    auto s = pool.Intern(MessageFields("temporary"));
    weak = s;
    EXPECT_EQ(pool.stats().unique_schemas, 1u);
  }
  EXPECT_TRUE(weak.expired());
  EXPECT_EQ(pool.stats().unique_schemas, 0u);
  // And memory comes back: interning and dropping many schemas leaves no growth.
  const size_t before = HeapBytesInUse();
  for (int i = 0; i < 10000; ++i)
    pool.Intern(MessageFields("col" + std::to_string(i)));
  EXPECT_EQ(pool.stats().unique_schemas, 0u);
  EXPECT_LT(static_cast<long long>(HeapBytesInUse()) - static_cast<long long>(before), 64 * 1024);
}

TEST(SchemaPool, SchemasOutliveThePool) {
  std::shared_ptr<const Schema> survivor;
  {
    SchemaPool pool;
    survivor = pool.Intern(MessageFields());
  }
  EXPECT_EQ(survivor->num_fields(), 3u);  // the pool is gone; the schema is fine
}

TEST(SchemaPool, ConcurrentInternsAgree) {
  SchemaPool pool;
  std::vector<const Schema*> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        auto s = pool.Intern(MessageFields("k" + std::to_string(i % 7)));
        if (i % 7 == 0) seen[t] = s.get();
        auto keep = pool.Intern(MessageFields("k0"));
        seen[t] = keep.get();
      }
    });
  }
  auto anchor = pool.Intern(MessageFields("k0"));
  for (auto& th : threads)
    th.join();
  for (const Schema* s : seen)
    EXPECT_EQ(s, anchor.get());
}

}  // namespace
}  // namespace tenantdb
