#include "storage/changes/change_log.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <limits>

#include "storage/hot/key_codec.h"

namespace tenantdb {

namespace {

int64_t SystemMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

std::string_view View(const rocksdb::Slice& s) {
  return std::string_view(s.data(), s.size());
}

constexpr size_t kDefaultReadBatch = 1000;
constexpr size_t kTrimBatch = 1024;
// A slice trimmed by at least this many numbers gets one range delete.
constexpr uint64_t kTrimRangeFrom = 64;

}  // namespace

ChangeLog::ChangeLog(KvStore* kv, Options options)
    : kv_(kv), options_(std::move(options)), sequencer_(kv, options_.max_cached_slices) {
  if (!options_.now_micros) options_.now_micros = SystemMicros;
}

// ---- Writer ------------------------------------------------------------------------

ChangeLog::Writer::~Writer() {
  // A Stage whose batch was never written (an error between Stage and Write): its
  // numbers must still be finished, or the slices would never publish again.
  Finish(false);
}

void ChangeLog::Writer::Add(const HotTable* table, std::string_view slice_prefix,
                            std::string_view user, const EncodedChange& change) {
  if (log_ == nullptr) return;
  SliceChanges* slice = nullptr;
  for (SliceChanges& s : slices_) {
    if (s.prefix == slice_prefix) {
      slice = &s;
      break;
    }
  }
  if (slice == nullptr) {
    slice = &slices_.emplace_back();
    slice->table = table;
    slice->prefix = std::string(slice_prefix);
    slice->user = std::string(user);
  }
  EncodeChangeValue(change, &slice->values.emplace_back());
}

Status ChangeLog::Writer::Stage(rocksdb::WriteBatch* batch) {
  if (log_ == nullptr) return Status::Ok();
  listening_ = log_->listeners_.any();
  rocksdb::ColumnFamilyHandle* family = log_->kv_->family(KvFamily::kChanges);
  for (SliceChanges& s : slices_) {
    TDB_ASSIGN_OR_RETURN(s.state, log_->sequencer_.Get(s.prefix));
    s.first = log_->sequencer_.Reserve(*s.state, s.values.size());
    for (size_t i = 0; i < s.values.size(); ++i) {
      const std::string key = ChangeKey(s.prefix, s.first + i);
      batch->Put(family, ToSlice(key), ToSlice(s.values[i]));
    }
  }
  return Status::Ok();
}

void ChangeLog::Writer::Finish(bool written) {
  if (log_ == nullptr) return;
  ChangeLog* log = log_;
  log_ = nullptr;  // once
  const ChangeListeners& listeners = log->listeners_;
  auto deliver = [&listeners](const CommittedChanges& c) { listeners.Deliver(c); };
  for (SliceChanges& s : slices_) {
    if (s.state == nullptr) continue;  // Stage stopped before this slice
    std::optional<CommittedChanges> changes;
    if (written && listening_) {
      // Decoded here, after the key locks were released, and only when someone listens.
      changes.emplace();
      changes->table_number = s.table->table_number();
      changes->user = s.user;
      changes->changes.reserve(s.values.size());
      for (size_t i = 0; i < s.values.size(); ++i) {
        auto parsed = ParseChangeValue(s.values[i]);
        if (!parsed.ok()) continue;  // we encoded it a moment ago: cannot happen
        auto record = DecodeChange(*s.table, s.first + i, *parsed);
        if (record.ok()) changes->changes.push_back(std::move(record).value());
      }
    }
    log->sequencer_.Finish(*s.state, s.first, written, std::move(changes), deliver);
  }
}

// ---- reading -------------------------------------------------------------------------

Result<std::string> ChangeLog::SlicePrefix(const HotTable& table, const UserId* user) {
  if (table.per_user()) {
    if (user == nullptr || user->empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    std::string(TableTypeName(table.type())) +
                        " table changes belong to a user; the request names none");
    }
    return EncodeUserPrefix(table.table_number(), user->str());
  }
  if (user != nullptr && !user->empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "SHARED table changes belong to no user; the request names user '" +
                      std::string(user->str()) + "'");
  }
  return EncodeTablePrefix(table.table_number());
}

Result<ChangeReadResult> ChangeLog::Read(const HotTable& table, const UserId* user, uint64_t after,
                                         size_t max_changes) const {
  TDB_ASSIGN_OR_RETURN(const std::string prefix, SlicePrefix(table, user));
  ChangeReadResult out;
  if (!enabled()) return out;
  if (max_changes == 0) max_changes = kDefaultReadBatch;
  // Published first, the iterator after: every record <= published is durable, so the
  // iterator's snapshot holds all of them.
  TDB_ASSIGN_OR_RETURN(ChangeSequencer::SliceRef slice, sequencer_.Get(prefix));
  out.last_seq = sequencer_.Published(*slice);
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges);
  auto current_seq = [&]() -> Result<std::optional<uint64_t>> {
    if (!it->Valid()) return std::optional<uint64_t>();
    const std::string_view key = View(it->key());
    if (key.size() != prefix.size() + 8 || !key.starts_with(prefix)) {
      return std::optional<uint64_t>();
    }
    TDB_ASSIGN_OR_RETURN(uint64_t seq, ChangeKeySeq(key));
    return std::optional<uint64_t>(seq);
  };
  it->Seek(ToSlice(prefix));
  TDB_ASSIGN_OR_RETURN(std::optional<uint64_t> oldest, current_seq());
  out.oldest_seq = oldest.value_or(0);
  // Numbers (after, oldest) were trimmed: the caller cannot catch up from the log. A
  // caller at or past the newest number needs nothing, whatever was trimmed.
  if (oldest.has_value() && after + 1 < *oldest && after < out.last_seq) {
    out.resync_required = true;
    return out;
  }
  if (after >= out.last_seq) return out;
  if (!oldest.has_value() || after >= *oldest) {
    const std::string start = ChangeKey(prefix, after + 1);
    it->Seek(ToSlice(start));
  }
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<uint64_t> seq, current_seq());
    if (!seq.has_value() || *seq > out.last_seq) break;
    if (out.changes.size() == max_changes) {
      out.has_more = true;
      break;
    }
    TDB_ASSIGN_OR_RETURN(EncodedChange parsed, ParseChangeValue(View(it->value())));
    TDB_ASSIGN_OR_RETURN(ChangeRecord record, DecodeChange(table, *seq, parsed));
    out.changes.push_back(std::move(record));
    it->Next();
  }
  TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log"));
  return out;
}

Result<uint64_t> ChangeLog::Published(const HotTable& table, const UserId* user) const {
  TDB_ASSIGN_OR_RETURN(const std::string prefix, SlicePrefix(table, user));
  if (!enabled()) return uint64_t{0};
  TDB_ASSIGN_OR_RETURN(ChangeSequencer::SliceRef slice, sequencer_.Get(prefix));
  return sequencer_.Published(*slice);
}

Result<std::vector<uint64_t>> ChangeLog::SeqsAfter(const HotTable& table, const UserId* user,
                                                   uint64_t after,
                                                   const rocksdb::Snapshot* snapshot) const {
  TDB_ASSIGN_OR_RETURN(const std::string prefix, SlicePrefix(table, user));
  std::vector<uint64_t> out;
  if (!enabled() || after == std::numeric_limits<uint64_t>::max()) return out;
  // A record in `snapshot` had its number reserved before it was written, so before the
  // snapshot was taken, so before this reads the counter: when nothing above `after` was
  // ever reserved, the snapshot holds nothing above it, and no iterator is needed (the
  // common case: a live query opens on a slice no commit is writing to).
  TDB_ASSIGN_OR_RETURN(ChangeSequencer::SliceRef slice, sequencer_.Get(prefix));
  if (sequencer_.Reserved(*slice) <= after) return out;
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges, false, snapshot);
  const std::string start = ChangeKey(prefix, after + 1);
  for (it->Seek(ToSlice(start)); it->Valid(); it->Next()) {
    const std::string_view key = View(it->key());
    if (key.size() != prefix.size() + 8 || !key.starts_with(prefix)) break;
    TDB_ASSIGN_OR_RETURN(uint64_t seq, ChangeKeySeq(key));
    out.push_back(seq);
  }
  TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log"));
  return out;
}

// ---- retention -----------------------------------------------------------------------

Result<ChangeTrimStats> ChangeLog::Trim() {
  ChangeTrimStats stats;
  if (!enabled() || (options_.retention_seconds == 0 && options_.retention_count == 0)) {
    return stats;
  }
  const int64_t cutoff_micros =
      options_.retention_seconds == 0
          ? std::numeric_limits<int64_t>::min()
          : options_.now_micros() - static_cast<int64_t>(options_.retention_seconds) * 1'000'000;
  rocksdb::ColumnFamilyHandle* family = kv_->family(KvFamily::kChanges);
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges);
  std::unique_ptr<rocksdb::Iterator> newest_it = kv_->NewIterator(KvFamily::kChanges);
  rocksdb::WriteBatch batch;
  auto flush = [&]() -> Status {
    if (batch.Count() == 0) return Status::Ok();
    TDB_RETURN_IF_ERROR(kv_->Write(&batch));
    batch.Clear();
    return Status::Ok();
  };
  it->SeekToFirst();
  while (it->Valid()) {
    std::string_view prefix_view;
    TDB_RETURN_IF_ERROR(ChangeKeySeq(View(it->key()), &prefix_view).status());
    const std::string prefix(prefix_view);
    ++stats.slices;
    // The slice's newest record: never removed (the counter resumes from it).
    const std::string last = ChangeKey(prefix, std::numeric_limits<uint64_t>::max());
    newest_it->SeekForPrev(ToSlice(last));
    TDB_RETURN_IF_ERROR(FromRocksStatus(newest_it->status(), "trimming the change log"));
    if (!newest_it->Valid()) break;  // cannot happen: `it` sees a record of the slice
    TDB_ASSIGN_OR_RETURN(const uint64_t newest, ChangeKeySeq(View(newest_it->key())));
    TDB_ASSIGN_OR_RETURN(const uint64_t first, ChangeKeySeq(View(it->key())));
    // Numbers below keep_from are beyond the count limit.
    const uint64_t keep_from = options_.retention_count == 0 || newest < options_.retention_count
                                   ? 0
                                   : newest - options_.retention_count + 1;
    // Records are in commit order, so the ones too old are a prefix of the slice: a
    // binary search (a few seeks) finds the first young enough, instead of reading every
    // record. Everything below `stop` goes, except the newest record.
    uint64_t lo = std::max(first, keep_from), hi = newest;
    while (lo < hi && options_.retention_seconds != 0) {
      const uint64_t mid = lo + (hi - lo) / 2;
      newest_it->Seek(ToSlice(ChangeKey(prefix, mid)));  // the first record >= mid
      TDB_RETURN_IF_ERROR(FromRocksStatus(newest_it->status(), "trimming the change log"));
      if (!newest_it->Valid()) break;  // cannot happen: the newest record is >= mid
      TDB_ASSIGN_OR_RETURN(const uint64_t at, ChangeKeySeq(View(newest_it->key())));
      TDB_ASSIGN_OR_RETURN(EncodedChange change, ParseChangeValue(View(newest_it->value())));
      if (change.commit_micros >= cutoff_micros) {
        hi = mid;  // no record between mid and `at`: all below mid are old or absent
      } else {
        lo = at + 1;
      }
    }
    const uint64_t stop = std::min(lo, newest);
    if (stop - std::min(stop, first) >= kTrimRangeFrom) {
      // Many records: one range delete, not one delete per record, so trimming a busy
      // slice writes next to nothing. (Few: point deletes, so millions of small slices
      // do not leave millions of range tombstones for reads to step over.)
      batch.DeleteRange(family, ToSlice(ChangeKey(prefix, first)),
                        ToSlice(ChangeKey(prefix, stop)));
      stats.removed += stop - first;  // numbers are gap-free but for failed writes
      if (batch.Count() >= kTrimBatch) TDB_RETURN_IF_ERROR(flush());
    } else {
      for (; it->Valid(); it->Next()) {
        const std::string_view key = View(it->key());
        if (key.size() != prefix.size() + 8 || !key.starts_with(prefix)) break;
        TDB_ASSIGN_OR_RETURN(const uint64_t seq, ChangeKeySeq(key));
        if (seq >= stop) break;
        batch.Delete(family, it->key());
        ++stats.removed;
        if (batch.Count() >= kTrimBatch) TDB_RETURN_IF_ERROR(flush());
      }
    }
    // The next slice: past every key of this one.
    const std::string next = PrefixSuccessor(prefix);
    if (next.empty()) break;
    it->Seek(ToSlice(next));
  }
  TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "trimming the change log"));
  TDB_RETURN_IF_ERROR(flush());
  return stats;
}

void ChangeLog::StageDropTable(uint32_t table_number, rocksdb::WriteBatch* batch) const {
  rocksdb::ColumnFamilyHandle* family = kv_->family(KvFamily::kChanges);
  if (family == nullptr) return;
  const std::string start = EncodeTablePrefix(table_number);
  const std::string end = PrefixSuccessor(start);
  if (!end.empty()) {
    batch->DeleteRange(family, ToSlice(start), ToSlice(end));
    return;
  }
  // The last table number has no successor prefix: delete its records one by one.
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges);
  for (it->Seek(ToSlice(start)); it->Valid() && it->key().starts_with(ToSlice(start)); it->Next())
    batch->Delete(family, it->key());
}

}  // namespace tenantdb
