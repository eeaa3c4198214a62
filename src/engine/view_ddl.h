// CREATE [OR REPLACE] VIEW and DROP VIEW, and what DROP TABLE asks about views (the
// DDL executor's view statements; engine/ddl_executor.h has the common rules).
//
// CREATE VIEW binds the query as the creating session (so a view that cannot be read
// is refused now, with the error reading it would give), records its columns, the
// namespace its unqualified names resolve in and the tables and views it reads, and
// refuses a definition that would make views read one another in a cycle. OR REPLACE
// keeps the existing columns (same names and types, in order) and may add columns after
// them, as PostgreSQL does. A view may not be dropped, nor a table it reads, while it
// exists, unless the DROP says CASCADE (which drops the views that depend on it too).
//
// Thread safety: as the DDL executor's (the catalog serializes writes; a view created
// while a table it reads is dropped concurrently fails when read, naming the view).
#pragma once

#include <string>
#include <vector>

#include "engine/ddl_executor.h"

namespace tenantdb {

Result<sql::QueryResult> CreateView(const sql::CreateViewStmt& stmt, const DdlContext& ctx);
Result<sql::QueryResult> DropViews(const sql::DropViewStmt& stmt, const DdlContext& ctx);

// The views that read any of `dropped` ("namespace.name"), directly or through other
// views, not counting the views in `dropped` themselves; in dependency order (a view
// before the views it reads).
Result<std::vector<TableId>> DependentViews(Engine& db, const std::vector<std::string>& dropped);

// Before dropping `dropped` (tables or views): without `cascade`, fails with
// dependent_objects_still_exist naming a view that reads one of them; with it, drops those
// views. `what` names the object for the message ("table chat.messages").
Status DropDependentViews(Engine& db, const std::vector<std::string>& dropped, bool cascade,
                          const std::string& what);

}  // namespace tenantdb
