#include "storage/cold_point_lookup.h"

#include <algorithm>
#include <cassert>

#include "storage/cold/parquet_types.h"
#include "storage/hot/key_codec.h"
#include "types/column_compare.h"

namespace tenantdb {

namespace {

using Lease = ColdReadCache::Lease;

// The page of column `c` in group `g` that holds row `row`.
size_t PageOfRow(const ParquetReader& reader, size_t g, size_t c, int64_t row) {
  const auto& pages = reader.offset_index(g, c).page_locations;
  auto after = std::upper_bound(
      pages.begin(), pages.end(), row,
      [](int64_t r, const parquet::PageLocation& page) { return r < page.first_row_index; });
  assert(after != pages.begin());
  return static_cast<size_t>(after - pages.begin()) - 1;
}

// Row `row` of group `g` in file column `c`, read as `type`.
Result<Value> ValueAt(ColdReadCache& cache, const Lease& lease, size_t g, size_t c, int64_t row,
                      DataType type) {
  const ParquetReader& reader = lease.reader();
  const size_t p = PageOfRow(reader, g, c, row);
  TDB_ASSIGN_OR_RETURN(auto page, cache.Page(lease, g, c, p, type));
  const int64_t first = reader.offset_index(g, c).page_locations[p].first_row_index;
  const auto i = static_cast<size_t>(row - first);
  if (i >= page->size()) {
    return Status(ErrorCode::kCorruption, "a page of " + reader.columns()[c].name +
                                              " holds fewer rows than its page index says");
  }
  return page->GetValue(i);
}

// Whether statistics bounds [min, max] may hold `v` (unknown bounds may).
bool MayHold(const std::optional<Value>& min, const std::optional<Value>& max, const Value& v) {
  if (min) {
    std::optional<int> cmp = ComparePruningValues(*min, v);
    if (cmp && *cmp > 0) return false;
  }
  if (max) {
    std::optional<int> cmp = ComparePruningValues(*max, v);
    if (cmp && *cmp < 0) return false;
  }
  return true;
}

// Files without a page index: read every row group and compare encoded keys.
Result<std::optional<std::vector<Value>>> LookupWhole(ParquetReader& reader,
                                                      const std::shared_ptr<const Schema>& layout,
                                                      const HotTable& table,
                                                      const std::string& key_bytes) {
  TDB_ASSIGN_OR_RETURN(std::vector<Batch> groups, reader.Read(layout));
  for (const Batch& b : groups) {
    for (size_t r = 0; r < b.num_rows(); ++r) {
      TDB_ASSIGN_OR_RETURN(std::string bytes, table.KeyBytesOf(b, r));
      if (bytes == key_bytes) return std::optional<std::vector<Value>>(b.GetRow(r));
    }
  }
  return std::optional<std::vector<Value>>();
}

}  // namespace

Result<std::optional<std::vector<Value>>> LookupColdRow(
    ColdReadCache& cache, const std::string& file_key, const std::string& path,
    const std::shared_ptr<const Schema>& layout, const HotTable& table,
    const std::vector<Value>& key, const std::string& key_bytes) {
  assert(!key.empty() && key.size() == table.key_indices().size());
  TDB_ASSIGN_OR_RETURN(Lease lease, cache.Acquire(file_key, path));
  ParquetReader& reader = lease.reader();
  if (!lease.indexed()) return LookupWhole(reader, layout, table, key_bytes);

  std::vector<std::optional<size_t>> columns(layout->num_fields());
  for (size_t j = 0; j < layout->num_fields(); ++j)
    columns[j] = reader.FindColumn(layout->field(j));
  std::vector<size_t> key_columns;
  for (size_t i : table.key_indices()) {
    if (!columns[i]) {
      return Status(ErrorCode::kCorruption,
                    path + " has no primary-key column " + layout->field(i).name);
    }
    key_columns.push_back(*columns[i]);
  }
  const size_t c0 = key_columns[0];
  const DataType t0 = layout->field(table.key_indices()[0]).type;
  ColumnVector target(t0);
  target.Append(key[0]);

  // The full key of row `row`, encoded, for composite keys (the first column matched).
  auto key_matches = [&](size_t g, int64_t row) -> Result<bool> {
    if (key_columns.size() == 1) return true;
    std::vector<Value> values = {key[0]};
    for (size_t i = 1; i < key_columns.size(); ++i) {
      TDB_ASSIGN_OR_RETURN(Value v, ValueAt(cache, lease, g, key_columns[i], row,
                                            layout->field(table.key_indices()[i]).type));
      values.push_back(std::move(v));
    }
    std::string bytes;
    TDB_RETURN_IF_ERROR(AppendKeyColumns(table.key_types(), values, &bytes));
    return bytes == key_bytes;
  };

  for (size_t g = 0; g < reader.num_row_groups(); ++g) {
    const ParquetColumnStats& stats = reader.row_group(g).columns[c0];
    if (!MayHold(stats.min, stats.max, key[0])) continue;
    const auto& pages = reader.offset_index(g, c0).page_locations;
    const parquet::ColumnIndex* bounds = reader.column_index(g, c0);
    for (size_t p = 0; p < pages.size(); ++p) {
      if (bounds != nullptr) {
        if (bounds->null_pages[p]) continue;
        const ParquetColumnInfo& info = reader.columns()[c0];
        if (!MayHold(DecodeStatisticsValue(info, bounds->min_values[p]),
                     DecodeStatisticsValue(info, bounds->max_values[p]), key[0])) {
          continue;
        }
      }
      TDB_ASSIGN_OR_RETURN(auto page, cache.Page(lease, g, c0, p, t0));
      // Rows are in key order, so the first key column is sorted: binary search.
      size_t lo = 0, hi = page->size();
      while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (CompareAcross(*page, mid, target, 0) < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      for (size_t i = lo; i < page->size() && CompareAcross(*page, i, target, 0) == 0; ++i) {
        const int64_t row = pages[p].first_row_index + static_cast<int64_t>(i);
        TDB_ASSIGN_OR_RETURN(bool match, key_matches(g, row));
        if (!match) continue;
        std::vector<Value> out;
        out.reserve(layout->num_fields());
        for (size_t j = 0; j < layout->num_fields(); ++j) {
          if (!columns[j]) {
            out.push_back(MissingValue(*layout, j));  // added since the file was written
            continue;
          }
          TDB_ASSIGN_OR_RETURN(Value v,
                               ValueAt(cache, lease, g, *columns[j], row, layout->field(j).type));
          out.push_back(std::move(v));
        }
        return std::optional<std::vector<Value>>(std::move(out));
      }
    }
  }
  return std::optional<std::vector<Value>>();
}

}  // namespace tenantdb
