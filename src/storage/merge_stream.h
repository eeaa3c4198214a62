// MergeStream: the read rule of tenantdb's two-tier storage (see row_merge.h), streamed.
// A table's rows for one user live in the hot store and in any number of Parquet batch
// files; each holds at most one version per primary key, in key order (the hot store is
// a RocksDB range; a flush writes the hot rows in key order and a compaction sorts what
// it writes — storage/table_store.cc, storage/compaction.cc). MergeStream merges these
// sources by a k-way merge on the encoded primary key (hot/key_codec.h, memcmp order):
// of the versions of one key the newest source's wins, and a winning delete (`_deleted`)
// hides the key. The output is the live rows in key order.
//
// Why this shape: the merge holds one batch per source (a hot batch, a Parquet row
// group), never the whole row set, and it works on runs, not rows: the source with the
// smallest head key emits every row below the next source's head at once (found by
// binary search on the run's encoded keys), so disjoint sources (the common case: one
// flushed file, few hot rows) cost one comparison per batch. Keys are encoded only while
// more than one source is left or key bounds apply; a lone source passes its batches
// through, `_deleted` rows removed, and a batch without deletes is moved, not copied.
//
// Layouts: sources produce batches in the "projected cold layout": the table's fields
// at positions `projection` (ascending, key columns included), then BOOLEAN `_deleted`.
// The stream returns batches in the table's layout, fields outside the projection NULL
// (the caller did not ask for them) — or, when the options say so, just the projection's
// columns (columns() lists them), which spares building NULL columns nobody reads.
//
// Order check: the merge relies on each source being strictly ascending by key and
// verifies it for every row whose key it encodes; a violation fails the read with
// data_corrupted naming the source (never a silently wrong answer).
//
// Thread safety: one thread at a time. Ownership: the stream owns its sources.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "types/batch.h"
#include "types/batch_stream.h"
#include "types/schema.h"

namespace tenantdb {

// One source's next run of rows in key order.
struct SourceBatch {
  Batch rows;
  // Each row's encoded key (hot/key_codec.h, without the table/user prefix), when the
  // source has them at no cost (the hot store's keys); else empty and the merge encodes
  // them from the key columns when it needs them.
  std::string key_bytes;
  std::vector<uint32_t> key_ends;
};

// Row versions of one tier, strictly ascending by primary key across all its batches.
class VersionSource {
 public:
  virtual ~VersionSource() = default;
  // The next non-empty batch in the projected cold layout, or nullopt at the end.
  virtual Result<std::optional<SourceBatch>> Next() = 0;
  // Names the source in errors ("hot rows", a file path).
  virtual std::string Describe() const = 0;
};

// A key bound on encoded keys, compared on the bound's length (a prefix of the key).
struct EncodedKeyBound {
  std::string key;
  bool inclusive = true;
};

struct MergeOptions {
  std::shared_ptr<const Schema> table_schema;  // the output layout
  std::vector<size_t> projection;              // ascending table field positions the sources hold
  std::vector<size_t> key_columns;             // positions in the projected layout, in key order
  std::optional<EncodedKeyBound> lower;
  std::optional<EncodedKeyBound> upper;
  size_t limit = 0;          // 0: all rows
  size_t batch_rows = 4096;  // output batches built from several runs stop here
  bool table_layout = true;  // false: batches hold the projection's columns only
};

class MergeStream final : public BatchStream {
 public:
  // `newest_first`: the sources, newest first (the hot rows, then the batch files from
  // the highest batch number down).
  MergeStream(std::vector<std::unique_ptr<VersionSource>> newest_first, MergeOptions options);
  ~MergeStream() override;
  Result<std::optional<Batch>> Next() override;
  const std::vector<size_t>* columns() const override {
    return options_.table_layout ? nullptr : &options_.projection;
  }

 private:
  struct Source;
  // Loads source i's next batch (with bounds applied) until it has a current row or ends.
  Status Fill(Source& s);
  Status EnsureKeys(Source& s);
  // Appends rows [begin, end) of s's batch, deletes left out; may move the batch.
  void Emit(Source& s, size_t begin, size_t end, std::optional<Batch>* whole);
  // A batch of the projected layout as the stream returns it (table_layout or not).
  Batch Output(Batch projected) const;

  std::vector<std::unique_ptr<Source>> sources_;  // newest first
  MergeOptions options_;
  std::shared_ptr<const Schema> projected_schema_;
  std::shared_ptr<const Schema> output_schema_;  // the projection without `_deleted`
  std::optional<Batch> pending_;                 // output being assembled from several runs
  size_t emitted_ = 0;
};

}  // namespace tenantdb
