#include "engine/plan_cache.h"

#include <absl/container/flat_hash_set.h>

#include <cstring>

#include "sql/planner/plan/insert_node.h"
#include "sql/planner/plan/scan_node.h"
#include "sql/planner/plan/update_node.h"

namespace tenantdb {

namespace {

bool IsCurrentUserConstant(const sql::BoundExpr& e) {
  return e.kind == sql::BoundExprKind::kConstant &&
         (e.name == "current_user" || e.name == "user" || e.name == "session_user" ||
          e.name == "current_role");
}

// Walks a plan, its shared inputs and its subqueries' plans; false at the first node or
// expression that makes it unshareable.
class ShareableCheck {
 public:
  bool Node(const sql::PlanNode& node) {
    if (!visited_.insert(&node).second) return true;
    switch (node.kind) {
      case sql::PlanKind::kFunctionScan:  // read_parquet / read_csv list files when bound
        return false;
      case sql::PlanKind::kScan:
        if (node.As<sql::ScanNode>().table->type() == TableType::kSystem) return false;
        break;
      // A write's DEFAULTs and CHECKs are not among its expressions (they are shared with
      // the ColumnDefaultCache), but one that names CURRENT_USER is bound per statement,
      // as the session's user.
      case sql::PlanKind::kInsert:
        if (!Defaults(node.As<sql::InsertNode>().defaults)) return false;
        break;
      case sql::PlanKind::kUpdate:
        if (!Defaults(node.As<sql::UpdateNode>().checks)) return false;
        break;
      default:
        break;
    }
    bool ok = true;
    node.ForEachExpression([&](const sql::BoundExpr& e) { ok = ok && Expr(e); });
    if (!ok) return false;
    for (const sql::PlanPtr& child : node.children) {
      if (!Node(*child)) return false;
    }
    const sql::PlanNode* shared = node.shared_input();
    return shared == nullptr || Node(*shared);
  }

 private:
  bool Defaults(const sql::ColumnDefaultsRef& defaults) {
    if (defaults == nullptr) return true;
    for (const sql::BoundExprPtr& e : defaults->exprs) {
      if (e != nullptr && !Expr(*e)) return false;
    }
    for (const sql::BoundCheck& check : defaults->checks) {
      if (check.condition != nullptr && !Expr(*check.condition)) return false;
    }
    return true;
  }

  bool Expr(const sql::BoundExpr& e) {
    if (IsCurrentUserConstant(e)) return false;
    if (e.kind == sql::BoundExprKind::kSubquery && e.subquery != nullptr && !Node(*e.subquery)) {
      return false;
    }
    for (const sql::BoundExprPtr& child : e.children) {
      if (!Expr(*child)) return false;
    }
    return true;
  }

  absl::flat_hash_set<const sql::PlanNode*> visited_;
};

}  // namespace

PlanCache::PlanCache(size_t capacity) : cache_(capacity) {}

std::string PlanCache::Key(const sql::Statement* statement, Role role,
                           const std::string& current_namespace,
                           const std::vector<std::optional<DataType>>& parameter_types) {
  std::string key(sizeof(statement), '\0');
  std::memcpy(key.data(), &statement, sizeof(statement));
  key.push_back(static_cast<char>(role));
  // The types' count first, so that the namespace after them starts at a known place;
  // 0 for NULL (a DataType is never 0).
  const uint32_t count = static_cast<uint32_t>(parameter_types.size());
  key.append(reinterpret_cast<const char*>(&count), sizeof(count));
  for (const std::optional<DataType>& type : parameter_types)
    key.push_back(type.has_value() ? static_cast<char>(*type) : '\0');
  key += current_namespace;
  return key;
}

std::shared_ptr<const PlanCache::Plan> PlanCache::Find(const std::string& key, uint64_t epoch) {
  std::optional<std::shared_ptr<const Plan>> hit =
      cache_.Find(key, [epoch](const std::shared_ptr<const Plan>& p) { return p->epoch == epoch; });
  return hit.has_value() ? std::move(*hit) : nullptr;
}

void PlanCache::Insert(std::string key, std::shared_ptr<const Plan> plan) {
  if (!cache_.enabled() || plan == nullptr || plan->plan == nullptr || !Shareable(*plan->plan)) {
    return;
  }
  cache_.Insert(std::move(key), std::move(plan));
}

bool PlanCache::Shareable(const sql::PlanNode& plan) {
  return ShareableCheck().Node(plan);
}

}  // namespace tenantdb
