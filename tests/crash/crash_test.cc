// Kill -9 at random moments while a worker inserts, updates, deletes, flushes, compacts,
// and now and then drops, erases and re-creates its table; after every kill, reopen and
// check that each acknowledged write is there exactly once, that nothing deleted (or
// dropped) came back, and that a crashed flush or compaction leaves no file that reads
// see; at the end, that no stray file and no dropped table's file is left on disk.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
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

// Replays the journal: "B <op> <user> <key> <value>" then "A" or "F"; "B flush" "A flush"
// (also compact); "B drop" "A drop" empties the table.
Expected Replay(const std::string& path) {
  Expected e;
  std::ifstream in(path);
  std::string line, pending;
  while (std::getline(in, line)) {
    if (line.rfind("B ", 0) == 0) {
      pending = line.substr(2);
    } else if (line == "A" || line == "A flush" || line == "A compact" || line == "A drop") {
      std::istringstream op(pending);
      std::string name, value;
      int user = 0;
      int64_t key = 0;
      op >> name >> user >> key >> value;
      if (name == "insert" || name == "update") e.acked[{user, key}] = value;
      if (name == "delete") e.acked.erase({user, key});
      if (name == "drop") e.acked.clear();
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
      if (name != "flush" && name != "compact") {
        const auto k = std::make_pair(user, key);
        State applied = expected.acked;
        if (name == "drop") {
          applied.clear();
        } else if (name == "delete") {
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
      std::ofstream(journal, std::ios::app) << "F\n";  // a flush or compaction changes no row
    }
    ASSERT_EQ(actual, expected.acked) << "round " << round;
  }
  EXPECT_EQ(kills, 50);
  // No temporary or unlisted file survives as data: the erasure of dropped tables and
  // one clean flush and compaction remove what crashed runs left, and the files that
  // remain are exactly the ones the live table's manifests list.
  {
    SchemaPool pool;
    auto kv = KvStore::Open(dir);
    ASSERT_TRUE(kv.ok());
    auto catalog = PersistentCatalog::Open(kv->get(), &pool);
    ASSERT_TRUE(catalog.ok());
    StorageRegistry storages(dir + "/storage");
    auto entry = (*catalog)->Loader(storages)(*TableId::Make("crash", "items"));
    TableStore store(kv->get(), catalog->get());
    ASSERT_TRUE(store.EraseDropped(storages).ok());
    EXPECT_TRUE((*catalog)->ListPendingErasures()->empty());
    if (!entry.ok()) {
      // The last kill fell between a DROP and its re-CREATE: the table is gone, and its
      // erasure must have left no file behind.
      ASSERT_EQ(entry.status().code(), ErrorCode::kNotFound) << entry.status().ToString();
      for (const auto& item : std::filesystem::recursive_directory_iterator(dir + "/storage"))
        EXPECT_FALSE(item.is_regular_file()) << "a dropped table's file survived: " << item.path();
      EXPECT_TRUE(Replay(journal).acked.empty()) << "rows acknowledged after the last DROP";
      std::filesystem::remove_all(root);
      return;
    }
    ASSERT_TRUE(store.Flush(**entry).ok());
    // A crashed flush's leftover sits in a directory whose rows are still hot (its
    // manifest batch never ran), so the flush cleans it; a crashed compaction's may sit
    // anywhere, and a compaction of every directory with files cleans it.
    ASSERT_TRUE(store.Compact(**entry).ok());
    std::set<std::string> files, listed;
    for (const auto& item : std::filesystem::recursive_directory_iterator(dir + "/storage")) {
      if (!item.is_regular_file()) continue;
      files.insert(item.path().lexically_relative(dir + "/storage").string());
    }
    for (int u = 0; u < 3; ++u) {
      const std::string user = "u" + std::to_string(u);
      auto manifest = (*catalog)->ReadManifest((*entry)->table_number(), *UserId::Make(user));
      ASSERT_TRUE(manifest.ok());
      for (const ManifestFile& f : manifest->files)
        listed.insert("crash/items/" + user + "/" + f.file_name);
    }
    EXPECT_EQ(files, listed) << "a file on disk that no live manifest lists";
  }
  EXPECT_EQ(ReadAll(dir), Replay(journal).acked) << "the cleanup changed a row";
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tenantdb
