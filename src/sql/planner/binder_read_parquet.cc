// read_parquet('path or glob') in FROM: the Parquet files on the server the pattern names
// (glob(3), in name order), read with the first file's columns (ParquetReader: any
// writer's files; other files are read by column name, a column one lacks reads NULL).
// Only dba and system roles may read server files, as with COPY ... FROM 'file'. The
// pattern is a string literal: the files and their columns are fixed when the statement
// is bound, as a table's are.
#include <glob.h>
#include <sys/stat.h>

#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "storage/cold/parquet_reader.h"

namespace tenantdb::sql {

namespace {

// The regular files `pattern` names, sorted; an error when there are none. Wildcards
// only in the file name, so a pattern costs one directory listing; a FIFO or device is
// never opened (it could block the statement).
Result<std::vector<std::string>> ExpandPattern(const std::string& pattern) {
  const size_t slash = pattern.rfind('/');
  if (slash != std::string::npos && pattern.find_first_of("*?[", 0) < slash) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "read_parquet takes wildcards only in the file name, not in directories: \"" +
                      pattern + "\"");
  }
  glob_t matched{};
  const int rc = ::glob(pattern.c_str(), GLOB_ERR, nullptr, &matched);
  std::vector<std::string> files;
  if (rc == 0) {
    for (size_t i = 0; i < matched.gl_pathc; ++i) {
      struct stat st {};
      if (::stat(matched.gl_pathv[i], &st) == 0 && S_ISREG(st.st_mode)) {
        files.emplace_back(matched.gl_pathv[i]);
      }
    }
  }
  ::globfree(&matched);
  if (rc == GLOB_NOMATCH || (rc == 0 && files.empty())) {
    return Status(ErrorCode::kIoError, "could not open file \"" + pattern +
                                           "\": no regular file matches it on the server");
  }
  if (rc != 0) {
    return Status(ErrorCode::kIoError,
                  "could not read the directories of \"" + pattern + "\" on the server");
  }
  return files;
}

}  // namespace

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
  Result<std::vector<std::string>> files = ExpandPattern(pattern);
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
