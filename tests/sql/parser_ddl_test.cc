#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

using testing::ParseAs;

TEST(ParserCreateTable, ColumnsTypesConstraints) {
  auto s = ParseAs<CreateTableStmt>(
      "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY DEFAULT SNOWFLAKE_ID(), "
      "thread_id TEXT NOT NULL, created_at TIMESTAMP DEFAULT NOW(), note varchar(20) NULL)",
      StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.schema, "chat");
  EXPECT_FALSE(s->if_not_exists);
  ASSERT_EQ(s->columns.size(), 4u);
  const ColumnDef& id = s->columns[0];
  EXPECT_EQ(id.name, "id");
  EXPECT_EQ(id.type.data_type, DataType::kBigInt);
  EXPECT_TRUE(id.primary_key);
  ASSERT_TRUE(id.default_value);
  EXPECT_EQ(id.default_value->ToString(), "snowflake_id()");
  EXPECT_TRUE(s->columns[1].not_null);
  EXPECT_EQ(s->columns[2].type.data_type, DataType::kTimestamp);
  EXPECT_FALSE(s->columns[3].not_null);
  EXPECT_EQ(s->columns[3].type.data_type, DataType::kText);
  EXPECT_FALSE(s->table_type.has_value());
}

TEST(ParserCreateTable, TablePrimaryKeyAndIfNotExists) {
  auto s =
      ParseAs<CreateTableStmt>("CREATE TABLE IF NOT EXISTS t (a int, b text, PRIMARY KEY (a, b))",
                               StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->if_not_exists);
  EXPECT_EQ(s->primary_key, (std::vector<std::string>{"a", "b"}));
}

TEST(ParserCreateTable, WithOptionsAsText) {
  auto s = ParseAs<CreateTableStmt>(
      "CREATE TABLE t (a int) WITH (TYPE = 'USER', flush_policy = 'rows:1000', TTL_SECONDS = 60, "
      "access_level = public)",
      StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->options.size(), 4u);
  EXPECT_EQ(s->options[0].key, "TYPE");
  EXPECT_EQ(s->options[0].value, "USER");
  EXPECT_EQ(s->options[1].key, "FLUSH_POLICY");
  EXPECT_EQ(s->options[1].value, "rows:1000");
  EXPECT_EQ(s->options[2].value, "60");
  EXPECT_EQ(s->options[3].value, "public");
}

TEST(ParserCreateTable, TypedTableKeywords) {
  auto user = ParseAs<CreateTableStmt>("CREATE USER TABLE ns.t (id bigint PRIMARY KEY)",
                                       StatementKind::kCreateTable);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->table_type, TableType::kUser);
  EXPECT_EQ(user->table.schema, "ns");
  auto shared =
      ParseAs<CreateTableStmt>("create shared table t (id int)", StatementKind::kCreateTable);
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->table_type, TableType::kShared);
  auto stream = ParseAs<CreateTableStmt>(
      "Create Stream Table IF NOT EXISTS t (id int) WITH (TTL_SECONDS = 10)",
      StatementKind::kCreateTable);
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->table_type, TableType::kStream);
  EXPECT_TRUE(stream->if_not_exists);
}

TEST(ParserCreateTable, TypedTableKeepsPositions) {
  auto s = ParseAs<CreateTableStmt>("CREATE USER TABLE t (id bigint)", StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->columns[0].location, 22);
}

TEST(ParserCreateTable, UnsupportedConstraints) {
  auto st = testing::ParseError("CREATE TABLE t (a int REFERENCES u (id))");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
  st = testing::ParseError("CREATE TABLE t (a int UNIQUE DEFERRABLE)");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
  st = testing::ParseError("CREATE TABLE t (a int, UNIQUE NULLS NOT DISTINCT (a))");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
  st = testing::ParseError("CREATE TABLE t (a int, EXCLUDE USING gist (a WITH =))");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
}

TEST(ParserCreateTable, UniqueAndCheckConstraintsOnColumnsAndTable) {
  auto s = ParseAs<CreateTableStmt>(
      "CREATE TABLE t (a int UNIQUE CHECK (a > 0), b int CONSTRAINT b_pos CHECK (b > 0), "
      "UNIQUE (a, b), CONSTRAINT ab CHECK (a < b))",
      StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->columns[0].constraints.size(), 2u);
  EXPECT_EQ(s->columns[0].constraints[0].kind, ConstraintDef::Kind::kUnique);
  EXPECT_EQ(s->columns[0].constraints[0].columns, std::vector<std::string>{"a"});
  EXPECT_EQ(s->columns[0].constraints[1].kind, ConstraintDef::Kind::kCheck);
  EXPECT_EQ(s->columns[0].constraints[1].check->ToString(), "(a > 0)");
  ASSERT_EQ(s->columns[1].constraints.size(), 1u);
  EXPECT_EQ(s->columns[1].constraints[0].name, "b_pos");
  ASSERT_EQ(s->constraints.size(), 2u);
  EXPECT_EQ(s->constraints[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s->constraints[1].name, "ab");
  // The canonical text parses back to the same statement.
  EXPECT_EQ(s->ToString(),
            "CREATE TABLE t (a int4 UNIQUE CHECK ((a > 0)), b int4 CONSTRAINT b_pos CHECK "
            "((b > 0)), UNIQUE (a, b), CONSTRAINT ab CHECK ((a < b)))");
  auto again = ParseAs<CreateTableStmt>(s->ToString(), StatementKind::kCreateTable);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->ToString(), s->ToString());
}

TEST(ParserDropTable, IfExistsCascade) {
  auto s = ParseAs<DropTableStmt>("DROP TABLE IF EXISTS a, s.b CASCADE", StatementKind::kDropTable);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->if_exists);
  EXPECT_TRUE(s->cascade);
  ASSERT_EQ(s->tables.size(), 2u);
  EXPECT_EQ(s->tables[1].schema, "s");
  EXPECT_EQ(s->tables[1].name, "b");
}

TEST(ParserAlterTable, AddColumn) {
  auto s = ParseAs<AlterTableStmt>("ALTER TABLE t ADD COLUMN c text NOT NULL DEFAULT 'x'",
                                   StatementKind::kAlterTable);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->commands.size(), 1u);
  const AlterTableCommand& c = s->commands[0];
  EXPECT_EQ(c.action, AlterTableAction::kAddColumn);
  ASSERT_TRUE(c.column);
  EXPECT_EQ(c.column->name, "c");
  EXPECT_TRUE(c.column->not_null);
  ASSERT_TRUE(c.column->default_value);
}

TEST(ParserAlterTable, DropColumn) {
  auto s =
      ParseAs<AlterTableStmt>("ALTER TABLE t DROP COLUMN IF EXISTS c", StatementKind::kAlterTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->commands[0].action, AlterTableAction::kDropColumn);
  EXPECT_EQ(s->commands[0].column_name, "c");
  EXPECT_TRUE(s->commands[0].if_exists);
}

TEST(ParserAlterTable, RenameColumn) {
  auto s =
      ParseAs<AlterTableStmt>("ALTER TABLE s.t RENAME COLUMN a TO b", StatementKind::kAlterTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.schema, "s");
  EXPECT_EQ(s->commands[0].action, AlterTableAction::kRenameColumn);
  EXPECT_EQ(s->commands[0].column_name, "a");
  EXPECT_EQ(s->commands[0].new_name, "b");
}

TEST(ParserAlterTable, DefaultsAndNotNull) {
  auto s = ParseAs<AlterTableStmt>(
      "ALTER TABLE t ALTER COLUMN a SET DEFAULT 1, ALTER COLUMN b DROP DEFAULT, "
      "ALTER COLUMN c SET NOT NULL, ALTER COLUMN d DROP NOT NULL",
      StatementKind::kAlterTable);
  ASSERT_TRUE(s);
  ASSERT_EQ(s->commands.size(), 4u);
  EXPECT_EQ(s->commands[0].action, AlterTableAction::kSetDefault);
  ASSERT_TRUE(s->commands[0].default_value);
  EXPECT_EQ(s->commands[1].action, AlterTableAction::kDropDefault);
  EXPECT_EQ(s->commands[2].action, AlterTableAction::kSetNotNull);
  EXPECT_EQ(s->commands[3].action, AlterTableAction::kDropNotNull);
  EXPECT_EQ(s->commands[3].column_name, "d");
}

TEST(ParserAlterTable, ColumnTypeChangeUnsupported) {
  auto st = testing::ParseError("ALTER TABLE t ALTER COLUMN a TYPE bigint");
  EXPECT_EQ(st.code(), ErrorCode::kFeatureNotSupported);
}

TEST(ParserSchema, CreateAndDrop) {
  auto c =
      ParseAs<CreateSchemaStmt>("CREATE SCHEMA IF NOT EXISTS chat", StatementKind::kCreateSchema);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "chat");
  EXPECT_TRUE(c->if_not_exists);
  auto d = ParseAs<DropSchemaStmt>("DROP SCHEMA chat CASCADE", StatementKind::kDropSchema);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->names, std::vector<std::string>{"chat"});
  EXPECT_TRUE(d->cascade);
  EXPECT_FALSE(d->if_exists);
}

TEST(ParserUtility, Transactions) {
  auto b = ParseAs<TransactionStmt>("BEGIN", StatementKind::kTransaction);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->action, TransactionAction::kBegin);
  auto st = ParseAs<TransactionStmt>("START TRANSACTION", StatementKind::kTransaction);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->action, TransactionAction::kBegin);
  auto c = ParseAs<TransactionStmt>("COMMIT", StatementKind::kTransaction);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->action, TransactionAction::kCommit);
  auto r = ParseAs<TransactionStmt>("ROLLBACK", StatementKind::kTransaction);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, TransactionAction::kRollback);
  EXPECT_EQ(testing::ParseError("SAVEPOINT x").code(), ErrorCode::kFeatureNotSupported);
}

// The modes BEGIN and SET TRANSACTION name are kept, so the engine can refuse an
// isolation level it does not run and enforce READ ONLY.
TEST(ParserUtility, TransactionModes) {
  auto b = ParseAs<TransactionStmt>("BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE",
                                    StatementKind::kTransaction);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->action, TransactionAction::kBegin);
  EXPECT_EQ(b->modes.isolation, "serializable");
  EXPECT_EQ(b->modes.read_only, true);
  EXPECT_EQ(b->ToString(), "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY");
  auto plain = ParseAs<TransactionStmt>("START TRANSACTION", StatementKind::kTransaction);
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->modes.isolation.has_value());
  EXPECT_FALSE(plain->modes.read_only.has_value());
  auto set = ParseAs<TransactionStmt>("SET TRANSACTION READ WRITE", StatementKind::kTransaction);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->action, TransactionAction::kSetTransaction);
  EXPECT_EQ(set->modes.read_only, false);
  auto session = ParseAs<TransactionStmt>(
      "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
      "REPEATABLE READ",
      StatementKind::kTransaction);
  ASSERT_TRUE(session);
  EXPECT_EQ(session->action, TransactionAction::kSetSession);
  EXPECT_EQ(session->modes.isolation, "repeatable read");
}

TEST(ParserUtility, Explain) {
  auto e = ParseAs<ExplainStmt>("EXPLAIN SELECT * FROM t", StatementKind::kExplain);
  ASSERT_TRUE(e);
  ASSERT_TRUE(e->statement);
  EXPECT_EQ(e->statement->kind, StatementKind::kSelect);
  EXPECT_FALSE(e->analyze);
  auto a = ParseAs<ExplainStmt>("EXPLAIN ANALYZE DELETE FROM t", StatementKind::kExplain);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->analyze);
  EXPECT_EQ(a->statement->kind, StatementKind::kDelete);
}

TEST(ParserUtility, PrepareExecute) {
  auto p = ParseAs<PrepareStmt>("PREPARE q (int8, text) AS SELECT * FROM t WHERE a = $1",
                                StatementKind::kPrepare);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "q");
  ASSERT_EQ(p->parameter_types.size(), 2u);
  EXPECT_EQ(p->parameter_types[0].data_type, DataType::kBigInt);
  ASSERT_TRUE(p->statement);
  auto e = ParseAs<ExecuteStmt>("EXECUTE q (1, 'x')", StatementKind::kExecute);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->parameters.size(), 2u);
}

TEST(ParserUtility, SetAndReset) {
  auto s = ParseAs<SetVariableStmt>("SET extra_float_digits = 3", StatementKind::kSetVariable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "extra_float_digits");
  EXPECT_EQ(s->values, std::vector<std::string>{"3"});
  EXPECT_FALSE(s->reset);
  auto app =
      ParseAs<SetVariableStmt>("SET LOCAL application_name TO 'psql'", StatementKind::kSetVariable);
  ASSERT_TRUE(app);
  EXPECT_TRUE(app->is_local);
  EXPECT_EQ(app->values, std::vector<std::string>{"psql"});
  auto path =
      ParseAs<SetVariableStmt>("SET search_path TO chat, public", StatementKind::kSetVariable);
  ASSERT_TRUE(path);
  EXPECT_EQ(path->values, (std::vector<std::string>{"chat", "public"}));
  auto reset = ParseAs<SetVariableStmt>("RESET ALL", StatementKind::kSetVariable);
  ASSERT_TRUE(reset);
  EXPECT_TRUE(reset->reset);
  EXPECT_EQ(reset->name, "all");
  auto def = ParseAs<SetVariableStmt>("SET DateStyle TO DEFAULT", StatementKind::kSetVariable);
  ASSERT_TRUE(def);
  EXPECT_TRUE(def->reset);
  EXPECT_EQ(def->name, "datestyle");
}

}  // namespace
}  // namespace tenantdb::sql
