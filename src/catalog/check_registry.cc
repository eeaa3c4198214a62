#include "catalog/check_registry.h"

#include <mutex>

namespace tenantdb {

CheckList CheckRegistry::Get(uint32_t table_number) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = tables_.find(table_number);
  return it == tables_.end() ? nullptr : it->second;
}

void CheckRegistry::Put(uint32_t table_number, std::vector<CheckConstraint> checks) {
  if (checks.empty()) return Remove(table_number);
  auto list = std::make_shared<const std::vector<CheckConstraint>>(std::move(checks));
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_[table_number] = std::move(list);
}

void CheckRegistry::Remove(uint32_t table_number) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  tables_.erase(table_number);
}

size_t CheckRegistry::size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return tables_.size();
}

}  // namespace tenantdb
