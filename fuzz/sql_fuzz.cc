// libFuzzer target: SQL text from a client. Parses it (tokenizer, tenantdb's own
// statements, libpg_query and the converter to tenantdb's AST), prints every statement
// back, and binds what binds without running (SELECT, and the WHERE / SET / RETURNING
// expressions of UPDATE and DELETE) against a small fixed database opened once in a
// temporary directory. Nothing is executed, so no input changes what the next one sees.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "sql/parser/parser.h"
#include "sql/planner/binder.h"
#include "tables/request_context.h"

namespace tenantdb {
namespace {

// The database every input binds against: a USER, a SHARED and a STREAM table with most
// column types, in `default` and in another namespace.
constexpr std::string_view kSetup = R"sql(
CREATE NAMESPACE app;
CREATE TABLE t (a INT PRIMARY KEY, b TEXT, c DOUBLE PRECISION, d BOOLEAN,
  e TIMESTAMP DEFAULT NOW(), f DATE, g BIGINT, h SMALLINT, i REAL, j BYTEA, k UUID,
  l JSON, m TIMESTAMPTZ) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC');
CREATE TABLE app.messages (id BIGINT PRIMARY KEY DEFAULT SNOWFLAKE_ID(), thread_id TEXT NOT NULL,
  content TEXT, created_at TIMESTAMP DEFAULT NOW()) WITH (TYPE = 'USER');
CREATE TABLE app.events (id BIGINT PRIMARY KEY, kind TEXT, payload JSON)
  WITH (TYPE = 'STREAM', TTL_SECONDS = 60);
)sql";

struct Fixture {
  std::string directory;
  std::unique_ptr<Engine> db;
  std::optional<UserId> user;

  Fixture() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sql_fuzz.XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    directory = tmpl;
    Engine::Options options;
    options.background_jobs = false;
    auto opened = Engine::Open(directory, options);
    if (!opened.ok()) std::abort();
    db = std::move(*opened);
    EngineSession root(db.get(), UserId::Make("root").value(), Role::kSystem);
    auto setup = root.ExecuteScript(kSetup);
    if (!setup.ok()) {
      std::fprintf(stderr, "sql_fuzz setup failed: %s\n", setup.status().ToString().c_str());
      std::abort();
    }
    user = UserId::Make("alice").value();
  }
  ~Fixture() {
    db.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
};

Fixture& TheFixture() {
  static Fixture fixture;
  return fixture;
}

void BindUpdateOrDelete(sql::Binder& binder, const sql::TableName& name, const std::string& alias,
                        const sql::Expr* where, const std::vector<sql::Assignment>* assignments) {
  auto table = binder.ResolveTable(name);
  if (!table.ok()) return;
  const std::vector<sql::OutputColumn> columns = sql::Binder::TableColumns(**table, alias);
  if (where != nullptr) (void)binder.BindRowExpr(*where, columns);
  if (assignments == nullptr) return;
  for (const sql::Assignment& a : *assignments) {
    if (a.value == nullptr) continue;
    std::optional<size_t> field = (*table)->schema()->FieldIndex(a.column);
    if (!field) continue;
    (void)binder.BindAssigned(*a.value, columns, (*table)->schema()->field(*field));
  }
}

void Bind(const sql::Statement& stmt, const sql::BindContext& context) {
  using K = sql::StatementKind;
  sql::Binder binder(context);
  switch (stmt.kind) {
    case K::kSelect:
      (void)binder.BindQuery(static_cast<const sql::SelectStmt&>(stmt));
      break;
    case K::kUpdate: {
      const auto& update = static_cast<const sql::UpdateStmt&>(stmt);
      BindUpdateOrDelete(binder, update.table, update.alias, update.where.get(),
                         &update.assignments);
      break;
    }
    case K::kDelete: {
      const auto& del = static_cast<const sql::DeleteStmt&>(stmt);
      BindUpdateOrDelete(binder, del.table, del.alias, del.where.get(), nullptr);
      break;
    }
    case K::kExplain:
      if (const auto& inner = static_cast<const sql::ExplainStmt&>(stmt).statement) {
        Bind(*inner, context);
      }
      break;
    case K::kPrepare:
      if (const auto& inner = static_cast<const sql::PrepareStmt&>(stmt).statement) {
        Bind(*inner, context);
      }
      break;
    case K::kExecuteAsUser:
      if (const auto& inner = static_cast<const sql::ExecuteAsUserStmt&>(stmt).statement) {
        Bind(*inner, context);
      }
      break;
    default:
      break;
  }
}

}  // namespace
}  // namespace tenantdb

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  Fixture& fixture = TheFixture();
  std::string_view sql(reinterpret_cast<const char*>(data), size);
  auto parsed = sql::Parse(sql);
  if (!parsed.ok()) return 0;
  for (const sql::StatementPtr& stmt : *parsed) {
    (void)stmt->ToString();
    RequestContext request;
    request.user = &*fixture.user;
    request.role = Role::kUser;
    request.store = &fixture.db->tables();
    request.system = &fixture.db->system_sources();
    std::vector<std::optional<DataType>> parameter_types;
    sql::BindContext bind;
    bind.cache = &fixture.db->cache();
    bind.current_user = fixture.user->str();
    bind.request = &request;
    bind.parameter_types = &parameter_types;
    Bind(*stmt, bind);
  }
  return 0;
}
