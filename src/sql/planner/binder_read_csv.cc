// read_csv('path or glob' [, name => value, ...]) in FROM: the CSV files on the server the
// pattern names (ExpandFilePattern: glob(3) in the file name, regular files, name order),
// decoded as COPY FROM ... (FORMAT csv) decodes them (sql/copy/csv_file_reader.h). Only
// dba and system roles may read server files, as with read_parquet and COPY ... 'file'.
//
// Options (literals, in PostgreSQL's named notation; DuckDB's names):
//   header => true|false      the first line names the columns (default false)
//   delim => ','              the field delimiter (also `delimiter`)
//   quote => '"'              the quote character
//   escape => '"'             the character before a quote inside quotes (default: quote)
//   nullstr => ''             the unquoted text that is NULL (default: the empty string)
//   columns => 'a BIGINT, b TEXT'  names and types, instead of the header's names and
//                             inferred types (the file is then not sampled at bind time)
//   sample_size => 1000       records sampled to infer the types (-1: the whole file)
// Without `columns`, the first file's columns are found when the statement is bound, so
// the files and their columns are fixed then, as a table's are; every file must have as
// many fields per line (they are matched by position; a later file's header is skipped).
//
// Errors: insufficient_privilege (42501) for other roles; syntax_error for an unknown or
// repeated option, a positional argument after the path; invalid_argument (22023) for a
// bad option value (a two-character delimiter, a malformed column list); io_error when
// no regular file matches; the file's own errors (csv_file_reader.h).
#include <set>

#include "sql/copy/csv_file_reader.h"
#include "sql/planner/binder_internal.h"
#include "sql/planner/error_position.h"
#include "sql/planner/file_pattern.h"

namespace tenantdb::sql {

namespace {

constexpr const char* kUsage =
    "read_csv takes a string literal (a file path or a glob pattern such as "
    "'/data/*.csv') and then named options: header => true, delim => ',', quote => '\"', "
    "escape => '\"', nullstr => '', columns => 'name type, ...', sample_size => 1000";

bool IsLiteral(const Expr& e, LiteralKind kind) {
  return e.kind == ExprKind::kLiteral && static_cast<const Literal&>(e).literal_kind == kind;
}

// An option's value as COPY's option text: a string, boolean or integer literal.
Result<std::string> OptionText(const Expr& e, const std::string& name) {
  if (e.kind == ExprKind::kLiteral) {
    const auto& l = static_cast<const Literal&>(e);
    switch (l.literal_kind) {
      case LiteralKind::kString:
        return l.text;
      case LiteralKind::kBoolean:
        return std::string(l.boolean ? "true" : "false");
      case LiteralKind::kInteger:
        return std::to_string(l.integer);
      default:
        break;
    }
  }
  return Status(ErrorCode::kInvalidArgument,
                "read_csv option " + name + " takes a literal, not " + e.ToString());
}

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// `columns => 'name type, "Other Name" type, ...'`: the columns as the user names them.
Result<std::vector<Field>> ParseColumnList(const std::string& list) {
  std::vector<Field> fields;
  std::set<std::string> names;
  size_t at = 0;
  while (at <= list.size()) {
    size_t comma = list.find(',', at);
    if (comma == std::string::npos) comma = list.size();
    const std::string item = Trim(std::string_view(list).substr(at, comma - at));
    at = comma + 1;
    std::string name, type;
    if (!item.empty() && item[0] == '"') {
      const size_t close = item.find('"', 1);
      if (close != std::string::npos) {
        name = item.substr(1, close - 1);
        type = Trim(std::string_view(item).substr(close + 1));
      }
    } else {
      const size_t blank = item.find_first_of(" \t");
      if (blank != std::string::npos) {
        for (char c : item.substr(0, blank))
          name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        type = Trim(std::string_view(item).substr(blank));
      }
    }
    if (name.empty() || type.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    "read_csv columns => '" + list + "': \"" + item +
                        "\" is not a column name followed by its type, as in 'id BIGINT, name "
                        "TEXT'");
    }
    std::optional<DataType> parsed = ParseDataType(type);
    if (!parsed.has_value()) {
      return Status(ErrorCode::kInvalidArgument,
                    "read_csv columns => '" + list + "': type \"" + type + "\" does not exist");
    }
    if (!names.insert(name).second) {
      return Status(ErrorCode::kDuplicateColumn,
                    "read_csv columns => '" + list + "': column \"" + name + "\" is named twice");
    }
    fields.push_back(Field{name, *parsed, true, false, ""});
  }
  return fields;
}

}  // namespace

Result<PlanPtr> Binder::BindReadCsv(const FunctionCall& call, const std::string& alias) {
  const RequestContext* request = context_.request;
  if (request == nullptr || (request->role != Role::kDba && request->role != Role::kSystem)) {
    return AtPosition(Status(ErrorCode::kInsufficientPrivilege,
                             "permission denied to read server files with read_csv: only "
                             "dba and system roles may"),
                      call.location);
  }
  const bool first_named = !call.arg_names.empty() && !call.arg_names[0].empty();
  if (call.star || call.distinct || call.filter || call.args.empty() || first_named ||
      !IsLiteral(*call.args[0], LiteralKind::kString)) {
    return AtPosition(Status(ErrorCode::kFeatureNotSupported, kUsage), call.location);
  }
  // The options, as COPY's (validated by ParseCopyFormat) and read_csv's own.
  std::vector<CopyOption> copy_options = {CopyOption{"format", "csv", {}, false, -1}};
  std::set<std::string> seen;
  std::optional<std::vector<Field>> columns;
  size_t sample_rows = kCsvSampleRows;
  for (size_t i = 1; i < call.args.size(); ++i) {
    const Expr& arg = *call.args[i];
    const std::string name = i < call.arg_names.size() ? call.arg_names[i] : "";
    if (name.empty()) {
      return AtPosition(Status(ErrorCode::kSyntaxError,
                               "read_csv takes one positional argument, the path; name the "
                               "others (header => true)"),
                        arg.location);
    }
    std::string option;
    if (name == "header" || name == "quote" || name == "escape") {
      option = name;
    } else if (name == "delim" || name == "delimiter" || name == "sep") {
      option = "delimiter";
    } else if (name == "nullstr" || name == "null") {
      option = "null";
    } else if (name == "columns" || name == "sample_size") {
      option = name;
    } else {
      return AtPosition(Status(ErrorCode::kSyntaxError,
                               "read_csv option \"" + name +
                                   "\" not recognized; it takes header, delim, quote, escape, "
                                   "nullstr, columns and sample_size"),
                        arg.location);
    }
    if (!seen.insert(option).second) {
      return AtPosition(
          Status(ErrorCode::kSyntaxError, "read_csv option " + name + " is given twice"),
          arg.location);
    }
    Result<std::string> text = OptionText(arg, name);
    if (!text.ok()) return AtPosition(text.status(), arg.location);
    if (option == "columns") {
      Result<std::vector<Field>> parsed = ParseColumnList(*text);
      if (!parsed.ok()) return AtPosition(parsed.status(), arg.location);
      columns = std::move(*parsed);
    } else if (option == "sample_size") {
      if (!IsLiteral(arg, LiteralKind::kInteger) ||
          (static_cast<const Literal&>(arg).integer < 1 &&
           static_cast<const Literal&>(arg).integer != -1)) {
        return AtPosition(Status(ErrorCode::kInvalidArgument,
                                 "read_csv sample_size takes a positive integer, or -1 for the "
                                 "whole file"),
                          arg.location);
      }
      const int64_t n = static_cast<const Literal&>(arg).integer;
      sample_rows = n == -1 ? SIZE_MAX : static_cast<size_t>(n);
    } else {
      copy_options.push_back(CopyOption{option, std::move(*text), {}, false, arg.location});
    }
  }
  Result<CopyFormat> format = ParseCopyFormat(copy_options, /*is_from=*/true);
  if (!format.ok()) {
    return AtPosition(
        Status(format.status().code(), "read_csv: " + std::string(format.status().message())),
        call.location);
  }
  const std::string& pattern = static_cast<const Literal&>(*call.args[0]).text;
  Result<std::vector<std::string>> files = ExpandFilePattern(pattern, "read_csv");
  if (!files.ok()) return AtPosition(files.status(), call.args[0]->location);
  if (!columns.has_value()) {
    Result<std::vector<Field>> inferred = InferCsvColumns(files->front(), *format, sample_rows);
    if (!inferred.ok()) return AtPosition(inferred.status(), call.args[0]->location);
    columns = std::move(*inferred);
  }
  auto node = std::make_unique<FunctionScanNode>();
  node->function = "read_csv";
  node->files = std::move(*files);
  node->file_schema = std::make_shared<const Schema>(*columns, SchemaMetadata());
  node->csv = *format;
  const std::string table = alias.empty() ? "read_csv" : alias;
  for (const Field& f : *columns)
    node->columns.push_back(OutputColumn{f.name, f.type, table, false});
  node->Finish();
  return PlanPtr(std::move(node));
}

}  // namespace tenantdb::sql
