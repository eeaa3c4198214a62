// CSV files on the server for read_csv (binder_read_csv.cc, the FunctionScan operator):
// InferCsvColumns finds a file's columns when the statement is bound; CsvFileReader
// streams its rows when it runs. Both cut records with COPY's CopyDecoder, so quoting,
// NULLs, UTF-8 checks and line numbers are COPY FROM's (a line is a record: a quoted
// field's newlines do not start a new one; the header is line 1).
//
// Inference: names from the header record (an empty or repeated name becomes columnN /
// name_N), else column0, column1, ...; each column's type from the first `sample_rows`
// records after it — BIGINT if every non-NULL value is an integer, else DOUBLE if every
// one is a number, else BOOLEAN if each is true, false, t or f (any case), else DATE if each
// is YYYY-MM-DD, else TIMESTAMP if each is YYYY-MM-DD[ |T]HH:MM[:SS[.f]] (or a date),
// else TEXT (also a column with no non-NULL value in the sample).
//
// Errors (every message names the file and, for data, its line): io_error for a file
// that cannot be opened or read or is not a regular file; invalid_text_representation
// (22P02) for a value its column's type does not accept (a row after the sample that
// breaks the inferred type), a record with more or fewer fields than the columns, or an
// unterminated quoted field; character_not_in_repertoire for text that is not UTF-8;
// request_too_large for one record over kMaxCsvRecordBytes; feature_not_supported for
// inferring the columns of an empty file.
//
// Memory: one read chunk (64 KiB), one unfinished record and the batch being filled;
// never the whole file. Thread safety: a reader belongs to one operator (one thread).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sql/copy/copy_decoder.h"
#include "sql/copy/copy_format.h"
#include "types/batch.h"
#include "types/schema.h"

namespace tenantdb::sql {

// How many records after the header InferCsvColumns reads by default.
inline constexpr size_t kCsvSampleRows = 1000;
// The longest record read_csv accepts (a file with no newline stops there, not at EOF).
inline constexpr size_t kMaxCsvRecordBytes = size_t{64} << 20;

// The columns of the CSV file `path` in `format` (a CSV CopyFormat; `format.header`:
// the first record names them), typed from the first `sample_rows` records.
Result<std::vector<Field>> InferCsvColumns(const std::string& path, const CopyFormat& format,
                                           size_t sample_rows);

class CsvFileReader {
 public:
  // Opens `path` to read rows of `schema` (every record must have its column count).
  // `wanted` marks the columns converted (empty: all); the others come back NULL.
  static Result<std::unique_ptr<CsvFileReader>> Open(const std::string& path,
                                                     const CopyFormat& format,
                                                     std::shared_ptr<const Schema> schema,
                                                     std::vector<bool> wanted);
  ~CsvFileReader();
  CsvFileReader(const CsvFileReader&) = delete;
  CsvFileReader& operator=(const CsvFileReader&) = delete;

  // The next rows: at least `min_rows` (more when a chunk holds more) unless the file
  // ends first; std::nullopt once it has ended.
  Result<std::optional<Batch>> Next(size_t min_rows);

 private:
  CsvFileReader(std::string path, int fd, CopyDecoder decoder, std::shared_ptr<const Schema> schema,
                std::vector<bool> wanted);
  Status OnRecord(uint64_t line, const std::vector<CopyField>& fields);

  std::string path_;
  int fd_;
  CopyDecoder decoder_;
  std::shared_ptr<const Schema> schema_;
  std::vector<bool> wanted_;  // one per column
  bool eof_ = false;
  std::string buffer_;          // the chunk read
  std::optional<Batch> batch_;  // the rows of the batch being filled
  size_t rows_ = 0;
};

}  // namespace tenantdb::sql
