// Tab completion for the interactive shell: SQL keywords, meta commands, namespaces,
// tables (bare in the current namespace, and as ns.table) and the columns of tables the
// line already names.
//
// CompletionCandidates is the pure part (tested on its own). ShellCompleter keeps the
// names, loaded from the database on the first Tab (system.columns for dba and system,
// SHOW NAMESPACES / SHOW TABLES for everyone else) and again after DDL; never inside a
// transaction, where a failed lookup would abort the user's transaction. InstallReadline
// hooks a completer into GNU readline.
//
// Thread safety: one thread (readline's).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tenantdb::cli {

class SqlClient;

struct CompletionNames {
  std::vector<std::string> namespaces;
  std::vector<std::pair<std::string, std::string>> tables;  // (namespace, table)
  std::map<std::string, std::vector<std::string>> columns;  // "ns.table" -> columns
};

// The completions of `word`, the word being typed, given the text of the line before it.
// Sorted, without duplicates. Keywords come back in the case the word is typed in.
std::vector<std::string> CompletionCandidates(std::string_view line_before_word,
                                              std::string_view word, const CompletionNames& names,
                                              const std::string& current_namespace);

class ShellCompleter {
 public:
  explicit ShellCompleter(SqlClient* client) : client_(client) {}
  // Names are read again at the next Tab (after a statement that may change them).
  void Invalidate() { loaded_ = false; }
  std::vector<std::string> Complete(std::string_view line_before_word, std::string_view word);

  // Makes readline ask `completer` (null: stop completing names).
  static void InstallReadline(ShellCompleter* completer);

 private:
  void Load();

  SqlClient* client_;
  CompletionNames names_;
  bool loaded_ = false;
};

}  // namespace tenantdb::cli
