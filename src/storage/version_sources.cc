#include "storage/version_sources.h"

#include <algorithm>
#include <numeric>

#include "storage/hot/key_codec.h"

namespace tenantdb {

Result<std::optional<SourceBatch>> HotVersionSource::Next() {
  HotBatchReader::Keys keys;
  TDB_ASSIGN_OR_RETURN(std::optional<Batch> rows, reader_->Next(batch_rows_, &keys));
  if (!rows.has_value()) return std::optional<SourceBatch>();
  return std::optional<SourceBatch>(
      SourceBatch{std::move(*rows), std::move(keys.bytes), std::move(keys.ends)});
}

ColdFileSource::ColdFileSource(std::unique_ptr<ParquetReader> reader, std::string path,
                               std::shared_ptr<const Schema> requested,
                               std::vector<size_t> key_columns)
    : reader_(std::move(reader)),
      path_(std::move(path)),
      requested_(std::move(requested)),
      key_columns_(std::move(key_columns)) {
  // Every file tenantdb writes is in key order (see the header comment).
  sorted_by_writer_ = reader_->created_by().starts_with("tenantdb");
}

Result<std::optional<SourceBatch>> ColdFileSource::Next() {
  if (!sorted_by_writer_) return ReadSorted();
  while (reader_ != nullptr && next_group_ < reader_->num_row_groups()) {
    const size_t g = next_group_++;
    if (reader_->row_group(g).num_rows == 0) continue;
    TDB_ASSIGN_OR_RETURN(Batch rows, reader_->ReadRowGroup(g, requested_));
    if (rows.num_rows() == 0) continue;
    return std::optional<SourceBatch>(SourceBatch{std::move(rows), {}, {}});
  }
  reader_.reset();  // closes the file as soon as it is read
  return std::optional<SourceBatch>();
}

Result<std::optional<SourceBatch>> ColdFileSource::ReadSorted() {
  if (reader_ == nullptr) return std::optional<SourceBatch>();
  TDB_ASSIGN_OR_RETURN(std::vector<Batch> groups, reader_->Read(requested_));
  reader_.reset();
  Batch all(requested_);
  for (const Batch& g : groups) {
    for (size_t r = 0; r < g.num_rows(); ++r) {
      for (size_t c = 0; c < g.num_columns(); ++c)
        all.mutable_column(c).AppendFrom(g.column(c), r);
    }
  }
  groups.clear();
  if (all.num_rows() == 0) return std::optional<SourceBatch>();
  std::vector<std::string> keys(all.num_rows());
  for (size_t r = 0; r < all.num_rows(); ++r) {
    for (size_t c : key_columns_)
      TDB_RETURN_IF_ERROR(AppendKeyColumnAt(all.column(c), r, &keys[r]));
  }
  std::vector<size_t> order(all.num_rows());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  SourceBatch out{Batch(requested_), {}, {}};
  for (size_t r : order) {
    for (size_t c = 0; c < all.num_columns(); ++c)
      out.rows.mutable_column(c).AppendFrom(all.column(c), r);
    out.key_bytes += keys[r];
    out.key_ends.push_back(static_cast<uint32_t>(out.key_bytes.size()));
  }
  return std::optional<SourceBatch>(std::move(out));
}

}  // namespace tenantdb
