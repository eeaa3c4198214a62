// slt_runner: runs sqllogictest files (see slt_parser.h for the format) against an
// embedded tenantdb.
//
//   slt_runner [--verbose] [--statement-timeout-ms N] [--statement-mem-mb N] file.slt...
//
// Each file runs in a fresh Engine in a new temporary directory (removed afterwards),
// starting with one session: user `root`, role `system`, namespace `default`.
// `skipif` / `onlyif` answer to `tenantdb` and to `postgresql` (slt_parser.h).
//
// A record that fails, times out (--statement-timeout-ms; none by default) or runs out
// of memory (--statement-mem-mb, else the engine's default; a std::bad_alloc escaping the
// engine counts too)
// is reported as a failed record and the file goes on with the next one, so a corpus
// file with a few unsupported or runaway statements still reports the rest.
// `connection <user> [<role>]` records switch to other sessions. `__TEST_DIR__` in SQL is
// replaced by that temporary directory (files for COPY ... TO / FROM 'file').
//
// Values print as slt_compare.h describes (NULL, (empty), true/false, I as integers, R
// as "%.3f", T as PostgreSQL's text output).
//
// `statement error` passes on any error; with expected text, that text must be a
// substring of Status::ToString() ("code_name: message"), so files can assert the stable
// error code, e.g. `statement error unique_violation`.
//
// Prints every failing record as file:line with expected and actual results, a summary
// line per file and in total, and exits 1 if any record failed (2 on a usage error).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/role.h"
#include "engine/engine.h"
#include "engine/engine_session.h"
#include "slt_compare.h"
#include "slt_parser.h"

namespace tenantdb::slt {
namespace {

constexpr std::string_view kRootUser = "root";

std::string Indent(const std::string& text) {
  std::string out = "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += "    ";
    out += line;
    out += '\n';
  }
  if (lines.empty()) out = "    (no rows)\n";
  return out;
}

// Unset limits keep the engine's defaults (no timeout; statement_mem an eighth of RAM), which
// the files' SHOW records expect.
struct RunnerOptions {
  bool verbose = false;
  std::optional<std::chrono::milliseconds> statement_timeout;
  std::optional<size_t> statement_mem;
};

class FileRunner {
 public:
  FileRunner(std::string path, const RunnerOptions& options)
      : path_(std::move(path)), options_(options) {}

  struct Counts {
    int records = 0;
    int passed = 0;
    int failed = 0;
    int skipped = 0;
  };

  Counts Run() {
    Counts counts;
    std::ifstream in(path_, std::ios::binary);
    if (!in) {
      std::cout << path_ << ":0: cannot read the file\n";
      counts.failed = 1;
      return counts;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    Result<Script> script = ParseScript(buffer.str());
    if (!script.ok()) {
      std::cout << path_ << ": parse error: " << script.status().message() << "\n";
      counts.failed = 1;
      return counts;
    }
    counts.skipped = script->skipped;

    Status opened = OpenDatabase();
    if (!opened.ok()) {
      std::cout << path_ << ":0: cannot open a database: " << opened.ToString() << "\n";
      counts.failed = 1;
      return counts;
    }

    for (const Record& record : script->records) {
      if (record.kind == RecordKind::kHalt) break;
      if (options_.verbose) {
        std::cout << path_ << ":" << record.line << ": "
                  << (record.sql.empty() ? DescribeControl(record) : record.sql) << "\n";
      }
      std::string failure = RunRecordGuarded(record);
      if (record.kind != RecordKind::kStatement && record.kind != RecordKind::kQuery) {
        if (!failure.empty()) {
          ++counts.failed;
          std::cout << path_ << ":" << record.line << ": " << failure << "\n";
        }
        continue;
      }
      ++counts.records;
      if (failure.empty()) {
        ++counts.passed;
      } else {
        ++counts.failed;
        std::cout << path_ << ":" << record.line << ": " << failure << "\n";
      }
    }
    CloseDatabase();
    return counts;
  }

 private:
  static std::string DescribeControl(const Record& record) {
    switch (record.kind) {
      case RecordKind::kHashThreshold:
        return "hash-threshold " + std::to_string(record.threshold);
      case RecordKind::kConnection:
        return "connection " + record.user + (record.role.empty() ? "" : " " + record.role);
      case RecordKind::kRestart:
        return "restart";
      default:
        return "";
    }
  }

  Status OpenDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tenantdb-slt-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      return Status(ErrorCode::kIoError, "mkdtemp failed for " + pattern);
    directory_ = pattern;
    return OpenDirectory();
  }

  // Opens directory_ with a fresh root session.
  Status OpenDirectory() {
    Engine::Options engine_options;
    if (options_.statement_timeout) engine_options.statement_timeout = *options_.statement_timeout;
    if (options_.statement_mem) engine_options.statement_mem = *options_.statement_mem;
    Result<std::unique_ptr<Engine>> db = Engine::Open(directory_, engine_options);
    if (!db.ok()) return db.status();
    database_ = std::move(db).value();
    Result<UserId> root = UserId::Make(kRootUser);
    if (!root.ok()) return root.status();
    sessions_[std::string(kRootUser)] =
        std::make_unique<EngineSession>(database_.get(), root.value(), Role::kSystem);
    current_ = sessions_[std::string(kRootUser)].get();
    return Status::Ok();
  }

  void CloseDatabase() {
    current_ = nullptr;
    sessions_.clear();
    database_.reset();
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
  }

  // RunRecord, with an allocation failure the engine did not turn into out_of_memory
  // reported as the record's failure: the runner is the boundary that catches it.
  std::string RunRecordGuarded(const Record& record) {
    try {
      return RunRecord(record);
    } catch (const std::bad_alloc&) {
      return "out of memory (std::bad_alloc)\n  sql:\n" + Indent(record.sql);
    }
  }

  // Returns "" when the record passes, else what went wrong.
  std::string RunRecord(const Record& record) {
    if (database_ == nullptr && record.kind != RecordKind::kRestart) {
      return "no database: the last restart failed";
    }
    switch (record.kind) {
      case RecordKind::kHashThreshold:
        hash_threshold_ = record.threshold;
        return "";
      case RecordKind::kHalt:
        return "";
      case RecordKind::kConnection:
        return SwitchConnection(record);
      case RecordKind::kRestart: {
        current_ = nullptr;
        sessions_.clear();
        database_.reset();
        Status reopened = OpenDirectory();
        return reopened.ok() ? "" : "restart: " + reopened.ToString();
      }
      case RecordKind::kStatement:
        return RunStatement(record);
      case RecordKind::kQuery:
        return RunQuery(record);
    }
    return "unknown record";
  }

  // `__TEST_DIR__` in SQL names the file's temporary directory (for COPY ... 'file').
  std::string WithPaths(const std::string& sql) const {
    std::string out = sql;
    constexpr std::string_view kMarker = "__TEST_DIR__";
    for (size_t at = out.find(kMarker); at != std::string::npos;
         at = out.find(kMarker, at + directory_.size()))
      out.replace(at, kMarker.size(), directory_);
    return out;
  }

  std::string SwitchConnection(const Record& record) {
    Role role = Role::kUser;
    if (!record.role.empty()) {
      Result<Role> parsed = ParseRole(record.role);
      if (!parsed.ok()) return "connection: " + parsed.status().ToString();
      role = parsed.value();
    }
    auto it = sessions_.find(record.user);
    if (it != sessions_.end()) {
      if (!record.role.empty() && it->second->role() != role) {
        return "connection: " + record.user + " was opened with role " +
               std::string(RoleName(it->second->role())) + ", not " + record.role;
      }
      current_ = it->second.get();
      return "";
    }
    Result<UserId> user = UserId::Make(record.user);
    if (!user.ok()) return "connection: " + user.status().ToString();
    auto session = std::make_unique<EngineSession>(database_.get(), user.value(), role);
    current_ = session.get();
    sessions_[record.user] = std::move(session);
    return "";
  }

  std::string RunStatement(const Record& record) {
    Result<sql::QueryResult> result = current_->Execute(WithPaths(record.sql));
    if (record.expect_error) {
      if (result.ok()) {
        return "statement succeeded but an error was expected" +
               (record.expected_error.empty() ? std::string()
                                              : " containing '" + record.expected_error + "'") +
               "\n  sql:\n" + Indent(record.sql);
      }
      const std::string actual = result.status().ToString();
      if (!ErrorMatches(record.expected_error, actual)) {
        return "wrong error\n  sql:\n" + Indent(record.sql) + "\n  expected error containing:\n" +
               Indent(record.expected_error) + "\n  actual error:\n" + Indent(actual);
      }
      return "";
    }
    if (!result.ok()) {
      return "statement failed: " + result.status().ToString() + "\n  sql:\n" + Indent(record.sql);
    }
    if (record.expected_count && result->rows_affected != *record.expected_count) {
      return "statement affected " + std::to_string(result->rows_affected) + " rows, expected " +
             std::to_string(*record.expected_count) + "\n  sql:\n" + Indent(record.sql);
    }
    return "";
  }

  std::string RunQuery(const Record& record) {
    Result<sql::QueryResult> result = current_->Execute(WithPaths(record.sql));
    if (!result.ok()) {
      return "query failed: " + result.status().ToString() + "\n  sql:\n" + Indent(record.sql);
    }
    const sql::QueryResult& qr = result.value();
    if (!qr.returns_rows()) {
      return "query returned no result set (tag '" + qr.command_tag + "')\n  sql:\n" +
             Indent(record.sql);
    }
    const size_t columns = qr.num_columns();
    if (columns != record.types.size()) {
      return "query returned " + std::to_string(columns) + " columns, the types say " +
             std::to_string(record.types.size()) + " ('" + record.types + "')\n  sql:\n" +
             Indent(record.sql);
    }

    // Actual values, formatted and sorted as the record asks.
    std::vector<std::vector<std::string>> rows;
    for (const Batch& batch : qr.batches) {
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        std::vector<std::string> row;
        row.reserve(columns);
        for (size_t c = 0; c < columns; ++c)
          row.push_back(FormatValue(batch.column(c).GetValue(r), record.types[c]));
        rows.push_back(std::move(row));
      }
    }
    const std::vector<std::string> values = FlattenValues(&rows, record.sort);

    std::string hash;
    auto compute_hash = [&] {
      if (hash.empty()) hash = HashValues(values);
      return hash;
    };

    std::string failure;
    if (record.hash_count) {
      if (values.size() != *record.hash_count || compute_hash() != record.hash) {
        failure = "wrong result\n  sql:\n" + Indent(record.sql) + "\n  expected:\n    " +
                  std::to_string(*record.hash_count) + " values hashing to " + record.hash +
                  "\n  actual:\n    " + std::to_string(values.size()) + " values hashing to " +
                  compute_hash() + "\n" + RowsText(rows, record.sort, values, columns);
      }
    } else if (!ResultMatches(record, rows, values, columns)) {
      failure = "wrong result\n  sql:\n" + Indent(record.sql) + "\n  expected:\n" +
                JoinLines(record.expected) + "  actual:\n" +
                RowsText(rows, record.sort, values, columns);
    }
    if (!failure.empty()) {
      // Past the threshold, show the hash too so a file can be updated to the hashed form.
      if (hash_threshold_ > 0 && values.size() > hash_threshold_ && !record.hash_count) {
        failure += "  actual as hash: " + std::to_string(values.size()) + " values hashing to " +
                   compute_hash() + "\n";
      }
      return failure;
    }

    if (!record.label.empty()) {
      auto [it, inserted] = labels_.emplace(record.label, compute_hash());
      if (!inserted && it->second != compute_hash()) {
        return "result differs from an earlier query labelled '" + record.label + "'\n  sql:\n" +
               Indent(record.sql);
      }
    }
    return "";
  }

  static std::string RowsText(const std::vector<std::vector<std::string>>& rows, SortMode sort,
                              const std::vector<std::string>& values, size_t columns) {
    std::vector<std::string> lines;
    if (sort == SortMode::kValueSort) {
      lines = values;
    } else {
      for (const auto& row : rows) {
        std::string line;
        for (size_t c = 0; c < columns; ++c) {
          if (c > 0) line += '\t';
          line += row[c];
        }
        lines.push_back(std::move(line));
      }
    }
    return JoinLines(lines);
  }

  std::string path_;
  RunnerOptions options_;
  std::string directory_;
  std::unique_ptr<Engine> database_;
  std::map<std::string, std::unique_ptr<EngineSession>> sessions_;
  EngineSession* current_ = nullptr;
  uint64_t hash_threshold_ = 0;
  std::map<std::string, std::string> labels_;
};

}  // namespace
}  // namespace tenantdb::slt

int main(int argc, char** argv) {
  constexpr std::string_view kUsage =
      "usage: slt_runner [--verbose] [--statement-timeout-ms N] [--statement-mem-mb N] "
      "file.slt...\n";
  tenantdb::slt::RunnerOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg == "--statement-timeout-ms" || arg == "--statement-mem-mb") {
      char* end = nullptr;
      const unsigned long long n = i + 1 < argc ? std::strtoull(argv[i + 1], &end, 10) : 0;
      if (i + 1 >= argc || end == argv[i + 1] || *end != '\0' || n == 0) {
        std::cerr << "slt_runner: " << arg << " needs a positive number\n" << kUsage;
        return 2;
      }
      ++i;
      if (arg == "--statement-timeout-ms") {
        options.statement_timeout = std::chrono::milliseconds(n);
      } else {
        options.statement_mem = static_cast<size_t>(n) << 20;
      }
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg.starts_with("-")) {
      std::cerr << "slt_runner: unknown option " << arg << "\n" << kUsage;
      return 2;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  tenantdb::slt::FileRunner::Counts total;
  for (const std::string& file : files) {
    tenantdb::slt::FileRunner runner(file, options);
    tenantdb::slt::FileRunner::Counts counts = runner.Run();
    std::cout << file << ": " << counts.records << " records, " << counts.passed << " passed, "
              << counts.failed << " failed, " << counts.skipped << " skipped\n";
    total.records += counts.records;
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (files.size() > 1) {
    std::cout << "total: " << files.size() << " files, " << total.records << " records, "
              << total.passed << " passed, " << total.failed << " failed, " << total.skipped
              << " skipped\n";
  }
  return total.failed > 0 ? 1 : 0;
}
