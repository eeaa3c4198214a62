#include "storage/table_analyzer.h"

#include <algorithm>
#include <set>

#include "storage/column_sketch.h"

namespace tenantdb {

namespace {

// The users holding rows of a per-user table: hot ones and flushed ones, each once.
Result<std::set<std::string>> UsersOf(TableStore& store, const PersistentCatalog& catalog,
                                      const TableEntry& table) {
  TDB_ASSIGN_OR_RETURN(HotTable hot, store.HotTableFor(table));
  TDB_ASSIGN_OR_RETURN(std::vector<std::string> hot_users, store.hot().ListUsers(hot));
  std::set<std::string> users(hot_users.begin(), hot_users.end());
  if (table.type() != TableType::kStream) {  // STREAM tables are never flushed
    TDB_ASSIGN_OR_RETURN(std::vector<UserId> cold, catalog.ListManifestUsers(table.table_number()));
    for (const UserId& u : cold)
      users.emplace(u.str());
  }
  return users;
}

}  // namespace

Result<TableAnalysis> AnalyzeTable(TableStore& store, const PersistentCatalog& catalog,
                                   const TableEntry& table, int64_t now_micros,
                                   const std::function<Status()>& check) {
  const Schema& schema = *table.schema();
  std::vector<ColumnSketch> sketches;
  sketches.reserve(schema.num_fields());
  for (size_t i = 0; i < schema.num_fields(); ++i)
    sketches.emplace_back(schema.field(i).type);

  // Reads one slice (or the SHARED table); returns its live rows.
  auto read = [&](const UserId* user) -> Result<int64_t> {
    TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, store.OpenScan(table, user, {}));
    int64_t rows = 0;
    while (true) {
      if (check) TDB_RETURN_IF_ERROR(check());
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream->Next());
      if (!batch.has_value()) break;
      rows += static_cast<int64_t>(batch->num_rows());
      for (size_t c = 0; c < sketches.size() && c < batch->num_columns(); ++c)
        sketches[c].Add(batch->column(c));
    }
    return rows;
  };

  TableAnalysis out;
  int64_t total = 0;
  if (IsPerUser(table.type())) {
    TDB_ASSIGN_OR_RETURN(std::set<std::string> users, UsersOf(store, catalog, table));
    for (const std::string& id : users) {
      TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(id));
      TDB_ASSIGN_OR_RETURN(int64_t rows, read(&user));
      total += rows;
      if (rows > 0) out.slices.emplace_back(id, rows);
    }
    out.record.users = static_cast<int64_t>(out.slices.size());
  } else {
    TDB_ASSIGN_OR_RETURN(total, read(nullptr));
    out.record.users = -1;
  }
  out.record.rows = total;
  out.record.analyzed_rows = total;
  out.record.analyzed_us = std::max<int64_t>(now_micros, 1);  // 0 means "never"
  out.record.columns.reserve(sketches.size());
  for (size_t i = 0; i < sketches.size(); ++i)
    out.record.columns.push_back(sketches[i].Finish(schema.field(i).id));
  return out;
}

}  // namespace tenantdb
