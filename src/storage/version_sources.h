// The VersionSources a MergeStream (merge_stream.h) reads: the hot rows of one user
// through a RocksDB iterator, and one Parquet batch file row group by row group.
//
// Both produce the projected cold layout (the table fields the scan needs, then
// `_deleted`) and hold one batch at a time: a HotBatchReader batch, or one decoded row
// group of only the projected columns (the writer's row groups hold 128 Ki rows).
//
// Files and compaction: a ColdFileSource is made from an opened ParquetReader, whose file
// descriptor stays open until the source is destroyed. A compaction or the erasure job
// may unlink the file meanwhile; on Linux the bytes stay readable through the open
// descriptor, so a scan that opened its files at its start reads them to the end.
//
// Sort order: tenantdb writes every batch file in primary-key order (a flush from the
// hot store's key-ordered scan, a compaction sorts). A file some other writer made
// (created_by not "tenantdb ...") gets no such trust: it is read whole and sorted in
// memory on the first pull (the only case where a source holds a whole file).
//
// Thread safety: one thread at a time. Ownership: sources own their readers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "storage/cold/parquet_reader.h"
#include "storage/hot/hot_batch_reader.h"
#include "storage/merge_stream.h"

namespace tenantdb {

class HotVersionSource final : public VersionSource {
 public:
  // `reader` must read with tombstones; `table` is the HotTable it reads (kept alive).
  HotVersionSource(std::unique_ptr<HotBatchReader> reader, std::shared_ptr<const HotTable> table,
                   size_t batch_rows)
      : table_(std::move(table)), reader_(std::move(reader)), batch_rows_(batch_rows) {}
  Result<std::optional<SourceBatch>> Next() override;
  std::string Describe() const override { return "the hot rows"; }

 private:
  std::shared_ptr<const HotTable> table_;  // first: destroyed after the reader
  std::unique_ptr<HotBatchReader> reader_;
  size_t batch_rows_;
};

class ColdFileSource final : public VersionSource {
 public:
  // `requested`: the projected cold layout to read; `key_columns`: positions of the key
  // columns in it, in key order (for a file that must be sorted here).
  ColdFileSource(std::unique_ptr<ParquetReader> reader, std::string path,
                 std::shared_ptr<const Schema> requested, std::vector<size_t> key_columns);
  Result<std::optional<SourceBatch>> Next() override;
  std::string Describe() const override { return "batch file " + path_; }

 private:
  Result<std::optional<SourceBatch>> ReadSorted();

  std::unique_ptr<ParquetReader> reader_;
  std::string path_;
  std::shared_ptr<const Schema> requested_;
  std::vector<size_t> key_columns_;
  bool sorted_by_writer_;
  size_t next_group_ = 0;
};

}  // namespace tenantdb
