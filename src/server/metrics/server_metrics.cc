// ServerMetrics over PrometheusText: the request path bumps fixed arrays of atomics (one
// slot per known route x HTTP status), rendering walks them and adds
// Database::Stats().
#include "server/metrics/server_metrics.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "server/metrics/latency_histogram.h"
#include "server/metrics/prometheus_text.h"

namespace tenantdb::server {

namespace {

// The router's route names. Anything else is counted as "other", so the label set stays
// bounded whatever clients request. Keep in step with the router's table.
constexpr std::array<std::string_view, 10> kRoutes = {"/v1/api/sql",
                                                      "/v1/api/auth/login",
                                                      "/v1/api/auth/refresh",
                                                      "/v1/api/auth/logout",
                                                      "/v1/api/auth/me",
                                                      "/v1/ws",
                                                      "/health",
                                                      "/ready",
                                                      "/metrics",
                                                      "other"};
constexpr size_t kOtherRoute = kRoutes.size() - 1;

// HTTP statuses 100..599 each have a slot; anything else (a bug upstream) goes to the
// last slot, exposed as status="other".
constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr size_t kStatusSlots = kLastStatus - kFirstStatus + 2;

size_t RouteIndex(std::string_view route) {
  for (size_t i = 0; i < kOtherRoute; ++i)
    if (kRoutes[i] == route) return i;
  return kOtherRoute;
}

size_t StatusIndex(int status) {
  if (status < kFirstStatus || status > kLastStatus) return kStatusSlots - 1;
  return static_cast<size_t>(status - kFirstStatus);
}

struct RouteMetrics {
  std::array<std::atomic<uint64_t>, kStatusSlots> by_status{};
  LatencyHistogram latency;
};

// Gauges from counters that go up and down: never shown below zero even if a caller
// finished something it never started.
uint64_t NonNegative(const std::atomic<int64_t>& value) {
  const int64_t v = value.load(std::memory_order_relaxed);
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}

void RenderRocksFamily(PrometheusText& out, const DatabaseStats& stats) {
  struct Figure {
    std::string_view name;
    MetricType type;
    std::string_view help;
    uint64_t DatabaseStats::RocksFamily::*field;
  };
  static constexpr Figure kFigures[] = {
      {"tenantdb_rocksdb_live_sst_bytes", MetricType::kGauge,
       "Bytes of RocksDB's live SST files, by column family.",
       &DatabaseStats::RocksFamily::live_sst_bytes},
      {"tenantdb_rocksdb_memtable_bytes", MetricType::kGauge,
       "Bytes of RocksDB's active and unflushed memtables, by column family.",
       &DatabaseStats::RocksFamily::memtable_bytes},
      {"tenantdb_rocksdb_estimated_keys", MetricType::kGauge,
       "RocksDB's estimate of the keys in each column family.",
       &DatabaseStats::RocksFamily::estimated_keys},
      {"tenantdb_rocksdb_write_stops_total", MetricType::kCounter,
       "Times RocksDB stopped writes, by column family.", &DatabaseStats::RocksFamily::write_stops},
      {"tenantdb_rocksdb_write_slowdowns_total", MetricType::kCounter,
       "Times RocksDB slowed writes down, by column family.",
       &DatabaseStats::RocksFamily::write_slowdowns},
  };
  for (const Figure& figure : kFigures) {
    out.Family(figure.name, figure.type, figure.help);
    out.Sample({{"db", "rows"}}, stats.rows_db.*figure.field);
    out.Sample({{"db", "catalog"}}, stats.catalog_db.*figure.field);
  }
}

void RenderDatabase(PrometheusText& out, const DatabaseStats& stats) {
  out.Counter("tenantdb_catalog_cache_hits_total",
              "Table metadata lookups served by the catalog cache.", stats.catalog_cache.hits);
  out.Counter("tenantdb_catalog_cache_misses_total",
              "Table metadata lookups that read the catalog.", stats.catalog_cache.misses);
  out.Counter("tenantdb_catalog_cache_evictions_total",
              "Tables evicted from the catalog cache to make room.", stats.catalog_cache.evictions);
  out.Gauge("tenantdb_catalog_cache_entries", "Tables in the catalog cache.",
            static_cast<double>(stats.catalog_cache.entries));
  out.Gauge("tenantdb_catalog_cache_capacity", "Tables the catalog cache may hold.",
            static_cast<double>(stats.catalog_cache.capacity));

  out.Counter("tenantdb_row_cache_hits_total",
              "Reads of USER tables served from the cache of recently read users' rows.",
              stats.row_cache.hits);
  out.Counter("tenantdb_row_cache_misses_total", "Reads of USER tables that missed the row cache.",
              stats.row_cache.misses);
  out.Counter("tenantdb_row_cache_evictions_total",
              "Users' rows evicted from the row cache to make room.", stats.row_cache.evictions);
  out.Gauge("tenantdb_row_cache_entries", "Users' row sets in the row cache.",
            static_cast<double>(stats.row_cache.entries));
  out.Gauge("tenantdb_row_cache_bytes", "Bytes the row cache holds.",
            static_cast<double>(stats.row_cache.bytes));
  out.Gauge("tenantdb_row_cache_capacity_bytes", "Bytes the row cache may hold (0: off).",
            static_cast<double>(stats.row_cache.capacity_bytes));

  out.Counter("tenantdb_flush_jobs_total",
              "Flushes of a table's hot rows to Parquet, failed ones included.", stats.flush.jobs);
  out.Counter("tenantdb_flush_jobs_failed_total", "Flushes that ended with an error.",
              stats.flush.failed);
  out.Counter("tenantdb_flushed_rows_total", "Row versions flushed to Parquet.", stats.flush.rows);
  out.Counter("tenantdb_flushed_bytes_total", "Parquet bytes written by flushes.",
              stats.flush.bytes);
  out.Family("tenantdb_flush_duration_seconds", MetricType::kHistogram,
             "How long flushes took, failed ones included.");
  out.Histogram({}, stats.flush.duration);
  out.Counter("tenantdb_compactions_total",
              "Cold directories rewritten by compaction (automatic or STORAGE COMPACT).",
              stats.compactions);

  out.Gauge("tenantdb_database_statements_running",
            "Statements running in the database, open cursors included.",
            static_cast<double>(stats.running_statements));
  out.Gauge("tenantdb_statement_memory_bytes",
            "Bytes running statements hold in sorts, hash tables and collected results.",
            static_cast<double>(stats.statement_memory_bytes));
  out.Gauge("tenantdb_statement_memory_limit_bytes",
            "global_mem: the bytes all running statements may hold together (0: no limit).",
            static_cast<double>(stats.statement_memory_limit_bytes));

  out.Counter("tenantdb_rocksdb_write_stall_micros_total",
              "Microseconds writers waited on RocksDB write stalls.", stats.write_stall_micros);
  out.Counter("tenantdb_wal_group_syncs_total",
              "Write-ahead log syncs run for commits that did not wait for one (HTTP requests); "
              "each syncs every commit made meanwhile.",
              stats.deferred_wal_syncs);
  out.Gauge("tenantdb_rocksdb_writes_stopped", "1 while RocksDB is stopping writes.",
            stats.writes_stopped ? 1 : 0);
  RenderRocksFamily(out, stats);
  out.Gauge("tenantdb_database_read_only",
            "1 when the database refuses writes (opened read-only, or the disk filled up).",
            stats.read_only ? 1 : 0);
}

}  // namespace

class ServerMetrics::Impl {
 public:
  std::array<RouteMetrics, kRoutes.size()> routes;
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> running_statements{0};
};

ServerMetrics::ServerMetrics() : impl_(std::make_unique<Impl>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::RequestFinished(std::string_view route, int http_status,
                                    std::chrono::microseconds latency) {
  RouteMetrics& metrics = impl_->routes[RouteIndex(route)];
  metrics.by_status[StatusIndex(http_status)].fetch_add(1, std::memory_order_relaxed);
  metrics.latency.Record(latency);
}

void ServerMetrics::ConnectionOpened() {
  impl_->open_connections.fetch_add(1, std::memory_order_relaxed);
}
void ServerMetrics::ConnectionClosed() {
  impl_->open_connections.fetch_sub(1, std::memory_order_relaxed);
}
void ServerMetrics::StatementStarted() {
  impl_->running_statements.fetch_add(1, std::memory_order_relaxed);
}
void ServerMetrics::StatementFinished() {
  impl_->running_statements.fetch_sub(1, std::memory_order_relaxed);
}

std::string ServerMetrics::RenderPrometheus(Database& db) const {
  PrometheusText out;
  out.Family("tenantdb_http_requests_total", MetricType::kCounter,
             "HTTP requests answered, by route and status.");
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    const RouteMetrics& metrics = impl_->routes[r];
    for (size_t s = 0; s < kStatusSlots; ++s) {
      const uint64_t n = metrics.by_status[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      const std::string status =
          s == kStatusSlots - 1 ? "other" : std::to_string(kFirstStatus + static_cast<int>(s));
      out.Sample({{"route", kRoutes[r]}, {"status", status}}, n);
    }
  }
  out.Family("tenantdb_http_request_duration_seconds", MetricType::kHistogram,
             "Time from a request's first byte read to its response's last byte written.");
  for (size_t r = 0; r < kRoutes.size(); ++r) {
    const HistogramSnapshot latency = impl_->routes[r].latency.Snapshot();
    if (latency.count() == 0) continue;
    out.Histogram({{"route", kRoutes[r]}}, latency);
  }
  out.Gauge("tenantdb_http_open_connections", "HTTP connections open now.",
            static_cast<double>(NonNegative(impl_->open_connections)));
  out.Gauge("tenantdb_statements_running", "SQL statements the server is running now.",
            static_cast<double>(NonNegative(impl_->running_statements)));
  RenderDatabase(out, db.Stats());
  return std::move(out).Take();
}

}  // namespace tenantdb::server
