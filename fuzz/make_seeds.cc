// Writes the codec fuzz targets' seed inputs with the real encoders, so the checked-in
// seeds follow the formats when they change: `fuzz_make_seeds fuzz/corpus` rewrites
// corpus/{row_codec,key_codec,catalog_codec,parquet_page}_fuzz/seed-* and
// corpus/parquet_fuzz/seed-tenantdb-page-index.parquet. Each seed is the layout bytes
// the target reads first (fuzz_input.h) followed by encoded bytes.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "catalog/catalog_codec.h"
#include "storage/cold/parquet_reader.h"
#include "storage/cold/parquet_writer.h"
#include "storage/hot/key_codec.h"
#include "storage/hot/row_codec.h"
#include "types/batch.h"
#include "types/value.h"

namespace tenantdb {
namespace {

void Write(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
  std::filesystem::create_directories(dir);
  FILE* f = std::fopen((dir / name).c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
  std::fclose(f);
}

uint8_t TypeIndex(DataType type) {
  for (size_t i = 0; i < sizeof(kAllDataTypes) / sizeof(kAllDataTypes[0]); ++i) {
    if (kAllDataTypes[i] == type) return static_cast<uint8_t>(i);
  }
  std::abort();
}

// One sample value of every type, and a second one.
std::vector<Value> Samples(int k) {
  Uuid u{};
  u[15] = static_cast<uint8_t>(k);
  return {Value::Boolean(k != 0),
          Value::SmallInt(static_cast<int16_t>(-3 + k)),
          Value::Int(-70000 + k),
          Value::BigInt(int64_t{1} << (40 + k)),
          Value::Real(1.5f * static_cast<float>(k)),
          Value::Double(k == 0 ? -0.0 : 1e300),
          Value::Text(k == 0 ? "" : std::string("h\0llo", 5)),
          Value::Bytea("\x01\xff"),
          Value::Date(19000 + k),
          Value::Timestamp(1700000000000000 + k),
          Value::TimestampTz(-1),
          Value::Json("{\"a\":[1,2]}"),
          Value::FromUuid(u)};
}

void RowSeeds(const std::filesystem::path& dir) {
  for (int k = 0; k < 2; ++k) {
    const std::vector<Value> values = Samples(k);
    std::vector<Field> fields;
    std::string layout(1, static_cast<char>(values.size()));
    std::vector<Value> row;
    for (size_t i = 0; i < values.size(); ++i) {
      Field f;
      f.name = "c" + std::to_string(i + 1);
      f.type = values[i].type();
      f.id = static_cast<uint32_t>(i + 1);
      fields.push_back(f);
      layout += static_cast<char>(TypeIndex(f.type));
      layout += '\1';  // nullable
      // Every third column NULL in the second row.
      row.push_back(k == 1 && i % 3 == 0 ? Value::Null(f.type) : values[i]);
    }
    layout += std::string{'\1', '\2', '\1', '\6'};  // drop column 3, add a DOUBLE
    for (size_t i = 0; i < values.size(); ++i)
      layout += static_cast<char>(i % 2);  // wanted
    Schema schema(fields, SchemaMetadata{});
    auto encoded = EncodeLiveRow(schema, 1, row, 1700000000000000);
    if (!encoded.ok()) std::abort();
    Write(dir, "seed-row-" + std::to_string(k), layout + *encoded);
  }
  Write(dir, "seed-tombstone", std::string(1, '\0') + std::string(4, '\0') + EncodeTombstone(1, 5));
}

void KeySeeds(const std::filesystem::path& dir) {
  const std::vector<Value> a = Samples(0), b = Samples(1);
  // Single columns of every type, then a few composite keys, with and without a user.
  for (size_t i = 0; i < a.size(); ++i) {
    std::string key;
    const DataType t = a[i].type();
    if (!AppendKeyColumn(t, b[i], &key).ok()) std::abort();
    Write(dir, "seed-key-" + std::to_string(i),
          std::string{'\0', static_cast<char>(TypeIndex(t))} + key);
  }
  const std::vector<DataType> types = {DataType::kText, DataType::kBigInt, DataType::kUuid};
  const std::vector<Value> values = {Value::Text(std::string("a\0b", 3)), Value::BigInt(-1), b[12]};
  std::string layout = {'\2', static_cast<char>(TypeIndex(types[0])),
                        static_cast<char>(TypeIndex(types[1])),
                        static_cast<char>(TypeIndex(types[2]))};
  std::string key;
  if (!AppendKeyColumns(types, values, &key).ok()) std::abort();
  Write(dir, "seed-composite", layout + key);
  Write(dir, "seed-user-composite", layout + EncodeUserPrefix(7, "alice") + key);
}

void CatalogSeeds(const std::filesystem::path& dir) {
  const NamespaceId ns = NamespaceId::Make("app").value();
  const TableId table = TableId::Make("app", "messages").value();
  const StorageId storage = StorageId::Make("local").value();
  auto seed = [&](char selector, const std::string& name, const std::string& bytes) {
    Write(dir, "seed-" + name, std::string(1, selector) + bytes);
  };
  seed(0, "namespace-key", NamespaceKey(ns).substr(1));
  seed(1, "table-key", TableKey(table).substr(1));
  seed(2, "storage-key", StorageKey(storage).substr(1));
  NamespaceInfo info{ns, 1700000000000000, {{"owner", "ops"}, {"tier", "gold"}}};
  seed(3, "namespace", EncodeNamespaceValue(info));
  TableRecord record;
  record.table_number = 1024;
  record.type = TableType::kUser;
  record.schema_version = 3;
  record.storage_id = storage;
  record.ttl_seconds = 60;
  seed(4, "table", EncodeTableValue(record));
  seed(5, "table-by-number", EncodeTableByNumberValue(table));
  std::vector<Field> fields;
  for (const Value& v : Samples(0)) {
    Field f;
    f.name = "c" + std::to_string(fields.size() + 1);
    f.type = v.type();
    f.nullable = !fields.empty();
    f.primary_key = fields.empty();
    f.default_expr = fields.size() == 2 ? "NOW()" : "";
    f.id = static_cast<uint32_t>(fields.size() + 1);
    fields.push_back(f);
  }
  seed(6, "schema", EncodeSchemaValue(Schema(fields, SchemaMetadata{})));
  seed(7, "storage",
       EncodeStorageValue(
           {storage, "/data/cold", "{namespace}/{tableName}/{userId}", "{namespace}/{tableName}"}));
  seed(8, "manifest-file",
       EncodeManifestFileValue(
           {3, "batch-1024-3.parquet", 1000, "\x01", "\x09", 5, 900, 1700000000000000}));
  seed(8, "counter", EncodeCounterValue(42));
  seed(9, "pending-erasure", EncodePendingErasureValue({7, table, TableType::kUser, storage}));
  seed(10, "user",
       EncodeUserValue({Role::kDba, 12, 1700000000000000,
                        "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$"
                        "kGl3xOHXRZBQvUX5Ba8MFjjBG2M3cvB3s+SfwFGyzpI"}));
  seed(10, "user-role-only", std::string(1, static_cast<char>(Role::kService)));
  seed(11, "revoked-token", EncodeRevokedTokenValue(1700000900));
  seed(12, "view",
       EncodeViewValue({"SELECT id, body FROM notes WHERE NOT done",
                        "app",
                        {{"id", DataType::kInt}, {"body", DataType::kText}},
                        {"app.notes"},
                        1700000000000000}));
}

// parquet_page_fuzz's kinds (the order of kKinds in parquet_page_fuzz.cc).
int PageKind(const ParquetColumnInfo& c) {
  using parquet::Type;
  switch (c.physical) {
    case Type::kBoolean:
      return 0;
    case Type::kInt32:
      if (c.conversion == ParquetConversion::kUint32ToInt64) return 4;
      return *c.type == DataType::kSmallInt ? 2 : *c.type == DataType::kDate ? 3 : 1;
    case Type::kInt64:
      return c.conversion == ParquetConversion::kMillisToMicros  ? 6
             : c.conversion == ParquetConversion::kNanosToMicros ? 7
                                                                 : 5;
    case Type::kInt96:
      return 8;
    case Type::kFloat:
      return 9;
    case Type::kDouble:
      return 10;
    case Type::kByteArray:
      return *c.type == DataType::kText ? 11 : 12;
    case Type::kFixedLenByteArray:
      return *c.type == DataType::kUuid ? 13 : 14;
  }
  return -1;
}

// Column chunks of every type our writer produces (dictionary and plain pages, NULLs,
// each codec), cut out of real files, for parquet_page_fuzz; and the files themselves.
void PageSeeds(const std::filesystem::path& dir, const std::filesystem::path& file_dir) {
  std::vector<Field> fields;
  for (const Value& v : Samples(0)) {
    Field f;
    f.name = "c" + std::to_string(fields.size() + 1);
    f.type = v.type();
    f.id = static_cast<uint32_t>(fields.size() + 1);
    fields.push_back(f);
  }
  auto schema = std::make_shared<const Schema>(fields, SchemaMetadata{});
  Batch batch(schema);
  for (int r = 0; r < 40; ++r) {
    std::vector<Value> row = Samples(r % 3 == 0 ? 0 : 1);
    if (r % 5 == 0)
      row[static_cast<size_t>(r) % row.size()] = Value::Null(row[r % row.size()].type());
    if (!batch.AppendRow(row).ok()) std::abort();
  }
  const char* names[] = {"none", "snappy", "zstd"};
  for (int codec = 0; codec < 3; ++codec) {
    const std::string path =
        (std::filesystem::temp_directory_path() / "make_seeds.parquet").string();
    ParquetWriterOptions options;
    options.compression = static_cast<ParquetCompression>(codec);
    options.dictionary_encoding = codec != 1;
    options.page_rows = 16;
    options.row_group_rows = 32;
    auto writer = ParquetWriter::Open(path, schema, options);
    if (!writer.ok() || !(*writer)->Write(batch).ok() || !(*writer)->Close().ok()) std::abort();
    auto reader = ParquetReader::Open(path);
    if (!reader.ok()) std::abort();
    FILE* f = std::fopen(path.c_str(), "rb");
    std::string bytes;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
      bytes.append(buf, n);
    std::fclose(f);
    std::filesystem::remove(path);
    if (codec == 2) Write(file_dir, "seed-tenantdb-page-index.parquet", bytes);
    // The first row group's chunks: the metadata says where each starts and how long it is.
    uint32_t footer_len = 0;
    std::memcpy(&footer_len, bytes.data() + bytes.size() - 8, 4);
    auto meta = parquet::ParseFileMetaData(
        reinterpret_cast<const uint8_t*>(bytes.data()) + bytes.size() - 8 - footer_len, footer_len);
    if (!meta.ok()) std::abort();
    const parquet::RowGroup& rg = meta->row_groups[0];
    for (size_t c = 0; c < (*reader)->columns().size(); ++c) {
      const ParquetColumnInfo& info = (*reader)->columns()[c];
      const parquet::ColumnMetaData& md = *rg.columns[c].meta_data;
      int64_t start = md.data_page_offset;
      if (md.dictionary_page_offset && *md.dictionary_page_offset > 0) {
        start = std::min(start, *md.dictionary_page_offset);
      }
      std::string layout = {static_cast<char>(PageKind(info)),
                            '\0',
                            '\1',
                            static_cast<char>(md.codec),
                            static_cast<char>(rg.num_rows & 0xff),
                            static_cast<char>(rg.num_rows >> 8)};
      Write(dir, "seed-" + std::string(names[codec]) + "-" + info.name,
            layout + bytes.substr(static_cast<size_t>(start),
                                  static_cast<size_t>(md.total_compressed_size)));
    }
  }
}

}  // namespace
}  // namespace tenantdb

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path corpus(argv[1]);
  tenantdb::RowSeeds(corpus / "row_codec_fuzz");
  tenantdb::KeySeeds(corpus / "key_codec_fuzz");
  tenantdb::CatalogSeeds(corpus / "catalog_codec_fuzz");
  tenantdb::PageSeeds(corpus / "parquet_page_fuzz", corpus / "parquet_fuzz");
  return 0;
}
