#include "tables/table_provider.h"

#include <algorithm>

#include "storage/hot/key_codec.h"
#include "storage/table_store.h"
#include "tables/shared_table_provider.h"
#include "tables/stream_table_provider.h"
#include "tables/transaction.h"
#include "tables/user_table_provider.h"

namespace tenantdb {

namespace {

// Whether an encoded key lies within encoded prefix bounds (see TableStore::ReadRows).
bool WithinBounds(std::string_view key, const std::optional<HotKeyBound>& lower_bound,
                  const std::string& lower, const std::optional<HotKeyBound>& upper_bound,
                  const std::string& upper) {
  if (lower_bound) {
    const std::string_view k = key.substr(0, lower.size());
    if (k < lower || (!lower_bound->inclusive && k == lower)) return false;
  }
  if (upper_bound) {
    const std::string_view k = key.substr(0, upper.size());
    if (k > upper || (!upper_bound->inclusive && k == upper)) return false;
  }
  return true;
}

}  // namespace

TableStatistics TableProvider::EstimateStatistics(const RequestContext& /*ctx*/) const {
  return TableStatistics{};
}

const UserId* TableProvider::RowOwner(const RequestContext& ctx) const {
  return IsPerUser(type()) ? ctx.user : nullptr;
}

namespace {

// The committed rows of a scan with the transaction's own writes merged in: committed
// rows whose key it wrote give way to the pending state, then the pending live rows
// within the bounds follow. The pending state is a copy made when the scan starts.
class PendingWritesStream final : public BatchStream {
 public:
  PendingWritesStream(BatchStreamPtr committed, std::vector<std::string> written_keys,
                      std::vector<std::vector<Value>> live_rows, std::vector<size_t> key_indices,
                      std::shared_ptr<const Schema> schema, TableEntryRef table)
      : committed_(std::move(committed)),
        written_keys_(std::move(written_keys)),
        live_rows_(std::move(live_rows)),
        key_indices_(std::move(key_indices)),
        schema_(std::move(schema)),
        table_(std::move(table)) {}

  Result<std::optional<Batch>> Next() override {
    while (committed_ != nullptr) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, committed_->Next());
      if (!batch.has_value()) {
        committed_.reset();
        break;
      }
      Batch kept(batch->schema());
      std::string key;
      for (size_t r = 0; r < batch->num_rows(); ++r) {
        key.clear();
        for (size_t k : key_indices_)
          TDB_RETURN_IF_ERROR(AppendKeyColumnAt(batch->column(k), r, &key));
        if (std::binary_search(written_keys_.begin(), written_keys_.end(), key)) continue;
        for (size_t c = 0; c < batch->num_columns(); ++c)
          kept.mutable_column(c).AppendFrom(batch->column(c), r);
      }
      if (kept.num_rows() > 0) return std::optional<Batch>(std::move(kept));
    }
    if (live_rows_.empty()) return std::optional<Batch>();
    Batch pending(schema_);
    for (const std::vector<Value>& row : live_rows_)
      TDB_RETURN_IF_ERROR(pending.AppendRow(row));
    live_rows_.clear();
    return std::optional<Batch>(std::move(pending));
  }

 private:
  BatchStreamPtr committed_;
  std::vector<std::string> written_keys_;  // sorted (the overlay is a std::map)
  std::vector<std::vector<Value>> live_rows_;
  std::vector<size_t> key_indices_;
  std::shared_ptr<const Schema> schema_;
  TableEntryRef table_;
};

}  // namespace

Result<BatchStreamPtr> TableProvider::Scan(const RequestContext& ctx,
                                           const ScanRequest& request) const {
  const UserId* owner = RowOwner(ctx);
  const Transaction::TableWrites* pending =
      ctx.transaction != nullptr ? ctx.transaction->Find(*this, owner) : nullptr;
  // Equal inclusive bounds on the whole key: one point read instead of a range scan —
  // the transaction's own pending version of the row if it has one, else the committed.
  if (request.lower && request.upper && request.lower->inclusive && request.upper->inclusive &&
      request.lower->key.size() == schema()->PrimaryKeyIndices().size() &&
      request.lower->key == request.upper->key) {
    std::vector<Batch> out;
    out.emplace_back(schema());
    bool found = false;
    if (pending != nullptr) {
      TDB_ASSIGN_OR_RETURN(std::string encoded,
                           EncodeOverlayKey(pending->hot_table, request.lower->key));
      if (auto it = pending->overlay.find(encoded); it != pending->overlay.end()) {
        if (it->second.has_value()) TDB_RETURN_IF_ERROR(out.back().AppendRow(*it->second));
        found = true;
      }
    }
    if (!found) {
      TDB_RETURN_IF_ERROR(
          ctx.store->AppendRowTo(*this, owner, request.lower->key, &out.back()).status());
    }
    return MakeVectorStream(std::move(out));
  }
  if (request.index && pending == nullptr) {
    std::optional<HotIndex> index =
        ctx.store->hot().indexes().Find(table_number(), request.index->index_number);
    if (index && index->ready && request.index_order && request.index_ranges.size() == 1) {
      return ctx.store->OpenIndexScan(*this, owner, *index, request.index_ranges.front(),
                                      request.index_order->descending,
                                      request.index_order->first_rows);
    }
    if (index && index->ready) {
      TDB_ASSIGN_OR_RETURN(std::vector<Batch> rows,
                           ctx.store->IndexScan(*this, owner, *index, request.index_ranges));
      return MakeVectorStream(std::move(rows));
    }
  }
  TableStore::ReadOptions options;
  options.lower = request.lower;
  options.upper = request.upper;
  options.limit = pending == nullptr ? request.limit : 0;
  if (pending == nullptr) {
    options.wanted = request.wanted;
    options.projected = request.projected;
    options.order = request.order;
    options.top_n = request.top_n;
  }
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr committed, ctx.store->OpenScan(*this, owner, options));
  if (pending == nullptr) return committed;

  const HotTable& hot = pending->hot_table;
  std::string lower, upper;
  if (request.lower)
    TDB_RETURN_IF_ERROR(AppendKeyColumns(hot.key_types(), request.lower->key, &lower));
  if (request.upper)
    TDB_RETURN_IF_ERROR(AppendKeyColumns(hot.key_types(), request.upper->key, &upper));
  std::vector<std::string> written_keys;
  std::vector<std::vector<Value>> live_rows;
  written_keys.reserve(pending->overlay.size());
  for (const auto& [encoded, row] : pending->overlay) {
    written_keys.push_back(encoded);
    if (!row.has_value()) continue;
    if (!WithinBounds(encoded, request.lower, lower, request.upper, upper)) continue;
    live_rows.push_back(*row);
  }
  return BatchStreamPtr(std::make_unique<PendingWritesStream>(
      std::move(committed), std::move(written_keys), std::move(live_rows), hot.key_indices(),
      schema(), TableEntryRef(this)));
}

Result<std::optional<std::vector<Value>>> TableProvider::Get(const RequestContext& ctx,
                                                             const std::vector<Value>& key) const {
  const UserId* owner = RowOwner(ctx);
  if (ctx.transaction != nullptr) {
    if (const auto* pending = ctx.transaction->Find(*this, owner)) {
      TDB_ASSIGN_OR_RETURN(std::string encoded, EncodeOverlayKey(pending->hot_table, key));
      if (auto it = pending->overlay.find(encoded); it != pending->overlay.end()) return it->second;
    }
  }
  return ctx.store->GetRow(*this, owner, key);
}

Status TableProvider::Write(const RequestContext& ctx, std::vector<HotWrite> writes, bool check_now,
                            bool pack) const {
  if (ctx.transaction == nullptr) {
    return Status(ErrorCode::kInternal, "a table write outside a transaction");
  }
  const UserId* owner = RowOwner(ctx);
  if (IsPerUser(type()) && owner == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "writing a per-user table needs a user");
  }
  const std::vector<size_t> key_indices = schema()->PrimaryKeyIndices();
  for (HotWrite& write : writes) {
    if (check_now && write.kind == HotWrite::Kind::kInsert) {
      std::vector<Value> key;
      for (size_t k : key_indices)
        key.push_back(write.values[k]);
      TDB_ASSIGN_OR_RETURN(auto existing, Get(ctx, key));
      if (existing.has_value()) {
        std::string text;
        for (const Value& v : key)
          text += (text.empty() ? "" : ", ") + v.ToString();
        return Status(ErrorCode::kUniqueViolation,
                      "duplicate key value violates the primary key of " + id().ToString() + ": (" +
                          text + ") already exists");
      }
    }
    TDB_RETURN_IF_ERROR(ctx.transaction->Add(ctx.store, *this, owner, std::move(write), pack));
  }
  return Status::Ok();
}

Result<RefPtr<TableProvider>> MakeTableProvider(TableDefinition definition,
                                                const StorageInfo* storage) {
  switch (definition.type) {
    case TableType::kUser:
      return RefPtr<TableProvider>(MakeRef<UserTableProvider>(std::move(definition), storage));
    case TableType::kShared:
      return RefPtr<TableProvider>(MakeRef<SharedTableProvider>(std::move(definition), storage));
    case TableType::kStream:
      return RefPtr<TableProvider>(MakeRef<StreamTableProvider>(std::move(definition), storage));
    case TableType::kSystem:
      break;
  }
  return Status(ErrorCode::kInternal,
                "SYSTEM tables are built in; the catalog holds no definition for them");
}

}  // namespace tenantdb
