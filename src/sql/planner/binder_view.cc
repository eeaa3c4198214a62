// Views read in FROM: a view's stored query is bound where it is read, as the reading
// session (view_source.h).
#include "sql/function/cast.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"

namespace tenantdb::sql {

namespace {

// Views inside views deeper than this are a cycle (CREATE OR REPLACE can close one).
constexpr int kMaxViewDepth = 32;

}  // namespace

Result<PlanPtr> Binder::BindViewReference(const ViewQuery& view, const std::string& alias) {
  if (view_depth_ >= kMaxViewDepth) {
    return Status(ErrorCode::kInvalidObjectDefinition,
                  "infinite recursion detected in view \"" + view.name +
                      "\": views read one another in a cycle; redefine one of them");
  }
  // The view's query sees nothing of the statement around it: no WITH item, no outer
  // column, no INSERT target types, and its own namespace for unqualified names.
  CteFrame* const frame = cte_frame_;
  const size_t visible = cte_visible_;
  CteDef* const binding = binding_cte_;
  std::vector<DataType> insert_types;
  insert_types.swap(insert_types_);
  std::string current_namespace = view.base_namespace;
  current_namespace.swap(context_.current_namespace);
  std::vector<std::string>* const referenced = context_.referenced;
  cte_frame_ = nullptr;
  cte_visible_ = 0;
  binding_cte_ = nullptr;
  context_.referenced = nullptr;
  ++view_depth_;
  Result<PlanPtr> bound = BindSelect(*view.query, nullptr);
  --view_depth_;
  cte_frame_ = frame;
  cte_visible_ = visible;
  binding_cte_ = binding;
  insert_types_.swap(insert_types);
  context_.current_namespace.swap(current_namespace);
  context_.referenced = referenced;
  if (!bound.ok()) {
    // A position would point into the view's text, not the statement's.
    Status plain = WithoutPosition(bound.status());
    if (plain.code() == ErrorCode::kInvalidObjectDefinition) return plain;
    return Status(plain.code(), std::string(plain.message()) + " (in view \"" + view.name + "\")");
  }
  PlanPtr plan = std::move(bound).value();
  std::vector<size_t> visible_columns;
  for (size_t i = 0; i < plan->columns.size(); ++i)
    if (!plan->columns[i].hidden) visible_columns.push_back(i);
  if (visible_columns.size() < view.columns.size()) {
    return Status(ErrorCode::kInvalidObjectDefinition,
                  "view \"" + view.name + "\" now has " + std::to_string(visible_columns.size()) +
                      " columns where it was defined with " + std::to_string(view.columns.size()) +
                      " (a table it reads changed); redefine it with CREATE OR REPLACE VIEW");
  }
  auto project = std::make_unique<ProjectNode>();
  for (size_t i = 0; i < view.columns.size(); ++i) {
    const OutputColumn& c = plan->columns[visible_columns[i]];
    if (c.type != view.columns[i].second) {
      return Status(ErrorCode::kInvalidObjectDefinition,
                    "column \"" + view.columns[i].first + "\" of view \"" + view.name +
                        "\" is now " + std::string(PgTypeName(c.type)) + " where it was " +
                        std::string(PgTypeName(view.columns[i].second)) +
                        " (a table it reads changed); redefine it with CREATE OR REPLACE VIEW");
    }
    project->exprs.push_back(MakeColumn(visible_columns[i], c.type, view.columns[i].first));
    project->columns.push_back(OutputColumn{view.columns[i].first, c.type, alias, false});
  }
  project->children.push_back(std::move(plan));
  project->Finish();
  return PlanPtr(std::move(project));
}

}  // namespace tenantdb::sql
