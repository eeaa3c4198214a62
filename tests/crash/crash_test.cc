// Kill -9 at random moments while a worker inserts, updates, deletes and flushes; after
// every kill, reopen and check that each acknowledged write is there exactly once, that
// nothing deleted came back, and that a crashed flush leaves no file that reads see.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

using State = std::map<std::pair<int, int64_t>, std::string>;  // (user, key) -> value

struct Expected {
  State acked;
  // The operation that was running when the worker died, if any: its key may show it
  // applied or not.
  std::optional<std::string> in_flight;
};

// Replays the journal: "B <op> <user> <key> <value>" then "A" or "F"; "B flush" "A flush".
Expected Replay(const std::string& path) {
  Expected e;
  std::ifstream in(path);
  std::string line, pending;
  while (std::getline(in, line)) {
    if (line.rfind("B ", 0) == 0) {
      pending = line.substr(2);
    } else if (line == "A" || line == "A flush") {
      std::istringstream op(pending);
      std::string name, value;
      int user = 0;
      int64_t key = 0;
      op >> name >> user >> key >> value;
      if (name == "insert" || name == "update") e.acked[{user, key}] = value;
      if (name == "delete") e.acked.erase({user, key});
      pending.clear();
    } else if (line.rfind("F", 0) == 0) {
      pending.clear();
    }
  }
  if (!pending.empty()) e.in_flight = pending;
  return e;
}

State ReadAll(const std::string& dir) {
  SchemaPool pool;
  auto kv = KvStore::Open(dir);
  EXPECT_TRUE(kv.ok()) << kv.status().ToString();
  auto catalog = PersistentCatalog::Open(kv->get(), &pool);
  EXPECT_TRUE(catalog.ok());
  StorageRegistry storages(dir + "/storage");
  State state;
  auto entry = (*catalog)->Loader(storages)(*TableId::Make("crash", "items"));
  if (!entry.ok()) return state;  // killed before the table existed
  TableStore store(kv->get(), catalog->get());
  for (int u = 0; u < 3; ++u) {
    UserId user = *UserId::Make("u" + std::to_string(u));
    auto rows = store.ReadRows(**entry, &user);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) continue;
    for (size_t r = 0; r < rows->num_rows(); ++r) {
      auto row = rows->GetRow(r);
      EXPECT_TRUE(
          state.emplace(std::make_pair(u, row[0].as_int64()), std::string(row[1].as_bytes()))
              .second)
          << "a key read twice";
    }
  }
  return state;
}

TEST(CrashTest, AcknowledgedWritesSurviveKillNineExactlyOnce) {
  const std::string root =
      (std::filesystem::temp_directory_path() / ("tenantdb-crash-" + std::to_string(::getpid())))
          .string();
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  const std::string dir = root + "/data";
  const std::string journal = root + "/journal";
  std::mt19937 rng(2024);
  int kills = 0;
  const std::string ready = journal + ".ready";
  for (int round = 0; round < 50; ++round) {
    std::filesystem::remove(ready);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string seed = std::to_string(round + 1);
      ::execl(TENANTDB_CRASH_WORKER, TENANTDB_CRASH_WORKER, dir.c_str(), journal.c_str(),
              seed.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait (up to a minute) for the worker to finish its setup, then let it work a while.
    for (int waited = 0; waited < 6000 && !std::filesystem::exists(ready); ++waited) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        FAIL() << "the worker stopped during setup (status " << status << ")";
      }
      ::usleep(10'000);
    }
    ::usleep(50'000 + rng() % 400'000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the worker stopped by itself (exit " << WEXITSTATUS(status)
                                     << "): see its stderr above";
    ++kills;

    Expected expected = Replay(journal);
    State actual = ReadAll(dir);
    if (expected.in_flight) {
      // Only the key of the interrupted operation may differ from the acknowledged state.
      std::istringstream op(*expected.in_flight);
      std::string name, value;
      int user = -1;
      int64_t key = -1;
      op >> name >> user >> key >> value;
      if (name != "flush") {
        const auto k = std::make_pair(user, key);
        State applied = expected.acked;
        if (name == "delete") {
          applied.erase(k);
        } else {
          applied[k] = value;
        }
        ASSERT_TRUE(actual == expected.acked || actual == applied) << "round " << round;
        expected.acked = actual;  // whichever happened is now the truth
        // Record the outcome so later rounds replay it too.
        std::ofstream(journal, std::ios::app) << (actual == applied ? "A\n" : "F\n");
        continue;
      }
      std::ofstream(journal, std::ios::app) << "F\n";  // a flush changes no row
    }
    ASSERT_EQ(actual, expected.acked) << "round " << round;
  }
  EXPECT_EQ(kills, 50);
  // No temporary or unlisted file survives as data: one clean flush removes what crashed
  // flushes left, and the files that remain are exactly the ones reads use.
  {
    SchemaPool pool;
    auto kv = KvStore::Open(dir);
    ASSERT_TRUE(kv.ok());
    auto catalog = PersistentCatalog::Open(kv->get(), &pool);
    ASSERT_TRUE(catalog.ok());
    StorageRegistry storages(dir + "/storage");
    auto entry = (*catalog)->Loader(storages)(*TableId::Make("crash", "items"));
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    TableStore store(kv->get(), catalog->get());
    ASSERT_TRUE(store.Flush(**entry).ok());
    // Every crashed flush's leftover sits in a directory whose rows are still hot (its
    // manifest batch never ran), so this flush visits and cleans it.
    size_t files = 0, listed = 0;
    for (const auto& item : std::filesystem::recursive_directory_iterator(dir + "/storage")) {
      if (!item.is_regular_file()) continue;
      EXPECT_FALSE(item.path().string().ends_with(".tmp")) << item.path();
      ++files;
    }
    for (int u = 0; u < 3; ++u) {
      auto manifest = (*catalog)->ReadManifest((*entry)->table_number(),
                                               *UserId::Make("u" + std::to_string(u)));
      ASSERT_TRUE(manifest.ok());
      listed += manifest->files.size();
    }
    EXPECT_EQ(files, listed) << "a batch file on disk that no manifest lists";
  }
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tenantdb
