// Values: the rows of a VALUES list (and the single empty row of a SELECT without FROM).
#include "sql/exec/executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/function/cast.h"

namespace tenantdb::sql {

namespace {

class ValuesOperator final : public Operator {
 public:
  ValuesOperator(const ValuesNode& plan, ExecContext& ctx) : plan_(plan), ctx_(ctx) {}

  Result<std::optional<Batch>> Next() override {
    if (done_) return std::optional<Batch>();
    done_ = true;
    TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
    Batch out(plan_.schema);
    if (plan_.columns.empty()) {
      // Rows without columns: a batch cannot count them, so SELECT without FROM is
      // represented by a one-column placeholder the projection ignores.
      return std::optional<Batch>(OneRow());
    }
    size_t row_number = 0;
    for (const auto& row : plan_.rows) {
      if (++row_number % kCheckEveryRows == 0) TDB_RETURN_IF_ERROR(ctx_.cancel->Check());
      for (size_t c = 0; c < row.size(); ++c) {
        TDB_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*row[c], ctx_));
        if (!v.is_null() && v.type() != plan_.columns[c].type) {
          TDB_ASSIGN_OR_RETURN(v, CastValue(v, plan_.columns[c].type));
        }
        out.mutable_column(c).Append(v);
      }
    }
    return std::optional<Batch>(std::move(out));
  }

  static Batch OneRow() {
    static const auto* schema = new std::shared_ptr<const Schema>(std::make_shared<const Schema>(
        std::vector<Field>{Field{"?row?", DataType::kBoolean, true, false, ""}}, SchemaMetadata{}));
    Batch b(*schema);
    b.mutable_column(0).AppendNull();
    return b;
  }

 private:
  const ValuesNode& plan_;
  ExecContext& ctx_;
  bool done_ = false;
};

}  // namespace

Result<OperatorPtr> MakeValues(const ValuesNode& plan, ExecContext& ctx) {
  return OperatorPtr(std::make_unique<ValuesOperator>(plan, ctx));
}

}  // namespace tenantdb::sql
