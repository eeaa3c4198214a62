// TableProvider: the one object per table that reads and writes its rows, for every user.
//
// A provider *is* the table's cached TableEntry (it derives from it, see
// catalog/table_entry.h), so the SchemaCache holds exactly one object per table and a
// provider adds no bytes: the user, role, transaction and storage of each call arrive in
// a RequestContext. Subclasses fix the rules of their table type:
//
//   UserTableProvider    (tables/user_table_provider.h)    rows of ctx.user only
//   SharedTableProvider  (tables/shared_table_provider.h)  one row set, access levels
//   StreamTableProvider  (tables/stream_table_provider.h)  per user, TTL, never flushed
//   SystemTableProvider  (tables/system_table_provider.h)  read-only catalog views
//
// Reads see the committed rows merged with the transaction's pending writes; writes only
// add to the transaction (Transaction::Commit applies them atomically). Errors:
// insufficient_privilege when the role may not read or write the table; those of the
// storage layer.
//
// Thread safety: providers are immutable; calls may run concurrently (each with its own
// context and transaction).
#pragma once

#include <optional>
#include <vector>

#include "catalog/table_entry.h"
#include "storage/hot/hot_store.h"
#include "tables/request_context.h"
#include "tables/table_statistics.h"
#include "types/batch.h"
#include "types/batch_stream.h"

namespace tenantdb {

// The generated primary key of a SHARED table declared without one (BIGINT, DEFAULT
// snowflake_id()). Hidden from `SELECT *` and from INSERT without a column list.
inline constexpr std::string_view kRowIdColumn = "_rowid";

// Key-range and limit pushdown for Scan. Bounds are primary-key prefixes (HotKeyBound).
struct ScanRequest {
  std::optional<HotKeyBound> lower;
  std::optional<HotKeyBound> upper;
  size_t limit = 0;  // 0: no limit; set only when nothing filters the rows afterwards
  // Columns the query reads (empty: all); the provider may return the others as NULL.
  std::vector<bool> wanted;
  // The stream may return only the wanted columns (plus others it reads anyway, such as
  // the key), listing their positions in BatchStream::columns().
  bool projected = false;
  // ORDER BY these columns LIMIT top_n (0: none) is applied above the scan; the provider
  // may return only those rows (set only when nothing filters the rows afterwards).
  std::vector<HotSortKey> order;
  size_t top_n = 0;
  // Read through this secondary index instead (TableStore::IndexScan): the rows whose
  // entries lie within any of the ranges. Ignored (a full read instead) when the index
  // is gone or unbuilt, or the transaction has pending writes to the table: the caller
  // filters the rows in any case.
  std::optional<HotIndex> index;
  std::vector<IndexRange> index_ranges;
  // Read the index's one range in index order (reversed when `descending`), streamed,
  // for an ORDER BY ... LIMIT above (TableStore::OpenIndexScan; `first_rows`: the
  // LIMIT's n). When the provider can (the conditions of `index` above, and one range),
  // the stream it returns says ordered() and the caller may stop after n rows; when not,
  // the rows come unordered and the caller must read them all.
  struct IndexOrder {
    bool descending = false;
    size_t first_rows = 0;
  };
  std::optional<IndexOrder> index_order;
};

class TableProvider : public TableEntry {
 public:
  using TableEntry::TableEntry;

  // Whether ctx may read / write this table at all (checked once per statement).
  virtual Status CheckRead(const RequestContext& ctx) const = 0;
  virtual Status CheckWrite(const RequestContext& ctx) const = 0;

  // Live rows within the request's bounds, in the table's current layout, as a stream
  // pulled batch by batch in bounded memory (TableStore::OpenScan). Committed rows come
  // in primary-key order (unless a top-N read sorted them); the transaction's pending
  // rows, if any, follow them. The pending writes are copied when the scan starts, so
  // writes the same statement adds while it reads the stream do not show up in it.
  // The stream keeps this provider alive; it must not outlive ctx.store.
  virtual Result<BatchStreamPtr> Scan(const RequestContext& ctx, const ScanRequest& request) const;
  // The live row with primary key `key` (values in key order), if any.
  virtual Result<std::optional<std::vector<Value>>> Get(const RequestContext& ctx,
                                                        const std::vector<Value>& key) const;
  // Adds writes to ctx.transaction (required). `check_now` validates inserts against
  // the current rows immediately (an explicit transaction's statement reports a
  // duplicate at once); the commit checks again in any case. `pack`: the writes are
  // inserts the transaction may hold encoded until something reads them
  // (Transaction::Add); not with check_now.
  virtual Status Write(const RequestContext& ctx, std::vector<HotWrite> writes, bool check_now,
                       bool pack = false) const;
  // The planner's estimates of the rows `ctx` would read (tables/table_statistics.h);
  // cheap, never a scan. The base class knows nothing (every field unknown).
  virtual TableStatistics EstimateStatistics(const RequestContext& ctx) const;

 protected:
  // The user whose rows a call touches: ctx.user for per-user tables, null for SHARED.
  const UserId* RowOwner(const RequestContext& ctx) const;
};

using TableProviderRef = RefPtr<const TableProvider>;

// Builds the provider for a table definition (the SchemaCache's loader calls this).
Result<RefPtr<TableProvider>> MakeTableProvider(TableDefinition definition,
                                                const StorageInfo* storage);

}  // namespace tenantdb
