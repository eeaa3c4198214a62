#include "storage/cold/batch_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

namespace tenantdb {

namespace {

constexpr std::string_view kPrefix = "batch-";
constexpr std::string_view kSuffix = ".parquet";
constexpr std::string_view kTempSuffix = ".tmp";

// ENOSPC gets its own code: the caller can do nothing but free space and retry.
Status IoError(const std::string& what, const std::string& path, int err) {
  const ErrorCode code =
      err == ENOSPC || err == EDQUOT ? ErrorCode::kDiskFull : ErrorCode::kIoError;
  return Status(code, what + " " + path + ": " + std::strerror(err));
}

}  // namespace

std::string BatchFileName(uint32_t table_number, uint64_t batch_number) {
  std::string name(kPrefix);
  name += std::to_string(table_number);
  name += '-';
  name += std::to_string(batch_number);
  name += kSuffix;
  return name;
}

namespace {

// A decimal number without leading zeros that fills `digits`.
std::optional<uint64_t> ParseNumber(std::string_view digits) {
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

}  // namespace

std::optional<BatchFileId> ParseBatchFileName(std::string_view name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  std::string_view numbers =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  const size_t dash = numbers.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto table = ParseNumber(numbers.substr(0, dash));
  const auto batch = ParseNumber(numbers.substr(dash + 1));
  if (!table || !batch || *table > UINT32_MAX) return std::nullopt;
  return BatchFileId{static_cast<uint32_t>(*table), *batch};
}

std::shared_ptr<const Schema> ColdFileSchema(const Schema& table_schema) {
  std::vector<Field> fields = table_schema.fields();
  // A delete marker holds only its key: every other column must accept NULL in files.
  for (Field& f : fields) {
    if (!f.primary_key) f.nullable = true;
  }
  fields.push_back({std::string(kDeletedColumn), DataType::kBoolean, false, false, ""});
  return std::make_shared<Schema>(std::move(fields), table_schema.metadata());
}

Status SyncDirectory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open directory", directory, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("cannot fsync directory", directory, err);
  return Status::Ok();
}

Status WriteBatchFile(const std::string& directory, uint32_t table_number, uint64_t batch_number,
                      const Batch& rows, uint32_t schema_version,
                      const ParquetWriterOptions& options) {
  std::error_code ec;
  const std::string final_path = directory + "/" + BatchFileName(table_number, batch_number);
  const std::string temp_path = final_path + std::string(kTempSuffix);

  ParquetWriterOptions with_version = options;
  with_version.key_value_metadata.emplace_back(std::string(kSchemaVersionKey),
                                               std::to_string(schema_version));
  with_version.sync_on_close = true;
  {
    // The erasure of a dropped table that shared this directory removes it once empty;
    // if that happens between creating it and creating our file, create it again.
    Result<std::unique_ptr<ParquetWriter>> writer = Status(ErrorCode::kIoError, "not opened");
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::filesystem::create_directories(directory, ec);
      if (ec) return IoError("cannot create directory", directory, ec.value());
      writer = ParquetWriter::Open(temp_path, rows.schema(), with_version);
      if (writer.ok() || std::filesystem::exists(directory, ec)) break;
    }
    // Any failure (ENOSPC above all) removes the partial temporary file at once: on a
    // full disk, leaving it for the next flush would keep the disk full.
    Status s = writer.ok() ? (*writer)->Write(rows) : writer.status();
    if (s.ok()) s = (*writer)->Close();
    if (!s.ok()) {
      if (writer.ok()) writer->reset();  // closes the descriptor before the unlink
      std::filesystem::remove(temp_path, ec);
      return s;
    }
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    const int err = errno;
    std::filesystem::remove(temp_path, ec);
    return IoError("cannot rename into", final_path, err);
  }
  return SyncDirectory(directory);
}

Result<size_t> RemoveUnlistedFiles(const std::string& directory, uint32_t table_number,
                                   const std::set<uint64_t>& listed) {
  std::error_code ec;
  if (!std::filesystem::exists(directory, ec)) return size_t{0};
  size_t removed = 0;
  for (const auto& item : std::filesystem::directory_iterator(directory, ec)) {
    if (!item.is_regular_file()) continue;
    const std::string filename = item.path().filename().string();
    std::string_view name = filename;
    const bool temporary = name.ends_with(kTempSuffix);
    if (temporary) name.remove_suffix(kTempSuffix.size());
    const auto id = ParseBatchFileName(name);
    if (!id || id->table_number != table_number) continue;  // not this table's
    if (temporary || !listed.contains(id->batch_number)) {
      std::filesystem::remove(item.path(), ec);
      if (ec) return IoError("cannot remove", item.path().string(), ec.value());
      ++removed;
    }
  }
  if (ec) return IoError("cannot list", directory, ec.value());
  if (removed > 0) TDB_RETURN_IF_ERROR(SyncDirectory(directory));
  return removed;
}

Status RemoveEmptyDirectories(const std::string& directory, const std::string& stop_at) {
  std::filesystem::path dir = std::filesystem::path(directory).lexically_normal();
  const std::filesystem::path stop = std::filesystem::path(stop_at).lexically_normal();
  while (dir.native().size() > stop.native().size() && dir.native().starts_with(stop.native())) {
    // rmdir, not remove_all: a directory a flush has just put a file into stays.
    if (::rmdir(dir.c_str()) != 0) break;
    dir = dir.parent_path();
  }
  return Status::Ok();
}

}  // namespace tenantdb
