// Database's change-log methods (include/tenantdb/changes.h) over the engine's ChangeFeed.
#include "engine/public_impl.h"

namespace tenantdb {

Result<ChangeReadResult> Database::ReadChanges(std::string_view ns, std::string_view table,
                                               std::string_view user, uint64_t after_seq,
                                               size_t max_changes) {
  return impl_->engine->change_feed().Read(ns, table, user, after_seq, max_changes);
}

ChangeListenerHandle Database::AddChangeListener(ChangeListener listener) {
  return impl_->engine->change_feed().AddListener(std::move(listener));
}

}  // namespace tenantdb
