#include "cli/result_printer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "server/http/json_text.h"

namespace tenantdb::cli {

namespace {

bool RightAligned(DataType type) {
  return IsInteger(type) || IsFloatingPoint(type);
}

// Splits at '\n' (a trailing "\r" of a line is kept: it is data).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (true) {
    const size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

void Pad(std::string* out, size_t n) {
  out->append(n, ' ');
}

void TrimTrailingSpaces(std::string* line) {
  while (!line->empty() && line->back() == ' ')
    line->pop_back();
}

void AppendJsonString(std::string* out, std::string_view text) {
  // One JSON string escaper for the binary: the HTTP API's.
  server::http::AppendJsonString(text, out);
}

void AppendCsvField(std::string* out, std::string_view text) {
  if (!text.empty() && text.find_first_of(",\"\n\r") == std::string_view::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (const char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

// A cell as the table formats show it.
std::string CellText(const ColumnVector& column, size_t row, const TableOptions& options) {
  return column.IsNull(row) ? options.null_text : column.GetValue(row).ToString();
}

std::string RowCountLine(size_t rows) {
  return rows == 1 ? "(1 row)\n" : "(" + std::to_string(rows) + " rows)\n";
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table") return OutputFormat::kTable;
  if (text == "csv") return OutputFormat::kCsv;
  if (text == "json") return OutputFormat::kJson;
  return std::nullopt;
}

std::string FormatTable(const sql::QueryResult& result, const TableOptions& options) {
  if (!result.returns_rows()) {
    return result.command_tag.empty() ? std::string() : result.command_tag + "\n";
  }
  const Schema& schema = *result.schema;
  const size_t columns = schema.num_fields();
  std::vector<size_t> widths(columns);
  std::vector<bool> right(columns);
  for (size_t c = 0; c < columns; ++c) {
    widths[c] = DisplayWidth(schema.field(c).name);
    right[c] = RightAligned(schema.field(c).type);
  }
  // Every cell's text, row-major.
  std::vector<std::string> cells;
  cells.reserve(result.num_rows() * columns);
  size_t rows = 0;
  for (const Batch& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r, ++rows) {
      for (size_t c = 0; c < columns; ++c) {
        std::string text = CellText(batch.column(c), r, options);
        for (std::string_view line : SplitLines(text))
          widths[c] = std::max(widths[c], DisplayWidth(line));
        cells.push_back(std::move(text));
      }
    }
  }

  std::string out;
  std::string line;
  // Header: names centered (the odd space goes to the right, as in psql).
  for (size_t c = 0; c < columns; ++c) {
    const std::string& name = schema.field(c).name;
    const size_t slack = widths[c] - DisplayWidth(name);
    if (c > 0) line.push_back('|');
    line.push_back(' ');
    Pad(&line, slack / 2);
    line.append(name);
    Pad(&line, slack - slack / 2);
    line.push_back(' ');
  }
  TrimTrailingSpaces(&line);
  out.append(line).push_back('\n');
  for (size_t c = 0; c < columns; ++c) {
    if (c > 0) out.push_back('+');
    out.append(widths[c] + 2, '-');
  }
  out.push_back('\n');

  std::vector<std::vector<std::string_view>> lines(columns);
  for (size_t r = 0; r < rows; ++r) {
    size_t height = 1;
    for (size_t c = 0; c < columns; ++c) {
      lines[c] = SplitLines(cells[r * columns + c]);
      height = std::max(height, lines[c].size());
    }
    for (size_t h = 0; h < height; ++h) {
      line.clear();
      for (size_t c = 0; c < columns; ++c) {
        const std::string_view text = h < lines[c].size() ? lines[c][h] : std::string_view();
        const size_t slack = widths[c] - DisplayWidth(text);
        if (c > 0) line.push_back('|');
        line.push_back(' ');
        if (right[c]) Pad(&line, slack);
        line.append(text);
        if (!right[c]) Pad(&line, slack);
        line.push_back(h + 1 < lines[c].size() ? '+' : ' ');
      }
      TrimTrailingSpaces(&line);
      out.append(line).push_back('\n');
    }
  }
  out.append(RowCountLine(rows));
  return out;
}

std::string FormatExpanded(const sql::QueryResult& result, const TableOptions& options) {
  if (!result.returns_rows()) {
    return result.command_tag.empty() ? std::string() : result.command_tag + "\n";
  }
  const Schema& schema = *result.schema;
  const size_t columns = schema.num_fields();
  size_t name_width = 0;
  for (size_t c = 0; c < columns; ++c)
    name_width = std::max(name_width, DisplayWidth(schema.field(c).name));
  // Every cell's lines, and the widest line of all: psql sizes every record's header bar
  // by the widest value of the whole result.
  std::vector<std::string> cells;
  size_t value_width = 0;
  for (const Batch& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < columns; ++c) {
        std::string text = CellText(batch.column(c), r, options);
        for (std::string_view line : SplitLines(text))
          value_width = std::max(value_width, DisplayWidth(line));
        cells.push_back(std::move(text));
      }
    }
  }
  if (cells.empty()) return "(0 rows)\n";
  std::string out;
  std::string line;
  const size_t rows = cells.size() / columns;
  for (size_t r = 0; r < rows; ++r) {
    line = "-[ RECORD " + std::to_string(r + 1) + " ]";
    const size_t bar = name_width + 3 + value_width;
    if (line.size() < bar) line.append(bar - line.size(), '-');
    out.append(line).push_back('\n');
    for (size_t c = 0; c < columns; ++c) {
      const std::string& name = schema.field(c).name;
      const std::vector<std::string_view> lines = SplitLines(cells[r * columns + c]);
      for (size_t h = 0; h < lines.size(); ++h) {
        line.clear();
        if (h == 0) {
          line.append(name);
          Pad(&line, name_width - DisplayWidth(name));
        } else {
          Pad(&line, name_width);
        }
        line.append(" | ");
        line.append(lines[h]);
        if (h + 1 < lines.size()) {
          Pad(&line, value_width - DisplayWidth(lines[h]));
          line.push_back('+');
        }
        TrimTrailingSpaces(&line);
        out.append(line).push_back('\n');
      }
    }
  }
  return out;
}

std::string FormatCsv(const sql::QueryResult& result) {
  if (!result.returns_rows()) {
    return result.command_tag.empty() ? std::string() : result.command_tag + "\n";
  }
  const Schema& schema = *result.schema;
  std::string out;
  for (size_t c = 0; c < schema.num_fields(); ++c) {
    if (c > 0) out.push_back(',');
    AppendCsvField(&out, schema.field(c).name);
  }
  out.push_back('\n');
  for (const Batch& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) out.push_back(',');
        const ColumnVector& column = batch.column(c);
        if (!column.IsNull(r)) AppendCsvField(&out, column.GetValue(r).ToString());
      }
      out.push_back('\n');
    }
  }
  return out;
}

std::string FormatJson(const sql::QueryResult& result) {
  std::string out = "{\"columns\":[";
  if (result.returns_rows()) {
    const Schema& schema = *result.schema;
    for (size_t c = 0; c < schema.num_fields(); ++c) {
      if (c > 0) out.push_back(',');
      out.append("{\"name\":");
      AppendJsonString(&out, schema.field(c).name);
      out.append(",\"type\":");
      AppendJsonString(&out, DataTypeName(schema.field(c).type));
      out.push_back('}');
    }
  }
  out.append("],\"rows\":[");
  size_t rows = 0;
  for (const Batch& batch : result.batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r, ++rows) {
      if (rows > 0) out.push_back(',');
      out.push_back('[');
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        if (c > 0) out.push_back(',');
        server::http::AppendJsonValue(batch.column(c).GetValue(r), &out);
      }
      out.push_back(']');
    }
  }
  out.append("],\"row_count\":");
  out.append(std::to_string(result.returns_rows() ? rows : result.rows_affected));
  out.append(",\"tag\":");
  AppendJsonString(&out, result.command_tag);
  out.append("}\n");
  return out;
}

std::string FormatResult(const sql::QueryResult& result, OutputFormat format,
                         const TableOptions& table) {
  switch (format) {
    case OutputFormat::kTable:
      return table.expanded ? FormatExpanded(result, table) : FormatTable(result, table);
    case OutputFormat::kCsv:
      return FormatCsv(result);
    case OutputFormat::kJson:
      return FormatJson(result);
  }
  return {};
}

std::optional<size_t> ErrorPosition(std::string_view message) {
  static constexpr std::string_view kMarker = "at position ";
  const size_t at = message.rfind(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + kMarker.size();
  size_t n = 0;
  const size_t digits_start = i;
  while (i < message.size() && message[i] >= '0' && message[i] <= '9' && i - digits_start < 12) {
    n = n * 10 + static_cast<size_t>(message[i] - '0');
    ++i;
  }
  if (i == digits_start || n == 0) return std::nullopt;
  return n;
}

std::string FormatNotices(const sql::QueryResult& result) {
  std::string out;
  for (const std::string& notice : result.notices)
    out.append("NOTICE:  ").append(notice).push_back('\n');
  return out;
}

std::string FormatError(const Status& status, std::string_view statement) {
  std::string out = "ERROR:  ";
  out.append(status.code_name());
  out.append(" (");
  out.append(status.sqlstate());
  out.append("): ");
  out.append(status.message());
  out.push_back('\n');
  const std::optional<size_t> position = ErrorPosition(status.message());
  if (!position || statement.empty()) return out;

  // Find the line holding character *position (1-based; past the end means the end of
  // input) and that character's column within the line.
  size_t line_number = 1;
  size_t line_start = 0;
  size_t column = 0;  // characters before the error's character on its line
  size_t chars = 0;   // characters before byte i
  size_t i = 0;
  for (; i < statement.size(); ++i) {
    const auto c = static_cast<unsigned char>(statement[i]);
    if ((c & 0xC0) == 0x80) continue;  // a UTF-8 continuation byte
    if (chars + 1 == *position) break;
    ++chars;
    if (c == '\n') {
      ++line_number;
      line_start = i + 1;
      column = 0;
    } else {
      ++column;
    }
  }
  size_t line_end = statement.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = statement.size();
  std::string line(statement.substr(line_start, line_end - line_start));
  for (char& c : line) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  const std::string prefix = "LINE " + std::to_string(line_number) + ": ";
  out.append(prefix).append(line).push_back('\n');
  out.append(prefix.size() + column, ' ').append("^\n");
  return out;
}

std::string FormatTiming(double milliseconds) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "Time: %.3f ms\n", milliseconds);
  return buf;
}

}  // namespace tenantdb::cli
