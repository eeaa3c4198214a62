// read_parquet('path or glob') in FROM: the Parquet files on the server the pattern names
// (glob(3), in name order), read with the first file's columns (ParquetReader: any
// writer's files; other files are read by column name, a column one lacks reads NULL).
// Only dba and system roles may read server files, as with COPY ... FROM 'file'. The
// pattern is a string literal: the files and their columns are fixed when the statement
// is bound, as a table's are.
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "sql/planner/file_pattern.h"
#include "storage/cold/parquet_reader.h"

namespace tenantdb::sql {

Result<PlanPtr> Binder::BindReadParquet(const FunctionCall& call, const std::string& alias) {
  const RequestContext* request = context_.request;
  if (request == nullptr || (request->role != Role::kDba && request->role != Role::kSystem)) {
    return AtPosition(Status(ErrorCode::kInsufficientPrivilege,
                             "permission denied to read server files with read_parquet: only "
                             "dba and system roles may"),
                      call.location);
  }
  if (call.star || call.distinct || call.filter || call.args.size() != 1 ||
      call.args[0]->kind != ExprKind::kLiteral ||
      static_cast<const Literal&>(*call.args[0]).literal_kind != LiteralKind::kString) {
    return AtPosition(Status(ErrorCode::kFeatureNotSupported,
                             "read_parquet takes one string literal: a file path or a glob "
                             "pattern such as '/data/events/*.parquet'"),
                      call.location);
  }
  const std::string& pattern = static_cast<const Literal&>(*call.args[0]).text;
  Result<std::vector<std::string>> files = ExpandFilePattern(pattern, "read_parquet");
  if (!files.ok()) return AtPosition(files.status(), call.args[0]->location);
  Result<std::unique_ptr<ParquetReader>> first = ParquetReader::Open(files->front());
  if (!first.ok()) return AtPosition(first.status(), call.args[0]->location);
  std::shared_ptr<const Schema> schema = (*first)->schema();
  if (schema->num_fields() == 0) {
    return AtPosition(Status(ErrorCode::kFeatureNotSupported,
                             "\"" + files->front() + "\" has no column tenantdb can read"),
                      call.args[0]->location);
  }
  auto node = std::make_unique<FunctionScanNode>();
  node->function = "read_parquet";
  node->files = std::move(*files);
  node->file_schema = schema;
  const std::string table = alias.empty() ? "read_parquet" : alias;
  for (const Field& f : schema->fields())
    node->columns.push_back(OutputColumn{f.name, f.type, table, false});
  node->Finish();
  return PlanPtr(std::move(node));
}

}  // namespace tenantdb::sql
