// Name resolution: which table or view a name means (ResolveRelation), and, when a name
// resolves to nothing, errors that say what was probably meant — the nearest column in
// scope, the nearest table of the namespace, the namespace that does have the table, the
// nearest namespace, or the nearest function name (name_suggestion.h, relation_names.h).
#include <algorithm>

#include "catalog/namespace_alias.h"
#include "sql/function/scalar_functions.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "sql/planner/name_suggestion.h"
#include "tables/pg_catalog/pg_oids.h"

namespace tenantdb::sql {

Status Binder::UndefinedColumn(const Scope& scope, const std::vector<std::string>& names,
                               const std::string& qualifier) {
  std::vector<std::string> candidates;
  for (const Scope* s = &scope; s != nullptr; s = s->outer) {
    const Scope* from = s->aggregate ? s->aggregate->from : s;
    if (from->columns == nullptr) continue;
    for (const OutputColumn& c : *from->columns)
      if (!c.hidden && (qualifier.empty() || c.table == qualifier)) candidates.push_back(c.name);
  }
  return Status(ErrorCode::kUndefinedColumn,
                WithSuggestion("column \"" + JoinQualified(names) + "\" does not exist",
                               names.back(), candidates));
}

std::string Binder::UndefinedRelationMessage(const TableName& name, const std::string& ns) const {
  std::string message = "relation \"" + (name.schema.empty() ? name.name : ns + "." + name.name) +
                        "\" does not exist";
  const RelationNames* names = context_.names;
  if (names == nullptr) return message;
  if (!name.schema.empty()) {
    auto namespaces = names->Namespaces();
    if (namespaces.ok() &&
        std::find(namespaces->begin(), namespaces->end(), ns) == namespaces->end()) {
      return WithSuggestion(message + "; namespace \"" + ns + "\" does not exist", ns, *namespaces);
    }
  }
  if (auto elsewhere = names->NamespacesWith(name.name); elsewhere.ok()) {
    elsewhere->erase(std::remove(elsewhere->begin(), elsewhere->end(), ns), elsewhere->end());
    if (!elsewhere->empty()) {
      const std::string& other = elsewhere->front();
      return message + "; a table named \"" + name.name + "\" exists in namespace " + other +
             ": USE " + other + ", or write " + other + "." + name.name;
    }
  }
  if (auto here = names->NamesIn(ns); here.ok()) {
    return WithSuggestion(std::move(message), name.name, *here);
  }
  return message;
}

Result<Binder::Relation> Binder::ResolveRelation(const TableName& name) {
  const std::string ns =
      CanonicalNamespace(name.schema.empty() ? context_.current_namespace : name.schema);
  auto undefined = [&] {
    return AtPosition(Status(ErrorCode::kUndefinedTable, UndefinedRelationMessage(name, ns)),
                      name.location);
  };
  // Names are interned for the lookup (a table's names are held only while it is cached).
  auto id = TableId::Make(ns, name.name);
  if (!id.ok()) return undefined();
  auto found = [&](std::string what) {
    if (context_.referenced != nullptr) context_.referenced->push_back(std::move(what));
  };
  auto entry = context_.cache->Get(*id);
  if (!entry.ok() && entry.status().code() != ErrorCode::kNotFound &&
      entry.status().code() != ErrorCode::kUndefinedTable) {
    return entry.status();
  }
  if (entry.ok()) {
    found(id->ToString());
    return Relation{TableProviderRef(static_cast<const TableProvider*>(entry->get())), nullptr};
  }
  if (context_.views != nullptr) {
    TDB_ASSIGN_OR_RETURN(std::shared_ptr<const ViewQuery> view, context_.views->FindView(*id));
    if (view != nullptr) {
      found(id->ToString());
      return Relation{TableProviderRef(), std::move(view)};
    }
  }
  if (name.schema.empty() && ns != kPgCatalogNamespace) {
    // PostgreSQL's search path ends in pg_catalog: `SELECT * FROM pg_class` finds the
    // catalog unless the session's namespace has a table or view of that name (which wins).
    if (auto catalog = TableId::Make(kPgCatalogNamespace, name.name); catalog.ok()) {
      if (auto table = context_.cache->Get(*catalog); table.ok()) {
        return Relation{TableProviderRef(static_cast<const TableProvider*>(table->get())), nullptr};
      }
    }
  }
  return undefined();
}

}  // namespace tenantdb::sql

namespace tenantdb::sql {

std::string WithFunctionSuggestion(std::string message, std::string_view name, bool over) {
  std::vector<std::string> candidates;
  if (!over) candidates = ScalarFunctionNames();
  const std::vector<std::string>& aggregates = AggregateNames();
  candidates.insert(candidates.end(), aggregates.begin(), aggregates.end());
  for (const char* window : {"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
                             "ntile", "lag", "lead", "first_value", "last_value", "nth_value"}) {
    candidates.emplace_back(window);
  }
  return WithSuggestion(std::move(message), name, candidates);
}

Status UnknownFunction(std::string_view name, std::span<const std::optional<DataType>> types) {
  Status undefined = UndefinedFunctionError(name, types);
  return Status(undefined.code(),
                WithFunctionSuggestion(std::string(undefined.message()), name, false));
}

}  // namespace tenantdb::sql
