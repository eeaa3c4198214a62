// Database's durability calls and Session::DeferCommitSync (include/tenantdb/database.h,
// session.h): the engine's KvStore and its WAL syncer (kv/wal_syncer.h) do the work.
#include "engine/public_impl.h"

namespace tenantdb {

uint64_t Database::WritePosition() const {
  return impl_->engine->kv().WritePosition();
}

bool Database::IsDurable(uint64_t position) const {
  return impl_->engine->kv().IsDurable(position);
}

void Database::WhenDurable(uint64_t position, std::function<void(const Status&)> done) {
  impl_->engine->kv().WhenDurable(position, std::move(done));
}

Status Database::DurabilityFailure() const {
  return impl_->engine->kv().DurabilityFailure();
}

Status Database::WaitUntilDurable(uint64_t position) {
  return impl_->engine->kv().WaitUntilDurable(position);
}

void Database::DrainDurabilityCallbacks() {
  impl_->engine->kv().DrainDurabilityCallbacks();
}

void Session::DeferCommitSync(bool defer) {
  impl_->session.DeferCommitSync(defer);
}

}  // namespace tenantdb
