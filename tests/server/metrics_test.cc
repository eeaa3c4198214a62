// ServerMetrics and PrometheusText: the exposition parses as the text format 0.0.4
// (checked by a parser written here from the format's description, itself tested against
// broken inputs), its figures follow what happens in a real Database, labels are escaped,
// and recording from many threads while rendering keeps every exposition valid and the
// totals exact.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/metrics/prometheus_text.h"
#include "server/metrics/server_metrics.h"
#include "tenantdb/database.h"

namespace tenantdb::server {
namespace {

// ---- a checker of the text exposition format ------------------------------------------

struct ParsedSample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct ParsedFamily {
  std::string type;
  std::string help;
  std::vector<ParsedSample> samples;
};

struct Exposition {
  std::map<std::string, ParsedFamily> families;
  std::string error;  // empty when valid

  bool ok() const { return error.empty(); }
  // The value of `name` with exactly `labels`, if present.
  std::optional<double> Value(const std::string& family, const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const {
    auto it = families.find(family);
    if (it == families.end()) return std::nullopt;
    for (const ParsedSample& s : it->second.samples)
      if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
  }
  std::optional<double> Value(const std::string& name,
                              const std::map<std::string, std::string>& labels = {}) const {
    return Value(name, name, labels);
  }
};

bool IsNameChar(char c, bool first, bool colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
         (!first && c >= '0' && c <= '9');
}

// Reads a metric or label name at text[*pos].
std::optional<std::string> ReadName(const std::string& text, size_t* pos, bool colon) {
  const size_t start = *pos;
  while (*pos < text.size() && IsNameChar(text[*pos], *pos == start, colon))
    ++*pos;
  if (*pos == start) return std::nullopt;
  return text.substr(start, *pos - start);
}

std::optional<double> ParseValue(const std::string& text) {
  if (text == "+Inf") return INFINITY;
  if (text == "-Inf") return -INFINITY;
  if (text == "NaN") return NAN;
  if (text.empty()) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// A sample line: name, optional {label="value",...} with \\ \" \n escapes, a space, a
// value, nothing after (no timestamps are written).
std::optional<ParsedSample> ParseSampleLine(const std::string& line, std::string* why) {
  ParsedSample sample;
  size_t pos = 0;
  auto name = ReadName(line, &pos, true);
  if (!name) return *why = "no metric name", std::nullopt;
  sample.name = *name;
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    while (pos < line.size() && line[pos] != '}') {
      auto label = ReadName(line, &pos, false);
      if (!label) return *why = "bad label name", std::nullopt;
      if (pos + 1 >= line.size() || line[pos] != '=' || line[pos + 1] != '"')
        return *why = "label without =\"", std::nullopt;
      pos += 2;
      std::string value;
      bool closed = false;
      while (pos < line.size()) {
        const char c = line[pos++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\n') return *why = "raw line feed in a label value", std::nullopt;
        if (c == '\\') {
          if (pos >= line.size()) return *why = "dangling backslash", std::nullopt;
          const char e = line[pos++];
          if (e == '\\') {
            value += '\\';
          } else if (e == '"') {
            value += '"';
          } else if (e == 'n') {
            value += '\n';
          } else {
            return *why = std::string("unknown escape \\") + e, std::nullopt;
          }
        } else {
          value += c;
        }
      }
      if (!closed) return *why = "unterminated label value", std::nullopt;
      if (!sample.labels.emplace(*label, value).second)
        return *why = "label repeated: " + *label, std::nullopt;
      if (pos < line.size() && line[pos] == ',') ++pos;
    }
    if (pos >= line.size()) return *why = "unterminated label set", std::nullopt;
    ++pos;  // '}'
  }
  if (pos >= line.size() || line[pos] != ' ')
    return *why = "no space before the value", std::nullopt;
  auto value = ParseValue(line.substr(pos + 1));
  if (!value) return *why = "bad value '" + line.substr(pos + 1) + "'", std::nullopt;
  sample.value = *value;
  return sample;
}

// Checks a histogram family's series: per label set (without le), buckets in ascending
// le, cumulative, the last one +Inf, then _count equal to it and a _sum.
std::string CheckHistogram(const std::string& family, const ParsedFamily& f) {
  struct Series {
    std::vector<std::pair<double, double>> buckets;  // le, value, in order of appearance
    std::optional<double> sum, count;
  };
  std::map<std::map<std::string, std::string>, Series> series;
  for (const ParsedSample& s : f.samples) {
    auto labels = s.labels;
    if (s.name == family + "_bucket") {
      auto le = labels.find("le");
      if (le == labels.end()) return s.name + " without le";
      auto bound = ParseValue(le->second);
      if (!bound) return "bad le '" + le->second + "'";
      labels.erase(le);
      series[labels].buckets.emplace_back(*bound, s.value);
    } else if (s.name == family + "_sum") {
      series[labels].sum = s.value;
    } else if (s.name == family + "_count") {
      series[labels].count = s.value;
    } else {
      return "sample " + s.name + " in histogram " + family;
    }
  }
  for (const auto& [labels, s] : series) {
    if (s.buckets.empty()) return family + ": a series without buckets";
    for (size_t i = 1; i < s.buckets.size(); ++i) {
      if (!(s.buckets[i].first > s.buckets[i - 1].first)) return family + ": le not ascending";
      if (s.buckets[i].second < s.buckets[i - 1].second) return family + ": buckets not cumulative";
    }
    if (!std::isinf(s.buckets.back().first)) return family + ": last bucket is not +Inf";
    if (!s.count) return family + ": no _count";
    if (!s.sum) return family + ": no _sum";
    if (*s.count != s.buckets.back().second) return family + ": _count != +Inf bucket";
  }
  return {};
}

Exposition Parse(const std::string& text) {
  Exposition out;
  if (!text.empty() && text.back() != '\n') return out.error = "no final line feed", out;
  std::istringstream in(text);
  std::string line;
  std::string current;  // the family the last TYPE line started
  size_t number = 0;
  auto fail = [&](const std::string& why) {
    out.error = "line " + std::to_string(number) + ": " + why + ": " + line;
    return out;
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream words(line);
      std::string hash, keyword, name;
      words >> hash >> keyword >> name;
      if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
      size_t pos = 0;
      if (!ReadName(name, &pos, true) || pos != name.size()) return fail("bad family name");
      ParsedFamily& f = out.families[name];
      if (!f.samples.empty()) return fail(keyword + " after the family's samples");
      if (keyword == "HELP") {
        if (!f.help.empty()) return fail("HELP repeated");
        f.help = line.substr(line.find(name) + name.size());
        if (f.help.empty()) f.help = " ";
      } else {
        std::string type;
        words >> type;
        if (!f.type.empty()) return fail("TYPE repeated");
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped")
          return fail("unknown type");
        f.type = type;
        current = name;
      }
      continue;
    }
    std::string why;
    auto sample = ParseSampleLine(line, &why);
    if (!sample) return fail(why);
    if (current.empty()) return fail("sample before any TYPE");
    const ParsedFamily& f = out.families[current];
    const bool belongs = sample->name == current ||
                         (f.type == "histogram" &&
                          (sample->name == current + "_bucket" ||
                           sample->name == current + "_sum" || sample->name == current + "_count"));
    if (!belongs) return fail("sample outside its family " + current);
    if (f.help.empty()) return fail("sample without HELP");
    out.families[current].samples.push_back(*sample);
  }
  for (const auto& [name, f] : out.families) {
    if (f.type.empty()) return out.error = name + ": HELP without TYPE", out;
    if (f.type == "counter") {
      if (name.size() < 6 || name.substr(name.size() - 6) != "_total")
        return out.error = name + ": a counter not named _total", out;
      for (const ParsedSample& s : f.samples)
        if (s.value < 0) return out.error = name + ": negative counter", out;
    }
    if (f.type == "histogram") {
      std::string why = CheckHistogram(name, f);
      if (!why.empty()) return out.error = why, out;
    }
  }
  return out;
}

// ---- the checker rejects what it must --------------------------------------------------

TEST(PrometheusFormatChecker, RejectsBrokenExpositions) {
  const std::string good =
      "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 3\n"
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n"
      "h_sum 3.5\nh_count 2\n";
  ASSERT_TRUE(Parse(good).ok()) << Parse(good).error;
  const std::vector<std::string> bad = {
      "a_total 1\n",                                                        // no HELP/TYPE
      "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1} 3\n",      // unterminated
      "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"\\q\"} 3\n",  // bad escape
      "# HELP a_total A.\n# TYPE a_total counter\na_total 3 x\n",           // trailing junk
      "# HELP a A.\n# TYPE a counter\na 3\n",                               // counter not _total
      "# HELP a_total A.\n# TYPE a_total counter\nb_total 3\n",             // outside its family
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\n"
      "h_sum 1\nh_count 1\n",  // not cumulative
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",  // no +Inf
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",
      "# HELP a_total A.\n# TYPE a_total counter\na_total 1",  // no final line feed
  };
  for (const std::string& text : bad)
    EXPECT_FALSE(Parse(text).ok()) << text;
}

// ---- PrometheusText --------------------------------------------------------------------

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  EXPECT_EQ(EscapeHelp("x\\y\nz \"q\""), "x\\\\y\\nz \"q\"");
  PrometheusText out;
  const std::string nasty = "/v1/\"sql\"\\\n{x=\"1\"}";
  out.Family("t_total", MetricType::kCounter, "help with \\ and\nnew line");
  out.Sample({{"route", nasty}, {"status", "200"}}, uint64_t{7});
  const std::string text = std::move(out).Take();
  Exposition parsed = Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error << "\n" << text;
  EXPECT_EQ(parsed.Value("t_total", {{"route", nasty}, {"status", "200"}}), 7);
  EXPECT_NE(text.find("# HELP t_total help with \\\\ and\\nnew line\n"), std::string::npos) << text;
}

TEST(PrometheusText, FormatsValues) {
  EXPECT_EQ(FormatSampleValue(0.005), "0.005");
  EXPECT_EQ(FormatSampleValue(0.0001), "0.0001");
  EXPECT_EQ(FormatSampleValue(60), "60");
  EXPECT_EQ(FormatSampleValue(123456789012), "123456789012");
  EXPECT_EQ(FormatSampleValue(1e20), "1e+20");
  EXPECT_EQ(FormatSampleValue(0), "0");
  EXPECT_EQ(FormatSampleValue(INFINITY), "+Inf");
  EXPECT_EQ(FormatSampleValue(-INFINITY), "-Inf");
  EXPECT_EQ(FormatSampleValue(NAN), "NaN");
  EXPECT_EQ(ParseValue(FormatSampleValue(1.0 / 3)), 1.0 / 3);
}

TEST(PrometheusText, HistogramBucketsAreCumulativeAndEndInInf) {
  HistogramSnapshot h;
  h.upper_bounds = {0.1, 1};
  h.counts = {2, 0, 3};
  h.sum_seconds = 9.5;
  PrometheusText out;
  out.Family("d_seconds", MetricType::kHistogram, "D.");
  out.Histogram({{"route", "r"}}, h);
  const std::string text = std::move(out).Take();
  EXPECT_EQ(text,
            "# HELP d_seconds D.\n# TYPE d_seconds histogram\n"
            "d_seconds_bucket{route=\"r\",le=\"0.1\"} 2\n"
            "d_seconds_bucket{route=\"r\",le=\"1\"} 2\n"
            "d_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n"
            "d_seconds_sum{route=\"r\"} 9.5\n"
            "d_seconds_count{route=\"r\"} 5\n");
  EXPECT_TRUE(Parse(text).ok()) << Parse(text).error;
}

// ---- ServerMetrics ---------------------------------------------------------------------

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_metrics_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Database::Options options;
    options.background_jobs = false;
    auto db = Database::Open(dir_.string(), options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto root = db_->Connect("root", Role::kSystem);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    root_ = std::move(*root);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Ok(Session& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  // Reads every row of `sql` and returns how many there were.
  size_t CountRows(Session& s, const std::string& sql) {
    auto cursor = s.Query(sql);
    EXPECT_TRUE(cursor.ok()) << sql << ": " << cursor.status().ToString();
    if (!cursor.ok()) return 0;
    size_t rows = 0;
    while (true) {
      Result<bool> more = (*cursor)->Next();
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) return rows;
      rows += (*cursor)->batch().num_rows();
    }
  }
  Exposition Render() {
    const std::string text = metrics_.RenderPrometheus(*db_);
    Exposition parsed = Parse(text);
    EXPECT_TRUE(parsed.ok()) << parsed.error << "\n" << text;
    return parsed;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> root_;
  ServerMetrics metrics_;
};

TEST_F(MetricsTest, RequestsAreCountedByRouteAndStatus) {
  using std::chrono::microseconds;
  for (int i = 0; i < 3; ++i)
    metrics_.RequestFinished("/v1/api/sql", 200, microseconds(150));
  metrics_.RequestFinished("/v1/api/sql", 400, microseconds(2'000));
  metrics_.RequestFinished("/v1/api/auth/login", 401, microseconds(40'000));
  // Unknown routes and impossible statuses cannot grow the label set.
  metrics_.RequestFinished("/etc/passwd", 404, microseconds(10));
  metrics_.RequestFinished("/another/unknown/path", 404, microseconds(10));
  metrics_.RequestFinished("/health", 999, microseconds(10));

  Exposition e = Render();
  ASSERT_TRUE(e.ok());
  const std::string requests = "tenantdb_http_requests_total";
  EXPECT_EQ(e.Value(requests, {{"route", "/v1/api/sql"}, {"status", "200"}}), 3);
  EXPECT_EQ(e.Value(requests, {{"route", "/v1/api/sql"}, {"status", "400"}}), 1);
  EXPECT_EQ(e.Value(requests, {{"route", "/v1/api/auth/login"}, {"status", "401"}}), 1);
  EXPECT_EQ(e.Value(requests, {{"route", "other"}, {"status", "404"}}), 2);
  EXPECT_EQ(e.Value(requests, {{"route", "/health"}, {"status", "other"}}), 1);
  EXPECT_EQ(e.families[requests].samples.size(), 5u);

  const std::string duration = "tenantdb_http_request_duration_seconds";
  const std::map<std::string, std::string> sql = {{"route", "/v1/api/sql"}};
  EXPECT_EQ(e.Value(duration, duration + "_count", sql), 4);
  EXPECT_NEAR(*e.Value(duration, duration + "_sum", sql), 0.00245, 1e-9);
  auto bucket = [&](const std::string& le) {
    return e.Value(duration, duration + "_bucket", {{"route", "/v1/api/sql"}, {"le", le}});
  };
  EXPECT_EQ(bucket("0.0001"), 0);
  EXPECT_EQ(bucket("0.00025"), 3);
  EXPECT_EQ(bucket("0.001"), 3);
  EXPECT_EQ(bucket("0.0025"), 4);
  EXPECT_EQ(bucket("+Inf"), 4);
  EXPECT_EQ(e.Value(duration, duration + "_count", {{"route", "/v1/api/auth/login"}}), 1);
}

TEST_F(MetricsTest, ConnectionAndStatementGauges) {
  metrics_.ConnectionOpened();
  metrics_.ConnectionOpened();
  metrics_.ConnectionOpened();
  metrics_.ConnectionClosed();
  metrics_.StatementStarted();
  Exposition e = Render();
  EXPECT_EQ(e.Value("tenantdb_http_open_connections"), 2);
  EXPECT_EQ(e.Value("tenantdb_statements_running"), 1);
  metrics_.StatementFinished();
  metrics_.ConnectionClosed();
  metrics_.ConnectionClosed();
  e = Render();
  EXPECT_EQ(e.Value("tenantdb_http_open_connections"), 0);
  EXPECT_EQ(e.Value("tenantdb_statements_running"), 0);
}

TEST_F(MetricsTest, DatabaseFiguresFollowActivity) {
  Exposition before = Render();
  ASSERT_TRUE(before.ok());
  for (const char* name :
       {"tenantdb_catalog_cache_hits_total", "tenantdb_catalog_cache_misses_total",
        "tenantdb_catalog_cache_evictions_total", "tenantdb_row_cache_hits_total",
        "tenantdb_flush_jobs_total", "tenantdb_flush_jobs_failed_total",
        "tenantdb_compactions_total", "tenantdb_rocksdb_write_stall_micros_total",
        "tenantdb_database_statements_running", "tenantdb_statement_memory_bytes",
        "tenantdb_wal_group_syncs_total"}) {
    EXPECT_TRUE(before.Value(name).has_value()) << name;
  }
  EXPECT_EQ(before.Value("tenantdb_flush_jobs_total"), 0);
  EXPECT_EQ(
      before.Value("tenantdb_flush_duration_seconds", "tenantdb_flush_duration_seconds_count"), 0);
  EXPECT_GT(*before.Value("tenantdb_statement_memory_limit_bytes"), 0);

  Ok(*root_, "CREATE NAMESPACE chat");
  Ok(*root_, "CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  auto alice = db_->Connect("alice", Role::kUser);
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  for (int i = 0; i < 50; ++i)
    Ok(**alice, "INSERT INTO chat.messages VALUES (" + std::to_string(i) + ", 'hello')");
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(CountRows(**alice, "SELECT * FROM chat.messages WHERE id < 10"), 10u);

  const DatabaseStats hot = db_->Stats();
  EXPECT_GT(hot.catalog_cache.hits, 0u);
  EXPECT_GT(hot.catalog_cache.misses, 0u);  // the first use of chat.messages loaded it
  EXPECT_GT(hot.catalog_cache.entries, 0u);
  EXPECT_GT(hot.row_cache.hits, 0u);  // repeated reads of alice's rows
  EXPECT_GT(hot.row_cache.bytes, 0u);
  EXPECT_GT(hot.rows_db.memtable_bytes, 0u);
  EXPECT_GT(hot.rows_db.estimated_keys, 0u);
  EXPECT_GT(hot.catalog_db.estimated_keys, 0u);
  EXPECT_EQ(hot.running_statements, 0u);

  Ok(*root_, "STORAGE FLUSH TABLE chat.messages");
  // Refused before any work: not a flush job.
  Ok(*root_,
     "CREATE TABLE chat.events (id BIGINT PRIMARY KEY) WITH (TYPE = 'STREAM', TTL_SECONDS = 60)");
  EXPECT_FALSE(root_->Execute("STORAGE FLUSH TABLE chat.events").ok());

  Exposition after = Render();
  ASSERT_TRUE(after.ok());
  EXPECT_GT(*after.Value("tenantdb_catalog_cache_hits_total"),
            *before.Value("tenantdb_catalog_cache_hits_total"));
  EXPECT_GT(*after.Value("tenantdb_row_cache_hits_total"), 0);
  EXPECT_EQ(after.Value("tenantdb_flush_jobs_total"), 1);
  EXPECT_EQ(after.Value("tenantdb_flush_jobs_failed_total"), 0);
  EXPECT_EQ(after.Value("tenantdb_flushed_rows_total"), 50);
  EXPECT_GT(*after.Value("tenantdb_flushed_bytes_total"), 0);
  const std::string flush = "tenantdb_flush_duration_seconds";
  EXPECT_EQ(after.Value(flush, flush + "_count"), 1);
  EXPECT_GT(*after.Value(flush, flush + "_sum"), 0);
  EXPECT_GT(*after.Value("tenantdb_rocksdb_estimated_keys", {{"db", "catalog"}}), 0);
  EXPECT_TRUE(after.Value("tenantdb_rocksdb_live_sst_bytes", {{"db", "rows"}}).has_value());
  EXPECT_EQ(after.Value("tenantdb_database_read_only"), 0);
  // The flushed rows are still there, now read from Parquet.
  EXPECT_EQ(CountRows(**alice, "SELECT * FROM chat.messages"), 50u);
}

TEST_F(MetricsTest, RunningStatementsCountOpenCursors) {
  Ok(*root_, "CREATE TABLE t (id BIGINT PRIMARY KEY) WITH (TYPE = 'SHARED')");
  std::string insert = "INSERT INTO t VALUES (0)";
  for (int i = 1; i < 5000; ++i)
    insert += ",(" + std::to_string(i) + ")";
  Ok(*root_, insert);
  auto reader = db_->Connect("root", Role::kSystem);
  ASSERT_TRUE(reader.ok());
  auto cursor = (*reader)->Query("SELECT id FROM t ORDER BY id DESC");
  ASSERT_TRUE(cursor.ok()) << cursor.status().ToString();
  ASSERT_TRUE((*cursor)->Next().ok());
  const DatabaseStats open = db_->Stats();
  EXPECT_EQ(open.running_statements, 1u);
  EXPECT_GT(open.statement_memory_bytes, 0u);  // the sort holds its input
  EXPECT_EQ(Render().Value("tenantdb_database_statements_running"), 1);
  cursor->reset();
  const DatabaseStats closed = db_->Stats();
  EXPECT_EQ(closed.running_statements, 0u);
  EXPECT_EQ(closed.statement_memory_bytes, 0u);
}

TEST_F(MetricsTest, RecordingWhileRenderingFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20'000;
  const std::vector<std::string> routes = {"/v1/api/sql", "/health", "/nope", "/metrics"};
  const std::vector<int> statuses = {200, 400, 404, 500, 503};
  std::atomic<bool> start{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!start.load())
        std::this_thread::yield();
      for (int i = 0; i < kPerThread; ++i) {
        metrics_.ConnectionOpened();
        metrics_.StatementStarted();
        metrics_.RequestFinished(routes[(t + i) % routes.size()], statuses[i % statuses.size()],
                                 std::chrono::microseconds(i % 5000));
        metrics_.StatementFinished();
        metrics_.ConnectionClosed();
      }
    });
  }
  // A reader queries the database meanwhile, so its figures move during the renders.
  std::thread querier([&] {
    auto session = db_->Connect("bob", Role::kUser);
    ASSERT_TRUE(session.ok());
    while (!start.load())
      std::this_thread::yield();
    for (int i = 0; i < 200; ++i)
      EXPECT_EQ(CountRows(**session, "SELECT 1"), 1u);
  });
  start = true;
  int renders = 0;
  for (; renders < 50; ++renders) {
    Exposition e = Render();
    ASSERT_TRUE(e.ok());
  }
  for (std::thread& t : threads)
    t.join();
  querier.join();

  Exposition e = Render();
  ASSERT_TRUE(e.ok());
  double total = 0;
  for (const ParsedSample& s : e.families["tenantdb_http_requests_total"].samples)
    total += s.value;
  EXPECT_EQ(total, kThreads * kPerThread);
  const std::string duration = "tenantdb_http_request_duration_seconds";
  double counted = 0;
  for (const ParsedSample& s : e.families[duration].samples)
    if (s.name == duration + "_count") counted += s.value;
  EXPECT_EQ(counted, kThreads * kPerThread);
  EXPECT_EQ(e.Value(duration, duration + "_count", {{"route", "other"}}),
            kThreads * kPerThread / 4);
  EXPECT_EQ(e.Value("tenantdb_http_open_connections"), 0);
  EXPECT_EQ(e.Value("tenantdb_statements_running"), 0);
}

}  // namespace
}  // namespace tenantdb::server
