#include "engine/constraint_ddl.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <set>

#include "catalog/catalog_codec.h"
#include "sql/planner/binder_internal.h"

namespace tenantdb {

namespace {

constexpr size_t kMaxNameBytes = 63;  // PostgreSQL's NAMEDATALEN - 1

// PostgreSQL's makeObjectName: name1_name2_label, the longer of name1 and name2 cut
// until the whole fits in 63 bytes.
std::string MakeObjectName(std::string_view name1, std::string_view name2, std::string_view label) {
  size_t overhead = label.size() + 1 + (name2.empty() ? 0 : 1);
  size_t n1 = name1.size(), n2 = name2.size();
  while (n1 + n2 + overhead > kMaxNameBytes) {
    if (n1 > n2) {
      --n1;
    } else {
      --n2;
    }
  }
  std::string out(name1.substr(0, n1));
  if (!name2.empty()) out += "_" + std::string(name2.substr(0, n2));
  return out + "_" + std::string(label);
}

// PostgreSQL's ChooseRelationName / ChooseConstraintName: the name, or with label
// "key1", "key2", ... until `taken` says no.
template <typename Taken>
Result<std::string> ChooseName(std::string_view name1, std::string_view name2,
                               std::string_view label, const Taken& taken) {
  for (int pass = 0;; ++pass) {
    const std::string with =
        pass == 0 ? std::string(label) : std::string(label) + std::to_string(pass);
    std::string name = MakeObjectName(name1, name2, with);
    TDB_ASSIGN_OR_RETURN(bool is_taken, taken(name));
    if (!is_taken) return name;
  }
}

struct UniqueSpec {
  std::string name;  // empty until chosen
  std::vector<std::string> columns;
};

struct CheckSpec {
  std::string name;
  const sql::Expr* condition;
};

// The statement's constraints in declaration order: the columns' first, then the table's
// (PostgreSQL names them in this order too).
void Collect(const sql::CreateTableStmt& stmt, std::vector<UniqueSpec>* unique,
             std::vector<CheckSpec>* checks) {
  auto add = [&](const sql::ConstraintDef& c) {
    if (c.kind == sql::ConstraintDef::Kind::kUnique) {
      unique->push_back(UniqueSpec{c.name, c.columns});
    } else {
      checks->push_back(CheckSpec{c.name, c.check.get()});
    }
  };
  for (const sql::ColumnDef& column : stmt.columns)
    for (const sql::ConstraintDef& c : column.constraints)
      add(c);
  for (const sql::ConstraintDef& c : stmt.constraints)
    add(c);
}

// The ids of the columns `e` reads (a row of the table's columns), in first-use order.
void ReadColumns(const sql::BoundExpr& e, const Schema& schema, std::vector<uint32_t>* ids) {
  if (e.kind == sql::BoundExprKind::kColumn && e.outer_level == 0 &&
      e.column < schema.num_fields()) {
    const uint32_t id = schema.field(e.column).id;
    if (std::find(ids->begin(), ids->end(), id) == ids->end()) ids->push_back(id);
  }
  for (const auto& c : e.children)
    ReadColumns(*c, schema, ids);
}

Status DuplicateConstraint(const std::string& name, const TableId& table) {
  return Status(ErrorCode::kAlreadyExists, "constraint \"" + name + "\" for relation \"" +
                                               std::string(table.table().str()) +
                                               "\" already exists");
}

}  // namespace

bool HasConstraints(const sql::CreateTableStmt& stmt) {
  if (!stmt.constraints.empty()) return true;
  for (const sql::ColumnDef& c : stmt.columns)
    if (!c.constraints.empty()) return true;
  return false;
}

Result<TableDefinition> CreateTableWithConstraints(const sql::CreateTableStmt& stmt,
                                                   TableDefinition def, const DdlContext& ctx) {
  Engine& db = *ctx.database;
  // Constraints name columns by id: give the new table's columns theirs now (the
  // catalog keeps ids it is given, 1..n as it would have chosen).
  std::vector<Field> fields = def.schema->fields();
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].id == 0) fields[i].id = static_cast<uint32_t>(i + 1);
  def.schema = db.schema_pool().Intern(std::move(fields), def.schema->metadata());
  const Schema& schema = *def.schema;
  const std::string table_name(def.id.table().str());

  std::vector<UniqueSpec> unique_specs;
  std::vector<CheckSpec> check_specs;
  Collect(stmt, &unique_specs, &check_specs);
  // Given names must differ (PostgreSQL's two messages: checks are created first).
  std::set<std::string> names;  // every constraint name of the table so far
  for (const auto& c : check_specs) {
    if (!c.name.empty() && !names.insert(c.name).second) {
      return Status(ErrorCode::kAlreadyExists,
                    "check constraint \"" + c.name + "\" already exists");
    }
  }
  for (const auto& u : unique_specs)
    if (!u.name.empty() && !names.insert(u.name).second) return DuplicateConstraint(u.name, def.id);

  // UNIQUE: columns checked, redundant ones (the primary key's columns, or another
  // UNIQUE's, in the same order) dropped as PostgreSQL does, then named.
  std::vector<std::string> key_columns;
  for (size_t k : schema.PrimaryKeyIndices())
    key_columns.push_back(schema.field(k).name);
  std::vector<std::pair<std::string, IndexRecord>> indexes;
  std::vector<std::vector<std::string>> kept{key_columns};
  for (UniqueSpec& u : unique_specs) {
    IndexRecord record;
    for (size_t i = 0; i < u.columns.size(); ++i) {
      const std::string& column = u.columns[i];
      const std::optional<size_t> field = schema.FieldIndex(column);
      if (!field.has_value()) {
        return Status(ErrorCode::kUndefinedColumn,
                      "column \"" + column + "\" named in key does not exist");
      }
      if (std::find(u.columns.begin(), u.columns.begin() + i, column) != u.columns.begin() + i) {
        return Status(ErrorCode::kDuplicateColumn,
                      "column \"" + column + "\" appears twice in unique constraint");
      }
      const Field& f = schema.field(*field);
      if (IsArray(f.type)) {  // index keys have no encoding of arrays
        return Status(ErrorCode::kFeatureNotSupported,
                      "column \"" + column + "\" is " + std::string(DataTypeName(f.type)) +
                          ", which cannot be part of a UNIQUE constraint yet");
      }
      record.column_ids.push_back(f.id);
    }
    if (std::find(kept.begin(), kept.end(), u.columns) != kept.end()) continue;
    kept.push_back(u.columns);
    if (u.name.empty()) {
      std::string joined;
      for (const std::string& c : u.columns)
        joined += (joined.empty() ? "" : "_") + c;
      auto taken = [&](const std::string& name) -> Result<bool> {
        if (names.contains(name) || name == table_name) return true;
        TDB_ASSIGN_OR_RETURN(auto index, db.catalog().GetIndex(def.id.ns(), name));
        if (index.has_value()) return true;
        auto as_table = TableId::Make(std::string(def.id.ns().str()), name);
        if (!as_table.ok()) return false;
        return db.catalog().RelationExists(*as_table);
      };
      TDB_ASSIGN_OR_RETURN(u.name,
                           ChooseName(table_name, joined.substr(0, kMaxNameBytes), "key", taken));
      names.insert(u.name);
    }
    indexes.emplace_back(u.name, std::move(record));
  }

  // CHECK: bound over the new table's row now, so a bad condition fails CREATE TABLE
  // with the position of what is wrong in it.
  std::vector<sql::OutputColumn> columns;
  for (const Field& f : schema.fields())
    columns.push_back(sql::OutputColumn{f.name, f.type, table_name, f.name == kRowIdColumn});
  std::vector<CheckConstraint> checks;
  for (CheckSpec& c : check_specs) {
    TDB_ASSIGN_OR_RETURN(sql::BoundExprPtr bound, ctx.binder->BindCheck(*c.condition, columns));
    CheckConstraint check;
    ReadColumns(*bound, schema, &check.column_ids);
    check.expr = c.condition->ToString();
    check.name = c.name;
    if (check.name.empty()) {
      // PostgreSQL: `<table>_<column>_check` when the condition reads one column, else
      // `<table>_check`.
      std::string column;
      if (check.column_ids.size() == 1) {
        for (const Field& f : schema.fields())
          if (f.id == check.column_ids[0]) column = f.name;
      }
      auto taken = [&](const std::string& name) -> Result<bool> { return names.contains(name); };
      TDB_ASSIGN_OR_RETURN(check.name, ChooseName(table_name, column, "check", taken));
      names.insert(check.name);
    }
    checks.push_back(std::move(check));
  }

  std::vector<CheckConstraint> published_checks = checks;
  // Published in memory before the catalog write makes the table visible: no write can
  // reach the table without maintaining its indexes and checking its checks.
  uint32_t published_table = 0;
  std::vector<std::pair<uint32_t, uint32_t>> published_indexes;  // (table, index)
  auto publish = [&](const PersistentCatalog::CreatedTable& created) {
    published_table = created.table.table_number;
    for (const auto& [name, record] : created.indexes) {
      HotIndex index;
      index.index_number = record.index_number;
      index.table_number = record.table_number;
      index.name = name;
      index.unique = true;
      index.constraint = true;
      index.ready = true;
      index.column_ids = record.column_ids;
      db.tables().hot().indexes().Put(index);
      published_indexes.emplace_back(record.table_number, record.index_number);
    }
    db.checks().Put(created.table.table_number, published_checks);
  };
  auto created = db.catalog().CreateTableWithConstraints(std::move(def), std::move(indexes),
                                                         std::move(checks), publish);
  if (!created.ok()) {
    for (const auto& [table, index] : published_indexes)
      db.tables().hot().indexes().Remove(table, index);
    if (published_table != 0) db.checks().Remove(published_table);
    return created.status();
  }
  return std::move(created->table);
}

Status LoadChecks(Engine& db) {
  return db.catalog().ForEachChecks([&](uint32_t table, std::vector<CheckConstraint> checks) {
    db.checks().Put(table, std::move(checks));
    return Status::Ok();
  });
}

void ForgetTableChecks(Engine& db, uint32_t table_number) {
  db.checks().Remove(table_number);
}

Status CheckIndexDroppable(const IndexRecord& record, const std::string& name) {
  if (!record.constraint) return Status::Ok();
  return Status(ErrorCode::kDependentObjectsStillExist,
                "cannot drop index " + name + " because constraint " + name + " on table " +
                    record.table + " requires it");
}

Result<std::optional<std::vector<CheckConstraint>>> ChecksAfterAlter(Engine& db,
                                                                     uint32_t table_number,
                                                                     const Schema& before,
                                                                     const Schema& after) {
  CheckList checks = db.checks().Get(table_number);
  if (checks == nullptr) return std::optional<std::vector<CheckConstraint>>();
  std::vector<CheckConstraint> kept;
  for (const CheckConstraint& check : *checks) {
    bool dropped = false;
    for (uint32_t id : check.column_ids) {
      const Field* old_field = nullptr;
      const Field* new_field = nullptr;
      for (const Field& f : before.fields())
        if (f.id == id) old_field = &f;
      for (const Field& f : after.fields())
        if (f.id == id) new_field = &f;
      if (new_field == nullptr) {
        dropped = true;
      } else if (old_field != nullptr && old_field->name != new_field->name) {
        return Status(ErrorCode::kFeatureNotSupported, "cannot rename column \"" + old_field->name +
                                                           "\": check constraint \"" + check.name +
                                                           "\" reads it");
      }
    }
    if (!dropped) kept.push_back(check);
  }
  if (kept.size() == checks->size()) return std::optional<std::vector<CheckConstraint>>();
  return std::optional<std::vector<CheckConstraint>>(std::move(kept));
}

void StageChecks(Engine& db, rocksdb::WriteBatch* batch, uint32_t table_number,
                 const std::vector<CheckConstraint>& checks) {
  rocksdb::ColumnFamilyHandle* cf = db.kv().family(KvFamily::kCatalog);
  if (checks.empty()) {
    batch->Delete(cf, ChecksKey(table_number));
  } else {
    batch->Put(cf, ChecksKey(table_number), EncodeChecksValue(checks));
  }
}

void PublishChecks(Engine& db, uint32_t table_number, std::vector<CheckConstraint> checks) {
  db.checks().Put(table_number, std::move(checks));
}

std::vector<std::string> ConstraintDefinitions(Engine& db, const TableEntry& table) {
  std::vector<std::string> out;
  if (HotIndexList list = db.tables().hot().indexes().Get(table.table_number())) {
    std::vector<HotIndex> sorted;
    for (const HotIndex& index : *list)
      if (index.constraint) sorted.push_back(index);
    std::sort(sorted.begin(), sorted.end(),
              [](const HotIndex& a, const HotIndex& b) { return a.index_number < b.index_number; });
    for (const HotIndex& index : sorted) {
      auto positions = IndexColumnPositions(index, *table.schema());
      if (!positions.ok()) continue;
      std::string columns;
      for (size_t p : *positions)
        columns += (columns.empty() ? "" : ", ") + table.schema()->field(p).name;
      out.push_back("CONSTRAINT " + index.name + " UNIQUE (" + columns + ")");
    }
  }
  CheckList checks = db.checks().Get(table.table_number());
  if (checks == nullptr) return out;
  for (const CheckConstraint& check : *checks)
    out.push_back("CONSTRAINT " + check.name + " CHECK (" + check.expr + ")");
  return out;
}

}  // namespace tenantdb
