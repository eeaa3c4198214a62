// StorageRegistry: the storages tables write their cold files to.
//
// A storage is a base directory plus two path templates, one for tables with a user part
// (USER, STREAM) and one for SHARED tables. Every database has the storage `local`
// (base `<data dir>/storage`, templates "{namespace}/{tableName}/{userId}" and
// "{namespace}/{tableName}"); CREATE STORAGE adds more.
//
// Ownership: a StorageInfo, once added, lives as long as the registry — even if the
// storage is later dropped — so catalog cache entries can point at it with a raw pointer
// (8 bytes instead of a shared_ptr's 16). Storages are few; keeping them is cheap. The
// registry must outlive every SchemaCache entry that refers to it.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "catalog/path_template.h"
#include "catalog/table_options.h"
#include "common/status.h"
#include "ids/identifier.h"

namespace tenantdb {

struct StorageInfo {
  StorageId id;
  std::string base_directory;
  PathTemplate user_tables_template;    // must contain {userId}
  PathTemplate shared_tables_template;  // must not contain {userId}

  // The template for tables of `type`.
  const PathTemplate& TemplateFor(TableType type) const {
    return IsPerUser(type) ? user_tables_template : shared_tables_template;
  }
};

class StorageRegistry {
 public:
  static constexpr std::string_view kLocalStorage = "local";
  static constexpr std::string_view kDefaultUserTemplate = "{namespace}/{tableName}/{userId}";
  static constexpr std::string_view kDefaultSharedTemplate = "{namespace}/{tableName}";

  // Creates the registry with the `local` storage rooted at `local_base_directory`.
  explicit StorageRegistry(std::string local_base_directory);

  // Validates and adds a storage. Errors: already_exists, invalid_path_template
  // (unparsable, user template without {userId}, shared template with it),
  // invalid_argument (empty base directory).
  Result<const StorageInfo*> Add(const StorageId& id, std::string base_directory,
                                 std::string_view user_template, std::string_view shared_template);

  // The storage called `id`. Error: not_found.
  Result<const StorageInfo*> Get(const StorageId& id) const;
  const StorageInfo* local() const { return local_; }
  std::vector<const StorageInfo*> List() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<const StorageInfo>> all_;  // never shrinks (see above)
  absl::flat_hash_map<StorageId, const StorageInfo*> by_id_;
  const StorageInfo* local_ = nullptr;
};

}  // namespace tenantdb
