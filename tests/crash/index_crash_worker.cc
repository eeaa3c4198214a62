// The process the index crash test kills: through the public API it inserts, updates and
// deletes rows of a SHARED table with a UNIQUE index on `w` and an index on `v`, flushes
// now and then, and now and then drops and rebuilds the index on `v` (so kills land in
// builds as well as in writes), forever. Nothing is journaled: the test checks that
// whatever survived, every index agrees with the table.
//
// Usage: index_crash_worker DATA_DIR SEED
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "tenantdb/database.h"
#include "tenantdb/session.h"

using namespace tenantdb;

namespace {

[[noreturn]] void Die(const Status& s) {
  std::fprintf(stderr, "index_crash_worker: %s\n", s.ToString().c_str());
  std::exit(3);
}

void Must(const Result<CommandResult>& r) {
  if (!r.ok()) Die(r.status());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: index_crash_worker DATA_DIR SEED\n");
    return 2;
  }
  auto db = Database::Open(argv[1]);
  if (!db.ok()) Die(db.status());
  auto session = (*db)->Connect("root", Role::kSystem);
  if (!session.ok()) Die(session.status());
  Session& s = **session;
  Must(s.Execute("CREATE NAMESPACE IF NOT EXISTS crash"));
  Must(
      s.Execute("CREATE TABLE IF NOT EXISTS crash.items (id BIGINT PRIMARY KEY, v INT, w TEXT) "
                "WITH (TYPE = 'SHARED')"));
  Must(s.Execute("CREATE UNIQUE INDEX IF NOT EXISTS items_w ON crash.items (w)"));
  Must(s.Execute("CREATE INDEX IF NOT EXISTS items_v ON crash.items (v)"));
  std::mt19937_64 rng(std::strtoull(argv[2], nullptr, 10));
  for (uint64_t op = 0;; ++op) {
    const int64_t id = static_cast<int64_t>(rng() % 1500);
    const int64_t v = static_cast<int64_t>(rng() % 40);
    const std::string w = "'w" + std::to_string(rng() % 3000) + "'";
    switch (rng() % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        // Duplicates of id or w are refused; that is part of the test.
        (void)s.Execute("INSERT INTO crash.items VALUES (" + std::to_string(id) + ", " +
                        std::to_string(v) + ", " + w + ")");
        break;
      case 4:
      case 5:
        (void)s.Execute("UPDATE crash.items SET v = " + std::to_string(v) + ", w = " + w +
                        " WHERE id = " + std::to_string(id));
        break;
      case 6:
        (void)s.Execute("UPDATE crash.items SET v = NULL WHERE id = " + std::to_string(id));
        break;
      case 7:
      case 8:
        (void)s.Execute("DELETE FROM crash.items WHERE id = " + std::to_string(id));
        break;
      default:
        if (op % 7 == 0) Must(s.Execute("STORAGE FLUSH TABLE crash.items"));
        if (op % 11 == 0) {
          Must(s.Execute("DROP INDEX crash.items_v"));
          Must(s.Execute("CREATE INDEX items_v ON crash.items (v)"));
        }
        break;
    }
  }
}
