#include "ids/symbol_table.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/heap_meter.h"
#include "ids/identifier.h"

namespace tenantdb {
namespace {

TEST(SymbolTable, EqualTextSharesOneSlot) {
  Symbol a = Symbol::Intern("alice_symbol_test");
  Symbol b = Symbol::Intern(std::string("alice_") + "symbol_test");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.index(), b.index());
  EXPECT_EQ(a.view(), "alice_symbol_test");
  Symbol c = Symbol::Intern("bob_symbol_test");
  EXPECT_FALSE(a == c);
}

TEST(SymbolTable, EmptySymbolIsPermanentAndUncounted) {
  Symbol empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
  EXPECT_EQ(Symbol::Intern("").index(), 0u);
}

TEST(SymbolTable, LastReleaseFreesTheSlotForReuse) {
  const size_t before = SymbolTable::Global().live_symbols();
  uint32_t index;
  {
    Symbol s = Symbol::Intern("short_lived_name");
    Symbol copy = s;
    index = s.index();
    EXPECT_EQ(SymbolTable::Global().live_symbols(), before + 1);
  }
  EXPECT_EQ(SymbolTable::Global().live_symbols(), before);
  EXPECT_TRUE(Symbol::Find("short_lived_name").empty());
  // The freed slot is the next one handed out.
  Symbol reused = Symbol::Intern("another_short_lived");
  EXPECT_EQ(reused.index(), index);
}

TEST(SymbolTable, FindNeverAddsAndReturnsLiveSymbols) {
  const size_t before = SymbolTable::Global().live_symbols();
  EXPECT_TRUE(Symbol::Find("never_interned_anywhere").empty());
  EXPECT_EQ(SymbolTable::Global().live_symbols(), before);
  Symbol s = Symbol::Intern("found_later");
  EXPECT_EQ(Symbol::Find("found_later"), s);
}

TEST(SymbolTable, LongTextIsStoredOutOfLine) {
  std::string long_text(200, 'x');
  long_text += "_end";
  Symbol s = Symbol::Intern(long_text);
  EXPECT_EQ(s.view(), long_text);
  Symbol inline_max = Symbol::Intern("abcdefghijk");  // exactly 11 bytes: inline
  EXPECT_EQ(inline_max.view(), "abcdefghijk");
  Symbol just_over = Symbol::Intern("abcdefghijkl");
  EXPECT_EQ(just_over.view(), "abcdefghijkl");
}

TEST(SymbolTable, MoveAndAssignKeepCountsRight) {
  const size_t before = SymbolTable::Global().live_symbols();
  {
    Symbol a = Symbol::Intern("move_me");
    Symbol b = std::move(a);
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
    Symbol c;
    c = b;
    Symbol& alias = c;
    c = alias;  // self-assignment keeps the reference
    Symbol d = Symbol::Intern("other");
    d = std::move(c);
    EXPECT_EQ(d.view(), "move_me");
  }
  EXPECT_EQ(SymbolTable::Global().live_symbols(), before);
}

TEST(SymbolTable, ConcurrentInternCopyAndReleaseLeaveNothingBehind) {
  const size_t before = SymbolTable::Global().live_symbols();
  constexpr int kThreads = 4;
  constexpr int kNames = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int round = 0; round < 5; ++round) {
        std::vector<Symbol> held;
        for (int i = 0; i < kNames; ++i) {
          // Half the names are shared by all threads, half are private.
          std::string name = (i % 2 == 0) ? "shared_" + std::to_string(i)
                                          : "t" + std::to_string(t) + "_" + std::to_string(i);
          Symbol s = Symbol::Intern(name);
          ASSERT_EQ(s.view(), name);
          held.push_back(s);
          held.push_back(s);
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(SymbolTable::Global().live_symbols(), before);
}

// Interning and releasing a million distinct user ids, twice, must not leave the heap
// larger after the second round than after the first: slots and out-of-line text are
// reused, hash sets keep their capacity but do not grow again.
TEST(SymbolTable, MemoryStaysBoundedWhenIdsComeAndGo) {
  constexpr int kIds = 1'000'000;
  const size_t live_before = SymbolTable::Global().live_symbols();
  size_t heap_after_round[2];
  for (int round = 0; round < 2; ++round) {
    {
      std::vector<UserId> ids;
      ids.reserve(kIds);
      for (int i = 0; i < kIds; ++i) {
        // Every third id is long enough to be stored out of line.
        std::string name = (i % 3 == 0 ? "user-with-a-long-name-" : "u") + std::to_string(i);
        ids.push_back(*UserId::Make(name));
      }
      EXPECT_EQ(SymbolTable::Global().live_symbols(), live_before + kIds);
    }
    EXPECT_EQ(SymbolTable::Global().live_symbols(), live_before);
    heap_after_round[round] = HeapBytesInUse();
  }
  const long long growth =
      static_cast<long long>(heap_after_round[1]) - static_cast<long long>(heap_after_round[0]);
  EXPECT_LT(growth, 64 * 1024) << "heap grew by " << growth << " bytes in the second round";
}

}  // namespace
}  // namespace tenantdb

namespace tenantdb {
namespace {

TEST(SymbolTable, ImmortalSymbolsSurviveTheirLastHandle) {
  const size_t before = SymbolTable::Global().live_symbols();
  {
    Symbol s = Symbol::Intern("immortal_storage_name");
    s.MakeImmortal();
    s.MakeImmortal();  // idempotent
    Symbol copy = s;
  }
  EXPECT_EQ(SymbolTable::Global().live_symbols(), before + 1);
  EXPECT_EQ(Symbol::Find("immortal_storage_name").view(), "immortal_storage_name");
}

}  // namespace
}  // namespace tenantdb
