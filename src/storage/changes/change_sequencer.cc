#include "storage/changes/change_sequencer.h"

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>

#include <cassert>
#include <functional>
#include <limits>

#include "absl/strings/string_view.h"
#include "storage/changes/change_codec.h"
#include "storage/hot/key_codec.h"

namespace tenantdb {

class ChangeSequencer::Slice {
 public:
  struct Range {
    uint64_t first = 0;
    uint64_t last = 0;
    bool done = false;
    std::optional<CommittedChanges> changes;
  };

  std::mutex mu;
  bool loaded = false;      // next/published read from RocksDB
  bool abandoned = false;   // a range was abandoned: never evict (its numbers would be reused)
  bool delivering = false;  // a thread is calling listeners for this slice
  uint64_t next = 1;
  uint64_t published = 0;
  std::deque<Range> in_flight;               // reserved, oldest first
  std::vector<CommittedChanges> to_deliver;  // published, not yet delivered

  bool idle() const { return in_flight.empty() && !delivering && to_deliver.empty(); }
};

ChangeSequencer::ChangeSequencer(KvStore* kv, size_t max_slices)
    : kv_(kv), max_per_shard_(std::max<size_t>(1, max_slices / kShards)) {}

ChangeSequencer::Shard& ChangeSequencer::ShardOf(std::string_view prefix) {
  return shards_[std::hash<std::string_view>()(prefix) % kShards];
}

void ChangeSequencer::EvictIdle(Shard& shard) {
  const size_t target = max_per_shard_ * 3 / 4;
  for (auto it = shard.slices.begin(); it != shard.slices.end() && shard.slices.size() > target;) {
    Slice& s = *it->second;
    // use_count 1: no writer or reader holds it, so nobody can be about to Reserve.
    bool drop = false;
    if (it->second.use_count() == 1) {
      std::lock_guard<std::mutex> lock(s.mu);
      drop = s.idle() && !s.abandoned;
    }
    if (drop) {
      shard.slices.erase(it++);
    } else {
      ++it;
    }
  }
}

Status ChangeSequencer::Load(Slice& slice, std::string_view prefix) {
  // The newest record of the slice: the last key <= prefix + the largest number.
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges);
  const std::string last = ChangeKey(prefix, std::numeric_limits<uint64_t>::max());
  it->SeekForPrev(rocksdb::Slice(last.data(), last.size()));
  uint64_t newest = 0;
  if (it->Valid()) {
    const std::string_view key(it->key().data(), it->key().size());
    if (key.size() == prefix.size() + 8 && key.starts_with(prefix)) {
      TDB_ASSIGN_OR_RETURN(newest, ChangeKeySeq(key));
    }
  }
  TDB_RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the change log's newest number"));
  slice.next = newest + 1;
  slice.published = newest;
  slice.loaded = true;
  return Status::Ok();
}

Result<ChangeSequencer::SliceRef> ChangeSequencer::Get(std::string_view prefix) {
  SliceRef slice;
  {
    Shard& shard = ShardOf(prefix);
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.slices.find(absl::string_view(prefix.data(), prefix.size()));
    if (it != shard.slices.end()) {
      slice = it->second;
    } else {
      if (shard.slices.size() >= max_per_shard_) EvictIdle(shard);
      slice = std::make_shared<Slice>();
      shard.slices.emplace(std::string(prefix), slice);
    }
  }
  std::lock_guard<std::mutex> lock(slice->mu);
  // Loaded under the slice's mutex: a second user of a new slice waits for the first's
  // read rather than reading again (and nobody reserves before it is known).
  if (!slice->loaded) TDB_RETURN_IF_ERROR(Load(*slice, prefix));
  return slice;
}

uint64_t ChangeSequencer::Reserve(Slice& slice, size_t count) {
  assert(count > 0);
  std::lock_guard<std::mutex> lock(slice.mu);
  assert(slice.loaded);
  const uint64_t first = slice.next;
  slice.next += count;
  slice.in_flight.push_back(Slice::Range{first, first + count - 1, false, std::nullopt});
  return first;
}

void ChangeSequencer::Finish(Slice& slice, uint64_t first, bool written,
                             std::optional<CommittedChanges> changes, const Deliver& deliver) {
  std::unique_lock<std::mutex> lock(slice.mu);
  bool found = false;
  for (Slice::Range& r : slice.in_flight) {
    if (r.first != first) continue;
    r.done = true;
    if (written) {
      r.changes = std::move(changes);
    } else {
      slice.abandoned = true;
    }
    found = true;
    break;
  }
  assert(found && "Finish of a range that was not reserved");
  (void)found;
  // Publish every done range at the front: each number below is now final.
  while (!slice.in_flight.empty() && slice.in_flight.front().done) {
    Slice::Range& r = slice.in_flight.front();
    slice.published = r.last;
    if (r.changes.has_value() && !r.changes->changes.empty()) {
      slice.to_deliver.push_back(std::move(*r.changes));
    }
    slice.in_flight.pop_front();
  }
  if (slice.delivering || slice.to_deliver.empty()) return;
  // Deliver, in order, everything published — also what others publish meanwhile.
  slice.delivering = true;
  while (!slice.to_deliver.empty()) {
    std::vector<CommittedChanges> batch = std::move(slice.to_deliver);
    slice.to_deliver.clear();
    lock.unlock();
    if (deliver) {
      for (const CommittedChanges& c : batch)
        deliver(c);
    }
    lock.lock();
  }
  slice.delivering = false;
}

uint64_t ChangeSequencer::Published(Slice& slice) {
  std::lock_guard<std::mutex> lock(slice.mu);
  return slice.published;
}

uint64_t ChangeSequencer::Reserved(Slice& slice) {
  std::lock_guard<std::mutex> lock(slice.mu);
  return slice.next - 1;
}

void ChangeSequencer::ForgetTable(uint32_t table_number) {
  const std::string prefix = EncodeTablePrefix(table_number);
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    absl::erase_if(shard.slices, [&](const auto& entry) {
      return std::string_view(entry.first).starts_with(prefix);
    });
  }
}

size_t ChangeSequencer::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mu);
    n += shard.slices.size();
  }
  return n;
}

}  // namespace tenantdb
