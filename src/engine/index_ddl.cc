#include "engine/index_ddl.h"

#include <rocksdb/write_batch.h>

#include <algorithm>

#include "catalog/catalog_codec.h"
#include "catalog/namespace_alias.h"
#include "engine/constraint_ddl.h"
#include "engine/job_runner.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

HotIndex ToHotIndex(const std::string& name, const IndexRecord& record) {
  HotIndex index;
  index.index_number = record.index_number;
  index.table_number = record.table_number;
  index.name = name;
  index.unique = record.unique;
  index.constraint = record.constraint;
  index.ready = record.ready;
  index.column_ids = record.column_ids;
  return index;
}

// Adds the range delete of an index's entries to `batch`.
void StageEntriesRemoval(Engine& db, rocksdb::WriteBatch* batch, uint32_t index_number) {
  const std::string start = EncodeTablePrefix(index_number);
  const std::string end = PrefixSuccessor(start);
  batch->DeleteRange(db.kv().family(KvFamily::kRows), ToSlice(start), ToSlice(end));
}

Status DropIndexRecord(Engine& db, const NamespaceId& ns, const std::string& name,
                       uint32_t table_number, uint32_t index_number) {
  TDB_RETURN_IF_ERROR(
      db.catalog().DropIndex(ns, name, [&](rocksdb::WriteBatch* batch, const IndexRecord& record) {
        StageEntriesRemoval(db, batch, record.index_number);
      }));
  db.tables().hot().indexes().Remove(table_number, index_number);
  return Status::Ok();
}

// Registers `index` while no write of its table is in flight (see the header).
Status Register(Engine& db, const HotIndex& index) {
  RekeyGate& gate = db.tables().hot().rekey_gate();
  TDB_RETURN_IF_ERROR(gate.Begin(index.table_number));
  db.tables().hot().indexes().Put(index);
  gate.Finish(index.table_number, 0);
  return Status::Ok();
}

// CREATE INDEX's build as a job: system.jobs lists it as running with `what` and its
// progress ("indexed 4096 rows, 2 of 5 users done") until it ends.
Result<std::string> BuildWithProgress(Engine& db, const TableEntry& table, const HotIndex& index,
                                      const std::string& what, const JobRunner::Progress& report) {
  const bool per_user = IsPerUser(table.type());
  auto progress = [&](const IndexBuildProgress& p) {
    std::string text = what + "indexed " + std::to_string(p.rows) + " rows";
    if (per_user) {
      text += ", " + std::to_string(p.users_done) + " of " + std::to_string(p.users_total) +
              " users done";
    }
    if (p.checking_unique) text += ", checking uniqueness";
    report(std::move(text));
  };
  TDB_ASSIGN_OR_RETURN(size_t rows, db.tables().BuildIndex(table, index, progress));
  return what + "indexed " + std::to_string(rows) + " rows";
}

}  // namespace

Result<QueryResult> CreateIndex(const sql::CreateIndexStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  Engine& db = *ctx.database;
  TDB_ASSIGN_OR_RETURN(TableProviderRef table, ctx.binder->ResolveTable(stmt.table));
  if (table->type() == TableType::kSystem) {
    return Status(ErrorCode::kWrongObjectType,
                  "\"" + table->id().ToString() + "\" is a system table and cannot be indexed");
  }
  const Schema& schema = *table->schema();
  IndexRecord record;
  record.table = std::string(table->id().table().str());
  record.table_number = table->table_number();
  record.unique = stmt.unique;
  for (const std::string& column : stmt.columns) {
    auto field = std::find_if(schema.fields().begin(), schema.fields().end(),
                              [&](const Field& f) { return f.name == column; });
    if (field == schema.fields().end()) {
      return Status(ErrorCode::kUndefinedColumn, "column \"" + column + "\" does not exist");
    }
    // Index keys have no order-preserving encoding of arrays.
    if (IsArray(field->type)) {
      return Status(ErrorCode::kFeatureNotSupported, "column \"" + column + "\" is " +
                                                         std::string(DataTypeName(field->type)) +
                                                         ", which cannot be indexed yet");
    }
    record.column_ids.push_back(field->id);
  }
  const NamespaceId ns = table->id().ns();
  auto created = db.catalog().CreateIndex(ns, stmt.name, record);
  if (!created.ok()) {
    if (created.status().code() == ErrorCode::kDuplicateTable && stmt.if_not_exists) {
      QueryResult r = CommandTagResult("CREATE INDEX");
      r.notices.push_back("relation \"" + stmt.name + "\" already exists, skipping");
      return r;
    }
    return created.status();
  }
  HotIndex index = ToHotIndex(stmt.name, *created);
  auto fail = [&](const Status& why) -> Status {
    Status dropped = DropIndexRecord(db, ns, stmt.name, index.table_number, index.index_number);
    return dropped.ok() ? why : dropped;
  };
  if (Status s = Register(db, index); !s.ok()) return fail(s);
  const std::string what = "CREATE INDEX " + stmt.name + " ON " + table->id().ToString() + ": ";
  const JobRunner::ProgressTask build = [&](const JobRunner::Progress& report) {
    return BuildWithProgress(db, *table, index, what, report);
  };
  Result<std::string> built = db.jobs().RunNow("index_build", build);
  if (!built.ok()) return fail(built.status());
  if (Status s = db.catalog().SetIndexReady(ns, stmt.name); !s.ok()) return fail(s);
  index.ready = true;
  db.tables().hot().indexes().Put(index);
  return CommandTagResult("CREATE INDEX");
}

Result<QueryResult> DropIndexes(const sql::DropIndexStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  Engine& db = *ctx.database;
  for (const sql::TableName& name : stmt.indexes) {
    const std::string ns_name =
        CanonicalNamespace(name.schema.empty() ? ctx.current_namespace : name.schema);
    auto ns = NamespaceId::Make(ns_name);
    std::optional<IndexRecord> record;
    if (ns.ok()) {
      TDB_ASSIGN_OR_RETURN(record, db.catalog().GetIndex(*ns, name.name));
    }
    if (!record.has_value()) {
      if (stmt.if_exists) continue;
      return Status(ErrorCode::kNotFound, "index \"" + name.name + "\" does not exist");
    }
    TDB_RETURN_IF_ERROR(CheckIndexDroppable(*record, name.name));
    TDB_RETURN_IF_ERROR(
        DropIndexRecord(db, *ns, name.name, record->table_number, record->index_number));
  }
  return CommandTagResult("DROP INDEX");
}

Status LoadIndexes(Engine& db) {
  struct Unbuilt {
    NamespaceId ns;
    std::string name;
    IndexRecord record;
  };
  std::vector<Unbuilt> unbuilt;
  TDB_RETURN_IF_ERROR(db.catalog().ForEachIndex(
      [&](const NamespaceId& ns, const std::string& name, const IndexRecord& record) {
        if (record.ready) {
          db.tables().hot().indexes().Put(ToHotIndex(name, record));
        } else {
          unbuilt.push_back({ns, name, record});
        }
        return Status::Ok();
      }));
  if (db.read_only()) return Status::Ok();
  for (const Unbuilt& u : unbuilt) {
    TDB_RETURN_IF_ERROR(
        DropIndexRecord(db, u.ns, u.name, u.record.table_number, u.record.index_number));
  }
  return Status::Ok();
}

void StageDropTableIndexes(Engine& db, rocksdb::WriteBatch* batch, const TableDefinition& table) {
  HotIndexList list = db.tables().hot().indexes().Get(table.table_number);
  if (list == nullptr) return;
  rocksdb::ColumnFamilyHandle* cf = db.kv().family(KvFamily::kCatalog);
  for (const HotIndex& index : *list) {
    batch->Delete(cf, ToSlice(IndexKey(table.id.ns(), index.name)));
    StageEntriesRemoval(db, batch, index.index_number);
  }
}

void ForgetTableIndexes(Engine& db, uint32_t table_number) {
  db.tables().hot().indexes().RemoveTable(table_number);
}

Status DropIndexesOfDroppedColumns(Engine& db, const TableId& table, uint32_t table_number,
                                   const Schema& schema) {
  HotIndexList list = db.tables().hot().indexes().Get(table_number);
  if (list == nullptr) return Status::Ok();
  for (const HotIndex& index : *list) {
    if (IndexColumnPositions(index, schema).ok()) continue;
    TDB_RETURN_IF_ERROR(
        DropIndexRecord(db, table.ns(), index.name, table_number, index.index_number));
  }
  return Status::Ok();
}

std::vector<std::string> IndexDefinitions(Engine& db, const TableEntry& table) {
  std::vector<std::string> out;
  HotIndexList list = db.tables().hot().indexes().Get(table.table_number());
  if (list == nullptr) return out;
  std::vector<HotIndex> sorted(list->begin(), list->end());
  std::sort(sorted.begin(), sorted.end(),
            [](const HotIndex& a, const HotIndex& b) { return a.index_number < b.index_number; });
  for (const HotIndex& index : sorted) {
    auto positions = IndexColumnPositions(index, *table.schema());
    if (!positions.ok()) continue;
    std::string columns;
    for (size_t p : *positions)
      columns += (columns.empty() ? "" : ", ") + table.schema()->field(p).name;
    if (index.constraint) continue;  // listed as a constraint (constraint_ddl.h)
    out.push_back(std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                  index.name + " ON " + table.id().ToString() + " (" + columns + ")");
  }
  return out;
}

}  // namespace tenantdb
