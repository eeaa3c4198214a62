#include "cli/shell_completion.h"

#include <readline/readline.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "cli/sql_client.h"

namespace tenantdb::cli {

namespace {

constexpr const char* kKeywords[] = {
    "ALTER",       "AND",      "AS",       "ASC",    "BEGIN",  "BETWEEN", "BIGINT",    "BOOLEAN",
    "BY",          "CASE",     "CAST",     "COMMIT", "CREATE", "DATE",    "DEFAULT",   "DELETE",
    "DESC",        "DESCRIBE", "DISTINCT", "DOUBLE", "DROP",   "ELSE",    "END",       "EXECUTE",
    "EXISTS",      "EXPLAIN",  "FALSE",    "FLUSH",  "FROM",   "FULL",    "GROUP",     "HAVING",
    "IF",          "IN",       "INNER",    "INSERT", "INT",    "INTEGER", "INTO",      "IS",
    "JOIN",        "JSON",     "KEY",      "LEFT",   "LIKE",   "LIMIT",   "NAMESPACE", "NAMESPACES",
    "NOT",         "NULL",     "OFFSET",   "ON",     "OR",     "ORDER",   "OUTER",     "PASSWORD",
    "PREPARE",     "PRIMARY",  "REAL",     "RESET",  "RIGHT",  "ROLE",    "ROLLBACK",  "SELECT",
    "SET",         "SHOW",     "SMALLINT", "TABLE",  "TABLES", "TEXT",    "THEN",      "TIMESTAMP",
    "TIMESTAMPTZ", "TRUE",     "UNION",    "UPDATE", "USE",    "USER",    "USING",     "UUID",
    "VALUES",      "WHEN",     "WHERE",    "WITH",
};

constexpr const char* kMetaCommands[] = {"?",    "d", "dn",  "dt",        "h",      "i",     "o",
                                         "pset", "q", "set", "subscribe", "timing", "unset", "x"};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Whether `line` holds `name` as a whole word (case-insensitive).
bool MentionsWord(const std::string& lower_line, const std::string& name) {
  const std::string lower_name = Lower(name);
  for (size_t at = lower_line.find(lower_name); at != std::string::npos;
       at = lower_line.find(lower_name, at + 1)) {
    auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    const bool starts = at == 0 || !word_char(lower_line[at - 1]);
    const size_t end = at + lower_name.size();
    const bool ends = end == lower_line.size() || !word_char(lower_line[end]);
    if (starts && ends) return true;
  }
  return false;
}

// The first value of each row of `statement`'s result, or nothing when it fails.
std::vector<std::vector<std::string>> Rows(SqlClient* client, const std::string& statement) {
  std::vector<std::vector<std::string>> rows;
  Result<sql::QueryResult> result = client->Run(statement);
  if (!result.ok() || !result->returns_rows()) return rows;
  for (const Batch& batch : result->batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < batch.num_columns(); ++c) {
        const ColumnVector& column = batch.column(c);
        row.push_back(column.IsNull(r) ? std::string() : column.GetValue(r).ToString());
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

ShellCompleter* g_completer = nullptr;
std::vector<std::string> g_matches;
size_t g_next_match = 0;

char* NextMatch(const char* /*text*/, int state) {
  if (state == 0) g_next_match = 0;
  if (g_next_match >= g_matches.size()) return nullptr;
  return strdup(g_matches[g_next_match++].c_str());  // readline frees it
}

char** AttemptCompletion(const char* text, int start, int /*end*/) {
  rl_attempted_completion_over = 1;  // no file-name completion
  if (g_completer == nullptr) return nullptr;
  g_matches =
      g_completer->Complete(std::string_view(rl_line_buffer, static_cast<size_t>(start)), text);
  if (g_matches.empty()) return nullptr;
  return rl_completion_matches(text, NextMatch);
}

}  // namespace

std::vector<std::string> CompletionCandidates(std::string_view line_before_word,
                                              std::string_view word, const CompletionNames& names,
                                              const std::string& current_namespace) {
  std::vector<std::string> out;
  const size_t first = line_before_word.find_first_not_of(" \t");
  const bool meta = first != std::string_view::npos && line_before_word[first] == '\\' &&
                    line_before_word.find_first_not_of(" \t", first + 1) == std::string_view::npos;
  if (meta) {
    for (const char* command : kMetaCommands)
      if (std::string_view(command).starts_with(word)) out.emplace_back(command);
    return out;
  }
  const bool lower_case = !word.empty() && std::islower(static_cast<unsigned char>(word[0]));
  if (word.find('.') == std::string_view::npos) {
    for (const char* keyword : kKeywords) {
      if (!StartsWithNoCase(keyword, word)) continue;
      out.push_back(lower_case ? Lower(keyword) : std::string(keyword));
    }
    for (const std::string& ns : names.namespaces)
      if (StartsWithNoCase(ns, word)) out.push_back(ns);
    for (const auto& [ns, table] : names.tables)
      if (ns == current_namespace && StartsWithNoCase(table, word)) out.push_back(table);
    const std::string lower_line = Lower(line_before_word);
    for (const auto& [ns, table] : names.tables) {
      if (!MentionsWord(lower_line, table)) continue;
      const auto columns = names.columns.find(ns + "." + table);
      if (columns == names.columns.end()) continue;
      for (const std::string& column : columns->second)
        if (StartsWithNoCase(column, word)) out.push_back(column);
    }
  } else {
    for (const auto& [ns, table] : names.tables) {
      const std::string qualified = ns + "." + table;
      if (StartsWithNoCase(qualified, word)) out.push_back(qualified);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> ShellCompleter::Complete(std::string_view line_before_word,
                                                  std::string_view word) {
  if (!loaded_ && !client_->in_transaction()) Load();
  return CompletionCandidates(line_before_word, word, names_, client_->current_namespace());
}

void ShellCompleter::Load() {
  loaded_ = true;
  names_ = {};
  const std::string role = client_->role_name();
  if (role == "dba" || role == "system") {
    for (const auto& row :
         Rows(client_, "SELECT namespace_id, table_name, column_name FROM system.columns")) {
      if (row.size() != 3) continue;
      const std::string key = row[0] + "." + row[1];
      auto& columns = names_.columns[key];
      if (columns.empty()) names_.tables.emplace_back(row[0], row[1]);
      columns.push_back(row[2]);
    }
  }
  for (const auto& row : Rows(client_, "SHOW NAMESPACES")) {
    if (row.empty()) continue;
    names_.namespaces.push_back(row[0]);
    if (!names_.columns.empty()) continue;  // tables came with their columns above
    for (const auto& table : Rows(client_, "SHOW TABLES IN " + row[0]))
      if (!table.empty()) names_.tables.emplace_back(row[0], table[0]);
  }
}

void ShellCompleter::InstallReadline(ShellCompleter* completer) {
  g_completer = completer;
  rl_attempted_completion_function = completer != nullptr ? AttemptCompletion : nullptr;
}

}  // namespace tenantdb::cli
