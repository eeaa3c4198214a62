// HotBatchReader: turns a HotRowIterator (rows of one scan, in key order) into columnar
// Batches a bounded number of rows at a time — the one place hot rows become batches, for
// HotStore::Scan / NewBatchScan and for the merge of hot and cold rows (which also asks
// for each row's encoded key).
//
// Layout of the batches: `columns` (positions in the table's current schema, in output
// order; empty: all), plus a BOOLEAN `_deleted` when the scan includes tombstones (the
// cold-file layout, cold/batch_file.h). `wanted` (positions in the current schema; empty:
// all) marks the columns decoded; the others come back NULL and cost no copy. Live rows
// of the current schema version decode straight from their bytes into the columns when
// the iterator was made with raw_current_rows (which needs `columns` without repeats);
// other rows go through Values.
//
// Ownership: the reader owns its iterator; `table` must outlive it. Not thread-safe.
// Cost: O(rows read); memory is one batch plus the iterator's.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/hot/hot_store.h"
#include "storage/hot/hot_table.h"
#include "types/batch.h"
#include "types/batch_stream.h"

namespace tenantdb {

class HotBatchReader {
 public:
  // Errors: invalid_argument for a column position out of range.
  static Result<std::unique_ptr<HotBatchReader>> Make(const HotTable& table,
                                                      std::unique_ptr<HotRowIterator> scan,
                                                      std::vector<size_t> columns,
                                                      std::vector<bool> wanted, bool tombstones);

  const std::shared_ptr<const Schema>& schema() const { return schema_; }

  // The next batch of at most `max_rows` rows (max_rows >= 1), nullopt at the end. With
  // `keys`, each row's encoded key columns (key_codec.h, after the table/user prefix) are
  // appended to keys->bytes and their end offsets to keys->ends.
  struct Keys {
    std::string bytes;
    std::vector<uint32_t> ends;
    void clear() {
      bytes.clear();
      ends.clear();
    }
  };
  Result<std::optional<Batch>> Next(size_t max_rows, Keys* keys = nullptr);

 private:
  HotBatchReader() = default;

  const HotTable* table_ = nullptr;
  std::unique_ptr<HotRowIterator> scan_;
  std::vector<size_t> columns_;
  std::vector<bool> wanted_;
  bool tombstones_ = false;
  std::shared_ptr<const Schema> schema_;
  std::vector<int> output_of_field_;  // field position -> output column, or -1
  std::vector<ColumnVector*> targets_;
  bool done_ = false;
};

// A BatchStream over a HotBatchReader, owning it (and, optionally, the HotTable it reads).
class HotBatchStream final : public BatchStream {
 public:
  HotBatchStream(std::unique_ptr<HotBatchReader> reader, size_t batch_rows,
                 std::shared_ptr<const HotTable> table = nullptr)
      : table_(std::move(table)), reader_(std::move(reader)), batch_rows_(batch_rows) {}
  Result<std::optional<Batch>> Next() override { return reader_->Next(batch_rows_); }

 private:
  std::shared_ptr<const HotTable> table_;  // declared first: destroyed after the reader
  std::unique_ptr<HotBatchReader> reader_;
  size_t batch_rows_;
};

}  // namespace tenantdb
