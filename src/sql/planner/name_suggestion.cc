#include "sql/planner/name_suggestion.h"

#include <algorithm>
#include <cctype>

namespace tenantdb::sql {

namespace {

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance over lower-cased characters.
size_t Distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const size_t cost = Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && Lower(a[i - 1]) == Lower(b[j - 2]) &&
          Lower(a[i - 2]) == Lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

size_t Allowed(std::string_view name) {
  if (name.size() <= 4) return 1;
  if (name.size() <= 8) return 2;
  return 3;
}

}  // namespace

std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& candidates) {
  // Names far longer than any identifier are not typos worth a quadratic comparison.
  if (name.empty() || name.size() > 128) return std::nullopt;
  std::optional<std::string> best;
  size_t best_distance = Allowed(name) + 1;
  for (const std::string& c : candidates) {
    if (c == name || c.size() > 128) continue;
    const size_t gap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (gap >= best_distance) continue;
    const size_t distance = Distance(name, c);
    if (distance < best_distance) {
      best_distance = distance;
      best = c;
    }
  }
  return best;
}

std::string WithSuggestion(std::string message, std::string_view name,
                           const std::vector<std::string>& candidates) {
  if (std::optional<std::string> closest = ClosestName(name, candidates)) {
    message += "; did you mean \"" + *closest + "\"?";
  }
  return message;
}

}  // namespace tenantdb::sql
