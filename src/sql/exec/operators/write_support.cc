// The write operators' shared steps; see write_support.h.
#include "sql/exec/operators/write_support.h"

#include "sql/exec/expression_evaluator.h"

namespace tenantdb::sql {

Status CheckNotNull(const TableEntry& table, const std::vector<Value>& row) {
  const Schema& schema = *table.schema();
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i].is_null() && !schema.field(i).nullable) {
      return Status(ErrorCode::kNotNullViolation, "null value in column \"" + schema.field(i).name +
                                                      "\" of relation \"" + table.id().ToString() +
                                                      "\" violates not-null constraint");
    }
  }
  return Status::Ok();
}

std::vector<Value> KeyOf(const TableEntry& table, const std::vector<Value>& row) {
  std::vector<Value> key;
  for (size_t k : table.schema()->PrimaryKeyIndices())
    key.push_back(row[k]);
  return key;
}

Batch RowsBatch(const TableEntry& table, const std::vector<std::vector<Value>>& rows) {
  Batch b(table.schema());
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c)
      b.mutable_column(c).Append(row[c]);
  }
  return b;
}

Result<std::optional<Batch>> Returning(const std::vector<BoundExprPtr>& returning,
                                       const std::shared_ptr<const Schema>& schema,
                                       const Batch& rows, ExecContext& ctx) {
  if (returning.empty() || rows.num_rows() == 0) return std::optional<Batch>();
  Batch out(schema);
  for (size_t i = 0; i < returning.size(); ++i) {
    TDB_ASSIGN_OR_RETURN(out.mutable_column(i), Evaluate(*returning[i], rows, ctx));
  }
  return std::optional<Batch>(std::move(out));
}

}  // namespace tenantdb::sql
