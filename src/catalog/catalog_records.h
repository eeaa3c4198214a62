// The plain records the persistent catalog stores besides table definitions: namespaces,
// storages, flush manifests, users, and the per-table record that points at the current
// schema version.
//
// These are values: PersistentCatalog (persistent_catalog.h) returns them and
// catalog_codec.h turns them into bytes and back. They own no resources.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "catalog/table_options.h"
#include "ids/identifier.h"
#include "ids/table_id.h"
#include "tenantdb/role.h"
#include "types/data_type.h"

namespace tenantdb {

// Free-form key/value options of a namespace (kept in the order given).
using NamespaceOptions = std::vector<std::pair<std::string, std::string>>;

struct NamespaceInfo {
  NamespaceId id;
  int64_t created_us = 0;  // microseconds since 1970-01-01 UTC
  NamespaceOptions options;
};

// The table record: everything about a table except its columns, which live in one
// schema-version record per version. `schema_version` names the current one.
struct TableRecord {
  uint32_t table_number = 0;
  TableType type = TableType::kShared;
  AccessLevel access_level = AccessLevel::kPublic;
  uint32_t schema_version = 1;
  StorageId storage_id;
  FlushPolicy flush_policy;
  uint32_t ttl_seconds = 0;
  int64_t created_us = 0;
};

// A storage as CREATE STORAGE declared it (StorageRegistry holds the compiled form).
struct StorageSpec {
  StorageId id;
  std::string base_directory;
  std::string user_template;
  std::string shared_template;

  friend bool operator==(const StorageSpec&, const StorageSpec&) = default;
};

// One Parquet file of a table (of one user, for USER tables) that a flush wrote.
struct ManifestFile {
  uint64_t batch_number = 0;  // the <n> of batch-<n>.parquet; unique per (table, user)
  std::string file_name;      // relative to the table's resolved storage directory
  uint64_t row_count = 0;
  // Smallest and largest encoded primary key in the file (for pruning), and the range of
  // write sequence numbers it holds (for newest-wins merging).
  std::string min_key;
  std::string max_key;
  uint64_t min_seq = 0;
  uint64_t max_seq = 0;
  int64_t created_us = 0;

  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

// A dropped table whose cold files are still on disk. DROP writes it in the same batch that
// removes the table, and keeps the table's manifests: they name the directories (users)
// that hold its files. The erasure job (storage/cold_erasure.cc) deletes the files, then
// each manifest, then this record; until then a restart resumes where it stopped.
struct PendingErasure {
  uint32_t table_number = 0;
  TableId id;  // the dropped table's name, to resolve its storage's path template
  TableType type = TableType::kShared;
  StorageId storage_id;

  friend bool operator==(const PendingErasure&, const PendingErasure&) = default;
};

// The files of one (table, user) in batch-number order, and the number the next flush
// must use. Batch numbers are never reused, even after a file is removed.
struct Manifest {
  // Whether a flush ever claimed the manifest (PersistentCatalog::HasManifest).
  bool claimed = false;
  uint64_t next_batch_number = 1;
  std::vector<ManifestFile> files;
};

// A user as the catalog stores it (the id is the key). Records written before passwords
// existed hold only the role and read with credentials_version 0, created_us 0 and no
// password. password_hash is the argon2id PHC string (password_hash.h), then, for
// passwords set since the PostgreSQL protocol, a space and the SCRAM-SHA-256 verifier
// (scram_verifier.h); engine/accounts.cc splits it.
struct UserRecord {
  Role role = Role::kUser;
  // Advanced (from one catalog-wide counter, so it never repeats for a user, even
  // across DROP USER and CREATE USER of the same name) by every password or role change.
  uint64_t credentials_version = 0;
  int64_t created_us = 0;     // microseconds since 1970-01-01 UTC
  std::string password_hash;  // see above; empty: none

  friend bool operator==(const UserRecord&, const UserRecord&) = default;
};

// A view (CREATE VIEW): a named query, bound again wherever it is read, as the reading
// session (so a view over a USER table shows the reader's own rows). Views share the
// table name space: a namespace never holds a table and a view of one name.
struct ViewRecord {
  std::string query;           // canonical SELECT text (sql::SelectStmt::ToString)
  std::string base_namespace;  // where the query's unqualified table names resolve
  // The output columns at CREATE (or the last REPLACE): names after the view's column
  // list, types as bound then. CREATE OR REPLACE may only add columns after these.
  std::vector<std::pair<std::string, DataType>> columns;
  // The tables and views the query reads, as "namespace.name" (DROP refuses to remove
  // them while the view exists, unless CASCADE).
  std::vector<std::string> depends_on;
  int64_t created_us = 0;  // microseconds since 1970-01-01 UTC

  friend bool operator==(const ViewRecord&, const ViewRecord&) = default;
};

// A secondary index (CREATE INDEX), keyed by namespace and index name (index names are
// unique in their namespace, as PostgreSQL's relation names are). Its entries live in
// the rows family under `index_number` (storage/hot/hot_index.h), a number taken from
// the table-number counter so no table ever shares it.
struct IndexRecord {
  std::string table;  // the indexed table's name, in the index's namespace
  uint32_t table_number = 0;
  uint32_t index_number = 0;
  bool unique = false;
  // The index of a UNIQUE constraint (CREATE TABLE ... UNIQUE): named like the
  // constraint, listed as one, and dropped only with its table (DROP INDEX refuses it,
  // as PostgreSQL does). Always unique.
  bool constraint = false;
  // False while CREATE INDEX builds it; an index found unbuilt at open is what a crash
  // during its build left, and is dropped (as PostgreSQL rolls the CREATE INDEX back).
  bool ready = false;
  std::vector<uint32_t> column_ids;  // Field::id of the indexed columns, in order
  int64_t created_us = 0;

  friend bool operator==(const IndexRecord&, const IndexRecord&) = default;
};

// A CHECK constraint of a table. A table's checks are one catalog record (kind 0x0F,
// keyed by table number) apart from its definition, so a table without checks stores and
// caches nothing for them.
struct CheckConstraint {
  std::string name;  // unique among the table's constraints
  // The condition as canonical SQL (sql::Expr::ToString), over the table's column names.
  std::string expr;
  std::vector<uint32_t> column_ids;  // Field::id of the columns it reads (DROP COLUMN)

  friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

}  // namespace tenantdb
