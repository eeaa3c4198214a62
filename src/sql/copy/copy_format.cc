#include "sql/copy/copy_format.h"

#include <set>

namespace tenantdb::sql {

namespace {

Status BadOption(const std::string& message) {
  return Status(ErrorCode::kInvalidArgument, message);
}

Result<bool> ParseBool(const CopyOption& o) {
  std::string v;
  for (char c : o.value)
    v += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (v == "true" || v == "on" || v == "1" || v == "t" || v == "yes") return true;
  if (v == "false" || v == "off" || v == "0" || v == "f" || v == "no") return false;
  if (v == "match") return true;  // HEADER MATCH: the header line is skipped (not checked)
  return BadOption(o.name + " requires a Boolean value, not \"" + o.value + "\"");
}

Result<char> OneChar(const CopyOption& o) {
  if (o.value.size() != 1 || static_cast<unsigned char>(o.value[0]) >= 0x80) {
    return BadOption("COPY " + o.name + " must be a single one-byte character, not \"" + o.value +
                     "\"");
  }
  if (o.value[0] == '\r' || o.value[0] == '\n') {
    return BadOption("COPY " + o.name + " cannot be newline or carriage return");
  }
  return o.value[0];
}

}  // namespace

Result<CopyFormat> ParseCopyFormat(const std::vector<CopyOption>& options, bool is_from) {
  CopyFormat f;
  std::set<std::string> seen;
  bool has_null = false, has_quote = false, has_escape = false, has_delimiter = false;
  for (const CopyOption& o : options) {
    if (!seen.insert(o.name).second) {
      return Status(ErrorCode::kSyntaxError, "conflicting or redundant options: " + o.name);
    }
    if (o.name == "format") {
      if (o.value == "text") {
        f.kind = CopyFormatKind::kText;
      } else if (o.value == "csv") {
        f.kind = CopyFormatKind::kCsv;
      } else if (o.value == "binary") {
        f.kind = CopyFormatKind::kBinary;
      } else if (o.value == "parquet") {
        f.kind = CopyFormatKind::kParquet;
      } else {
        return BadOption("COPY format \"" + o.value +
                         "\" not recognized; use text, csv, binary or parquet");
      }
    } else if (o.name == "delimiter") {
      TDB_ASSIGN_OR_RETURN(f.delimiter, OneChar(o));
      has_delimiter = true;
    } else if (o.name == "null") {
      if (o.value.find_first_of("\r\n") != std::string::npos) {
        return BadOption("COPY null representation cannot use newline or carriage return");
      }
      f.null_string = o.value;
      has_null = true;
    } else if (o.name == "header") {
      TDB_ASSIGN_OR_RETURN(f.header, ParseBool(o));
    } else if (o.name == "quote") {
      TDB_ASSIGN_OR_RETURN(f.quote, OneChar(o));
      has_quote = true;
    } else if (o.name == "escape") {
      TDB_ASSIGN_OR_RETURN(f.escape, OneChar(o));
      has_escape = true;
    } else if (o.name == "force_quote") {
      f.force_quote_all = o.star;
      f.force_quote = o.list;
    } else if (o.name == "force_not_null") {
      f.force_not_null = o.list;
    } else if (o.name == "force_null") {
      f.force_null = o.list;
    } else if (o.name == "encoding") {
      std::string v;
      for (char c : o.value)
        if (c != '-' && c != '_') v += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      if (v != "UTF8" && v != "SQLASCII") {
        return Status(ErrorCode::kFeatureNotSupported,
                      "COPY encoding \"" + o.value + "\" is not supported; data is UTF-8");
      }
    } else if (o.name == "freeze") {
      TDB_ASSIGN_OR_RETURN(bool ignored, ParseBool(o));
      (void)ignored;  // every load is visible at once after commit anyway
    } else {
      return Status(ErrorCode::kSyntaxError, "option \"" + o.name + "\" not recognized");
    }
  }
  const bool csv = f.kind == CopyFormatKind::kCsv;
  if (f.kind == CopyFormatKind::kParquet &&
      (has_delimiter || has_null || f.header || has_quote || has_escape)) {
    return BadOption("cannot specify DELIMITER, NULL, HEADER, QUOTE or ESCAPE in PARQUET mode");
  }
  if (f.kind == CopyFormatKind::kBinary &&
      (has_delimiter || has_null || f.header || has_quote || has_escape)) {
    return BadOption("cannot specify DELIMITER, NULL, HEADER, QUOTE or ESCAPE in BINARY mode");
  }
  if (csv) {
    if (!has_delimiter) f.delimiter = ',';
    if (!has_null) f.null_string = "";
    if (!has_escape) f.escape = f.quote;
    if (f.delimiter == f.quote) {
      return BadOption("COPY delimiter and quote must be different");
    }
  } else {
    if (has_quote) return Status(ErrorCode::kFeatureNotSupported, "COPY QUOTE requires CSV mode");
    if (has_escape) {
      return Status(ErrorCode::kFeatureNotSupported, "COPY ESCAPE requires CSV mode");
    }
    if (f.header && f.kind == CopyFormatKind::kText) {
      // PostgreSQL 15 allows HEADER with text; so do we (the first line is skipped).
    }
    if (f.delimiter == '\\' || (f.delimiter >= 'a' && f.delimiter <= 'z') ||
        (f.delimiter >= '0' && f.delimiter <= '9') || f.delimiter == '.') {
      return BadOption(std::string("COPY delimiter cannot be \"") + f.delimiter + "\"");
    }
  }
  if (f.kind != CopyFormatKind::kBinary && f.kind != CopyFormatKind::kParquet &&
      f.null_string.find(f.delimiter) != std::string::npos) {
    return BadOption("COPY delimiter must not appear in the NULL specification");
  }
  if (!csv && (!f.force_quote.empty() || f.force_quote_all || !f.force_not_null.empty() ||
               !f.force_null.empty())) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "COPY FORCE_QUOTE, FORCE_NOT_NULL and FORCE_NULL require CSV mode");
  }
  if (is_from && (f.force_quote_all || !f.force_quote.empty())) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "COPY FORCE_QUOTE cannot be used with COPY FROM");
  }
  if (!is_from && (!f.force_not_null.empty() || !f.force_null.empty())) {
    return Status(ErrorCode::kFeatureNotSupported,
                  "COPY FORCE_NOT_NULL and FORCE_NULL can only be used with COPY FROM");
  }
  return f;
}

}  // namespace tenantdb::sql
