#include "sql/planner/grouping_call.h"

#include <algorithm>
#include <cstdint>

namespace tenantdb::sql {

BoundExprPtr MakeGroupingCall(const std::vector<std::vector<size_t>>* sets, size_t set_column,
                              const std::vector<size_t>& positions) {
  if (sets == nullptr) {
    auto zero = MakeConstant(Value::Int(0));
    zero->name = "grouping";
    return zero;
  }
  // CASE WHEN set = 0 THEN mask0 WHEN set = 1 THEN mask1 ... END
  auto result = std::make_unique<BoundExpr>();
  result->kind = BoundExprKind::kCase;
  result->type = DataType::kInt;
  result->name = "grouping";
  for (size_t s = 0; s < sets->size(); ++s) {
    const std::vector<size_t>& set = (*sets)[s];
    int32_t mask = 0;
    for (size_t p : positions) {
      const bool grouped = std::find(set.begin(), set.end(), p) != set.end();
      mask = static_cast<int32_t>((mask << 1) | (grouped ? 0 : 1));
    }
    auto when = std::make_unique<BoundExpr>();
    when->kind = BoundExprKind::kBinary;
    when->type = DataType::kBoolean;
    when->binary_op = ScalarOp::kEqual;
    when->children.push_back(MakeColumn(set_column, DataType::kInt, "grouping set"));
    when->children.push_back(MakeConstant(Value::Int(static_cast<int32_t>(s))));
    result->children.push_back(std::move(when));
    result->children.push_back(MakeConstant(Value::Int(mask)));
  }
  return result;
}

}  // namespace tenantdb::sql
