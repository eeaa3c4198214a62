// ChangeLog: the durable log of committed row changes (tenantdb/changes.h for the model),
// in the RocksDB `changes` family (change_codec.h for the layout). One per TableStore.
//
// Writing. HotStore::ApplyGroups — the one path every INSERT, UPDATE, DELETE and
// transaction commit takes to the rows family — opens a ChangeLog::Writer, Adds one
// change per row write that changed something (an insert, an update, a delete that hid a
// live row; a delete of an absent key changes nothing and is not logged), Stages them
// (numbers reserved per slice, ChangeSequencer, and one Put per change appended to the
// SAME WriteBatch as the rows) while it holds the rows' key locks, writes the batch, and
// Finishes the writer after releasing the locks. The change and its number are thus one
// atomic write: a crash leaves both or neither. Old row values come from the hot version
// the write path read anyway to check the key (none when the row lived only in Parquet).
// Expiry of STREAM rows (TTL) and flushes to Parquet are not changes and write nothing
// here; a flush leaves the log untouched, so retained changes outlive their hot rows.
//
// Reading. Read() returns a slice's records after a number, in order, bounded, never
// past the sequencer's published number (so never one before an earlier number exists).
//
// Listening. AddListener's callbacks get each commit's changes once published (see
// ChangeSequencer for ordering and ChangeListeners for cost and removal).
//
// Retention. Trim() deletes records older than Options::retention_seconds or beyond the
// newest Options::retention_count of their slice, never a slice's newest record (it is
// what the counter resumes from after a restart). A background job calls it (engine/).
// Cost per slice: a few seeks (the old records are a prefix, found by binary search),
// then one range delete when many records go, else one delete each — never a read of
// every record, so trimming keeps up with a slice written thousands of times a second.
// DROP TABLE deletes a table's records in the batch that deletes its rows
// (StageDropTable).
//
// Thread safety: all methods may be called concurrently; a Writer belongs to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ids/identifier.h"
#include "kv/kv_store.h"
#include "storage/changes/change_codec.h"
#include "storage/changes/change_listeners.h"
#include "storage/changes/change_sequencer.h"
#include "storage/hot/hot_table.h"
#include "tenantdb/changes.h"

namespace rocksdb {
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace tenantdb {

struct ChangeTrimStats {
  size_t slices = 0;   // slices visited
  size_t removed = 0;  // records deleted (numbers, for range deletes)
};

class ChangeLog {
 public:
  struct Options {
    // Records older than this many seconds are trimmed (0: no age limit). Default one
    // day: a client offline for longer subscribes afresh (resync_required).
    uint64_t retention_seconds = 24 * 3600;
    // At most this many records per slice are kept (0: no count limit). Default 100,000:
    // a chat user's day of messages; a busy SHARED table keeps its last 100,000 changes.
    uint64_t retention_count = 100'000;
    // Slice counters kept in memory when idle (ChangeSequencer); more are reloaded on use.
    size_t max_cached_slices = 1 << 16;
    // Microseconds since the epoch (Trim's notion of now); default the system clock.
    std::function<int64_t()> now_micros;
  };

  // `kv` must outlive the log.
  ChangeLog(KvStore* kv, Options options);
  ChangeLog(const ChangeLog&) = delete;
  ChangeLog& operator=(const ChangeLog&) = delete;

  // False when the store has no `changes` family (an old database opened read-only):
  // nothing is logged or read.
  bool enabled() const { return kv_->family(KvFamily::kChanges) != nullptr; }

  // The changes of one atomic write. Add, then Stage (under the key locks), write the
  // batch, then Finish(true/false). Destroying a Writer that was staged but not
  // finished abandons its numbers (Finish(false)).
  class Writer {
   public:
    // `log` may be null: then the writer does nothing.
    explicit Writer(ChangeLog* log) : log_(log != nullptr && log->enabled() ? log : nullptr) {}
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    bool active() const { return log_ != nullptr; }
    // Adds a change of the slice `slice_prefix` (key_codec's prefix of the row's key) of
    // `table` (which must outlive the writer), owned by `user` (empty for SHARED).
    void Add(const HotTable* table, std::string_view slice_prefix, std::string_view user,
             const EncodedChange& change);
    // Reserves every slice's numbers and appends one Put per change to `batch`.
    // Errors: those of reading a slice's newest number (nothing is reserved then for
    // that slice; slices reserved before are abandoned by Finish(false) or the destructor).
    Status Stage(rocksdb::WriteBatch* batch);
    // After the batch was written (`written`) or failed: publishes the numbers and, if
    // written and anyone listens, delivers the changes.
    void Finish(bool written);

   private:
    struct SliceChanges {
      const HotTable* table = nullptr;
      std::string prefix;
      std::string user;
      std::vector<std::string> values;  // encoded records, in order
      ChangeSequencer::SliceRef state;  // set by Stage
      uint64_t first = 0;
    };
    ChangeLog* log_;
    bool listening_ = false;  // decided at Stage: keep what listeners need
    std::vector<SliceChanges> slices_;
  };

  // The records of `user`'s slice of `table` (user null for SHARED) with seq > `after`,
  // at most `max_changes` (0 means 1000), in order. Errors: invalid_argument (a user for
  // a SHARED table or none for a per-user one), data_corrupted, io_error.
  Result<ChangeReadResult> Read(const HotTable& table, const UserId* user, uint64_t after,
                                size_t max_changes) const;

  // Live queries join a snapshot of the rows to the log (engine/live_query_engine.h):
  // Published() is the slice's published number (every record at or below it is
  // durable), read BEFORE taking the snapshot; SeqsAfter() lists the numbers above
  // `after` whose records `snapshot` holds (commits written but not yet published when
  // the snapshot was taken: few). Errors as Read().
  Result<uint64_t> Published(const HotTable& table, const UserId* user) const;
  Result<std::vector<uint64_t>> SeqsAfter(const HotTable& table, const UserId* user, uint64_t after,
                                          const rocksdb::Snapshot* snapshot) const;

  // Registers a listener (see ChangeListeners); returns its id for RemoveListener.
  uint64_t AddListener(ChangeListeners::Listener listener) {
    return listeners_.Add(std::move(listener));
  }
  void RemoveListener(uint64_t id) { listeners_.Remove(id); }

  // Applies the retention (see the header comment). Errors: those of RocksDB.
  Result<ChangeTrimStats> Trim();

  // Appends the deletion of every record of table `table_number` to `batch` (DROP), and
  // forgets its counters once written (ForgetTable, after the batch).
  void StageDropTable(uint32_t table_number, rocksdb::WriteBatch* batch) const;
  void ForgetTable(uint32_t table_number) { sequencer_.ForgetTable(table_number); }

  const Options& options() const { return options_; }
  const ChangeSequencer& sequencer() const { return sequencer_; }

 private:
  // The slice prefix of (table, user), checking the user as HotStore does.
  static Result<std::string> SlicePrefix(const HotTable& table, const UserId* user);

  KvStore* kv_;
  Options options_;
  mutable ChangeSequencer sequencer_;
  ChangeListeners listeners_;
};

}  // namespace tenantdb
