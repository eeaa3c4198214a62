// libFuzzer target: a whole Parquet file (storage/cold/parquet_reader.h), as a client's
// upload or a damaged disk would hand it to the reader. Opens it (magic, footer, Thrift
// metadata, schema mapping, statistics), reads every row group with every readable
// column (every column chunk, dictionary and data page, through every codec and
// encoding), prunes with ranges on every column, and when the file has a page index,
// loads it and decodes every page on its own and every page bound. Errors are fine;
// crashes, hangs, leaks, undefined behaviour and allocations out of proportion to the
// file are not.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "storage/cold/parquet_reader.h"
#include "types/column_vector.h"

namespace {

constexpr int64_t kMaxFuzzedRows = int64_t{1} << 16;

// One file per process, rewritten for every input: the reader opens files by path.
const std::string& ScratchPath() {
  static const std::string path = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "parquet_fuzz.XXXXXX").string();
    int fd = mkstemp(tmpl.data());
    if (fd < 0) std::abort();
    close(fd);
    return tmpl;
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() { std::remove(ScratchPath().c_str()); }
} remove_at_exit;

bool WriteFile(const std::string& path, const uint8_t* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

void ReadPageIndex(tenantdb::ParquetReader& reader) {
  using namespace tenantdb;
  auto loaded = reader.LoadPageIndex();
  if (!loaded.ok() || !*loaded) return;
  const auto& columns = reader.columns();
  for (size_t g = 0; g < reader.num_row_groups(); ++g) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!columns[c].type) continue;
      if (const parquet::ColumnIndex* bounds = reader.column_index(g, c)) {
        for (const std::string& v : bounds->min_values)
          (void)DecodeStatisticsValue(columns[c], v);
        for (const std::string& v : bounds->max_values)
          (void)DecodeStatisticsValue(columns[c], v);
      }
      const size_t pages = reader.offset_index(g, c).page_locations.size();
      for (size_t p = 0; p < pages; ++p) {
        ColumnVector out(*columns[c].type);
        (void)reader.PageRows(g, c, p);
        (void)reader.ReadPage(g, c, p, &out);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tenantdb;
  const std::string& path = ScratchPath();
  if (!WriteFile(path, data, size)) std::abort();
  auto opened = ParquetReader::Open(path);
  if (!opened.ok()) return 0;
  ParquetReader& reader = **opened;
  // Row groups are decoded whole: a valid 100-byte file can declare 2^27 rows of one RLE
  // run, which is legitimate data that costs a minute and gigabytes to materialize, not a
  // bug. Such files stop after the metadata; every decoding path is reachable with fewer.
  for (size_t g = 0; g < reader.num_row_groups(); ++g) {
    if (reader.row_group(g).num_rows > kMaxFuzzedRows) return 0;
  }
  (void)reader.created_by();
  (void)reader.metadata_value("tenantdb.schema");

  // Every readable column, in file order, as the file declares it.
  const std::shared_ptr<const Schema>& schema = reader.schema();
  std::vector<ParquetColumnRange> ranges;
  for (size_t g = 0; g < reader.num_row_groups(); ++g) {
    for (const Field& f : schema->fields()) {
      const ParquetColumnStats* stats = reader.column_stats(g, f.name);
      if (stats == nullptr || !stats->min || !stats->max) continue;
      ranges.push_back({f.name, stats->min, stats->max});
      (void)reader.RowGroupMayMatch(g, {{f.name, stats->max, std::nullopt}});
      (void)reader.RowGroupMayMatch(g, {{f.name, std::nullopt, stats->min}});
    }
  }
  (void)reader.Read(schema, ranges);
  for (size_t g = 0; g < reader.num_row_groups(); ++g)
    (void)reader.ReadRowGroup(g, schema);
  ReadPageIndex(reader);
  return 0;
}
