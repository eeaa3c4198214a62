// tenantdb's own statements, parsed ahead of libpg_query.
#include <gtest/gtest.h>

#include "parser_test_util.h"

namespace tenantdb::sql {
namespace {

using testing::ParseAs;
using testing::ParseError;

TEST(ParserTenant, CreateNamespaceIsCreateSchema) {
  auto s = ParseAs<CreateSchemaStmt>("CREATE NAMESPACE chat", StatementKind::kCreateSchema);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "chat");
  EXPECT_FALSE(s->if_not_exists);
  auto i = ParseAs<CreateSchemaStmt>("create namespace if not exists \"Chat\"",
                                     StatementKind::kCreateSchema);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->name, "Chat");
  EXPECT_TRUE(i->if_not_exists);
}

TEST(ParserTenant, DropNamespace) {
  auto s =
      ParseAs<DropSchemaStmt>("DROP NAMESPACE IF EXISTS chat CASCADE", StatementKind::kDropSchema);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->if_exists);
  EXPECT_TRUE(s->cascade);
  EXPECT_EQ(s->names, std::vector<std::string>{"chat"});
  auto plain = ParseAs<DropSchemaStmt>("DROP NAMESPACE a, b", StatementKind::kDropSchema);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->names.size(), 2u);
  EXPECT_FALSE(plain->cascade);
}

TEST(ParserTenant, Use) {
  auto s = ParseAs<UseStmt>("USE chat", StatementKind::kUse);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->namespace_name, "chat");
  // `default` is reserved in PostgreSQL but is a namespace name here.
  auto d = ParseAs<UseStmt>("use default", StatementKind::kUse);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->namespace_name, "default");
}

TEST(ParserTenant, CreateUser) {
  auto s = ParseAs<CreateUserStmt>("CREATE USER alice WITH PASSWORD 'pw''1' ROLE service",
                                   StatementKind::kCreateUser);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "alice");
  ASSERT_TRUE(s->password);
  EXPECT_EQ(*s->password, "pw'1");
  EXPECT_EQ(s->role, "service");
  auto r = ParseAs<CreateUserStmt>("create user 'bob' role 'dba'", StatementKind::kCreateUser);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->name, "bob");
  EXPECT_FALSE(r->password);
  EXPECT_EQ(r->role, "dba");
}

TEST(ParserTenant, CreateUserRejectsUnknownOption) {
  Status st = ParseError("CREATE USER alice LOGIN");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(st.message(), "syntax error at or near \"LOGIN\" at position 19");
}

TEST(ParserTenant, AlterUserSetsPasswordOrRole) {
  auto p = ParseAs<AlterUserStmt>("ALTER USER alice SET PASSWORD 'new secret'",
                                  StatementKind::kAlterUser);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "alice");
  ASSERT_TRUE(p->password);
  EXPECT_EQ(*p->password, "new secret");
  EXPECT_EQ(p->role, "");
  auto w = ParseAs<AlterUserStmt>("alter user 'bob' with password 'x'", StatementKind::kAlterUser);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->name, "bob");
  EXPECT_EQ(*w->password, "x");
  auto r = ParseAs<AlterUserStmt>("ALTER USER carol SET ROLE dba", StatementKind::kAlterUser);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->password);
  EXPECT_EQ(r->role, "dba");
  EXPECT_EQ(ParseError("ALTER USER carol").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("ALTER USER carol SET").code(), ErrorCode::kSyntaxError);
}

TEST(ParserTenant, DropUser) {
  auto d = ParseAs<DropUserStmt>("DROP USER alice", StatementKind::kDropUser);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "alice");
  EXPECT_FALSE(d->if_exists);
  auto e = ParseAs<DropUserStmt>("drop user if exists 'bob'", StatementKind::kDropUser);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->name, "bob");
  EXPECT_TRUE(e->if_exists);
  EXPECT_EQ(ParseError("DROP USER alice bob").code(), ErrorCode::kSyntaxError);
}

TEST(ParserTenant, UserStatementsNeverShowThePassword) {
  // Printed statements mask it.
  auto c = ParseAs<CreateUserStmt>("CREATE USER alice PASSWORD 'hunter2secret'",
                                   StatementKind::kCreateUser);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ToString().find("hunter2secret"), std::string::npos) << c->ToString();
  auto a = ParseAs<AlterUserStmt>("ALTER USER alice SET PASSWORD 'hunter2secret'",
                                  StatementKind::kAlterUser);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->ToString().find("hunter2secret"), std::string::npos) << a->ToString();
  // Syntax errors name the position, not the literal.
  for (const char* sql :
       {"CREATE USER alice PASSWORD 'x' PASSWORD 'hunter2secret'",
        "CREATE USER alice PASSWORD 'hunter2secret", "CREATE USER alice PASSWORD \"hunter2secret\"",
        "ALTER USER alice SET PASSWORD 'a' 'hunter2secret'",
        "ALTER USER alice SET PASSWORD 'hunter2secret"}) {
    SCOPED_TRACE(sql);
    Status st = ParseError(sql);
    EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
    EXPECT_EQ(std::string(st.message()).find("hunter2"), std::string::npos) << st.message();
    EXPECT_NE(std::string(st.message()).find("position"), std::string::npos) << st.message();
  }
}

TEST(ParserTenant, CreateUserTableIsNotCreateUser) {
  auto s = ParseAs<CreateTableStmt>("CREATE USER TABLE messages (id bigint PRIMARY KEY)",
                                    StatementKind::kCreateTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table_type, TableType::kUser);
}

TEST(ParserTenant, StorageFlushTable) {
  auto s =
      ParseAs<StorageFlushStmt>("STORAGE FLUSH TABLE chat.messages", StatementKind::kStorageFlush);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.schema, "chat");
  EXPECT_EQ(s->table.name, "messages");
  EXPECT_EQ(s->table.location, 21);
}

TEST(ParserTenant, StorageCompactTable) {
  auto s = ParseAs<StorageCompactStmt>("storage compact table chat.messages",
                                       StatementKind::kStorageCompact);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.schema, "chat");
  EXPECT_EQ(s->table.name, "messages");
  EXPECT_EQ(s->ToString(), "STORAGE COMPACT TABLE chat.messages");
  auto bare =
      ParseAs<StorageCompactStmt>("STORAGE COMPACT TABLE messages", StatementKind::kStorageCompact);
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->table.name, "messages");
}

TEST(ParserTenant, CreateStorage) {
  auto s = ParseAs<CreateStorageStmt>(
      "CREATE STORAGE local BASE_DIRECTORY '/var/db' SHARED_TABLES_TEMPLATE "
      "'{namespace}/{tableName}' "
      "USER_TABLES_TEMPLATE = '{namespace}/{tableName}/{userId}'",
      StatementKind::kCreateStorage);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->storage_id, "local");
  EXPECT_EQ(s->base_directory, "/var/db");
  EXPECT_EQ(s->shared_tables_template, "{namespace}/{tableName}");
  EXPECT_EQ(s->user_tables_template, "{namespace}/{tableName}/{userId}");
}

TEST(ParserTenant, CreateStorageNeedsBaseDirectory) {
  EXPECT_EQ(ParseError("CREATE STORAGE s USER_TABLES_TEMPLATE 'x'").code(),
            ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("CREATE STORAGE s BASE_DIRECTORY 'a' BASE_DIRECTORY 'b'").code(),
            ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("CREATE STORAGE s BASE_DIRECTORY 'a").code(), ErrorCode::kSyntaxError);
}

TEST(ParserTenant, ShowStatements) {
  EXPECT_TRUE(ParseAs<ShowNamespacesStmt>("SHOW NAMESPACES", StatementKind::kShowNamespaces));
  auto all = ParseAs<ShowTablesStmt>("show tables", StatementKind::kShowTables);
  ASSERT_TRUE(all);
  EXPECT_FALSE(all->namespace_name);
  auto in = ParseAs<ShowTablesStmt>("SHOW TABLES IN chat", StatementKind::kShowTables);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->namespace_name, "chat");
}

TEST(ParserTenant, PostgresShowIsAVariable) {
  auto s = ParseAs<ShowVariableStmt>("SHOW search_path", StatementKind::kShowVariable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "search_path");
  auto iso =
      ParseAs<ShowVariableStmt>("SHOW TRANSACTION ISOLATION LEVEL", StatementKind::kShowVariable);
  ASSERT_TRUE(iso);
  EXPECT_EQ(iso->name, "transaction_isolation");
}

TEST(ParserTenant, DescribeTable) {
  auto s =
      ParseAs<DescribeTableStmt>("DESCRIBE TABLE chat.messages", StatementKind::kDescribeTable);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->table.name, "messages");
  auto short_form = ParseAs<DescribeTableStmt>("describe t", StatementKind::kDescribeTable);
  ASSERT_TRUE(short_form);
  EXPECT_EQ(short_form->table.name, "t");
}

TEST(ParserTenant, ExecuteAsUser) {
  auto s = ParseAs<ExecuteAsUserStmt>(
      "EXECUTE AS USER 'alice' (SELECT * FROM chat.messages WHERE x = ')')",
      StatementKind::kExecuteAsUser);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user_id, "alice");
  ASSERT_TRUE(s->statement);
  ASSERT_EQ(s->statement->kind, StatementKind::kSelect);
  auto* select = static_cast<SelectStmt*>(s->statement.get());
  // Locations inside the inner statement are offsets in the whole text.
  EXPECT_EQ(select->location, 26);
  EXPECT_EQ(select->targets[0].expr->location, 33);
}

TEST(ParserTenant, ExecuteAsUserAllowsTrailingSemicolonInside) {
  auto s = ParseAs<ExecuteAsUserStmt>("EXECUTE AS USER 'u1' (INSERT INTO t VALUES (1);)",
                                      StatementKind::kExecuteAsUser);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->statement->kind, StatementKind::kInsert);
}

TEST(ParserTenant, ExecuteAsUserNests) {
  auto s = ParseAs<ExecuteAsUserStmt>("EXECUTE AS USER 'a' (SHOW TABLES IN chat)",
                                      StatementKind::kExecuteAsUser);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->statement->kind, StatementKind::kShowTables);
}

TEST(ParserTenant, ExecuteAsUserErrors) {
  EXPECT_EQ(ParseError("EXECUTE AS USER alice (SELECT 1)").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("EXECUTE AS USER 'a' SELECT 1").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("EXECUTE AS USER 'a' (SELECT 1").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("EXECUTE AS USER 'a' (SELECT 1) x").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("EXECUTE AS USER 'a' ()").code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(ParseError("EXECUTE AS USER 'a' (SELECT 1; SELECT 2)").code(), ErrorCode::kSyntaxError);
  Status inner = ParseError("EXECUTE AS USER 'a' (SELECT * FRM t)");
  EXPECT_EQ(inner.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(inner.message(), "syntax error at or near \"FRM\" at position 31");
}

TEST(ParserTenant, KeywordsInsideStringsDoNotSplit) {
  auto r = Parse("INSERT INTO t VALUES ('USE x; SHOW TABLES'); SHOW TABLES");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0]->kind, StatementKind::kInsert);
  EXPECT_EQ((*r)[1]->kind, StatementKind::kShowTables);
}

TEST(ParserTenant, MixedScript) {
  auto r = Parse(
      "CREATE NAMESPACE chat;\n"
      "USE chat;\n"
      "CREATE USER TABLE messages (id BIGINT PRIMARY KEY, body TEXT);\n"
      "-- a comment; with a semicolon\n"
      "INSERT INTO messages VALUES (1, 'hi');\n"
      "/* block; comment */ STORAGE FLUSH TABLE messages;;\n"
      "SELECT * FROM messages;");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 6u);
  EXPECT_EQ((*r)[0]->kind, StatementKind::kCreateSchema);
  EXPECT_EQ((*r)[1]->kind, StatementKind::kUse);
  EXPECT_EQ((*r)[2]->kind, StatementKind::kCreateTable);
  EXPECT_EQ((*r)[3]->kind, StatementKind::kInsert);
  EXPECT_EQ((*r)[4]->kind, StatementKind::kStorageFlush);
  EXPECT_EQ((*r)[5]->kind, StatementKind::kSelect);
}

TEST(ParserTenant, TenantStatementErrorsCarryPositions) {
  Status st = ParseError("SELECT 1; USE");
  EXPECT_EQ(st.code(), ErrorCode::kSyntaxError);
  EXPECT_EQ(st.message(), "syntax error at end of input at position 14");
  st = ParseError("STORAGE FLUSH t");
  EXPECT_EQ(st.message(), "syntax error at or near \"t\" at position 15");
  st = ParseError("CREATE NAMESPACE a b");
  EXPECT_EQ(st.message(), "syntax error at or near \"b\" at position 20");
}

}  // namespace
}  // namespace tenantdb::sql
