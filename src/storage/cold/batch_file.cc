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

std::string BatchFileName(uint64_t batch_number) {
  std::string name(kPrefix);
  name += std::to_string(batch_number);
  name += kSuffix;
  return name;
}

std::optional<uint64_t> ParseBatchFileName(std::string_view name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  std::string_view digits =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
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

Status WriteBatchFile(const std::string& directory, uint64_t batch_number, const Batch& rows,
                      uint32_t schema_version, const ParquetWriterOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return IoError("cannot create directory", directory, ec.value());
  const std::string final_path = directory + "/" + BatchFileName(batch_number);
  const std::string temp_path = final_path + std::string(kTempSuffix);

  ParquetWriterOptions with_version = options;
  with_version.key_value_metadata.emplace_back(std::string(kSchemaVersionKey),
                                               std::to_string(schema_version));
  with_version.sync_on_close = true;
  {
    // Any failure (ENOSPC above all) removes the partial temporary file at once: on a
    // full disk, leaving it for the next flush would keep the disk full.
    auto writer = ParquetWriter::Open(temp_path, rows.schema(), with_version);
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

Result<size_t> RemoveUnlistedFiles(const std::string& directory, const std::set<uint64_t>& listed) {
  std::error_code ec;
  if (!std::filesystem::exists(directory, ec)) return size_t{0};
  size_t removed = 0;
  for (const auto& item : std::filesystem::directory_iterator(directory, ec)) {
    if (!item.is_regular_file()) continue;
    const std::string name = item.path().filename().string();
    const auto number = ParseBatchFileName(name);
    const bool temporary = name.ends_with(kTempSuffix) && name.starts_with(kPrefix);
    if (temporary || (number && !listed.contains(*number))) {
      std::filesystem::remove(item.path(), ec);
      if (ec) return IoError("cannot remove", item.path().string(), ec.value());
      ++removed;
    }
  }
  if (ec) return IoError("cannot list", directory, ec.value());
  if (removed > 0) TDB_RETURN_IF_ERROR(SyncDirectory(directory));
  return removed;
}

}  // namespace tenantdb
