// tenantdb/database.h: an open tenantdb data directory — the entry point of the embedding
// API (public API).
//
//   tenantdb::Database::Options options;
//   auto db = tenantdb::Database::Open("./data", options);
//   if (!db.ok()) { std::cerr << db.status().ToString() << "\n"; return 1; }
//   auto session = (*db)->Connect("root", tenantdb::Role::kSystem);
//
// A data directory holds the catalog, the hot rows (RocksDB) and the cold Parquet files;
// opening creates it when missing, reads nothing until a table is used and needs no
// configuration. One process opens a directory at a time. Close by destroying the
// Database: background jobs stop after the run in progress, then everything closes.
//
// Thread safety: Connect() may be called from any number of threads at once; each
// Session is then used by one thread at a time. Ownership: the caller owns the Database;
// every Session, Cursor and PreparedStatement made from it must be destroyed first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tenantdb/account.h"
#include "tenantdb/changes.h"
#include "tenantdb/clock.h"
#include "tenantdb/role.h"
#include "tenantdb/session.h"
#include "tenantdb/stats.h"
#include "tenantdb/status.h"

namespace tenantdb {

class Database {
 public:
  // What an application may tune; the defaults suit a small server.
  struct Options {
    // Tables whose metadata (definition, schema, provider) stays cached in memory; a
    // miss reloads from the catalog. Raise it when more tables than this are in use.
    size_t cache_capacity = 100'000;
    // Run the background jobs: flush policies (every second), STREAM TTL expiry, erasure of
    // dropped tables' files. Turn off only to drive flushes by hand
    // (STORAGE FLUSH TABLE), e.g. in tests.
    bool background_jobs = true;
    // Bytes of recently read USER-table rows kept in memory; 0 turns the cache off.
    size_t user_cache_bytes = 64 << 20;
    // A user with up to 1,024 rows is cached whole by the first read that scans them. A
    // user with more is cached whole once point reads of their rows have paid for it
    // (about one fill per 16 of their rows read from disk), if they have at most this
    // many rows; a user with more keeps being read from RocksDB (the newest-rows read,
    // ORDER BY the key DESC LIMIT n, is still cached). At most 1,024 makes point reads
    // earn nothing.
    size_t user_cache_max_earned_rows = 65536;
    // RocksDB block caches (upper bounds, filled lazily): the catalog's and the rows'.
    size_t catalog_block_cache_bytes = 32 << 20;
    size_t rows_block_cache_bytes = 128 << 20;
    // Sync the write-ahead log on every commit. Turning it off trades the durability of
    // the last moments before a crash for write speed.
    bool sync_writes = true;
    // A flush leaving more than this many Parquet files in a table's (user's) directory
    // compacts them into one; 0 turns automatic compaction off.
    size_t compact_after_files = 8;
    // Open read-only even when the directory is writable (never creates it). A directory
    // that cannot be written, or whose disk is full, opens read-only anyway.
    bool read_only = false;
    // Memory one statement may hold in what it keeps whole (sort input, hash-aggregate
    // groups, hash-join build sides, DISTINCT sets, results being collected); a statement
    // that would pass it fails with out_of_memory (SQLSTATE 53200) and changes nothing.
    // Sessions override it with `SET statement_mem = '256MB'`. 0: the default, an eighth
    // of physical memory (or of the cgroup limit).
    size_t statement_mem = 0;
    // The same budget across every statement running at once. kDefaultMemory: half of
    // physical memory; 0: no global limit.
    static constexpr size_t kDefaultMemory = static_cast<size_t>(-1);
    size_t global_mem = kDefaultMemory;
    // A statement running longer fails with query_canceled (57014); sessions override it
    // with `SET statement_timeout = '5s'`. 0: no timeout.
    uint64_t statement_timeout_ms = 0;
    // Shortest password CREATE USER, ALTER USER and SetPassword accept, in characters.
    size_t min_password_length = 8;
    // Change log retention (changes.h): records older than this many seconds are trimmed
    // (0: no age limit). Default one day: a client offline longer subscribes afresh.
    uint64_t change_retention_seconds = 24 * 3600;
    // At most this many records are kept per slice (a user of a USER/STREAM table, or a
    // SHARED table); 0: no count limit. The newest record of a slice is always kept.
    uint64_t change_retention_count = 100'000;
    // The clock every timestamp, TTL, id and timeout reads (clock.h); tests freeze or move
    // a ManualClock. Not owned: it must outlive the Database. Never null.
    const Clock* clock = &Clock::System();
  };

  // Opens (creating if needed) the database in `directory`. Errors: object_in_use
  // (another process has it open: the message names it), io_error, disk_full,
  // data_corrupted, invalid_argument (an empty directory name).
  static Result<std::unique_ptr<Database>> Open(const std::string& directory,
                                                const Options& options);
  static Result<std::unique_ptr<Database>> Open(const std::string& directory) {
    return Open(directory, Options());
  }

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens a session whose statements run as `user` with `role`. The embedding
  // application is trusted: nothing is authenticated here (a server authenticates before
  // it connects). The built-in `root` user always has role system. Errors:
  // invalid_identifier / name_too_long (a user id that is not a valid identifier),
  // invalid_argument (a role other than system for `root`). Thread-safe.
  Result<std::unique_ptr<Session>> Connect(std::string_view user, Role role);

  const std::string& directory() const;
  // Whether writes are refused (opened read-only, or the disk filled up): writes then
  // fail with read_only_sql_transaction until the database is reopened.
  bool read_only() const;
  // Caches, flush jobs, statements, memory and RocksDB figures (stats.h). Thread-safe;
  // costs a few RocksDB property reads (microseconds), no I/O.
  DatabaseStats Stats() const;

  // ---- accounts (account.h): what a server authenticates against ----
  // The account of `user` when its password is `password`. Errors: invalid_password
  // (28P01) alike for an unknown user, a user without a password and a wrong password, so
  // a caller learns nothing about which names exist; the check costs one argon2id hash
  // in every case. Thread-safe.
  Result<Account> Authenticate(std::string_view user, std::string_view password);
  // The account of `user`, or nullopt when no such user was created (`root` always
  // exists). Thread-safe; reads the catalog (no hashing).
  Result<std::optional<Account>> FindAccount(std::string_view user);
  // A number that changes whenever any account is created, changed or dropped — by the
  // time that statement returns. A caller that remembers what it concluded from
  // FindAccount may keep it while this number stays the same. Thread-safe; an atomic load.
  uint64_t AccountsGeneration() const;
  // The SCRAM-SHA-256 credentials of `user` (account.h); nullopt when the user does not
  // exist, has no password, or its password was set before these were stored (it must
  // be set again). Thread-safe; reads the catalog (no hashing).
  Result<std::optional<ScramCredentials>> FindScramCredentials(std::string_view user);
  // Sets the password of an existing user (as ALTER USER ... SET PASSWORD does) and
  // advances its credentials_version. Errors: not_found, invalid_password (shorter than
  // Options::min_password_length), read_only_sql_transaction. Thread-safe.
  Status SetPassword(std::string_view user, std::string_view password);
  // Records that the token `token_id` (a JWT's jti) is revoked until `expires_at_unix_s`,
  // durably; entries past their expiry are dropped by a background job. Thread-safe.
  Status RevokeToken(std::string_view token_id, int64_t expires_at_unix_s);
  // Whether RevokeToken recorded `token_id` (and its expiry has not passed). Thread-safe.
  Result<bool> IsTokenRevoked(std::string_view token_id);

  // ---- change log (changes.h): what live queries are built on ----
  // The changes of `user`'s slice of `ns`.`table` (`user` empty for a SHARED table) with
  // a sequence number above `after_seq`, in order, at most `max_changes` (0: 1000); see
  // ChangeReadResult for resync_required and has_more. No access check: the caller
  // decides who may read what. Errors: undefined_table, invalid_identifier,
  // invalid_argument (a SYSTEM table; a user for a SHARED table or none for a USER or
  // STREAM one), data_corrupted, io_error. Thread-safe.
  Result<ChangeReadResult> ReadChanges(std::string_view ns, std::string_view table,
                                       std::string_view user, uint64_t after_seq,
                                       size_t max_changes = 0);
  // Calls `listener` with the changes of every commit (to any table) that starts after
  // this call, once written (see ChangeListener on durability), per slice in sequence order; see
  // ChangeListener for what it may do. The listener stays registered while the handle lives.
  // Thread-safe.
  ChangeListenerHandle AddChangeListener(ChangeListener listener);

  // ---- durability (Session::DeferCommitSync) ----
  // The position of the newest write any reader can see now: a number that only grows.
  // Costs an atomic load. Thread-safe, as are the three below.
  uint64_t WritePosition() const;
  // Whether every write up to `position` is synced to the write-ahead log (always true
  // without Options::sync_writes, or when read-only).
  bool IsDurable(uint64_t position) const;
  // Calls `done` once `position` is durable — inline when it is already — or with the
  // error (io_error) that stopped the log's sync, after which no write can be made
  // durable until the database is reopened. Otherwise `done` runs on the database's
  // syncer thread: it must be quick and must not block (post the real work elsewhere; a
  // non-blocking send() of a reply that was ready is fine, and spares the reply a hop).
  void WhenDurable(uint64_t position, std::function<void(const Status&)> done);
  // OK while the write-ahead log's syncs succeed; once one has failed, its error (io_error,
  // disk_full): every wait for durability fails from then on, and only reopening the
  // database (a restart) recovers. A server reports itself unhealthy then.
  Status DurabilityFailure() const;
  // Blocks until `position` is durable; the sync's error when it failed.
  Status WaitUntilDurable(uint64_t position);
  // Blocks until every WhenDurable callback queued before the call has run: for a
  // caller about to destroy what its callbacks reach (a server stopping its event loops).
  void DrainDurabilityCallbacks();

  // Internal: databases are made by Open() (the Impl is defined in engine/).
  class Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tenantdb
