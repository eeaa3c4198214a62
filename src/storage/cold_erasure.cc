#include "storage/cold_erasure.h"

#include <filesystem>

#include "catalog/storage_registry.h"
#include "storage/cold/batch_file.h"
#include "storage/table_store.h"

namespace tenantdb {

Result<size_t> EraseColdDirectory(const std::string& base, const std::string& directory,
                                  uint32_t table_number, const Manifest& manifest) {
  size_t removed = 0;
  std::error_code ec;
  for (const ManifestFile& f : manifest.files) {
    if (std::filesystem::remove(directory + "/" + f.file_name, ec)) ++removed;
    if (ec) {
      return Status(ErrorCode::kIoError,
                    "cannot remove " + directory + "/" + f.file_name + ": " + ec.message());
    }
  }
  TDB_ASSIGN_OR_RETURN(size_t unlisted, RemoveUnlistedFiles(directory, table_number, {}));
  removed += unlisted;
  if (removed > 0 && std::filesystem::exists(directory, ec)) {
    TDB_RETURN_IF_ERROR(SyncDirectory(directory));
  }
  TDB_RETURN_IF_ERROR(RemoveEmptyDirectories(directory, base));
  return removed;
}

Result<ErasureStats> TableStore::EraseDropped(const StorageRegistry& storages) {
  ErasureStats stats;
  TDB_ASSIGN_OR_RETURN(std::vector<PendingErasure> pending, catalog_->ListPendingErasures());
  for (const PendingErasure& erasure : pending) {
    const uint32_t number = erasure.table_number;
    std::lock_guard<std::mutex> serialize(FlushMutex(number));
    TDB_ASSIGN_OR_RETURN(const StorageInfo* storage, storages.Get(erasure.storage_id));
    const PathTemplate& path = storage->TemplateFor(erasure.type);
    // 1. Every directory a manifest names (a SHARED table's is the empty user).
    TDB_ASSIGN_OR_RETURN(std::vector<UserId> users, catalog_->ListManifestUsers(number));
    for (const UserId& user : users) {
      const UserId* owner = user.empty() ? nullptr : &user;
      TDB_ASSIGN_OR_RETURN(std::string relative, path.Resolve(erasure.id, owner, std::nullopt));
      const std::string dir = storage->base_directory + "/" + relative;
      TDB_ASSIGN_OR_RETURN(Manifest manifest, catalog_->ReadManifest(number, user));
      TDB_ASSIGN_OR_RETURN(size_t files,
                           EraseColdDirectory(storage->base_directory, dir, number, manifest));
      const Status deleted = catalog_->DeleteManifest(number, user);
      ManifestChanged(number, owner);
      TDB_RETURN_IF_ERROR(deleted);
      stats.directories += 1;
      stats.files += files;
    }
    // 2. Hot rows a crash between the DROP and its range delete left behind.
    TDB_RETURN_IF_ERROR(hot_->DropTable(number));
    // 3. Done: forget it.
    TDB_RETURN_IF_ERROR(catalog_->FinishErasure(number));
    statistics_->Forget(number);  // ANALYZE's figures (the catalog record went with the DROP)
    stats.tables += 1;
  }
  return stats;
}

}  // namespace tenantdb
