#include "tables/stored_statistics.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "storage/table_store.h"

namespace tenantdb {

TableStatistics StoredStatistics(const TableEntry& table, const RequestContext& ctx,
                                 const UserId* owner) {
  TableStatistics out;
  if (ctx.store == nullptr) return out;
  auto estimate = ctx.store->statistics().Get(table, owner);
  if (!estimate.ok()) return out;  // estimates only: a failed read means "unknown"
  const RowCounts::Figures& counts = estimate->counts;
  const bool per_user = IsPerUser(table.type());
  if (counts.known) {
    out.table_rows = static_cast<double>(counts.rows);
    if (!per_user) {
      out.rows = out.table_rows;
    } else {
      if (counts.users >= 0) out.users = static_cast<double>(counts.users);
      if (counts.slice.has_value()) {
        out.rows = static_cast<double>(*counts.slice);
      } else {
        const double average = counts.users > 0 ? out.table_rows / out.users : out.table_rows;
        out.rows = std::max(0.0, average + static_cast<double>(counts.slice_delta));
      }
    }
  }
  if (estimate->analyzed == nullptr) return out;
  absl::flat_hash_map<uint32_t, const ColumnStatsRecord*> by_id;
  for (const ColumnStatsRecord& c : estimate->analyzed->columns)
    by_id.emplace(c.column_id, &c);
  const Schema& schema = *table.schema();
  out.columns.resize(schema.num_fields());
  for (size_t i = 0; i < schema.num_fields(); ++i) {
    auto it = by_id.find(schema.field(i).id);
    if (schema.field(i).id == 0 || it == by_id.end()) continue;
    const ColumnStatsRecord& c = *it->second;
    ColumnStatistics& s = out.columns[i];
    s.distinct = c.distinct;
    if (out.rows >= 0 && s.distinct > out.rows) s.distinct = std::max(out.rows, 1.0);
    s.null_fraction = c.null_fraction;
    // A column whose type changed since (ALTER ... TYPE widening) keeps no bounds.
    if (c.min.has_value() && c.min->type() == schema.field(i).type) s.min = c.min;
    if (c.max.has_value() && c.max->type() == schema.field(i).type) s.max = c.max;
  }
  return out;
}

}  // namespace tenantdb
