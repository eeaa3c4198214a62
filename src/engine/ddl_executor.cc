#include "engine/ddl_executor.h"

#include <algorithm>
#include <cctype>

#include <chrono>

#include "catalog/namespace_alias.h"
#include "engine/constraint_ddl.h"
#include "engine/index_ddl.h"
#include "engine/view_ddl.h"
#include "sql/exec/dml_executor.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/planner/binder_internal.h"
#include "storage/changes/change_log_erase.h"
#include "tables/table_provider.h"

namespace tenantdb {

using sql::QueryResult;

namespace {

// Rows are stored in key order by the key's bytes; an INTERVAL has no such encoding
// ('1 mon' equals '30 days'), so it cannot be part of a primary key. Nor can NUMERIC yet:
// 1.0 and 1.00 are one key in PostgreSQL, and an order-preserving encoding that also
// keeps each value's scale is not written. Arrays have no key encoding either.
Status CheckKeyColumnType(const Field& f) {
  if (f.type == DataType::kInterval || f.type == DataType::kNumeric || IsArray(f.type)) {
    return Status(ErrorCode::kFeatureNotSupported, "column \"" + f.name + "\" is " +
                                                       std::string(DataTypeName(f.type)) +
                                                       ", which cannot be part of a primary key");
  }
  return Status::Ok();
}

QueryResult Tag(std::string tag) {
  return CommandTagResult(std::move(tag));
}

std::string NamespaceOf(const sql::TableName& name, const DdlContext& ctx) {
  return CanonicalNamespace(name.schema.empty() ? ctx.current_namespace : name.schema);
}

Result<TableId> ExistingTable(const sql::TableName& name, const DdlContext& ctx) {
  const std::string ns = NamespaceOf(name, ctx);
  auto undefined = Status(ErrorCode::kUndefinedTable,
                          "relation \"" + ns + "." + name.name + "\" does not exist");
  auto made = TableId::Make(ns, name.name);
  if (!made.ok()) return undefined;
  const TableId id = *made;
  auto def = ctx.database->catalog().GetTable(id);
  if (!def.ok()) {
    if (def.status().code() != ErrorCode::kNotFound) return def.status();
    TDB_ASSIGN_OR_RETURN(std::optional<ViewRecord> view, ctx.database->catalog().GetView(id));
    if (view.has_value()) {
      return Status(ErrorCode::kWrongObjectType,
                    "\"" + id.ToString() +
                        "\" is a view, not a table; use DROP VIEW or CREATE "
                        "OR REPLACE VIEW for views");
    }
    return undefined;
  }
  return id;
}

std::string Upper(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Checks a column's DEFAULT as the statement wrote it, so a bad one fails CREATE / ALTER
// (with the position of what is wrong in that statement), not every INSERT.
Status CheckDefault(const sql::Expr* written, const Field& field, const DdlContext& ctx) {
  if (written == nullptr) return Status::Ok();
  return sql::BindWrittenDefault(*written, field, *ctx.binder).status();
}

Result<Field> MakeField(const sql::ColumnDef& def, const DdlContext& ctx) {
  Field f;
  f.name = def.name;
  TDB_ASSIGN_OR_RETURN(f.type, sql::ResolveTypeName(def.type));
  TDB_ASSIGN_OR_RETURN(auto typmod, sql::NumericTypmodOf(def.type));
  f.numeric_precision = static_cast<uint8_t>(typmod.first);
  f.numeric_scale = static_cast<uint8_t>(typmod.second);
  f.nullable = !def.not_null && !def.primary_key;
  f.primary_key = def.primary_key;
  if (def.default_value) f.default_expr = def.default_value->ToString();
  TDB_RETURN_IF_ERROR(CheckDefault(def.default_value.get(), f, ctx));
  return f;
}

Result<QueryResult> CreateTable(const sql::CreateTableStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  const std::string ns = NamespaceOf(stmt.table, ctx);
  TDB_ASSIGN_OR_RETURN(TableId id, TableId::Make(ns, stmt.table.name));
  TableDefinition def;
  def.id = id;
  def.type = stmt.table_type.value_or(TableType::kShared);
  // A forgotten TYPE must not publish a table to every user: SHARED tables are PRIVATE
  // unless ACCESS_LEVEL says otherwise (KalamDB's default). Only new tables: existing
  // ones keep the level persisted in their catalog record.
  def.access_level = AccessLevel::kPrivate;
  std::vector<Field> fields;
  for (const sql::ColumnDef& c : stmt.columns) {
    TDB_ASSIGN_OR_RETURN(Field f, MakeField(c, ctx));
    for (const Field& other : fields) {
      if (other.name == f.name) {
        return Status(ErrorCode::kAlreadyExists,
                      "column \"" + f.name + "\" specified more than once");
      }
    }
    fields.push_back(std::move(f));
  }
  size_t key_clauses = stmt.primary_key.empty() ? 0 : 1;
  for (const sql::ColumnDef& c : stmt.columns)
    key_clauses += c.primary_key ? 1 : 0;
  if (key_clauses > 1) {
    return Status(ErrorCode::kInvalidArgument,
                  "multiple primary keys for table \"" + stmt.table.name +
                      "\" are not allowed; use PRIMARY KEY (a, b) for a composite key");
  }
  for (const std::string& key : stmt.primary_key) {
    bool found = false;
    for (Field& f : fields) {
      if (f.name == key) {
        f.primary_key = true;
        f.nullable = false;
        found = true;
      }
    }
    if (!found) {
      return Status(ErrorCode::kUndefinedColumn,
                    "column \"" + key + "\" named in key does not exist");
    }
  }
  for (const Field& f : fields) {
    if (f.primary_key) TDB_RETURN_IF_ERROR(CheckKeyColumnType(f));
  }
  bool type_given = stmt.table_type.has_value();
  for (const sql::TableOption& option : stmt.options) {
    const std::string key = Upper(option.key);
    if (key == "TYPE") {
      TDB_ASSIGN_OR_RETURN(TableType t, ParseTableType(option.value));  // never SYSTEM
      if (type_given && t != def.type) {
        return Status(ErrorCode::kInvalidArgument,
                      "TYPE = '" + option.value + "' contradicts CREATE " +
                          std::string(TableTypeName(def.type)) + " TABLE");
      }
      def.type = t;
      type_given = true;
    } else if (key == "STORAGE_ID") {
      TDB_ASSIGN_OR_RETURN(def.storage_id, StorageId::Make(option.value));
    } else if (key == "FLUSH_POLICY") {
      TDB_ASSIGN_OR_RETURN(def.flush_policy, FlushPolicy::Parse(option.value));
    } else if (key == "TTL_SECONDS") {
      char* end = nullptr;
      const long long ttl = std::strtoll(option.value.c_str(), &end, 10);
      if (option.value.empty() || *end != '\0' || ttl <= 0 || ttl > UINT32_MAX) {
        return Status(
            ErrorCode::kInvalidArgument,
            "TTL_SECONDS must be a positive number of seconds, not '" + option.value + "'");
      }
      def.ttl_seconds = static_cast<uint32_t>(ttl);
    } else if (key == "ACCESS_LEVEL") {
      TDB_ASSIGN_OR_RETURN(def.access_level, ParseAccessLevel(option.value));
    } else {
      return Status(ErrorCode::kInvalidArgument,
                    "unknown table option " + option.key +
                        "; use TYPE, STORAGE_ID, FLUSH_POLICY, TTL_SECONDS or ACCESS_LEVEL");
    }
  }
  if (def.type != TableType::kShared) {
    for (const sql::TableOption& option : stmt.options) {
      if (Upper(option.key) == "ACCESS_LEVEL") {
        return Status(ErrorCode::kInvalidArgument, "ACCESS_LEVEL applies to SHARED tables only");
      }
    }
  }
  bool has_key = false;
  for (const Field& f : fields)
    has_key |= f.primary_key;
  if (!has_key && def.type == TableType::kShared) {
    Field rowid;
    rowid.name = std::string(kRowIdColumn);
    rowid.type = DataType::kBigInt;
    rowid.nullable = false;
    rowid.primary_key = true;
    rowid.default_expr = "snowflake_id()";
    fields.insert(fields.begin(), std::move(rowid));
  }
  if (!has_key && IsPerUser(def.type)) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(TableTypeName(def.type)) + " table " + id.ToString() +
                      " needs a PRIMARY KEY: each user's rows are stored by it");
  }
  if (fields.empty()) {
    return Status(ErrorCode::kInvalidArgument, "a table needs at least one column");
  }
  def.schema = ctx.database->schema_pool().Intern(std::move(fields));
  const AccessLevel access_level = def.access_level;
  // UNIQUE and CHECK constraints are created in the table's own catalog write.
  Result<TableDefinition> created = HasConstraints(stmt)
                                        ? CreateTableWithConstraints(stmt, std::move(def), ctx)
                                        : ctx.database->catalog().CreateTable(std::move(def));
  if (!created.ok()) {
    if (created.status().code() == ErrorCode::kAlreadyExists && stmt.if_not_exists) {
      return Tag("CREATE TABLE");
    }
    if (created.status().code() == ErrorCode::kNotFound) {
      return Status(ErrorCode::kUndefinedTable, std::string(created.status().message()));
    }
    return created.status();
  }
  ctx.database->cache().Invalidate(id);
  QueryResult result = Tag("CREATE TABLE");
  if (!type_given) {
    // PostgreSQL's CREATE TABLE has no TYPE: say what the defaults made of it.
    result.notices.push_back("table " + id.ToString() +
                             " created as a SHARED table with ACCESS_LEVEL " +
                             std::string(AccessLevelName(access_level)) +
                             "; say WITH (TYPE = 'USER') for per-user rows, or ACCESS_LEVEL = "
                             "'PUBLIC' to let every user read it");
  }
  return result;
}

Result<QueryResult> DropTables(const sql::DropTableStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  std::vector<TableId> ids;
  for (const sql::TableName& name : stmt.tables) {
    auto id = ExistingTable(name, ctx);
    if (!id.ok()) {
      if (stmt.if_exists && id.status().code() == ErrorCode::kUndefinedTable) continue;
      return id.status();
    }
    ids.push_back(*id);
  }
  std::vector<std::string> names;
  for (const TableId& id : ids)
    names.push_back(id.ToString());
  TDB_RETURN_IF_ERROR(DropDependentViews(*ctx.database, names, stmt.cascade,
                                         names.size() == 1 ? "table " + names[0] : "these tables"));
  for (const TableId& id : ids) {
    TDB_ASSIGN_OR_RETURN(TableDefinition def, ctx.database->catalog().GetTable(id));
    // The table's indexes (records and entries) go in the drop's own batch.
    TDB_RETURN_IF_ERROR(ctx.database->catalog().DropTable(
        id, [&ctx](rocksdb::WriteBatch* batch, const TableDefinition& table) {
          StageDropTableIndexes(*ctx.database, batch, table);
        }));
    ForgetTableIndexes(*ctx.database, def.table_number);
    ForgetTableChecks(*ctx.database, def.table_number);
    ctx.database->cache().Invalidate(id);
    // Table numbers are never reused, so rows left by a crash here are unreachable
    // (and the erasure job deletes them again).
    TDB_RETURN_IF_ERROR(ctx.database->tables().hot().DropTable(def.table_number));
  }
  // The cold files go in the background (storage/cold_erasure.h).
  if (!ids.empty()) ctx.database->jobs().Trigger("erase");
  return Tag("DROP TABLE");
}

// SET NOT NULL: no stored row may hold NULL in `column`. Per-user tables are checked for
// every user with hot rows (a user whose rows are all in Parquet is not seen).
Status CheckNoNulls(const TableId& id, const std::string& column, const DdlContext& ctx) {
  TDB_ASSIGN_OR_RETURN(TableEntryRef entry, ctx.database->cache().Get(id));
  TableStore& store = ctx.database->tables();
  const std::optional<size_t> index = entry->schema()->FieldIndex(column);
  if (!index.has_value()) return Status::Ok();
  std::vector<std::optional<UserId>> owners;
  if (IsPerUser(entry->type())) {
    TDB_ASSIGN_OR_RETURN(HotTable hot, store.HotTableFor(*entry));
    TDB_ASSIGN_OR_RETURN(std::vector<std::string> users, store.hot().ListUsers(hot));
    for (const std::string& u : users) {
      TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(u));
      owners.emplace_back(std::move(user));
    }
  } else {
    owners.emplace_back(std::nullopt);
  }
  for (const auto& owner : owners) {
    TDB_ASSIGN_OR_RETURN(Batch rows, store.ReadRows(*entry, owner ? &*owner : nullptr));
    if (rows.column(*index).null_count() > 0) {
      return Status(ErrorCode::kNotNullViolation, "column \"" + column + "\" of relation \"" +
                                                      id.ToString() + "\" contains null values");
    }
  }
  return Status::Ok();
}

// ADD PRIMARY KEY (cols) on a SHARED table created without one (keyed by its generated
// _rowid): the columns become the key (NOT NULL) and _rowid goes. Every stored row is
// keyed by the key, so AlterTable then has TableStore::RewriteWithKey rewrite them.
Status AddPrimaryKey(const TableId& id, const std::vector<std::string>& columns,
                     std::vector<Field>* fields) {
  auto rowid = std::find_if(fields->begin(), fields->end(),
                            [](const Field& f) { return f.primary_key && f.name == kRowIdColumn; });
  if (rowid == fields->end()) {
    return Status(ErrorCode::kInvalidArgument,
                  "multiple primary keys for table \"" + id.ToString() + "\" are not allowed");
  }
  for (const std::string& column : columns) {
    auto it = std::find_if(fields->begin(), fields->end(),
                           [&](const Field& f) { return f.name == column; });
    if (it == fields->end() || it->name == kRowIdColumn) {
      return Status(ErrorCode::kUndefinedColumn, "column \"" + column + "\" of relation \"" +
                                                     id.ToString() + "\" does not exist");
    }
    TDB_RETURN_IF_ERROR(CheckKeyColumnType(*it));
    if (it->primary_key) {
      return Status(ErrorCode::kInvalidArgument,
                    "column \"" + column + "\" appears twice in primary key constraint");
    }
    it->primary_key = true;
    it->nullable = false;
  }
  fields->erase(std::find_if(fields->begin(), fields->end(),
                             [](const Field& f) { return f.name == kRowIdColumn; }));
  return Status::Ok();
}

Result<QueryResult> AlterTable(const sql::AlterTableStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  auto id = ExistingTable(stmt.table, ctx);
  if (!id.ok()) {
    if (stmt.if_exists && id.status().code() == ErrorCode::kUndefinedTable)
      return Tag("ALTER TABLE");
    return id.status();
  }
  TDB_ASSIGN_OR_RETURN(TableDefinition def, ctx.database->catalog().GetTable(*id));
  std::vector<Field> fields = def.schema->fields();
  bool rekey = false;  // ADD PRIMARY KEY: the rows are stored anew under the key
  SchemaMetadata metadata = def.schema->metadata();
  auto find = [&](const std::string& name) -> Result<size_t> {
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name == name) return i;
    return Status(ErrorCode::kUndefinedColumn,
                  "column \"" + name + "\" of relation \"" + id->ToString() + "\" does not exist");
  };
  // New columns take ids no version of the table has used (field.h): a name dropped and
  // added again is a new column, and the old one's stored values stay unreadable.
  TDB_ASSIGN_OR_RETURN(uint32_t next_column_id, ctx.database->catalog().NextColumnId(*id));
  auto erase_missing_value = [&metadata](uint32_t column_id) {
    const std::string key = MissingValueKey(column_id);
    for (auto it = metadata.begin(); it != metadata.end();) {
      it = it->first == key ? metadata.erase(it) : it + 1;
    }
  };
  for (const sql::AlterTableCommand& cmd : stmt.commands) {
    switch (cmd.action) {
      case sql::AlterTableAction::kAddColumn: {
        if (!cmd.column->constraints.empty()) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "ALTER TABLE ... ADD COLUMN with a UNIQUE or CHECK constraint is not "
                        "supported: existing rows would have to be checked; add the column, then "
                        "CREATE UNIQUE INDEX");
        }
        TDB_ASSIGN_OR_RETURN(Field f, MakeField(*cmd.column, ctx));
        if (find(f.name).ok()) {
          if (cmd.if_exists) break;
          return Status(ErrorCode::kAlreadyExists, "column \"" + f.name + "\" of relation \"" +
                                                       id->ToString() + "\" already exists");
        }
        if (f.primary_key) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "a table's primary key cannot change: every stored row is keyed by it");
        }
        if (!f.nullable) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "ADD COLUMN ... NOT NULL is not supported: existing rows read the new "
                        "column as NULL; add it nullable, fill it, then SET NOT NULL");
        }
        f.id = next_column_id++;
        // Rows that exist now read the default (PostgreSQL's missing value).
        if (!f.default_expr.empty()) {
          TDB_ASSIGN_OR_RETURN(sql::BoundExprPtr e, sql::BindColumnDefault(f, *ctx.binder));
          sql::ExecContext exec;
          exec.function.now_micros = ctx.database->clock().NowUnixMicros();
          exec.function.clock = &ctx.database->clock();
          TDB_ASSIGN_OR_RETURN(Value v, sql::EvaluateConstant(*e, exec));
          if (!v.is_null()) metadata.emplace_back(MissingValueKey(f.id), EncodeMissingValue(v));
        }
        fields.push_back(std::move(f));
        break;
      }
      case sql::AlterTableAction::kDropColumn: {
        auto i = find(cmd.column_name);
        if (!i.ok()) {
          if (cmd.if_exists) break;
          return i.status();
        }
        if (fields[*i].primary_key) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "cannot drop primary-key column \"" + cmd.column_name + "\"");
        }
        erase_missing_value(fields[*i].id);
        fields.erase(fields.begin() + static_cast<ptrdiff_t>(*i));
        break;
      }
      case sql::AlterTableAction::kRenameColumn: {
        TDB_ASSIGN_OR_RETURN(size_t i, find(cmd.column_name));
        if (find(cmd.new_name).ok()) {
          return Status(ErrorCode::kAlreadyExists, "column \"" + cmd.new_name +
                                                       "\" of relation \"" + id->ToString() +
                                                       "\" already exists");
        }
        if (fields[i].primary_key) {
          return Status(ErrorCode::kFeatureNotSupported,
                        "cannot rename primary-key column \"" + cmd.column_name + "\"");
        }
        // Only the name changes: stored rows and files find the column by its id.
        fields[i].name = cmd.new_name;
        break;
      }
      case sql::AlterTableAction::kSetDefault: {
        TDB_ASSIGN_OR_RETURN(size_t i, find(cmd.column_name));
        fields[i].default_expr = cmd.default_value ? cmd.default_value->ToString() : "";
        TDB_RETURN_IF_ERROR(CheckDefault(cmd.default_value.get(), fields[i], ctx));
        break;
      }
      case sql::AlterTableAction::kDropDefault: {
        TDB_ASSIGN_OR_RETURN(size_t i, find(cmd.column_name));
        fields[i].default_expr.clear();
        break;
      }
      case sql::AlterTableAction::kSetNotNull: {
        TDB_ASSIGN_OR_RETURN(size_t i, find(cmd.column_name));
        TDB_RETURN_IF_ERROR(CheckNoNulls(*id, fields[i].name, ctx));
        fields[i].nullable = false;
        break;
      }
      case sql::AlterTableAction::kDropNotNull: {
        TDB_ASSIGN_OR_RETURN(size_t i, find(cmd.column_name));
        if (fields[i].primary_key) {
          return Status(ErrorCode::kInvalidArgument,
                        "column \"" + cmd.column_name + "\" is in a primary key");
        }
        fields[i].nullable = true;
        break;
      }
      case sql::AlterTableAction::kRenameTable:
        return Status(ErrorCode::kFeatureNotSupported,
                      "ALTER TABLE ... RENAME TO is not supported");
      case sql::AlterTableAction::kAddPrimaryKey: {
        TDB_RETURN_IF_ERROR(AddPrimaryKey(*id, cmd.key_columns, &fields));
        rekey = true;
        break;
      }
    }
  }
  std::sort(metadata.begin(), metadata.end());
  auto schema = ctx.database->schema_pool().Intern(std::move(fields), std::move(metadata));
  if (rekey) {
    // Index entries end with the primary key: a new key would strand them.
    if (ctx.database->tables().hot().indexes().Get(def.table_number) != nullptr) {
      return Status(ErrorCode::kFeatureNotSupported,
                    "ALTER TABLE ... ADD PRIMARY KEY on a table with indexes; drop its indexes "
                    "first");
    }
    TDB_ASSIGN_OR_RETURN(TableEntryRef entry, ctx.database->cache().Get(*id));
    if (entry->schema_version() != def.schema_version) {
      ctx.database->cache().Invalidate(*id);
      return Status(
          ErrorCode::kSerializationFailure,
          "table " + id->ToString() + " was altered by another statement meanwhile; retry");
    }
    Result<TableDefinition> altered =
        ctx.database->tables().RewriteWithKey(*entry, def.schema_version, std::move(schema));
    ctx.database->cache().Invalidate(*id);
    TDB_RETURN_IF_ERROR(altered.status());
    return Tag("ALTER TABLE");
  }
  // CHECK constraints of a dropped column go with it, in the schema's own batch.
  TDB_ASSIGN_OR_RETURN(auto checks,
                       ChecksAfterAlter(*ctx.database, def.table_number, *def.schema, *schema));
  PersistentCatalog::AlterHook hook;
  if (checks.has_value()) {
    hook = [&](rocksdb::WriteBatch* batch, const TableDefinition&) {
      StageChecks(*ctx.database, batch, def.table_number, *checks);
      return Status::Ok();
    };
  }
  TDB_RETURN_IF_ERROR(
      ctx.database->catalog().AlterTable(*id, def.schema_version, schema, hook).status());
  if (checks.has_value()) PublishChecks(*ctx.database, def.table_number, std::move(*checks));
  ctx.database->cache().Invalidate(*id);
  // PostgreSQL drops the indexes of a dropped column with it.
  TDB_RETURN_IF_ERROR(DropIndexesOfDroppedColumns(*ctx.database, *id, def.table_number, *schema));
  return Tag("ALTER TABLE");
}

// ---- users ----

std::string Quoted(const UserId& user) {
  return "\"" + std::string(user.str()) + "\"";
}

Status UndefinedUser(const UserId& user) {
  return Status(ErrorCode::kNotFound, "user " + Quoted(user) + " does not exist");
}

// Nobody acts on, or hands out, a role above their own: a dba may not make a system
// user, reset a system user's password (and then log in as it) or drop one.
Status CheckRoleAtMost(const DdlContext& ctx, Role role, std::string_view what) {
  if (role <= ctx.role) return Status::Ok();
  return Status(ErrorCode::kInsufficientPrivilege,
                "permission denied: role " + std::string(RoleName(ctx.role)) + " may not " +
                    std::string(what) + " a " + std::string(RoleName(role)) + " user");
}

Result<std::optional<UserRecord>> FindUser(const DdlContext& ctx, const UserId& user) {
  return ctx.database->catalog().GetUser(user);
}

Result<QueryResult> CreateUser(const sql::CreateUserStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(stmt.name));
  Role role = Role::kUser;
  if (!stmt.role.empty()) {
    TDB_ASSIGN_OR_RETURN(role, ParseRole(stmt.role));
  }
  TDB_RETURN_IF_ERROR(CheckRoleAtMost(ctx, role, "create"));
  TDB_RETURN_IF_ERROR(user.CheckNotReserved());
  // Cheap refusals first: the hash costs tens of milliseconds.
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> existing, FindUser(ctx, user));
  if (existing.has_value()) {
    return Status(ErrorCode::kAlreadyExists, "user " + Quoted(user) + " already exists");
  }
  std::string hash;
  if (stmt.password) {
    TDB_ASSIGN_OR_RETURN(hash, ctx.database->accounts().HashPassword(*stmt.password));
  }
  TDB_RETURN_IF_ERROR(ctx.database->catalog().CreateUser(user, role, std::move(hash)).status());
  return Tag("CREATE USER");
}

Result<QueryResult> AlterUser(const sql::AlterUserStmt& stmt, const DdlContext& ctx) {
  TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(stmt.name));
  const bool self = user == ctx.user;
  std::optional<Role> new_role;
  if (!stmt.role.empty()) {
    // Changing a role is DDL, one's own included.
    TDB_RETURN_IF_ERROR(RequireDdl(ctx));
    TDB_ASSIGN_OR_RETURN(new_role, ParseRole(stmt.role));
    TDB_RETURN_IF_ERROR(CheckRoleAtMost(ctx, *new_role, "grant the role of"));
  } else if (!self && !CanRunDdl(ctx.role)) {
    return Status(ErrorCode::kInsufficientPrivilege,
                  "permission denied: role " + std::string(RoleName(ctx.role)) +
                      " may change only its own password; connect as dba or system");
  }
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> existing, FindUser(ctx, user));
  if (!existing.has_value()) return UndefinedUser(user);
  if (!self) TDB_RETURN_IF_ERROR(CheckRoleAtMost(ctx, existing->role, "change"));
  if (new_role && BuiltinUserRole(user.str())) {
    return Status(ErrorCode::kReservedName,
                  "user " + Quoted(user) + " is built in; its role cannot be changed");
  }
  // Hash before any catalog write, so a refused password changes nothing.
  std::optional<std::string> hash;
  if (stmt.password) {
    TDB_ASSIGN_OR_RETURN(hash, ctx.database->accounts().HashPassword(*stmt.password));
  }
  // One write, which advances credentials_version: tokens issued before it stop working.
  TDB_RETURN_IF_ERROR(ctx.database->catalog().UpdateUser(user, new_role, std::move(hash)).status());
  return Tag("ALTER USER");
}

Result<QueryResult> DropUser(const sql::DropUserStmt& stmt, const DdlContext& ctx) {
  TDB_RETURN_IF_ERROR(RequireDdl(ctx));
  TDB_ASSIGN_OR_RETURN(UserId user, UserId::Make(stmt.name));
  if (BuiltinUserRole(user.str())) {
    return Status(ErrorCode::kReservedName,
                  "user " + Quoted(user) + " is built in and cannot be dropped");
  }
  if (user == ctx.user) {
    return Status(ErrorCode::kObjectInUse, "the current user cannot be dropped");
  }
  TDB_ASSIGN_OR_RETURN(std::optional<UserRecord> existing, FindUser(ctx, user));
  if (!existing.has_value()) {
    if (stmt.if_exists) return Tag("DROP USER");
    return UndefinedUser(user);
  }
  TDB_RETURN_IF_ERROR(CheckRoleAtMost(ctx, existing->role, "drop"));
  Status s = ctx.database->catalog().DropUser(user);
  if (s.code() == ErrorCode::kNotFound && stmt.if_exists) return Tag("DROP USER");
  TDB_RETURN_IF_ERROR(s);
  // The user's change-log slices go with it (after the account: a crash between leaves
  // unreachable records, never an account without its history).
  std::vector<uint32_t> per_user_tables;
  TDB_RETURN_IF_ERROR(ctx.database->catalog().ForEachTable(
      [&](const TableId&, const TableRecord& record) -> Status {
        if (record.type == TableType::kUser || record.type == TableType::kStream) {
          per_user_tables.push_back(record.table_number);
        }
        return Status::Ok();
      }));
  // Engine shows its store read-only to its readers; this is the engine's own DDL
  // writing to the store it owns (a non-const object).
  KvStore& kv = const_cast<KvStore&>(ctx.database->kv());
  TDB_RETURN_IF_ERROR(EraseUserChanges(kv, per_user_tables, user.str()));
  return Tag("DROP USER");
}

}  // namespace

QueryResult CommandTagResult(std::string tag) {
  QueryResult r;
  r.command_tag = std::move(tag);
  return r;
}

Status RequireDdl(const DdlContext& ctx) {
  if (!CanRunDdl(ctx.role)) {
    return Status(ErrorCode::kInsufficientPrivilege,
                  "permission denied: role " + std::string(RoleName(ctx.role)) +
                      " may not change the schema; connect as dba or system");
  }
  return Status::Ok();
}

bool IsDdl(sql::StatementKind kind) {
  switch (kind) {
    case sql::StatementKind::kCreateTable:
    case sql::StatementKind::kDropTable:
    case sql::StatementKind::kAlterTable:
    case sql::StatementKind::kCreateSchema:
    case sql::StatementKind::kDropSchema:
    case sql::StatementKind::kCreateUser:
    case sql::StatementKind::kAlterUser:
    case sql::StatementKind::kDropUser:
    case sql::StatementKind::kCreateStorage:
    case sql::StatementKind::kStorageFlush:
    case sql::StatementKind::kStorageCompact:
    case sql::StatementKind::kCreateView:
    case sql::StatementKind::kDropView:
    case sql::StatementKind::kCreateIndex:
    case sql::StatementKind::kDropIndex:
      return true;
    default:
      return false;
  }
}

Result<QueryResult> ExecuteDdl(const sql::Statement& statement, const DdlContext& ctx) {
  Engine& db = *ctx.database;
  switch (statement.kind) {
    case sql::StatementKind::kCreateTable:
      return CreateTable(static_cast<const sql::CreateTableStmt&>(statement), ctx);
    case sql::StatementKind::kDropTable:
      return DropTables(static_cast<const sql::DropTableStmt&>(statement), ctx);
    case sql::StatementKind::kAlterTable:
      return AlterTable(static_cast<const sql::AlterTableStmt&>(statement), ctx);
    case sql::StatementKind::kCreateView:
      return CreateView(static_cast<const sql::CreateViewStmt&>(statement), ctx);
    case sql::StatementKind::kDropView:
      return DropViews(static_cast<const sql::DropViewStmt&>(statement), ctx);
    case sql::StatementKind::kCreateIndex:
      return CreateIndex(static_cast<const sql::CreateIndexStmt&>(statement), ctx);
    case sql::StatementKind::kDropIndex:
      return DropIndexes(static_cast<const sql::DropIndexStmt&>(statement), ctx);
    case sql::StatementKind::kCreateSchema: {
      TDB_RETURN_IF_ERROR(RequireDdl(ctx));
      const auto& stmt = static_cast<const sql::CreateSchemaStmt&>(statement);
      TDB_ASSIGN_OR_RETURN(NamespaceId ns, NamespaceId::Make(stmt.name));
      Status s = db.catalog().CreateNamespace(ns);
      if (!s.ok() && !(s.code() == ErrorCode::kAlreadyExists && stmt.if_not_exists)) return s;
      return Tag("CREATE NAMESPACE");
    }
    case sql::StatementKind::kDropSchema: {
      TDB_RETURN_IF_ERROR(RequireDdl(ctx));
      const auto& stmt = static_cast<const sql::DropSchemaStmt&>(statement);
      for (const std::string& name : stmt.names) {
        const NamespaceId ns = [&] {
          auto m = NamespaceId::Make(name);
          return m.ok() ? *m : NamespaceId();
        }();
        if (name == "default") {
          return Status(ErrorCode::kReservedName, "namespace default cannot be dropped");
        }
        std::vector<TableDefinition> tables;
        if (!ns.empty()) {
          auto listed = db.catalog().ListTables(ns);
          if (listed.ok()) tables = std::move(*listed);
        }
        Status s = ns.empty() ? Status(ErrorCode::kNotFound, "")
                              : db.catalog().DropNamespace(
                                    ns, stmt.cascade,
                                    [&db](rocksdb::WriteBatch* batch, const TableDefinition& t) {
                                      StageDropTableIndexes(db, batch, t);
                                    });
        if (!s.ok()) {
          if (s.code() == ErrorCode::kNotFound) {
            if (stmt.if_exists) continue;
            return Status(ErrorCode::kUndefinedTable, "namespace \"" + name + "\" does not exist");
          }
          if (s.code() == ErrorCode::kInvalidArgument && !stmt.cascade) {
            return Status(ErrorCode::kInvalidArgument,
                          std::string(s.message()) + "; use DROP NAMESPACE " + name + " CASCADE");
          }
          return s;
        }
        for (const TableDefinition& t : tables) {
          ForgetTableIndexes(db, t.table_number);
          ForgetTableChecks(db, t.table_number);
          db.cache().Invalidate(t.id);
          TDB_RETURN_IF_ERROR(db.tables().hot().DropTable(t.table_number));
        }
        if (!tables.empty()) db.jobs().Trigger("erase");
        db.views().Invalidate();  // CASCADE drops the namespace's views too
      }
      return Tag("DROP NAMESPACE");
    }
    case sql::StatementKind::kCreateUser:
      return CreateUser(static_cast<const sql::CreateUserStmt&>(statement), ctx);
    case sql::StatementKind::kAlterUser:
      return AlterUser(static_cast<const sql::AlterUserStmt&>(statement), ctx);
    case sql::StatementKind::kDropUser:
      return DropUser(static_cast<const sql::DropUserStmt&>(statement), ctx);
    case sql::StatementKind::kCreateStorage: {
      TDB_RETURN_IF_ERROR(RequireDdl(ctx));
      const auto& stmt = static_cast<const sql::CreateStorageStmt&>(statement);
      StorageSpec spec;
      TDB_ASSIGN_OR_RETURN(spec.id, StorageId::Make(stmt.storage_id));
      spec.base_directory = stmt.base_directory;
      spec.user_template = stmt.user_tables_template.value_or("{namespace}/{tableName}/{userId}");
      spec.shared_template = stmt.shared_tables_template.value_or("{namespace}/{tableName}");
      TDB_RETURN_IF_ERROR(db.catalog().RegisterStorage(&db.storages(), std::move(spec)).status());
      return Tag("CREATE STORAGE");
    }
    case sql::StatementKind::kStorageFlush: {
      if (ctx.role < Role::kService) {
        return Status(ErrorCode::kInsufficientPrivilege,
                      "STORAGE FLUSH TABLE needs role service, dba or system");
      }
      const auto& stmt = static_cast<const sql::StorageFlushStmt&>(statement);
      TDB_ASSIGN_OR_RETURN(TableProviderRef table, ctx.binder->ResolveTable(stmt.table));
      // Through the job runner, so the run shows in system.jobs like the automatic ones.
      FlushStats stats;
      TDB_RETURN_IF_ERROR(db.jobs()
                              .RunNow("flush",
                                      [&]() -> Result<std::string> {
                                        TDB_ASSIGN_OR_RETURN(stats, db.tables().Flush(*table));
                                        return "STORAGE FLUSH TABLE " + table->id().ToString() +
                                               ": flushed " + std::to_string(stats.rows) +
                                               " rows into " + std::to_string(stats.users) +
                                               " directories";
                                      })
                              .status());
      db.flush_scheduler().Flushed(*table);
      QueryResult r = Tag("STORAGE FLUSH");
      r.rows_affected = stats.rows;
      return r;
    }
    case sql::StatementKind::kStorageCompact: {
      if (ctx.role < Role::kService) {
        return Status(ErrorCode::kInsufficientPrivilege,
                      "STORAGE COMPACT TABLE needs role service, dba or system");
      }
      const auto& stmt = static_cast<const sql::StorageCompactStmt&>(statement);
      TDB_ASSIGN_OR_RETURN(TableProviderRef table, ctx.binder->ResolveTable(stmt.table));
      // Through the job runner, so the run shows in system.jobs like the automatic ones.
      CompactionStats stats;
      TDB_RETURN_IF_ERROR(db.jobs()
                              .RunNow("compact",
                                      [&]() -> Result<std::string> {
                                        TDB_ASSIGN_OR_RETURN(stats, db.tables().Compact(*table));
                                        return "compacted " + std::to_string(stats.directories) +
                                               " directories: " + std::to_string(stats.files_in) +
                                               " files into " + std::to_string(stats.files_out);
                                      })
                              .status());
      QueryResult r = Tag("STORAGE COMPACT");
      r.rows_affected = stats.rows_out;
      return r;
    }
    default:
      return Status(ErrorCode::kInternal, "not a DDL statement");
  }
}

}  // namespace tenantdb
