#include "engine/change_feed.h"

namespace tenantdb {

Result<ChangeReadResult> ChangeFeed::Read(std::string_view ns, std::string_view table,
                                          std::string_view user, uint64_t after_seq,
                                          size_t max_changes) {
  TDB_ASSIGN_OR_RETURN(TableEntryRef entry, cache_->GetByName(ns, table));
  if (entry->type() == TableType::kSystem) {
    return Status(ErrorCode::kInvalidArgument, "SYSTEM tables have no change log");
  }
  TDB_ASSIGN_OR_RETURN(HotTable hot, tables_->HotTableFor(*entry));
  std::optional<UserId> id;
  if (!user.empty()) {
    TDB_ASSIGN_OR_RETURN(id, UserId::Make(user));
  }
  return tables_->changes().Read(hot, id ? &*id : nullptr, after_seq, max_changes);
}

std::optional<TableId> ChangeFeed::NamesOf(uint32_t table_number) {
  {
    std::lock_guard<std::mutex> lock(names_mu_);
    auto it = names_.find(table_number);
    if (it != names_.end()) return it->second;
  }
  auto id = catalog_->FindTableByNumber(table_number);
  if (!id.ok()) return std::nullopt;  // dropped since the commit
  std::lock_guard<std::mutex> lock(names_mu_);
  // Bounded: tables with recent commits are few next to the catalog; start over rather
  // than track recency.
  if (names_.size() >= 65536) names_.clear();
  names_.emplace(table_number, *id);
  return *id;
}

void ChangeFeed::Deliver(const ChangeListener& listener, const CommittedChanges& changes) {
  std::optional<TableId> id = NamesOf(changes.table_number);
  if (!id.has_value()) return;
  ChangeEvent event;
  event.ns = std::string(id->ns().str());
  event.table = std::string(id->table().str());
  event.user = changes.user;
  event.changes = changes.changes;
  listener(event);
}

ChangeListenerHandle ChangeFeed::AddListener(ChangeListener listener) {
  ChangeLog* log = &tables_->changes();
  const uint64_t id =
      log->AddListener([this, listener = std::move(listener)](const CommittedChanges& changes) {
        Deliver(listener, changes);
      });
  return ChangeListenerHandle([log, id] { log->RemoveListener(id); });
}

}  // namespace tenantdb
