#include "engine/view_ddl.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>

#include "catalog/namespace_alias.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

QueryResult Tag(std::string tag) {
  return CommandTagResult(std::move(tag));
}

Result<TableId> ViewId(const sql::TableName& name, const DdlContext& ctx) {
  const std::string ns =
      CanonicalNamespace(name.schema.empty() ? ctx.current_namespace : name.schema);
  return TableId::Make(ns, name.name);
}

// Every view's dependencies, by "namespace.name".
Result<absl::flat_hash_map<std::string, std::vector<std::string>>> AllViewDependencies(Engine& db) {
  absl::flat_hash_map<std::string, std::vector<std::string>> views;
  TDB_RETURN_IF_ERROR(
      db.catalog().ForEachView(NamespaceId(), [&](const TableId& id, const ViewRecord& view) {
        views.emplace(id.ToString(), view.depends_on);
        return Status::Ok();
      }));
  return views;
}

// Whether `target` is among `start` or what the views among them read, transitively.
bool Reaches(const absl::flat_hash_map<std::string, std::vector<std::string>>& views,
             const std::vector<std::string>& start, const std::string& target) {
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> todo = start;
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    if (name == target) return true;
    if (!seen.insert(name).second) continue;
    if (auto it = views.find(name); it != views.end()) {
      todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
  }
  return false;
}

}  // namespace

Result<std::vector<TableId>> DependentViews(Engine& db, const std::vector<std::string>& dropped) {
  TDB_ASSIGN_OR_RETURN(auto views, AllViewDependencies(db));
  absl::flat_hash_set<std::string> gone(dropped.begin(), dropped.end());
  std::vector<TableId> out;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [name, depends_on] : views) {
      if (gone.contains(name)) continue;
      const bool reads = std::any_of(depends_on.begin(), depends_on.end(),
                                     [&](const std::string& d) { return gone.contains(d); });
      if (!reads) continue;
      gone.insert(name);
      const size_t dot = name.find('.');
      TDB_ASSIGN_OR_RETURN(TableId id, TableId::Make(name.substr(0, dot), name.substr(dot + 1)));
      out.push_back(std::move(id));
      grew = true;
    }
  }
  return out;
}

Status DropDependentViews(Engine& db, const std::vector<std::string>& dropped, bool cascade,
                          const std::string& what) {
  TDB_ASSIGN_OR_RETURN(std::vector<TableId> dependents, DependentViews(db, dropped));
  if (dependents.empty()) return Status::Ok();
  if (!cascade) {
    return Status(ErrorCode::kDependentObjectsStillExist,
                  "cannot drop " + what + " because view " + dependents.front().ToString() +
                      " depends on it; drop the view first, or add CASCADE to drop it too");
  }
  TDB_RETURN_IF_ERROR(db.catalog().DropViews(dependents));
  db.views().Invalidate();
  return Status::Ok();
}

Result<QueryResult> CreateView(const sql::CreateViewStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  Engine& db = *ctx.database;
  TDB_ASSIGN_OR_RETURN(TableId id, ViewId(stmt.view, ctx));
  TDB_RETURN_IF_ERROR(id.ns().CheckNotReserved());
  if (auto table = db.catalog().GetTable(id); table.ok()) {
    return Status(stmt.or_replace ? ErrorCode::kWrongObjectType : ErrorCode::kAlreadyExists,
                  stmt.or_replace ? "\"" + id.ToString() + "\" is a table, not a view"
                                  : "relation \"" + id.ToString() + "\" already exists");
  }
  // Bound as the creating session, without parameters, recording what it reads.
  std::vector<std::string> referenced;
  sql::BindContext bind = ctx.binder->context();
  bind.parameter_types = nullptr;
  bind.referenced = &referenced;
  bind.current_namespace = ctx.current_namespace;
  sql::Binder binder(bind);
  TDB_ASSIGN_OR_RETURN(sql::PlanPtr plan, binder.BindQuery(*stmt.query));

  ViewRecord record;
  record.query = stmt.query->ToString();
  record.base_namespace = CanonicalNamespace(ctx.current_namespace);
  for (const sql::OutputColumn& c : plan->columns)
    if (!c.hidden) record.columns.emplace_back(c.name, c.type);
  if (stmt.column_names.size() > record.columns.size()) {
    return Status(ErrorCode::kSyntaxError, "CREATE VIEW specifies more column names (" +
                                               std::to_string(stmt.column_names.size()) +
                                               ") than its query has columns (" +
                                               std::to_string(record.columns.size()) + ")");
  }
  for (size_t i = 0; i < stmt.column_names.size(); ++i)
    record.columns[i].first = stmt.column_names[i];
  for (size_t i = 0; i < record.columns.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (record.columns[j].first == record.columns[i].first) {
        return Status(ErrorCode::kDuplicateColumn,
                      "column \"" + record.columns[i].first +
                          "\" specified more than once; name the view's columns apart (AS or a "
                          "column list)");
      }
    }
  }
  std::sort(referenced.begin(), referenced.end());
  referenced.erase(std::unique(referenced.begin(), referenced.end()), referenced.end());
  record.depends_on = std::move(referenced);

  TDB_ASSIGN_OR_RETURN(std::optional<ViewRecord> existing, db.catalog().GetView(id));
  if (existing.has_value() && stmt.or_replace) {
    const auto& old = existing->columns;
    if (record.columns.size() < old.size()) {
      return Status(ErrorCode::kInvalidObjectDefinition,
                    "cannot drop columns from view " + id.ToString() +
                        "; CREATE OR REPLACE VIEW keeps its columns and may add some at the end");
    }
    for (size_t i = 0; i < old.size(); ++i) {
      if (record.columns[i].first != old[i].first) {
        return Status(ErrorCode::kInvalidObjectDefinition,
                      "cannot change name of view column \"" + old[i].first + "\" to \"" +
                          record.columns[i].first + "\"; drop the view and create it again");
      }
      if (record.columns[i].second != old[i].second) {
        return Status(ErrorCode::kInvalidObjectDefinition,
                      "cannot change data type of view column \"" + old[i].first +
                          "\"; drop the view and create it again");
      }
    }
    TDB_ASSIGN_OR_RETURN(auto views, AllViewDependencies(db));
    if (Reaches(views, record.depends_on, id.ToString())) {
      return Status(ErrorCode::kInvalidObjectDefinition,
                    "infinite recursion detected: view " + id.ToString() +
                        " would read itself through the views it reads");
    }
  }
  TDB_RETURN_IF_ERROR(db.catalog().CreateView(id, std::move(record), stmt.or_replace));
  db.views().Invalidate();
  return Tag("CREATE VIEW");
}

Result<QueryResult> DropViews(const sql::DropViewStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  Engine& db = *ctx.database;
  std::vector<TableId> ids;
  std::vector<std::string> names;
  for (const sql::TableName& name : stmt.views) {
    auto id = ViewId(name, ctx);
    std::optional<ViewRecord> view;
    if (id.ok()) {
      TDB_ASSIGN_OR_RETURN(view, db.catalog().GetView(*id));
    }
    if (!view.has_value()) {
      if (id.ok() && db.catalog().GetTable(*id).ok()) {
        return Status(ErrorCode::kWrongObjectType,
                      "\"" + id->ToString() + "\" is not a view; use DROP TABLE");
      }
      if (stmt.if_exists) continue;
      return Status(ErrorCode::kUndefinedTable, "view \"" + name.ToString() + "\" does not exist");
    }
    names.push_back(id->ToString());
    ids.push_back(*id);
  }
  if (ids.empty()) return Tag("DROP VIEW");
  TDB_RETURN_IF_ERROR(DropDependentViews(db, names, stmt.cascade,
                                         names.size() == 1 ? "view " + names[0] : "these views"));
  TDB_RETURN_IF_ERROR(db.catalog().DropViews(ids));
  db.views().Invalidate();
  return Tag("DROP VIEW");
}

}  // namespace tenantdb
