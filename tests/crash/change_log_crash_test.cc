// Kill -9 a worker whose threads write a USER table (one thread per user, with
// transactions and flushes) at random moments; after every kill, reopen and check each
// user's change log: numbers 1..n with no gap or duplicate (a slice with one writer
// cannot lose a middle number), every acknowledged change present with its number in
// journal order, nothing that was refused, at most the interrupted operation's changes
// besides; and replaying the log reproduces the user's rows exactly (a change and its
// row are one atomic write). Counters continuing after restarts follow: a reused
// number would overwrite an earlier round's record and break the comparison.
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
#include <string>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_store.h"

namespace tenantdb {
namespace {

// What one change record says: type, key, new value ("" for a delete).
struct Expect {
  ChangeType type;
  int64_t key;
  std::string value;
  bool operator==(const Expect&) const = default;
};

std::string Show(const Expect& e) {
  return std::string(ChangeTypeName(e.type)) + " " + std::to_string(e.key) + " " + e.value;
}

// The records an operation makes when it succeeds.
std::vector<Expect> RecordsOf(const std::string& op_line) {
  std::istringstream op(op_line);
  std::string name, value, value2;
  int64_t key = 0, key2 = 0;
  op >> name >> key >> value;
  if (name == "insert") return {{ChangeType::kInsert, key, value}};
  if (name == "update") return {{ChangeType::kUpdate, key, value}};
  if (name == "delete") return {{ChangeType::kDelete, key, ""}};
  op >> key2 >> value2;
  return {{ChangeType::kInsert, key, value}, {ChangeType::kInsert, key2, value2}};
}

// Checks `log` against a user's journal: every acknowledged operation's records in
// order; an operation whose outcome the journal lacks (the worker died during it) may
// or may not be there. Returns an error description, or "" when they agree.
std::string CheckAgainstJournal(const std::string& path, const std::vector<Expect>& log) {
  std::ifstream in(path);
  std::string line, pending;
  size_t at = 0;
  auto take = [&](const std::vector<Expect>& records) {
    for (size_t i = 0; i < records.size(); ++i) {
      if (at + i >= log.size() || !(log[at + i] == records[i])) return false;
    }
    at += records.size();
    return true;
  };
  auto unknown = [&] {
    // Applied atomically or not at all.
    if (!pending.empty()) take(RecordsOf(pending));
    pending.clear();
  };
  while (std::getline(in, line)) {
    if (line.rfind("B ", 0) == 0) {
      unknown();  // a B right after a B: the earlier one was interrupted
      pending = line.substr(2);
    } else if (line == "A") {
      if (!take(RecordsOf(pending))) {
        return "acknowledged '" + pending + "' is not the log's record " + std::to_string(at + 1) +
               (at < log.size() ? " (" + Show(log[at]) + ")" : " (end of log)");
      }
      pending.clear();
    } else if (line == "F") {
      pending.clear();
    }
  }
  unknown();
  if (at != log.size())
    return "the log has records no operation made, from " + std::to_string(at + 1);
  return "";
}

TEST(ChangeLogCrashTest, EveryAcknowledgedChangeKeepsItsNumberAcrossKillNine) {
  const std::string root = (std::filesystem::temp_directory_path() /
                            ("tenantdb-changelog-crash-" + std::to_string(::getpid())))
                               .string();
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  const std::string dir = root + "/data";
  const std::string journal = root + "/journal";
  const std::string ready = journal + ".ready";
  std::mt19937 rng(77);
  constexpr int kRounds = 12;
  size_t total_records = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::filesystem::remove(ready);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const std::string seed = std::to_string(round + 1);
      ::execl(TENANTDB_CHANGE_LOG_CRASH_WORKER, TENANTDB_CHANGE_LOG_CRASH_WORKER, dir.c_str(),
              journal.c_str(), seed.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int waited = 0; waited < 6000 && !std::filesystem::exists(ready); ++waited) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        FAIL() << "the worker stopped during setup (status " << status << ")";
      }
      ::usleep(10'000);
    }
    ::usleep(100'000 + rng() % 400'000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the worker stopped by itself (exit " << WEXITSTATUS(status)
                                     << "): see its stderr above";

    SchemaPool pool;
    auto kv = KvStore::Open(dir);
    ASSERT_TRUE(kv.ok()) << kv.status().ToString();
    auto catalog = PersistentCatalog::Open(kv->get(), &pool);
    ASSERT_TRUE(catalog.ok());
    StorageRegistry storages(dir + "/storage");
    auto entry = (*catalog)->Loader(storages)(*TableId::Make("crash", "log"));
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    TableStore store(kv->get(), catalog->get());
    auto table = store.HotTableFor(**entry);
    ASSERT_TRUE(table.ok());
    size_t records = 0;
    for (int u = 0; u < 3; ++u) {
      const UserId user = *UserId::Make("u" + std::to_string(u));
      auto read = store.changes().Read(*table, &user, 0, 1'000'000);
      ASSERT_TRUE(read.ok()) << read.status().ToString();
      std::vector<Expect> log;
      std::map<int64_t, std::string> replayed;
      for (size_t i = 0; i < read->changes.size(); ++i) {
        const ChangeRecord& c = read->changes[i];
        ASSERT_EQ(c.seq, i + 1) << "round " << round << " user " << u << ": a gap or duplicate";
        const int64_t key = c.key[0].as_int64();
        if (c.type == ChangeType::kDelete) {
          log.push_back({c.type, key, ""});
          replayed.erase(key);
        } else {
          const std::string value(c.row->at(1).as_bytes());
          log.push_back({c.type, key, value});
          replayed[key] = value;
        }
      }
      EXPECT_EQ(read->last_seq, read->changes.size());
      records += log.size();
      const std::string problem = CheckAgainstJournal(journal + ".u" + std::to_string(u), log);
      EXPECT_EQ(problem, "") << "round " << round << " user " << u;
      auto rows = store.ReadRows(**entry, &user);
      ASSERT_TRUE(rows.ok()) << rows.status().ToString();
      std::map<int64_t, std::string> actual;
      for (size_t r = 0; r < rows->num_rows(); ++r) {
        auto row = rows->GetRow(r);
        actual[row[0].as_int64()] = std::string(row[1].as_bytes());
      }
      EXPECT_EQ(actual, replayed) << "round " << round << " user " << u
                                  << ": replaying the log does not give the rows";
    }
    EXPECT_GE(records, total_records) << "records disappeared";
    total_records = records;
  }
  EXPECT_GT(total_records, 0u) << "the worker never wrote";
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace tenantdb
