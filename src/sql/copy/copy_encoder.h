// CopyEncoder: writes rows in COPY TO's text or CSV format (copy_format.h) — the inverse
// of CopyDecoder, so what COPY TO writes COPY FROM reads back unchanged.
//
//   text  NULL as the NULL string (\N); backslash, newline, carriage return, tab,
//         backspace, form feed, vertical tab and the delimiter escaped with a backslash
//   csv   NULL as the NULL string (unquoted empty); a value quoted when it holds the
//         delimiter, the quote, a newline or carriage return, equals the NULL string
//         (so the empty string is "") or is `\.`; FORCE_QUOTE columns always (non-NULL);
//         inside quotes the quote and escape characters are preceded by ESCAPE
//
// Values come as PostgreSQL's text output (Value::ToString). Each row ends with "\n".
// Thread safety: one encoder per COPY, one thread; stateless between rows.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/copy/copy_format.h"

namespace tenantdb::sql {

class CopyEncoder {
 public:
  // `column_names` are the copied columns in order (for HEADER and FORCE_QUOTE; an
  // unknown FORCE_QUOTE column is undefined_column).
  static Result<CopyEncoder> Make(const CopyFormat& format,
                                  const std::vector<std::string>& column_names);

  // The header line (CSV / text with HEADER), or nothing.
  void AppendHeader(std::string* out) const;
  // One field of a row: `column` is its 0-based index (a delimiter goes before all but
  // the first); nullopt is NULL.
  void AppendField(size_t column, std::optional<std::string_view> text, std::string* out) const;
  void EndRow(std::string* out) const { out->push_back('\n'); }

  const CopyFormat& format() const { return format_; }

 private:
  explicit CopyEncoder(const CopyFormat& format) : format_(format) {}
  void AppendText(std::string_view text, std::string* out) const;
  void AppendCsv(std::string_view text, bool force, std::string* out) const;

  CopyFormat format_;
  std::vector<std::string> names_;
  std::vector<bool> force_quote_;
};

}  // namespace tenantdb::sql
