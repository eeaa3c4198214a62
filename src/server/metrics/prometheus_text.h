// PrometheusText: writes metrics in the Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/) — the body of GET
// /metrics, served as `text/plain; version=0.0.4; charset=utf-8`.
//
// A family starts with Family(): its `# HELP` and `# TYPE` lines; the samples that
// follow belong to it (Sample for counters and gauges, Histogram for a histogram's
// cumulative `_bucket{le=...}` series ending in le="+Inf", then `_sum` and `_count`).
// Label values and help text are escaped as the format requires (backslash, double quote
// in label values, line feed); metric and label names are the caller's constants and are
// checked only by assertions.
//
//   PrometheusText out;
//   out.Family("tenantdb_http_requests_total", MetricType::kCounter, "HTTP requests.");
//   out.Sample({{"route", "/v1/api/sql"}, {"status", "200"}}, 12);
//   std::string body = std::move(out).Take();
//
// Thread safety: one writer, one thread. Cost: appends to one string.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tenantdb/stats.h"

namespace tenantdb::server {

enum class MetricType { kCounter, kGauge, kHistogram };

struct MetricLabel {
  std::string_view name;
  std::string_view value;
};

class PrometheusText {
 public:
  // Starts the family `name` (each name once per exposition). For a counter the name
  // should end in `_total`; a histogram's samples get `_bucket`, `_sum` and `_count`.
  void Family(std::string_view name, MetricType type, std::string_view help);

  // One sample of the current counter or gauge family.
  void Sample(std::initializer_list<MetricLabel> labels, uint64_t value);
  void Sample(std::initializer_list<MetricLabel> labels, double value);

  // One series of the current histogram family: `histogram`'s buckets made cumulative,
  // with `labels` plus `le`, then its sum and count (the count is the +Inf bucket's).
  void Histogram(std::initializer_list<MetricLabel> labels, const HistogramSnapshot& histogram);

  // A family of one unlabeled sample.
  void Counter(std::string_view name, std::string_view help, uint64_t value);
  void Gauge(std::string_view name, std::string_view help, double value);

  // The exposition written so far.
  std::string Take() && { return std::move(text_); }
  const std::string& text() const { return text_; }

 private:
  void SampleLine(std::string_view suffix, std::initializer_list<MetricLabel> labels,
                  const MetricLabel* extra, std::string_view value);

  std::string text_;
  std::string family_;
  MetricType type_ = MetricType::kGauge;
};

// `value` with backslash, double quote and line feed escaped (label values).
std::string EscapeLabelValue(std::string_view value);
// `text` with backslash and line feed escaped (HELP lines).
std::string EscapeHelp(std::string_view text);
// A sample value as the format writes it: shortest round-trip decimal, "+Inf", "-Inf",
// "NaN".
std::string FormatSampleValue(double value);

}  // namespace tenantdb::server
