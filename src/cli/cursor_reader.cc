#include "cli/cursor_reader.h"

#include <vector>

#include "common/memory_tracker.h"
#include "sql/exec/memory_estimate.h"
#include "types/batch.h"

namespace tenantdb::cli {

Result<sql::QueryResult> ReadAll(Cursor& cursor, size_t max_bytes) {
  sql::QueryResult result;
  if (cursor.returns_rows()) {
    std::vector<Field> fields;
    for (const Column& c : cursor.columns())
      fields.push_back(Field{c.name, c.type, true, false, ""});
    result.schema = std::make_shared<const Schema>(std::move(fields), SchemaMetadata{});
  }
  size_t held = 0;
  while (true) {
    TDB_ASSIGN_OR_RETURN(bool more, cursor.Next());
    if (!more) break;
    const RowBatch& rows = cursor.batch();
    Batch batch(result.schema);
    for (size_t c = 0; c < rows.num_columns(); ++c) {
      ColumnVector& column = batch.mutable_column(c);
      column.Reserve(rows.num_rows());
      for (size_t r = 0; r < rows.num_rows(); ++r) {
        TDB_ASSIGN_OR_RETURN(Value v, rows.GetValue(r, c));
        column.Append(v);
      }
    }
    held += sql::BatchBytes(batch);
    if (max_bytes != 0 && held > max_bytes) {
      cursor.Close();
      return Status(ErrorCode::kOutOfMemory,
                    "the result is larger than statement_mem (" + FormatMemorySetting(max_bytes) +
                        ") and the shell holds a whole result to print it; add a LIMIT, or "
                        "raise it with SET statement_mem");
    }
    result.batches.push_back(std::move(batch));
  }
  result.command_tag = cursor.command_tag();
  result.rows_affected = cursor.rows_affected();
  result.notices = cursor.notices();
  return result;
}

}  // namespace tenantdb::cli
