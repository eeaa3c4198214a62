#include "slt_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tenantdb::slt {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view line) {
  return Trim(line).empty();
}

bool IsComment(std::string_view line) {
  return !line.empty() && line.front() == '#';
}

std::vector<std::string_view> SplitWords(std::string_view s) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
      ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])))
      ++i;
    if (i > start) words.push_back(s.substr(start, i - start));
  }
  return words;
}

// The text after the first `n` words of `line`, trimmed.
std::string_view RestAfterWords(std::string_view line, size_t n) {
  size_t i = 0;
  for (size_t w = 0; w < n; ++w) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
      ++i;
  }
  return Trim(line.substr(i));
}

bool ParseUint(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  // A final newline does not start another (empty) line.
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lines_(SplitLines(text)) {}

  Result<Script> Parse() {
    Script script;
    while (true) {
      SkipBlankAndComments();
      if (AtEnd()) break;

      // Conditions apply to the record that follows them.
      bool skip = false;
      while (!AtEnd()) {
        std::vector<std::string_view> words = SplitWords(lines_[pos_]);
        if (words.empty() || (words[0] != "skipif" && words[0] != "onlyif")) break;
        if (words.size() < 2) return Error("'" + std::string(words[0]) + "' needs an engine name");
        const bool is_us = NamesThisEngine(words[1]);
        if (words[0] == "skipif" ? is_us : !is_us) skip = true;
        ++pos_;
        SkipComments();
      }
      if (AtEnd() || IsBlank(lines_[pos_])) return Error("skipif/onlyif without a record");

      Record record;
      TDB_RETURN_IF_ERROR(ParseRecord(&record));
      if (skip) {
        ++script.skipped;
        continue;
      }
      const bool halt = record.kind == RecordKind::kHalt;
      script.records.push_back(std::move(record));
      if (halt) break;
    }
    return script;
  }

 private:
  bool AtEnd() const { return pos_ >= lines_.size(); }

  void SkipBlankAndComments() {
    while (!AtEnd() && (IsBlank(lines_[pos_]) || IsComment(lines_[pos_])))
      ++pos_;
  }
  void SkipComments() {
    while (!AtEnd() && IsComment(lines_[pos_]))
      ++pos_;
  }

  Status Error(const std::string& message) const {
    const size_t line = std::min(pos_, lines_.size() == 0 ? 0 : lines_.size() - 1) + 1;
    return ErrorAt(static_cast<int>(line), message);
  }
  static Status ErrorAt(int line, const std::string& message) {
    return Status(ErrorCode::kInvalidArgument, "line " + std::to_string(line) + ": " + message);
  }

  // Reads SQL lines up to a blank line, the end, or a `----` line (which it consumes and
  // reports through `saw_separator`).
  std::string ReadSql(bool* saw_separator) {
    std::string sql;
    *saw_separator = false;
    while (!AtEnd() && !IsBlank(lines_[pos_])) {
      std::string_view line = lines_[pos_++];
      if (Trim(line) == "----") {
        *saw_separator = true;
        break;
      }
      if (IsComment(line)) continue;
      if (!sql.empty()) sql += '\n';
      sql += line;
    }
    return sql;
  }

  // Reads result lines up to a blank line or the end. Lines are kept verbatim (a value
  // may start with '#'), except for a trailing '\r' and trailing spaces of the line.
  std::vector<std::string> ReadResults() {
    std::vector<std::string> results;
    while (!AtEnd() && !IsBlank(lines_[pos_])) {
      std::string_view line = lines_[pos_++];
      while (!line.empty() && line.back() == ' ')
        line.remove_suffix(1);
      results.emplace_back(line);
    }
    return results;
  }

  Status ParseRecord(Record* record) {
    const std::string_view command = lines_[pos_];
    const std::vector<std::string_view> words = SplitWords(command);
    record->line = static_cast<int>(pos_) + 1;
    ++pos_;
    const std::string_view verb = words[0];

    if (verb == "statement") {
      record->kind = RecordKind::kStatement;
      if (words.size() < 2) return ErrorAt(record->line, "statement needs ok, error or count");
      if (words[1] == "ok") {
        // DuckDB allows a connection label after `ok`; tenantdb uses `connection` instead.
        if (words.size() > 2) return ErrorAt(record->line, "unexpected text after 'statement ok'");
      } else if (words[1] == "error") {
        record->expect_error = true;
        record->expected_error = std::string(RestAfterWords(command, 2));
      } else if (words[1] == "count") {
        uint64_t n = 0;
        if (words.size() != 3 || !ParseUint(words[2], &n))
          return ErrorAt(record->line, "'statement count' needs a row count");
        record->expected_count = n;
      } else {
        return ErrorAt(record->line,
                       "statement needs ok, error or count, not '" + std::string(words[1]) + "'");
      }
      bool separator = false;
      record->sql = ReadSql(&separator);
      if (separator) {
        if (!record->expect_error)
          return ErrorAt(record->line, "'----' after a statement that expects success");
        std::vector<std::string> lines = ReadResults();
        std::string text;
        for (const std::string& l : lines) {
          if (!text.empty()) text += '\n';
          text += l;
        }
        if (!text.empty()) record->expected_error = text;
      }
      if (record->sql.empty()) return ErrorAt(record->line, "statement without SQL");
      return Status::Ok();
    }

    if (verb == "query") {
      record->kind = RecordKind::kQuery;
      if (words.size() < 2) return ErrorAt(record->line, "query needs column types");
      if (words[1] == "error") {
        record->kind = RecordKind::kStatement;
        record->expect_error = true;
        record->expected_error = std::string(RestAfterWords(command, 2));
        bool separator = false;
        record->sql = ReadSql(&separator);
        if (separator) {
          std::vector<std::string> lines = ReadResults();
          std::string text;
          for (const std::string& l : lines) {
            if (!text.empty()) text += '\n';
            text += l;
          }
          if (!text.empty()) record->expected_error = text;
        }
        if (record->sql.empty()) return ErrorAt(record->line, "query without SQL");
        return Status::Ok();
      }
      record->types = std::string(words[1]);
      for (char c : record->types) {
        if (!std::isalpha(static_cast<unsigned char>(c)))
          return ErrorAt(record->line,
                         "column types must be letters like I, R, T: '" + record->types + "'");
      }
      size_t next = 2;
      if (next < words.size()) {
        if (words[next] == "nosort") {
          record->sort = SortMode::kNoSort;
          ++next;
        } else if (words[next] == "rowsort") {
          record->sort = SortMode::kRowSort;
          ++next;
        } else if (words[next] == "valuesort") {
          record->sort = SortMode::kValueSort;
          ++next;
        }
      }
      if (next < words.size()) record->label = std::string(words[next++]);
      if (next < words.size())
        return ErrorAt(record->line, "unexpected '" + std::string(words[next]) + "' after query");
      bool separator = false;
      record->sql = ReadSql(&separator);
      if (record->sql.empty()) return ErrorAt(record->line, "query without SQL");
      if (separator) record->expected = ReadResults();
      uint64_t count = 0;
      std::string md5;
      if (record->expected.size() == 1 && ParseHashLine(record->expected[0], &count, &md5)) {
        record->hash_count = count;
        record->hash = std::move(md5);
      }
      return Status::Ok();
    }

    if (verb == "hash-threshold") {
      record->kind = RecordKind::kHashThreshold;
      if (words.size() != 2 || !ParseUint(words[1], &record->threshold))
        return ErrorAt(record->line, "hash-threshold needs a number");
      return Status::Ok();
    }

    if (verb == "halt") {
      record->kind = RecordKind::kHalt;
      return Status::Ok();
    }

    if (verb == "restart") {
      record->kind = RecordKind::kRestart;
      if (words.size() != 1) return ErrorAt(record->line, "restart takes no arguments");
      return Status::Ok();
    }

    if (verb == "connection") {
      record->kind = RecordKind::kConnection;
      if (words.size() < 2 || words.size() > 3)
        return ErrorAt(record->line, "connection needs a user and an optional role");
      record->user = std::string(words[1]);
      if (words.size() == 3) record->role = std::string(words[2]);
      return Status::Ok();
    }

    return ErrorAt(record->line, "unknown command '" + std::string(verb) + "'");
  }

  std::vector<std::string_view> lines_;
  size_t pos_ = 0;
};

}  // namespace

bool ParseHashLine(std::string_view line, uint64_t* count, std::string* md5) {
  std::vector<std::string_view> words = SplitWords(line);
  if (words.size() != 5 || words[1] != "values" || words[2] != "hashing" || words[3] != "to")
    return false;
  if (!ParseUint(words[0], count)) return false;
  if (words[4].size() != 32) return false;
  std::string hex;
  for (char c : words[4]) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  *md5 = std::move(hex);
  return true;
}

Result<Script> ParseScript(std::string_view text) {
  return Parser(text).Parse();
}

}  // namespace tenantdb::slt
