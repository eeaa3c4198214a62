// ViewSource: where the binder finds views (CREATE VIEW). A view is a stored query that
// is bound again wherever it is read, as the reading session: a view over a USER table
// shows the reader's own rows, and reading it needs read access to what it reads.
//
// The engine implements ViewSource over the catalog with a cache of parsed queries
// (engine/view_registry.h); the binder only asks for a name it did not find as a table.
//
// Thread safety: FindView may be called from any number of threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "ids/table_id.h"
#include "sql/parser/ast/select.h"

namespace tenantdb::sql {

struct ViewQuery {
  std::string name;            // "namespace.view", for messages
  std::string base_namespace;  // where the query's unqualified table names resolve
  // The view's columns (names after its column list) and the types they had when it was
  // defined; reading it takes the query's first columns.size() columns under these names.
  std::vector<std::pair<std::string, DataType>> columns;
  std::shared_ptr<const SelectStmt> query;
};

class ViewSource {
 public:
  virtual ~ViewSource() = default;
  // The view `id`, or null when there is none. Errors: io_error, corruption.
  virtual Result<std::shared_ptr<const ViewQuery>> FindView(const TableId& id) const = 0;
};

}  // namespace tenantdb::sql
