// TableStore::OpenIndexScan (table_store.h): one range of a secondary index read in index
// order as a stream, for ORDER BY ... LIMIT n through an index.
//
// Why a stream and not IndexScan's vector: the reader above stops after n qualifying
// rows, so the entries must be read as rows are wanted. The first batch holds
// `first_rows` rows (the LIMIT's n: when nothing filters them, one batch answers), each
// later one twice as many (up to kMaxBatchRows), so a filter that rejects most rows does
// not pay one pull per row either.
//
// Why the order is right: an entry is returned only when its row is live and encodes to
// exactly that entry (the re-check of hot_index.h), so the rows returned are the live
// rows' own entries, and entries are in key order — the index columns' order, NULLs
// last, then the primary key. Reading backwards gives the DESC order with NULLs first.
#include <rocksdb/iterator.h>

#include <algorithm>

#include "storage/hot/key_codec.h"
#include "storage/table_store.h"

namespace tenantdb {

namespace {

constexpr size_t kMaxBatchRows = 1024;

rocksdb::Slice ToSlice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

class OrderedIndexStream final : public BatchStream {
 public:
  struct Setup {
    const HotStore* hot = nullptr;
    StorageCounters* counters = nullptr;
    std::optional<UserId> owner;
    std::vector<size_t> positions;
    std::string base;  // IndexEntryPrefix of the index and user
    std::string start, end;
    bool descending = false;
    size_t first_rows = 1;
  };

  OrderedIndexStream(Setup setup, HotTable table, std::unique_ptr<rocksdb::Iterator> it)
      : s_(std::move(setup)),
        table_(std::move(table)),
        it_(std::move(it)),
        batch_rows_(std::max<size_t>(1, s_.first_rows)) {
    batch_rows_ = std::min(batch_rows_, kMaxBatchRows);
  }

  bool ordered() const override { return true; }

  Result<std::optional<Batch>> Next() override {
    if (done_) return std::optional<Batch>();
    if (!positioned_) {
      positioned_ = true;
      if (s_.descending) {
        // The last entry before `end` (exclusive).
        it_->SeekForPrev(ToSlice(s_.end));
        if (it_->Valid() && it_->key().compare(ToSlice(s_.end)) >= 0) it_->Prev();
      } else {
        it_->Seek(ToSlice(s_.start));
      }
    }
    Batch out(table_.schema());
    const UserId* owner = s_.owner.has_value() ? &*s_.owner : nullptr;
    while (out.num_rows() < batch_rows_) {
      if (!InRange()) {
        TDB_RETURN_IF_ERROR(FromRocksStatus(it_->status(), "reading an index"));
        done_ = true;
        it_.reset();
        break;
      }
      const std::string key(it_->key().data(), it_->key().size());
      const std::string pk(it_->value().data(), it_->value().size());
      Step();
      s_.counters->index_entries_read.fetch_add(1, std::memory_order_relaxed);
      TDB_ASSIGN_OR_RETURN(std::vector<Value> key_values, DecodeKeyColumns(table_.key_types(), pk));
      TDB_ASSIGN_OR_RETURN(auto row, s_.hot->LiveRow(table_, owner, key_values));
      if (!row.has_value()) continue;
      TDB_ASSIGN_OR_RETURN(std::string current,
                           IndexEntryKey(s_.base, *table_.schema(), s_.positions, *row, pk));
      if (current != key) continue;  // stale: the row has other values now
      TDB_RETURN_IF_ERROR(out.AppendRow(*row));
    }
    batch_rows_ = std::min(batch_rows_ * 2, kMaxBatchRows);
    if (out.num_rows() == 0 && done_) return std::optional<Batch>();
    return std::optional<Batch>(std::move(out));
  }

 private:
  bool InRange() const {
    if (it_ == nullptr || !it_->Valid()) return false;
    return s_.descending ? it_->key().compare(ToSlice(s_.start)) >= 0
                         : it_->key().compare(ToSlice(s_.end)) < 0;
  }
  void Step() {
    if (s_.descending) {
      it_->Prev();
    } else {
      it_->Next();
    }
  }

  Setup s_;
  HotTable table_;
  std::unique_ptr<rocksdb::Iterator> it_;
  size_t batch_rows_;
  bool positioned_ = false;
  bool done_ = false;
};

}  // namespace

Result<BatchStreamPtr> TableStore::OpenIndexScan(const TableEntry& table, const UserId* user,
                                                 const HotIndex& index, const IndexRange& range,
                                                 bool descending, size_t first_rows) const {
  OrderedIndexStream::Setup setup;
  TDB_ASSIGN_OR_RETURN(HotTable hot_table, HotTableFor(table));
  TDB_ASSIGN_OR_RETURN(setup.positions, IndexColumnPositions(index, *table.schema()));
  if (hot_table.per_user() && user != nullptr) setup.owner = *user;
  const UserId* owner = setup.owner.has_value() ? &*setup.owner : nullptr;
  setup.base = IndexEntryPrefix(index.index_number, owner);
  std::vector<DataType> types;
  for (size_t p : setup.positions)
    types.push_back(table.schema()->field(p).type);
  TDB_ASSIGN_OR_RETURN(auto keys, IndexRangeKeys(setup.base, types, range));
  setup.start = std::move(keys.first);
  setup.end = std::move(keys.second);
  setup.hot = hot_.get();
  setup.counters = &counters_;
  setup.descending = descending;
  setup.first_rows = first_rows;
  return BatchStreamPtr(std::make_unique<OrderedIndexStream>(std::move(setup), std::move(hot_table),
                                                             kv_->NewIterator(KvFamily::kRows)));
}

}  // namespace tenantdb
