// The process the change-log crash test kills: three threads, one per user of a USER
// table, insert, update and delete rows (now and then two inserts in one transaction,
// now and then a flush), forever. Each thread journals every operation before ("B ...")
// and after ("A" acknowledged, "F" refused) it runs, in its own journal file
// (JOURNAL.u0, .u1, .u2), each line fdatasync'ed: the journal never claims an
// acknowledgement the database did not give. The test kills this process with SIGKILL
// and checks the change log against the journals and the rows.
//
// Usage: change_log_crash_worker DATA_DIR JOURNAL SEED
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_store.h"
#include "tables/transaction.h"

using namespace tenantdb;

namespace {

void JournalLine(int fd, const std::string& line) {
  std::string l = line + "\n";
  if (::write(fd, l.data(), l.size()) != static_cast<ssize_t>(l.size()) || ::fdatasync(fd) != 0) {
    std::perror("journal");
    std::exit(2);
  }
}

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "change_log_crash_worker: %s\n", s.ToString().c_str());
  std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: change_log_crash_worker DATA_DIR JOURNAL SEED\n");
    return 2;
  }
  const std::string dir = argv[1];
  const std::string journal = argv[2];
  const uint64_t seed = std::strtoull(argv[3], nullptr, 10);

  SchemaPool pool;
  auto kv = KvStore::Open(dir);
  if (!kv.ok()) Die(kv.status());
  auto catalog = PersistentCatalog::Open(kv->get(), &pool);
  if (!catalog.ok()) Die(catalog.status());
  StorageRegistry storages(dir + "/storage");
  const TableId id = *TableId::Make("crash", "log");
  if (!(*catalog)->GetTable(id).ok()) {
    Status ns = (*catalog)->CreateNamespace(*NamespaceId::Make("crash"));
    if (!ns.ok() && ns.code() != ErrorCode::kAlreadyExists) Die(ns);
    TableDefinition d;
    d.id = id;
    d.type = TableType::kUser;
    d.schema = pool.Intern(
        {{"k", DataType::kBigInt, false, true, ""}, {"v", DataType::kText, false, false, ""}});
    d.storage_id = storages.local()->id;
    auto created = (*catalog)->CreateTable(d);
    if (!created.ok()) Die(created.status());
  }
  auto entry = (*catalog)->Loader(storages)(id);
  if (!entry.ok()) Die(entry.status());
  TableStore store(kv->get(), catalog->get());
  auto table = store.HotTableFor(**entry);
  if (!table.ok()) Die(table.status());
  {
    const std::string ready = journal + ".ready";
    const int fd = ::open(ready.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
  }
  std::mutex flush_mu;  // one flush at a time (the store serializes them anyway)

  auto work = [&](int u) {
    const std::string path = journal + ".u" + std::to_string(u);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) std::exit(2);
    const UserId user = *UserId::Make("u" + std::to_string(u));
    std::mt19937_64 rng(seed * 10 + static_cast<uint64_t>(u));
    while (true) {
      const int op = static_cast<int>(rng() % 20);
      const int64_t key = static_cast<int64_t>(rng() % 100);
      const std::string value = "v" + std::to_string(rng() % 1000000);
      Status s;
      if (op == 0) {
        // A flush moves rows to Parquet; the log must keep their changes.
        std::lock_guard<std::mutex> lock(flush_mu);
        s = store.Flush(**entry).status();
        if (!s.ok()) Die(s);
        continue;
      }
      if (op == 1) {
        const int64_t key2 = static_cast<int64_t>(rng() % 100);
        const std::string value2 = "w" + std::to_string(rng() % 1000000);
        if (key2 == key) continue;
        JournalLine(fd, "B batch " + std::to_string(key) + " " + value + " " +
                            std::to_string(key2) + " " + value2);
        Transaction tx;
        s = tx.Add(&store, **entry, &user,
                   HotWrite::Insert({Value::BigInt(key), Value::Text(value)}));
        if (s.ok()) {
          s = tx.Add(&store, **entry, &user,
                     HotWrite::Insert({Value::BigInt(key2), Value::Text(value2)}));
        }
        if (s.ok()) s = tx.Commit(&store);
      } else {
        const char* name = op < 10 ? "insert" : op < 15 ? "update" : "delete";
        JournalLine(fd, std::string("B ") + name + " " + std::to_string(key) + " " + value);
        if (op < 10) {
          s = store.hot().Insert(*table, &user, {Value::BigInt(key), Value::Text(value)});
        } else if (op < 15) {
          s = store.hot().Update(*table, &user, {Value::BigInt(key), Value::Text(value)});
        } else {
          auto deleted = store.hot().Delete(*table, &user, {Value::BigInt(key)});
          s = deleted.ok() ? (*deleted ? Status::Ok() : Status(ErrorCode::kNotFound, "absent"))
                           : deleted.status();
        }
      }
      if (s.ok()) {
        JournalLine(fd, "A");
      } else if (s.code() == ErrorCode::kUniqueViolation || s.code() == ErrorCode::kNotFound) {
        JournalLine(fd, "F");
      } else {
        Die(s);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int u = 0; u < 3; ++u)
    threads.emplace_back(work, u);
  for (std::thread& t : threads)
    t.join();  // never: the test kills the process
  return 0;
}
