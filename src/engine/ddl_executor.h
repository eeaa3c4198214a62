// DDL and tenantdb's administrative statements, executed against the Engine's catalog:
// CREATE / DROP NAMESPACE (SCHEMA), CREATE / DROP / ALTER TABLE, CREATE / DROP VIEW
// (view_ddl.h), CREATE STORAGE,
// STORAGE FLUSH TABLE and CREATE / ALTER / DROP USER.
//
// Each statement is durable when it returns (one catalog write) and invalidates the
// SchemaCache entries it changed, so the next statement sees the new definition.
// CREATE TABLE checks everything before writing: column types, PRIMARY KEY (required for
// USER and STREAM tables; a SHARED table without one gets a hidden `_rowid BIGINT` key
// filled by snowflake_id()), DEFAULT expressions (bound and type-checked now, evaluated
// per insert), and the WITH options TYPE, STORAGE_ID, FLUSH_POLICY, TTL_SECONDS and
// ACCESS_LEVEL (anything else is invalid_argument).
//
// Privileges: DDL needs role dba or system (insufficient_privilege otherwise); STORAGE
// FLUSH needs service or above. Users: CREATE / DROP USER and ALTER USER ... ROLE need dba
// or system, and nobody creates, changes, drops or grants a role above their own; any
// user may change their own password (ALTER USER <self> SET PASSWORD). Passwords are
// hashed (argon2id) before the catalog sees them and appear in no error message.
// Thread safety: statements may run concurrently; the catalog serializes them.
#pragma once

#include <string>

#include "engine/engine.h"
#include "sql/exec/query_result.h"
#include "sql/parser/ast/all.h"
#include "sql/planner/binder.h"

namespace tenantdb {

struct DdlContext {
  Engine* database;
  Role role;
  std::string current_namespace;
  sql::Binder* binder;  // for DEFAULT expressions
  UserId user;          // the session's user (ALTER USER on oneself)
};

Result<sql::QueryResult> ExecuteDdl(const sql::Statement& statement, const DdlContext& ctx);

// Whether ExecuteDdl handles `kind`.
bool IsDdl(sql::StatementKind kind);

// A result that is only its command tag ("CREATE VIEW").
sql::QueryResult CommandTagResult(std::string tag);

// OK when the context's role may change the schema (dba, system); else
// insufficient_privilege.
Status RequireDdl(const DdlContext& ctx);

}  // namespace tenantdb
