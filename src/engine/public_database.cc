// Database (include/tenantdb/database.h) over an Engine.
#include "catalog/role.h"
#include "engine/public_impl.h"

namespace tenantdb {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& directory,
                                                 const Options& options) {
  if (directory.empty()) {
    return Status(ErrorCode::kInvalidArgument, "the database directory name is empty");
  }
  Engine::Options engine;
  engine.cache_capacity = options.cache_capacity;
  engine.background_jobs = options.background_jobs;
  engine.user_cache_bytes = options.user_cache_bytes;
  engine.user_cache_max_earned_rows = options.user_cache_max_earned_rows;
  engine.compact_after_files = options.compact_after_files;
  engine.kv.block_cache_bytes = options.catalog_block_cache_bytes;
  engine.kv.rows_block_cache_bytes = options.rows_block_cache_bytes;
  engine.kv.sync_writes = options.sync_writes;
  engine.kv.read_only = options.read_only;
  if (options.statement_mem != 0) engine.statement_mem = options.statement_mem;
  if (options.global_mem != Database::Options::kDefaultMemory)
    engine.global_mem = options.global_mem;
  engine.statement_timeout = std::chrono::milliseconds(options.statement_timeout_ms);
  engine.min_password_length = options.min_password_length;
  engine.changes.retention_seconds = options.change_retention_seconds;
  engine.changes.retention_count = options.change_retention_count;
  if (options.clock != nullptr) engine.clock = options.clock;
  auto impl = std::make_unique<Impl>();
  TDB_ASSIGN_OR_RETURN(impl->engine, Engine::Open(directory, std::move(engine)));
  return std::make_unique<Database>(std::move(impl));
}

Result<std::unique_ptr<Session>> Database::Connect(std::string_view user, Role role) {
  TDB_ASSIGN_OR_RETURN(UserId id, UserId::Make(user));
  if (std::optional<Role> builtin = BuiltinUserRole(id.str()); builtin && *builtin != role) {
    return Status(ErrorCode::kInvalidArgument, "user '" + std::string(user) + "' always has role " +
                                                   std::string(RoleName(*builtin)) +
                                                   "; connect with that role");
  }
  return std::make_unique<Session>(
      std::make_unique<Session::Impl>(impl_->engine.get(), std::move(id), role));
}

const std::string& Database::directory() const {
  return impl_->engine->directory();
}

bool Database::read_only() const {
  return impl_->engine->read_only();
}

// ---- accounts (engine/accounts.h does the work) ----

Result<Account> Database::Authenticate(std::string_view user, std::string_view password) {
  return impl_->engine->accounts().Authenticate(user, password);
}

uint64_t Database::AccountsGeneration() const {
  return impl_->engine->accounts().Generation();
}

Result<std::optional<Account>> Database::FindAccount(std::string_view user) {
  return impl_->engine->accounts().Find(user);
}

Result<std::optional<ScramCredentials>> Database::FindScramCredentials(std::string_view user) {
  return impl_->engine->accounts().FindScram(user);
}

Status Database::SetPassword(std::string_view user, std::string_view password) {
  return impl_->engine->accounts().SetPassword(user, password);
}

Status Database::RevokeToken(std::string_view token_id, int64_t expires_at_unix_s) {
  return impl_->engine->accounts().RevokeToken(token_id, expires_at_unix_s);
}

Result<bool> Database::IsTokenRevoked(std::string_view token_id) {
  return impl_->engine->accounts().IsTokenRevoked(token_id);
}

}  // namespace tenantdb
