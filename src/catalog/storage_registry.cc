#include "catalog/storage_registry.h"

#include <cstdlib>

namespace tenantdb {

StorageRegistry::StorageRegistry(std::string local_base_directory) {
  auto local = Add(*StorageId::Make(kLocalStorage), std::move(local_base_directory),
                   kDefaultUserTemplate, kDefaultSharedTemplate);
  if (!local.ok()) std::abort();  // the built-in templates are constants
  local_ = *local;
}

Result<const StorageInfo*> StorageRegistry::Add(const StorageId& id, std::string base_directory,
                                                std::string_view user_template,
                                                std::string_view shared_template) {
  if (base_directory.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "storage '" + std::string(id.str()) + "' needs a base directory");
  }
  TDB_ASSIGN_OR_RETURN(PathTemplate user, PathTemplate::Parse(user_template));
  TDB_ASSIGN_OR_RETURN(PathTemplate shared, PathTemplate::Parse(shared_template));
  if (!user.has_user()) {
    return Status(ErrorCode::kInvalidPathTemplate,
                  "user table template '" + user.text() +
                      "' must contain {userId}, or every user's files would share one directory");
  }
  if (shared.has_user()) {
    return Status(ErrorCode::kInvalidPathTemplate,
                  "shared table template '" + shared.text() +
                      "' must not contain {userId}: shared tables have no user");
  }
  auto info = std::make_unique<const StorageInfo>(
      StorageInfo{id, std::move(base_directory), std::move(user), std::move(shared)});
  std::lock_guard<std::mutex> lock(mu_);
  if (by_id_.contains(id)) {
    return Status(ErrorCode::kAlreadyExists,
                  "storage '" + std::string(id.str()) + "' already exists");
  }
  // Storages live as long as the registry and every table entry names one: stop
  // counting references to the id so copying it costs no shared write.
  info->id.MakeImmortal();
  const StorageInfo* raw = info.get();
  all_.push_back(std::move(info));
  by_id_.emplace(id, raw);
  return raw;
}

Result<const StorageInfo*> StorageRegistry::Get(const StorageId& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    return Status(ErrorCode::kNotFound, "storage '" + std::string(id.str()) + "' does not exist");
  }
  return it->second;
}

std::vector<const StorageInfo*> StorageRegistry::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<const StorageInfo*> out;
  for (const auto& info : all_)
    out.push_back(info.get());
  return out;
}

}  // namespace tenantdb
