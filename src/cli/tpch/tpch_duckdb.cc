#include "cli/tpch/tpch_duckdb.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/bench_child_process.h"
#include "cli/tpch/tpch_schema.h"

namespace tenantdb::cli::tpch {

namespace {

// The first executable `name` on PATH (execve needs a path).
Result<std::string> FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return Status(ErrorCode::kNotFound, name + " is not on PATH (DuckDB runs in Node)");
}

std::vector<std::string> SplitCells(const std::string& line) {
  std::vector<std::string> cells(1);
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\t') {
      cells.emplace_back();
    } else if (c == '\\' && i + 1 < line.size()) {
      const char e = line[++i];
      if (e == 't') {
        cells.back().push_back('\t');
      } else if (e == 'n') {
        cells.back().push_back('\n');
      } else if (e == 'N') {
        cells.back() += kNullCell;
      } else {
        cells.back().push_back(e);
      }
    } else {
      cells.back().push_back(c);
    }
  }
  return cells;
}

Result<DuckDbRun> ParseAnswers(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kIoError, "DuckDB wrote no answers to " + path);
  DuckDbRun run;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key;
    words >> key;
    if (key == "load") {
      words >> run.load_ms;
      continue;
    }
    if (key != "query") return Status(ErrorCode::kCorruption, "unexpected line: " + line);
    int n = 0;
    std::string state;
    QueryOutcome q;
    words >> n >> state >> q.ms;
    if (state == "error") {
      std::getline(words, q.error);
      q.error = "DuckDB:" + q.error;
      run.outcomes[n] = std::move(q);
      continue;
    }
    size_t columns = 0, rows = 0;
    words >> columns >> rows;
    q.ok = true;
    if (!std::getline(in, line)) return Status(ErrorCode::kCorruption, "truncated answers");
    q.columns = SplitCells(line);
    for (size_t r = 0; r < rows; ++r) {
      if (!std::getline(in, line)) return Status(ErrorCode::kCorruption, "truncated answers");
      q.rows.push_back(SplitCells(line));
      if (q.rows.back().size() != columns) {
        return Status(ErrorCode::kCorruption, "a row of Q" + std::to_string(n) + " has " +
                                                  std::to_string(q.rows.back().size()) +
                                                  " cells, not " + std::to_string(columns));
      }
    }
    run.outcomes[n] = std::move(q);
  }
  return run;
}

Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  return out ? Status::Ok() : Status(ErrorCode::kIoError, "cannot write " + path);
}

}  // namespace

Result<DuckDbRun> RunDuckDb(const std::string& interop_dir, const std::string& data_dir,
                            const std::string& work_dir, const std::vector<QuerySql>& queries,
                            uint64_t timeout_s) {
  namespace fs = std::filesystem;
  const std::string script = interop_dir + "/duckdb_tpch.mjs";
  if (!fs::exists(interop_dir + "/node_modules/@duckdb/node-api")) {
    return Status(ErrorCode::kNotFound,
                  "DuckDB is not installed: run `npm ci --prefix " + interop_dir + "`");
  }
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  for (const auto& entry : fs::directory_iterator(work_dir, ec)) {
    if (entry.path().extension() == ".sql") fs::remove(entry.path(), ec);
  }
  std::string schema;
  for (const std::string& ddl : SchemaStatements(Dialect::kDuckdb))
    schema += ddl + "\n";
  TDB_RETURN_IF_ERROR(WriteFile(work_dir + "/schema.sql", schema));
  for (const QuerySql& q : queries) {
    std::string text;
    for (size_t i = 0; i < q.statements.size(); ++i)
      text += (i > 0 ? ";\n" : "") + q.statements[i];
    char name[16];
    std::snprintf(name, sizeof(name), "/q%02d.sql", q.number);
    TDB_RETURN_IF_ERROR(WriteFile(work_dir + name, text));
  }
  const std::string answers = work_dir + "/duckdb_answers.txt";
  fs::remove(answers, ec);
  TDB_ASSIGN_OR_RETURN(std::string node, FindOnPath("node"));
  ChildOptions options;
  options.argv = {node, script, data_dir, work_dir, answers};
  options.log_path = work_dir + "/duckdb.log";
  fs::remove(options.log_path, ec);
  options.stop_grace = std::chrono::milliseconds(2000);
  TDB_ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Spawn(options));
  if (!child.WaitFor(std::chrono::seconds(timeout_s))) {
    child.Stop();
    return Status(ErrorCode::kQueryCanceled,
                  "DuckDB did not finish within " + std::to_string(timeout_s) + " s");
  }
  const std::string how = child.Describe();
  if (how != "exit code 0") {
    return Status(ErrorCode::kInternal,
                  "node duckdb_tpch.mjs: " + how + ": " + TailOfFile(options.log_path));
  }
  return ParseAnswers(answers);
}

}  // namespace tenantdb::cli::tpch
