// CopyDecoder: cuts COPY FROM data (text, CSV or binary, copy_format.h) into records and fields,
// fed in chunks of any size as they arrive (a pgwire CopyData message, a file read), so
// a row may span chunks and nothing waits for the whole input.
//
//   text  a record is a line (\n, \r\n or \r\n-less last line); fields split at the
//         unescaped delimiter; a field whose raw text equals the NULL string is NULL;
//         backslash escapes are decoded (\t \n \r \b \f \v \\ \ooo \xhh, \c is c)
//   csv   a record ends at a newline outside quotes (quoted fields may hold newlines);
//         "" inside quotes is a quote (or ESCAPE then quote/escape); an unquoted field
//         equal to the NULL string is NULL (FORCE_NOT_NULL columns: the empty string),
//         a quoted one is text (FORCE_NULL columns: NULL when it equals the NULL string)
//   binary  copy_binary.h's layout: a record is a tuple, its fields the raw value bytes
//         (the caller reads them with ParseBinaryField); the int16 -1 trailer ends the
//         data (data may also end after a whole tuple, as PostgreSQL accepts)
//
// A line holding only `\.` ends the data (what old clients send last); anything after
// it is ignored. With HEADER the first record is skipped. Records are numbered from 1
// (the header included) as PostgreSQL's "line N" in errors counts them (a record whose
// quoted field holds newlines is one line).
//
// Errors: character_not_in_repertoire (22021) for a record that is not UTF-8,
// invalid_text_representation (22P02) for an unterminated quoted CSV field at the end,
// request_too_large (54000) for one record over max_record_bytes. Each names its line.
//
// Cost: one pass over the bytes; unescaped fields are views into the input, not copies.
// Memory: the unfinished record plus the current chunk.
// Thread safety: one decoder per COPY, used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "sql/copy/copy_format.h"

namespace tenantdb::sql {

struct CopyField {
  std::string_view text;  // decoded; empty for NULL
  bool null = false;
};

class CopyDecoder {
 public:
  // Called with each record: its 1-based line number and fields (views valid only
  // during the call). An error stops the decoding and is returned by Feed / Finish.
  using RecordFn = std::function<Status(uint64_t line, const std::vector<CopyField>& fields)>;

  // `column_names` (the copied columns, in order) resolve FORCE_NOT_NULL / FORCE_NULL
  // (an unknown name is undefined_column, checked by Make).
  static Result<CopyDecoder> Make(const CopyFormat& format,
                                  const std::vector<std::string>& column_names,
                                  size_t max_record_bytes = size_t{256} << 20);

  // Decodes the complete records `chunk` finishes; keeps the rest for the next call.
  Status Feed(std::string_view chunk, const RecordFn& on_record);
  // The end of the data: decodes a last record that had no newline.
  Status Finish(const RecordFn& on_record);

  // What errors name before "line N": "COPY" unless set (read_csv names its file).
  void set_error_context(std::string context) { error_context_ = std::move(context); }

  // Whether `\.` ended the data.
  bool ended() const { return ended_; }
  // Records seen so far, the header included.
  uint64_t lines() const { return line_; }

 private:
  explicit CopyDecoder(const CopyFormat& format) : format_(format) {}

  // The length of the record starting at `data` (without its newline) and the newline's
  // length, or npos when `data` holds no complete record yet. CSV scans from `from`
  // with the quote state `in_quote` (both kept across calls for a long record).
  size_t FindRecordEnd(std::string_view data, size_t* newline_length);
  Status DecodeRecord(std::string_view record, const RecordFn& on_record);
  Status FeedBinary(std::string_view chunk, const RecordFn& on_record);
  Status SplitText(std::string_view record);
  Status SplitCsv(std::string_view record);
  Status Error(ErrorCode code, const std::string& message) const;

  CopyFormat format_;
  std::string error_context_ = "COPY";
  std::vector<bool> force_not_null_;  // per column
  std::vector<bool> force_null_;
  size_t max_record_bytes_ = 0;
  std::string pending_;  // an unfinished record from earlier chunks
  size_t scanned_ = 0;   // bytes of pending_ already scanned for the record's end (CSV)
  bool scan_in_quote_ = false;
  uint64_t line_ = 0;
  bool ended_ = false;
  bool binary_header_done_ = false;
  // Per record: where each field's decoded text lives (raw record or scratch_).
  struct Span {
    bool in_scratch;
    size_t begin, length;
    bool null;
  };
  std::vector<Span> spans_;
  std::string scratch_;
  std::vector<CopyField> fields_;
};

}  // namespace tenantdb::sql
