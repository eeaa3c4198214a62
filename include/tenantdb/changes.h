// tenantdb/changes.h: the change log as the public API shows it (public API) — what live
// queries (a WebSocket layer) and, later, topics are built on.
//
// Every committed insert, update and delete of a USER, SHARED or STREAM table gets a
// sequence number, written in the same atomic RocksDB batch as the row itself. Numbers
// grow strictly, in commit order, per SLICE: one (table, user) of a USER or STREAM table,
// or the whole of a SHARED table. They are dense within a slice except where a process
// died between numbering a change and making it durable (that number is never used).
//
// Two ways to consume the log:
//   Database::ReadChanges   the changes of a slice after a sequence number, in order, in
//                           bounded batches (a subscription resuming from `from`);
//   Database::AddChangeListener   a callback told of each commit once it is written (a
//                           subscription following live changes).
// A consumer joins the two without a gap or duplicate by remembering, per slice, the last
// number it has seen and ignoring records at or below it.
//
// Retention: records older than Database::Options::change_retention_seconds, or beyond the
// newest change_retention_count of a slice, are trimmed by a background job (the newest
// record of a slice is always kept). A read from a number older than what is retained says
// resync_required: the consumer must read the rows afresh and follow from last_seq.
//
// Thread safety: value types. Listeners are called from writers' threads; see
// ChangeListener for what they may do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tenantdb/value.h"

namespace tenantdb {

enum class ChangeType : uint8_t { kInsert = 1, kUpdate = 2, kDelete = 3 };

// "insert", "update" or "delete" (the WebSocket protocol's change_type).
inline const char* ChangeTypeName(ChangeType type) {
  switch (type) {
    case ChangeType::kInsert:
      return "insert";
    case ChangeType::kUpdate:
      return "update";
    case ChangeType::kDelete:
      return "delete";
  }
  return "unknown";
}

// One committed change of one row.
struct ChangeRecord {
  uint64_t seq = 0;  // the slice's sequence number
  ChangeType type = ChangeType::kInsert;
  int64_t commit_micros = 0;  // commit time, microseconds since the epoch
  std::vector<Value> key;     // the primary key, in key-column order
  // Insert and update: the new row, one value per column of the table in column order.
  std::optional<std::vector<Value>> row;
  // Update and delete: the row before the change, when the writer had it cheaply (it
  // was still in the hot store); absent when it had been flushed to Parquet already.
  std::optional<std::vector<Value>> old_row;
};

// The changes one commit made to one slice, in sequence order (a transaction that wrote
// several slices produces one event per slice). Rows are in the table's column order of
// the moment of the commit.
struct ChangeEvent {
  std::string ns;     // namespace of the table
  std::string table;  // table name
  std::string user;   // the slice's user; empty for a SHARED table
  std::vector<ChangeRecord> changes;
};

// A bounded read of one slice (Database::ReadChanges).
struct ChangeReadResult {
  // The changes with seq > the requested one, in order, at most the requested count.
  std::vector<ChangeRecord> changes;
  // The slice's newest committed number when the read was made (0: none yet). A consumer
  // that has seen last_seq is up to date.
  uint64_t last_seq = 0;
  // The oldest number still retained (0: the slice has no records).
  uint64_t oldest_seq = 0;
  // More changes follow the ones returned (read again from changes.back().seq).
  bool has_more = false;
  // The requested number is older than the retention: changes after it were trimmed and
  // cannot be replayed. `changes` is empty; read the rows afresh and follow from last_seq.
  bool resync_required = false;
};

// Called once per ChangeEvent, after the commit is written — synced to the write-ahead
// log, except for a session that defers its syncs (Session::DeferCommitSync): a listener
// that tells a client waits for Database::IsDurable(Database::WritePosition()) first —
// and after every earlier number of the slice has been delivered: per slice, events arrive in
// sequence order, one call at a time, exactly once (for commits that began after the listener was
// added). It runs on the thread of a writer committing to that slice, outside the row
// locks, and that writer's statement returns only after the call: a listener must not
// block or do I/O — copy what it needs into its own bounded queue and return (the
// WebSocket layer queues per connection). Different slices' events may arrive
// concurrently on different threads. It must not add or remove listeners, nor write to
// the database (that would deliver from inside a delivery).
using ChangeListener = std::function<void(const ChangeEvent&)>;

// Keeps a listener registered; destroying (or Reset()) removes it, waiting for any call
// in progress to return, so the listener's captures may be destroyed right after.
// Destroy every handle before the Database it came from.
class ChangeListenerHandle {
 public:
  ChangeListenerHandle() = default;
  explicit ChangeListenerHandle(std::function<void()> remove) : remove_(std::move(remove)) {}
  ~ChangeListenerHandle() { Reset(); }
  ChangeListenerHandle(ChangeListenerHandle&& other) noexcept : remove_(std::move(other.remove_)) {
    other.remove_ = nullptr;
  }
  ChangeListenerHandle& operator=(ChangeListenerHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      remove_ = std::move(other.remove_);
      other.remove_ = nullptr;
    }
    return *this;
  }
  ChangeListenerHandle(const ChangeListenerHandle&) = delete;
  ChangeListenerHandle& operator=(const ChangeListenerHandle&) = delete;

  bool active() const { return remove_ != nullptr; }
  void Reset() {
    if (remove_) {
      std::function<void()> remove = std::move(remove_);
      remove_ = nullptr;
      remove();
    }
  }

 private:
  std::function<void()> remove_;
};

}  // namespace tenantdb
