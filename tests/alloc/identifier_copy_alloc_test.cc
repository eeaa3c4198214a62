// Proves with a counting allocator that copying identifiers never allocates. This binary
// replaces the global operator new, so it is kept apart from the other suites.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "ids/identifier.h"
#include "ids/table_id.h"

namespace {
std::atomic<long> g_allocations{0};
}

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace tenantdb {
namespace {

TEST(IdentifierAllocations, CopyingNeverAllocates) {
  auto table = TableId::Make("some_namespace_with_a_long_name", "a_table_name_longer_than_inline");
  auto user = UserId::Make("user-with-an-id-that-is-longer-than-the-inline-limit@example.com");
  ASSERT_TRUE(table.ok() && user.ok());
  std::vector<TableId> tables;
  std::vector<UserId> users;
  tables.reserve(1000);
  users.reserve(1000);

  const long before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) {
    tables.push_back(*table);
    users.push_back(*user);
    TableId copy = tables.back();
    copy = *table;
    UserId moved = std::move(users.back());
    users.back() = moved;
  }
  EXPECT_TRUE(tables.front() == *table);
  EXPECT_EQ(users.front(), *user);
  tables.clear();
  users.clear();
  EXPECT_EQ(g_allocations.load() - before, 0) << "identifier copies allocated";
}

TEST(IdentifierAllocations, TheCounterSeesStringCopies) {
  // Guards the test above: the counting allocator is really in use.
  std::string name(64, 'x');
  const long before = g_allocations.load();
  std::string copy = name;
  EXPECT_GT(g_allocations.load() - before, 0);
  EXPECT_EQ(copy.size(), 64u);
}

}  // namespace
}  // namespace tenantdb
