#include "sql/copy/csv_file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "sql/function/text_input.h"

namespace tenantdb::sql {

namespace {

constexpr size_t kChunkBytes = size_t{64} << 10;

std::string Quoted(const std::string& path) {
  return "\"" + path + "\"";
}

// Opens `path` for reading, refusing anything but a regular file: O_NONBLOCK so that a
// FIFO swapped in since the statement was bound cannot block the open.
Result<int> OpenRegularFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return Status(ErrorCode::kIoError,
                  "could not open file " + Quoted(path) + " for reading: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(ErrorCode::kIoError, Quoted(path) + " is not a regular file");
  }
  return fd;
}

// Reads up to `size` bytes; 0 at the end of the file.
Result<size_t> ReadChunk(int fd, const std::string& path, char* buffer, size_t size) {
  while (true) {
    const ssize_t n = ::read(fd, buffer, size);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return Status(ErrorCode::kIoError,
                  "could not read file " + Quoted(path) + ": " + std::strerror(errno));
  }
}

Result<CopyDecoder> MakeDecoder(const CopyFormat& format, const std::string& path) {
  TDB_ASSIGN_OR_RETURN(CopyDecoder decoder, CopyDecoder::Make(format, {}, kMaxCsvRecordBytes));
  decoder.set_error_context("read_csv " + Quoted(path));
  return decoder;
}

// Feeds the file `fd` to `decoder` chunk by chunk until the end or until `*stop`.
Status DecodeFile(int fd, const std::string& path, CopyDecoder& decoder,
                  const CopyDecoder::RecordFn& on_record, const bool* stop) {
  std::string buffer(kChunkBytes, '\0');
  while (!*stop) {
    TDB_ASSIGN_OR_RETURN(size_t n, ReadChunk(fd, path, buffer.data(), buffer.size()));
    if (n == 0) return decoder.Finish(on_record);
    TDB_RETURN_IF_ERROR(decoder.Feed(std::string_view(buffer.data(), n), on_record));
  }
  return Status::Ok();
}

Status FieldCountError(const std::string& path, uint64_t line, size_t got, size_t want) {
  return Status(ErrorCode::kInvalidTextRepresentation,
                "read_csv " + Quoted(path) + " line " + std::to_string(line) + " has " +
                    std::to_string(got) + (got == 1 ? " field" : " fields") + ", expected " +
                    std::to_string(want) + " (every line needs one field per column)");
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// `text` from `at` starts with `n` digits.
bool Digits(std::string_view text, size_t at, size_t n) {
  if (at + n > text.size()) return false;
  for (size_t i = at; i < at + n; ++i)
    if (!IsDigit(text[i])) return false;
  return true;
}

// YYYY-MM-DD exactly (ParseTextAs also takes BC and a time part; inference does not).
bool LooksLikeDate(std::string_view t) {
  return t.size() == 10 && Digits(t, 0, 4) && t[4] == '-' && Digits(t, 5, 2) && t[7] == '-' &&
         Digits(t, 8, 2);
}

// YYYY-MM-DD[( |T)HH:MM[:SS[.f...]]], no zone: the zone-less TIMESTAMP text.
bool LooksLikeTimestamp(std::string_view t) {
  if (t.size() < 10 || !LooksLikeDate(t.substr(0, 10))) return false;
  if (t.size() == 10) return true;
  if ((t[10] != ' ' && t[10] != 'T') || !Digits(t, 11, 2) || t.size() < 16 || t[13] != ':' ||
      !Digits(t, 14, 2)) {
    return false;
  }
  if (t.size() == 16) return true;
  if (t[16] != ':' || !Digits(t, 17, 2)) return false;
  if (t.size() == 19) return true;
  return t[19] == '.' && t.size() > 20 && Digits(t, 20, t.size() - 20);
}

bool IsBooleanWord(std::string_view t) {
  std::string lower;
  for (char c : t)
    lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  // t / f too: what COPY TO (and PostgreSQL) writes for a boolean.
  return lower == "true" || lower == "false" || lower == "t" || lower == "f";
}

// The types a column may still have, narrowed value by value.
struct Candidates {
  bool bigint = true, dbl = true, boolean = true, date = true, timestamp = true;
  bool seen = false;  // a non-NULL value

  void Narrow(std::string_view t) {
    seen = true;
    if (bigint) bigint = ParseTextAs(t, DataType::kBigInt).ok();
    // strtod also reads "nan" and "inf"; a number column has digits.
    if (dbl) {
      dbl = t.find_first_of("0123456789") != std::string_view::npos &&
            ParseTextAs(t, DataType::kDouble).ok();
    }
    if (boolean) boolean = IsBooleanWord(t);
    if (date) date = LooksLikeDate(t) && ParseTextAs(t, DataType::kDate).ok();
    if (timestamp) timestamp = LooksLikeTimestamp(t) && ParseTextAs(t, DataType::kTimestamp).ok();
  }

  DataType Type() const {
    if (!seen) return DataType::kText;
    if (bigint) return DataType::kBigInt;
    if (dbl) return DataType::kDouble;
    if (boolean) return DataType::kBoolean;
    if (date) return DataType::kDate;
    if (timestamp) return DataType::kTimestamp;
    return DataType::kText;
  }
};

// Column names from a header record: an empty name is columnN, a repeated one name_N.
std::vector<std::string> HeaderNames(const std::vector<CopyField>& fields) {
  std::vector<std::string> names;
  std::set<std::string> taken;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string base = fields[i].null || fields[i].text.empty() ? "column" + std::to_string(i)
                                                                : std::string(fields[i].text);
    std::string name = base;
    for (size_t n = 1; !taken.insert(name).second; ++n)
      name = base + "_" + std::to_string(n);
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

Result<std::vector<Field>> InferCsvColumns(const std::string& path, const CopyFormat& format,
                                           size_t sample_rows) {
  // The header is read here as a record, not skipped by the decoder.
  CopyFormat raw = format;
  raw.header = false;
  TDB_ASSIGN_OR_RETURN(CopyDecoder decoder, MakeDecoder(raw, path));
  TDB_ASSIGN_OR_RETURN(int fd, OpenRegularFile(path));
  std::vector<std::string> names;
  std::vector<Candidates> candidates;
  bool have_columns = false, stop = false;
  size_t sampled = 0;
  const CopyDecoder::RecordFn on_record = [&](uint64_t line,
                                              const std::vector<CopyField>& fields) -> Status {
    if (!have_columns) {
      have_columns = true;
      candidates.resize(fields.size());
      if (format.header) {
        names = HeaderNames(fields);
        return Status::Ok();
      }
      for (size_t i = 0; i < fields.size(); ++i)
        names.push_back("column" + std::to_string(i));
    }
    if (fields.size() != names.size()) {
      return FieldCountError(path, line, fields.size(), names.size());
    }
    for (size_t i = 0; i < fields.size(); ++i)
      if (!fields[i].null) candidates[i].Narrow(fields[i].text);
    stop = ++sampled >= sample_rows;
    // Stops the decoding of this chunk; `stop` tells it from a real error.
    return stop ? Status(ErrorCode::kQueryCanceled, "sample complete") : Status::Ok();
  };
  Status s = DecodeFile(fd, path, decoder, on_record, &stop);
  ::close(fd);
  if (!s.ok() && !stop) return s;
  if (!have_columns) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "read_csv cannot find the columns of " + Quoted(path) +
                      ": it is empty (name them with columns => 'name type, ...')");
  }
  std::vector<Field> columns;
  for (size_t i = 0; i < names.size(); ++i)
    columns.push_back(Field{names[i], candidates[i].Type(), true, false, ""});
  return columns;
}

CsvFileReader::CsvFileReader(std::string path, int fd, CopyDecoder decoder,
                             std::shared_ptr<const Schema> schema, std::vector<bool> wanted)
    : path_(std::move(path)),
      fd_(fd),
      decoder_(std::move(decoder)),
      schema_(std::move(schema)),
      wanted_(std::move(wanted)) {
  if (wanted_.empty()) wanted_.assign(schema_->num_fields(), true);
}

CsvFileReader::~CsvFileReader() {
  ::close(fd_);
}

Result<std::unique_ptr<CsvFileReader>> CsvFileReader::Open(const std::string& path,
                                                           const CopyFormat& format,
                                                           std::shared_ptr<const Schema> schema,
                                                           std::vector<bool> wanted) {
  TDB_ASSIGN_OR_RETURN(CopyDecoder decoder, MakeDecoder(format, path));
  TDB_ASSIGN_OR_RETURN(int fd, OpenRegularFile(path));
  return std::unique_ptr<CsvFileReader>(
      new CsvFileReader(path, fd, std::move(decoder), std::move(schema), std::move(wanted)));
}

Status CsvFileReader::OnRecord(uint64_t line, const std::vector<CopyField>& fields) {
  const size_t columns = schema_->num_fields();
  if (fields.size() != columns) return FieldCountError(path_, line, fields.size(), columns);
  for (size_t c = 0; c < columns; ++c) {
    if (!wanted_[c]) continue;
    ColumnVector& column = batch_->mutable_column(c);
    const CopyField& f = fields[c];
    const DataType type = schema_->field(c).type;
    if (f.null) {
      column.AppendNull();
    } else if (type == DataType::kText) {
      column.AppendBytes(f.text);
    } else {
      Result<Value> v = ParseTextAs(f.text, type);
      if (!v.ok()) {
        return Status(v.status().code(), "read_csv " + Quoted(path_) + " line " +
                                             std::to_string(line) + ", column \"" +
                                             schema_->field(c).name +
                                             "\": " + std::string(v.status().message()));
      }
      column.Append(*v);
    }
  }
  ++rows_;
  return Status::Ok();
}

Result<std::optional<Batch>> CsvFileReader::Next(size_t min_rows) {
  if (eof_) return std::optional<Batch>();
  batch_.emplace(schema_);
  rows_ = 0;
  const CopyDecoder::RecordFn on_record = [this](uint64_t line,
                                                 const std::vector<CopyField>& fields) {
    return OnRecord(line, fields);
  };
  buffer_.resize(kChunkBytes);
  while (rows_ < min_rows && !eof_) {
    TDB_ASSIGN_OR_RETURN(size_t n, ReadChunk(fd_, path_, buffer_.data(), buffer_.size()));
    if (n == 0) {
      eof_ = true;
      TDB_RETURN_IF_ERROR(decoder_.Finish(on_record));
    } else {
      TDB_RETURN_IF_ERROR(decoder_.Feed(std::string_view(buffer_.data(), n), on_record));
      eof_ = decoder_.ended();  // a `\.` line ends the data, as in COPY
    }
  }
  if (rows_ == 0) return std::optional<Batch>();
  for (size_t c = 0; c < wanted_.size(); ++c)
    if (!wanted_[c]) batch_->mutable_column(c).AppendNulls(rows_);
  std::optional<Batch> out = std::move(batch_);
  batch_.reset();
  return out;
}

}  // namespace tenantdb::sql
