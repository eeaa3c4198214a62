#include "server/metrics/prometheus_text.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>

namespace tenantdb::server {

namespace {

[[maybe_unused]] bool ValidName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits; plain decimals in the range bucket bounds and byte counts
  // live in ("0.0001", not "1e-04"), exponents outside it.
  const double magnitude = std::fabs(value);
  const bool plain = value == 0 || (magnitude >= 1e-6 && magnitude < 1e15);
  char buffer[400];
  const auto [end, ec] =
      plain ? std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed)
            : std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return "NaN";  // cannot happen with 400 bytes
  return std::string(buffer, end);
}

void PrometheusText::Family(std::string_view name, MetricType type, std::string_view help) {
  assert(ValidName(name, true));
  family_.assign(name);
  type_ = type;
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  text_ += EscapeHelp(help);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += TypeName(type);
  text_ += '\n';
}

void PrometheusText::SampleLine(std::string_view suffix, std::initializer_list<MetricLabel> labels,
                                const MetricLabel* extra, std::string_view value) {
  assert(!family_.empty());
  text_ += family_;
  text_ += suffix;
  if (labels.size() > 0 || extra != nullptr) {
    text_ += '{';
    bool first = true;
    auto add = [&](const MetricLabel& label) {
      assert(ValidName(label.name, false) && label.name.substr(0, 2) != "__");
      if (!first) text_ += ',';
      first = false;
      text_ += label.name;
      text_ += "=\"";
      text_ += EscapeLabelValue(label.value);
      text_ += '"';
    };
    for (const MetricLabel& label : labels)
      add(label);
    if (extra != nullptr) add(*extra);
    text_ += '}';
  }
  text_ += ' ';
  text_ += value;
  text_ += '\n';
}

void PrometheusText::Sample(std::initializer_list<MetricLabel> labels, uint64_t value) {
  assert(type_ != MetricType::kHistogram);
  SampleLine("", labels, nullptr, std::to_string(value));
}

void PrometheusText::Sample(std::initializer_list<MetricLabel> labels, double value) {
  assert(type_ != MetricType::kHistogram);
  SampleLine("", labels, nullptr, FormatSampleValue(value));
}

void PrometheusText::Histogram(std::initializer_list<MetricLabel> labels,
                               const HistogramSnapshot& histogram) {
  assert(type_ == MetricType::kHistogram);
  assert(histogram.counts.size() == histogram.upper_bounds.size() + 1);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < histogram.counts.size(); ++i) {
    cumulative += histogram.counts[i];
    const std::string le = i < histogram.upper_bounds.size()
                               ? FormatSampleValue(histogram.upper_bounds[i])
                               : std::string("+Inf");
    const MetricLabel bound{"le", le};
    SampleLine("_bucket", labels, &bound, std::to_string(cumulative));
  }
  SampleLine("_sum", labels, nullptr, FormatSampleValue(histogram.sum_seconds));
  // The +Inf bucket's figure: equal by construction, even while others record.
  SampleLine("_count", labels, nullptr, std::to_string(cumulative));
}

void PrometheusText::Counter(std::string_view name, std::string_view help, uint64_t value) {
  Family(name, MetricType::kCounter, help);
  Sample({}, value);
}

void PrometheusText::Gauge(std::string_view name, std::string_view help, double value) {
  Family(name, MetricType::kGauge, help);
  Sample({}, value);
}

}  // namespace tenantdb::server
