#include "engine/view_registry.h"

#include "sql/parser/parser.h"

namespace tenantdb {

Result<std::shared_ptr<const sql::ViewQuery>> ViewRegistry::Load(const TableId& id,
                                                                 const ViewRecord& record) {
  auto parsed = sql::ParseStatement(record.query);
  if (!parsed.ok() || (*parsed)->kind != sql::StatementKind::kSelect) {
    return Status(ErrorCode::kCorruption, "the stored query of view " + id.ToString() +
                                              " does not parse; recreate the view");
  }
  auto view = std::make_shared<sql::ViewQuery>();
  view->name = id.ToString();
  view->base_namespace = record.base_namespace;
  view->columns = record.columns;
  view->query = std::shared_ptr<const sql::SelectStmt>(
      static_cast<const sql::SelectStmt*>(parsed->release()));
  return std::shared_ptr<const sql::ViewQuery>(std::move(view));
}

Result<std::shared_ptr<const sql::ViewQuery>> ViewRegistry::FindView(const TableId& id) const {
  const std::string key = id.ToString();
  uint64_t generation;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cached_.find(key); it != cached_.end()) return it->second;
    generation = generation_;
  }
  TDB_ASSIGN_OR_RETURN(std::optional<ViewRecord> record, catalog_->GetView(id));
  if (!record.has_value()) return std::shared_ptr<const sql::ViewQuery>();
  TDB_ASSIGN_OR_RETURN(std::shared_ptr<const sql::ViewQuery> view, Load(id, *record));
  std::lock_guard<std::mutex> lock(mu_);
  if (generation == generation_) cached_.emplace(key, view);
  return view;
}

void ViewRegistry::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.clear();
  ++generation_;
}

}  // namespace tenantdb
