// The process the crash test kills: opens a data directory and runs random inserts,
// updates, deletes, flushes, compactions and (rarely) a DROP TABLE followed by the
// erasure of its files and a CREATE TABLE of the same name, on a USER table for three
// users, forever, logging every
// operation to an append-only journal before ("B ...") and after ("A" acknowledged, "F"
// failed) it runs. Each journal line is fdatasync'ed, so the journal never claims an
// acknowledgement the database did not give. The test kills this process with SIGKILL
// at random moments and checks the database against the journal.
//
// Usage: crash_worker DATA_DIR JOURNAL SEED
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "catalog/persistent_catalog.h"
#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/table_store.h"

using namespace tenantdb;

namespace {

int journal_fd = -1;

void Journal(const std::string& line) {
  std::string l = line + "\n";
  if (::write(journal_fd, l.data(), l.size()) != static_cast<ssize_t>(l.size()) ||
      ::fdatasync(journal_fd) != 0) {
    std::perror("journal");
    std::exit(2);
  }
}

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "crash_worker: %s\n", s.ToString().c_str());
  std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: crash_worker DATA_DIR JOURNAL SEED\n");
    return 2;
  }
  const std::string dir = argv[1];
  journal_fd = ::open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (journal_fd < 0) return 2;
  std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));

  SchemaPool pool;
  auto kv = KvStore::Open(dir);
  if (!kv.ok()) Die(kv.status());
  auto catalog = PersistentCatalog::Open(kv->get(), &pool);
  if (!catalog.ok()) Die(catalog.status());
  StorageRegistry storages(dir + "/storage");
  const TableId id = *TableId::Make("crash", "items");
  auto create_table = [&] {
    if ((*catalog)->GetTable(id).ok()) return;
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
  };
  create_table();  // killed between a DROP and its CREATE, or the first run
  auto entry = (*catalog)->Loader(storages)(id);
  if (!entry.ok()) Die(entry.status());
  // Few files per directory before a flush compacts, so automatic compactions happen.
  TableStore::Options store_options;
  store_options.compact_after_files = 3;
  TableStore store(kv->get(), catalog->get(), store_options);
  auto table = store.HotTableFor(**entry);
  if (!table.ok()) Die(table.status());
  // Resume an erasure a killed run left unfinished (as Engine::Open does).
  if (Status s = store.EraseDropped(storages).status(); !s.ok()) Die(s);
  // Tell the test the setup is done, so its kill lands in the workload and not in a
  // slow start (sanitized binaries on a loaded machine can take a second to get here).
  {
    const std::string ready = std::string(argv[2]) + ".ready";
    const int fd = ::open(ready.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) ::close(fd);
  }
  const UserId users[] = {*UserId::Make("u0"), *UserId::Make("u1"), *UserId::Make("u2")};

  for (uint64_t seq = 0;; ++seq) {
    const int op = static_cast<int>(rng() % 20);
    const int u = static_cast<int>(rng() % 3);
    const int64_t key = static_cast<int64_t>(rng() % 200);
    const std::string value = "v" + std::to_string(rng() % 1000000);
    Status s;
    if (op == 0) {
      Journal("B flush");
      s = store.Flush(**entry).status();
      Journal(s.ok() ? "A flush" : "F flush " + s.ToString());
      if (!s.ok()) Die(s);
      continue;
    }
    if (op == 1) {
      Journal("B compact");
      s = store.Compact(**entry).status();
      Journal(s.ok() ? "A compact" : "F compact " + s.ToString());
      if (!s.ok()) Die(s);
      continue;
    }
    if (rng() % 300 == 0) {
      // DROP TABLE (every row goes at once), erase its files, re-create it empty.
      Journal("B drop");
      s = (*catalog)->DropTable(id);
      if (s.ok()) s = store.hot().DropTable((*entry)->table_number());
      Journal(s.ok() ? "A drop" : "F drop " + s.ToString());
      if (!s.ok()) Die(s);
      if (Status e = store.EraseDropped(storages).status(); !e.ok()) Die(e);
      create_table();
      entry = (*catalog)->Loader(storages)(id);
      if (!entry.ok()) Die(entry.status());
      table = store.HotTableFor(**entry);
      if (!table.ok()) Die(table.status());
      continue;
    }
    const char* name = op < 9 ? "insert" : op < 15 ? "update" : "delete";
    const std::string line =
        std::string(name) + " " + std::to_string(u) + " " + std::to_string(key) + " " + value;
    Journal("B " + line);
    if (op < 9) {
      s = store.hot().Insert(*table, &users[u], {Value::BigInt(key), Value::Text(value)});
    } else if (op < 15) {
      s = store.hot().Update(*table, &users[u], {Value::BigInt(key), Value::Text(value)});
    } else {
      auto deleted = store.hot().Delete(*table, &users[u], {Value::BigInt(key)});
      s = deleted.ok() ? (*deleted ? Status::Ok() : Status(ErrorCode::kNotFound, "absent"))
                       : deleted.status();
    }
    if (s.ok()) {
      Journal("A");
    } else if (s.code() == ErrorCode::kUniqueViolation || s.code() == ErrorCode::kNotFound) {
      Journal("F");
    } else {
      Die(s);
    }
  }
}
