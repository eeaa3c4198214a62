// DDL half of PgConverter: CREATE / DROP / ALTER TABLE, DROP SCHEMA, RENAME.
#include <pg_query/pg_query.pb-c.h>

#include "sql/parser/pg_converter.h"

namespace tenantdb::sql {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// The value of `key = value` in WITH (...) as text.
Result<std::string> DefElemValue(const PgQuery__Node* arg) {
  if (arg == nullptr) return std::string("true");
  switch (arg->node_case) {
    case PG_QUERY__NODE__NODE_STRING:
      return PgString(arg);
    case PG_QUERY__NODE__NODE_INTEGER:
      return std::to_string(arg->integer->ival);
    case PG_QUERY__NODE__NODE_FLOAT:
      return std::string(arg->float_->fval != nullptr ? arg->float_->fval : "0");
    case PG_QUERY__NODE__NODE_BOOLEAN:
      return std::string(arg->boolean->boolval ? "true" : "false");
    case PG_QUERY__NODE__NODE_TYPE_NAME:
      // A bare word (WITH (TYPE = shared)) arrives as a type name.
      if (arg->type_name->n_names > 0) {
        return PgString(arg->type_name->names[arg->type_name->n_names - 1]);
      }
      break;
    default:
      break;
  }
  return NotSupported("option value " + PgNodeName(arg, false));
}

}  // namespace

Result<ConstraintDef> PgConverter::ConvertConstraint(const PgQuery__Constraint* c,
                                                     const std::string* column) {
  ConstraintDef out;
  out.name = c->conname != nullptr ? c->conname : "";
  out.location = Loc(c->location);
  if (c->deferrable || c->initdeferred) return NotSupported("DEFERRABLE constraints");
  if (c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK) {
    out.kind = ConstraintDef::Kind::kCheck;
    if (c->raw_expr == nullptr) return NotSupported("CHECK form");
    TDB_ASSIGN_OR_RETURN(out.check, ConvertExpr(c->raw_expr));
    return out;
  }
  out.kind = ConstraintDef::Kind::kUnique;
  if (c->nulls_not_distinct) return NotSupported("UNIQUE NULLS NOT DISTINCT");
  if (c->indexname != nullptr && *c->indexname != '\0') {
    return NotSupported("UNIQUE USING INDEX");
  }
  if (c->n_including > 0) return NotSupported("UNIQUE ... INCLUDE");
  if (column != nullptr) {
    out.columns.push_back(*column);
  } else {
    for (size_t k = 0; k < c->n_keys; ++k)
      out.columns.push_back(PgString(c->keys[k]));
  }
  return out;
}

Result<ColumnDef> PgConverter::ConvertColumnDef(const PgQuery__ColumnDef* def) {
  ColumnDef col;
  col.name = def->colname != nullptr ? def->colname : "";
  col.location = Loc(def->location);
  TDB_ASSIGN_OR_RETURN(col.type, ConvertTypeName(def->type_name));
  col.not_null = def->is_not_null;
  if (def->raw_default != nullptr) {
    TDB_ASSIGN_OR_RETURN(col.default_value, ConvertExpr(def->raw_default));
  }
  if (def->coll_clause != nullptr) return NotSupported("COLLATE on column " + col.name);
  for (size_t i = 0; i < def->n_constraints; ++i) {
    const PgQuery__Node* n = def->constraints[i];
    if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT) return NotSupported("column constraint");
    const PgQuery__Constraint* c = n->constraint;
    switch (c->contype) {
      case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
        col.not_null = true;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT: {
        TDB_ASSIGN_OR_RETURN(col.default_value, ConvertExpr(c->raw_expr));
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
        col.primary_key = true;
        break;
      case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
      case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK: {
        TDB_ASSIGN_OR_RETURN(ConstraintDef constraint, ConvertConstraint(c, &col.name));
        col.constraints.push_back(std::move(constraint));
        break;
      }
      case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
        return NotSupported("REFERENCES on column " + col.name);
      default:
        return NotSupported("constraint on column " + col.name);
    }
  }
  return col;
}

Result<StatementPtr> PgConverter::ConvertCreateTable(const PgQuery__Node* node) {
  const PgQuery__CreateStmt* s = node->create_stmt;
  if (s->n_inh_relations > 0) return NotSupported("CREATE TABLE ... INHERITS");
  if (s->partspec != nullptr || s->partbound != nullptr) return NotSupported("partitioned tables");
  if (s->of_typename != nullptr) return NotSupported("CREATE TABLE ... OF type");
  if (s->relation != nullptr && s->relation->relpersistence != nullptr &&
      std::string_view(s->relation->relpersistence) == "t") {
    return NotSupported("temporary tables");
  }
  auto out = std::make_unique<CreateTableStmt>();
  out->table = ConvertRangeVar(s->relation);
  out->if_not_exists = s->if_not_exists;
  for (size_t i = 0; i < s->n_table_elts; ++i) {
    const PgQuery__Node* e = s->table_elts[i];
    if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
      TDB_ASSIGN_OR_RETURN(ColumnDef col, ConvertColumnDef(e->column_def));
      out->columns.push_back(std::move(col));
    } else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
               e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
      if (!out->primary_key.empty()) {
        return Status(ErrorCode::kSyntaxError,
                      "multiple primary keys for table " + out->table.name + " are not allowed");
      }
      for (size_t k = 0; k < e->constraint->n_keys; ++k) {
        out->primary_key.push_back(PgString(e->constraint->keys[k]));
      }
    } else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
               (e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
                e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK)) {
      TDB_ASSIGN_OR_RETURN(ConstraintDef constraint, ConvertConstraint(e->constraint, nullptr));
      out->constraints.push_back(std::move(constraint));
    } else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
      return NotSupported("table constraint other than PRIMARY KEY, UNIQUE and CHECK");
    } else {
      return NotSupported("CREATE TABLE element " + PgNodeName(e, false));
    }
  }
  for (size_t i = 0; i < s->n_options; ++i) {
    const PgQuery__Node* o = s->options[i];
    if (o->node_case != PG_QUERY__NODE__NODE_DEF_ELEM) return NotSupported("table option form");
    const PgQuery__DefElem* d = o->def_elem;
    if (d->defnamespace != nullptr && *d->defnamespace != '\0')
      return NotSupported("namespaced table option");
    TableOption opt;
    opt.key = Upper(d->defname != nullptr ? d->defname : "");
    // PostgreSQL's heap page fill (pgbench -i sends it): tenantdb's LSM storage has no
    // pages to leave room in, so the option is accepted and has no effect.
    if (opt.key == "FILLFACTOR") continue;
    opt.location = Loc(d->location);
    TDB_ASSIGN_OR_RETURN(opt.value, DefElemValue(d->arg));
    out->options.push_back(std::move(opt));
  }
  return StatementPtr(std::move(out));
}

Result<StatementPtr> PgConverter::ConvertCreateView(const PgQuery__Node* node) {
  const PgQuery__ViewStmt* s = node->view_stmt;
  if (s->view == nullptr || s->query == nullptr ||
      s->query->node_case != PG_QUERY__NODE__NODE_SELECT_STMT) {
    return NotSupported("CREATE VIEW form");
  }
  if (std::string_view(s->view->relpersistence) == "t") return NotSupported("TEMPORARY VIEW");
  if (s->n_options > 0) return NotSupported("CREATE VIEW ... WITH (options)");
  if (s->with_check_option == PG_QUERY__VIEW_CHECK_OPTION__LOCAL_CHECK_OPTION ||
      s->with_check_option == PG_QUERY__VIEW_CHECK_OPTION__CASCADED_CHECK_OPTION) {
    return NotSupported("WITH CHECK OPTION (tenantdb's views are read-only)");
  }
  auto out = std::make_unique<CreateViewStmt>();
  out->view = ConvertRangeVar(s->view);
  out->or_replace = s->replace;
  for (size_t i = 0; i < s->n_aliases; ++i)
    out->column_names.push_back(PgString(s->aliases[i]));
  TDB_ASSIGN_OR_RETURN(out->query, ConvertSelect(s->query->select_stmt, -1));
  return StatementPtr(std::move(out));
}

Result<StatementPtr> PgConverter::ConvertCreateIndex(const PgQuery__Node* node) {
  const PgQuery__IndexStmt* s = node->index_stmt;
  if (s->relation == nullptr) return NotSupported("CREATE INDEX form");
  if (s->idxname == nullptr || std::string_view(s->idxname).empty()) {
    return NotSupported("CREATE INDEX without a name");
  }
  if (s->where_clause != nullptr) return NotSupported("a partial index (CREATE INDEX ... WHERE)");
  if (s->n_index_including_params > 0) return NotSupported("CREATE INDEX ... INCLUDE");
  if (s->nulls_not_distinct) return NotSupported("NULLS NOT DISTINCT");
  const std::string_view method = s->access_method != nullptr ? s->access_method : "";
  if (!method.empty() && method != "btree") {
    return NotSupported("index method " + std::string(method) + " (only btree)");
  }
  auto out = std::make_unique<CreateIndexStmt>(Loc(s->relation->location));
  out->name = s->idxname;
  out->table = ConvertRangeVar(s->relation);
  out->unique = s->unique;
  out->if_not_exists = s->if_not_exists;
  for (size_t i = 0; i < s->n_index_params; ++i) {
    const PgQuery__Node* p = s->index_params[i];
    if (p->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM || p->index_elem->name == nullptr ||
        std::string_view(p->index_elem->name).empty()) {
      return NotSupported("an index on an expression");
    }
    const PgQuery__IndexElem* e = p->index_elem;
    if (e->ordering == PG_QUERY__SORT_BY_DIR__SORTBY_DESC ||
        e->nulls_ordering == PG_QUERY__SORT_BY_NULLS__SORTBY_NULLS_FIRST) {
      return NotSupported("a DESC or NULLS FIRST index column");
    }
    out->columns.push_back(e->name);
  }
  return StatementPtr(std::move(out));
}

namespace {

// The (schema, name) of one DROP object (a list of one or two names).
Result<TableName> DropObjectName(const PgQuery__Node* o) {
  if (o->node_case != PG_QUERY__NODE__NODE_LIST) {
    return NotSupported("DROP name form");
  }
  std::vector<std::string> parts;
  for (size_t k = 0; k < o->list->n_items; ++k)
    parts.push_back(PgString(o->list->items[k]));
  if (parts.empty() || parts.size() > 2) {
    return NotSupported("database-qualified table name");
  }
  TableName name;
  name.name = parts.back();
  if (parts.size() == 2) name.schema = parts[0];
  return name;
}

}  // namespace

Result<StatementPtr> PgConverter::ConvertDrop(const PgQuery__Node* node) {
  const PgQuery__DropStmt* s = node->drop_stmt;
  const bool cascade = s->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
  if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    auto out = std::make_unique<DropTableStmt>();
    out->if_exists = s->missing_ok;
    out->cascade = cascade;
    for (size_t i = 0; i < s->n_objects; ++i) {
      TDB_ASSIGN_OR_RETURN(TableName name, DropObjectName(s->objects[i]));
      out->tables.push_back(std::move(name));
    }
    return StatementPtr(std::move(out));
  }
  if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW) {
    auto out = std::make_unique<DropViewStmt>();
    out->if_exists = s->missing_ok;
    out->cascade = cascade;
    for (size_t i = 0; i < s->n_objects; ++i) {
      TDB_ASSIGN_OR_RETURN(TableName name, DropObjectName(s->objects[i]));
      out->views.push_back(std::move(name));
    }
    return StatementPtr(std::move(out));
  }
  if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX) {
    if (s->concurrent) return NotSupported("DROP INDEX CONCURRENTLY");
    auto out = std::make_unique<DropIndexStmt>();
    out->if_exists = s->missing_ok;
    for (size_t i = 0; i < s->n_objects; ++i) {
      TDB_ASSIGN_OR_RETURN(TableName name, DropObjectName(s->objects[i]));
      out->indexes.push_back(std::move(name));
    }
    return StatementPtr(std::move(out));
  }
  if (s->remove_type == PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA) {
    auto out = std::make_unique<DropSchemaStmt>();
    out->if_exists = s->missing_ok;
    out->cascade = cascade;
    for (size_t i = 0; i < s->n_objects; ++i)
      out->names.push_back(PgString(s->objects[i]));
    return StatementPtr(std::move(out));
  }
  return NotSupported("DROP of this object type");
}

Result<StatementPtr> PgConverter::ConvertAlterTable(const PgQuery__Node* node) {
  const PgQuery__AlterTableStmt* s = node->alter_table_stmt;
  if (s->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
    return NotSupported("ALTER of this object");
  auto out = std::make_unique<AlterTableStmt>();
  out->table = ConvertRangeVar(s->relation);
  out->if_exists = s->missing_ok;
  for (size_t i = 0; i < s->n_cmds; ++i) {
    const PgQuery__Node* n = s->cmds[i];
    if (n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
      return NotSupported("ALTER TABLE form");
    const PgQuery__AlterTableCmd* c = n->alter_table_cmd;
    AlterTableCommand cmd;
    cmd.column_name = c->name != nullptr ? c->name : "";
    cmd.if_exists = c->missing_ok;
    switch (c->subtype) {
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn: {
        if (c->def == nullptr || c->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF) {
          return NotSupported("ADD COLUMN form");
        }
        cmd.action = AlterTableAction::kAddColumn;
        TDB_ASSIGN_OR_RETURN(ColumnDef col, ConvertColumnDef(c->def->column_def));
        cmd.location = col.location;
        cmd.column_name = col.name;
        cmd.column = std::move(col);
        break;
      }
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
        cmd.action = AlterTableAction::kDropColumn;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
        if (c->def != nullptr) {
          cmd.action = AlterTableAction::kSetDefault;
          TDB_ASSIGN_OR_RETURN(cmd.default_value, ConvertExpr(c->def));
        } else {
          cmd.action = AlterTableAction::kDropDefault;
        }
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
        cmd.action = AlterTableAction::kSetNotNull;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
        cmd.action = AlterTableAction::kDropNotNull;
        break;
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
        return NotSupported("ALTER COLUMN ... TYPE");
      case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint: {
        if (c->def == nullptr || c->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT ||
            c->def->constraint->contype != PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY) {
          return NotSupported("ADD CONSTRAINT other than PRIMARY KEY");
        }
        const PgQuery__Constraint* k = c->def->constraint;
        cmd.action = AlterTableAction::kAddPrimaryKey;
        cmd.location = Loc(k->location);
        for (size_t j = 0; j < k->n_keys; ++j)
          cmd.key_columns.push_back(PgString(k->keys[j]));
        if (cmd.key_columns.empty()) return NotSupported("ADD PRIMARY KEY USING INDEX");
        break;
      }
      default:
        return NotSupported("this ALTER TABLE action");
    }
    out->commands.push_back(std::move(cmd));
  }
  return StatementPtr(std::move(out));
}

Result<StatementPtr> PgConverter::ConvertRename(const PgQuery__Node* node) {
  const PgQuery__RenameStmt* s = node->rename_stmt;
  auto out = std::make_unique<AlterTableStmt>();
  out->table = ConvertRangeVar(s->relation);
  out->if_exists = s->missing_ok;
  AlterTableCommand cmd;
  cmd.new_name = s->newname != nullptr ? s->newname : "";
  if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN &&
      s->relation_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    cmd.action = AlterTableAction::kRenameColumn;
    cmd.column_name = s->subname != nullptr ? s->subname : "";
  } else if (s->rename_type == PG_QUERY__OBJECT_TYPE__OBJECT_TABLE) {
    cmd.action = AlterTableAction::kRenameTable;
  } else {
    return NotSupported("RENAME of this object");
  }
  out->commands.push_back(std::move(cmd));
  return StatementPtr(std::move(out));
}

}  // namespace tenantdb::sql
