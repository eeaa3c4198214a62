// hello: the smallest tenantdb application. Opens a database in a fresh temporary
// directory, creates a table, inserts rows with parameters and reads them back through a
// cursor with typed accessors. Built against the *installed* package (examples/
// CMakeLists.txt, or pkg-config); the test suite builds and runs it (tests/install/).
#include <tenantdb/database.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace {

int Fail(const tenantdb::Status& status) {
  std::cerr << "error: " << status.ToString() << " (SQLSTATE " << status.sqlstate() << ")\n";
  return 1;
}

}  // namespace

int main() {
  char pattern[] = "/tmp/tenantdb-hello-XXXXXX";
  if (mkdtemp(pattern) == nullptr) return 1;
  const std::string dir = pattern;

  int rc = [&]() -> int {
    auto db = tenantdb::Database::Open(dir);
    if (!db.ok()) return Fail(db.status());
    auto session = (*db)->Connect("root", tenantdb::Role::kSystem);
    if (!session.ok()) return Fail(session.status());
    tenantdb::Session& s = **session;

    auto created =
        s.Execute("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, stars DOUBLE)");
    if (!created.ok()) return Fail(created.status());

    auto insert = s.Prepare("INSERT INTO notes VALUES ($1, $2, $3)");
    if (!insert.ok()) return Fail(insert.status());
    const char* bodies[] = {"hello", "tenantdb", "world"};
    for (int64_t id = 1; id <= 3; ++id) {
      auto r =
          s.Query(**insert, {tenantdb::Value::BigInt(id), tenantdb::Value::Text(bodies[id - 1]),
                             id == 2 ? tenantdb::Value::Null(tenantdb::DataType::kDouble)
                                     : tenantdb::Value::Double(id * 1.5)});
      if (!r.ok()) return Fail(r.status());
    }

    auto cursor = s.Query("SELECT id, body, stars FROM notes WHERE id >= $1 ORDER BY id",
                          {tenantdb::Value::BigInt(1)});
    if (!cursor.ok()) return Fail(cursor.status());
    tenantdb::Cursor& c = **cursor;
    std::cout << "columns:";
    for (const tenantdb::Column& col : c.columns())
      std::cout << " " << col.name << ":" << tenantdb::DataTypeName(col.type);
    std::cout << "\n";
    while (true) {
      tenantdb::Result<bool> more = c.Next();
      if (!more.ok()) return Fail(more.status());
      if (!*more) break;
      const tenantdb::RowBatch& batch = c.batch();
      for (size_t row = 0; row < batch.num_rows(); ++row) {
        std::cout << batch.GetInt64(row, 0).value() << " " << batch.GetText(row, 1).value() << " ";
        if (batch.IsNull(row, 2)) {
          std::cout << "NULL\n";
        } else {
          std::cout << batch.GetDouble(row, 2).value() << "\n";
        }
      }
    }
    std::cout << c.command_tag() << "\n";
    return 0;
  }();

  std::filesystem::remove_all(dir);
  return rc;
}
