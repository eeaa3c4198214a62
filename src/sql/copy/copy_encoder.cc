#include "sql/copy/copy_encoder.h"

#include <algorithm>

namespace tenantdb::sql {

Result<CopyEncoder> CopyEncoder::Make(const CopyFormat& format,
                                      const std::vector<std::string>& column_names) {
  CopyEncoder e(format);
  e.names_ = column_names;
  e.force_quote_.assign(column_names.size(), format.force_quote_all);
  for (const std::string& n : format.force_quote) {
    auto it = std::find(column_names.begin(), column_names.end(), n);
    if (it == column_names.end()) {
      return Status(ErrorCode::kUndefinedColumn,
                    "FORCE_QUOTE column \"" + n + "\" is not referenced by COPY");
    }
    e.force_quote_[static_cast<size_t>(it - column_names.begin())] = true;
  }
  return e;
}

void CopyEncoder::AppendHeader(std::string* out) const {
  if (!format_.header) return;
  // Names are quoted only when they need it: FORCE_QUOTE is for the data (as PostgreSQL).
  for (size_t i = 0; i < names_.size(); ++i) {
    if (i > 0) out->push_back(format_.delimiter);
    if (format_.csv()) {
      AppendCsv(names_[i], false, out);
    } else {
      AppendText(names_[i], out);
    }
  }
  EndRow(out);
}

void CopyEncoder::AppendField(size_t column, std::optional<std::string_view> text,
                              std::string* out) const {
  if (column > 0) out->push_back(format_.delimiter);
  if (!text.has_value()) {
    out->append(format_.null_string);
    return;
  }
  if (format_.csv()) {
    AppendCsv(*text, column < force_quote_.size() && force_quote_[column], out);
  } else {
    AppendText(*text, out);
  }
}

void CopyEncoder::AppendText(std::string_view text, std::string* out) const {
  const char delimiter = format_.delimiter;
  size_t plain = 0;  // start of the run not yet appended
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    char escaped = 0;
    switch (c) {
      case '\\':
        escaped = '\\';
        break;
      case '\n':
        escaped = 'n';
        break;
      case '\r':
        escaped = 'r';
        break;
      case '\t':
        escaped = 't';
        break;
      case '\b':
        escaped = 'b';
        break;
      case '\f':
        escaped = 'f';
        break;
      case '\v':
        escaped = 'v';
        break;
      default:
        if (c == delimiter) escaped = c;
        break;
    }
    if (escaped == 0) continue;
    out->append(text.substr(plain, i - plain));
    out->push_back('\\');
    out->push_back(escaped);
    plain = i + 1;
  }
  out->append(text.substr(plain));
}

void CopyEncoder::AppendCsv(std::string_view text, bool force, std::string* out) const {
  const char quote = format_.quote, escape = format_.escape;
  bool needs = force || text == format_.null_string || text == "\\.";
  for (size_t i = 0; !needs && i < text.size(); ++i) {
    const char c = text[i];
    needs = c == format_.delimiter || c == quote || c == '\n' || c == '\r';
  }
  if (!needs) {
    out->append(text);
    return;
  }
  out->push_back(quote);
  for (char c : text) {
    if (c == quote || c == escape) out->push_back(escape);
    out->push_back(c);
  }
  out->push_back(quote);
}

}  // namespace tenantdb::sql
