// The catalog's memory budget (seed: MEMORY_OPTIMIZATION_SUMMARY.md): a provider *is*
// its table's cached TableEntry and adds no bytes to it. Table statistics (counts,
// ANALYZE's figures) live beside the cache (storage/table_statistics_store.h), so the
// cached object per table stays the size of the entry itself.
#include <gtest/gtest.h>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "common/heap_meter.h"
#include "tables/shared_table_provider.h"
#include "tables/stream_table_provider.h"
#include "tables/user_table_provider.h"

namespace tenantdb {
namespace {

static_assert(sizeof(TableProvider) == sizeof(TableEntry));
static_assert(sizeof(UserTableProvider) == sizeof(TableEntry));
static_assert(sizeof(SharedTableProvider) == sizeof(TableEntry));
static_assert(sizeof(StreamTableProvider) == sizeof(TableEntry));

// Heap bytes per table of `make(definition)` for kTables tables named <prefix><i>.
template <typename Make>
double HeapPerTable(const std::string& prefix, SchemaPool& pool, const StorageRegistry& storages,
                    std::vector<TableEntryRef>* keep, const Make& make) {
  constexpr size_t kTables = 2000;
  auto schema = pool.Intern({Field{"id", DataType::kBigInt, false, true, ""}});
  TrimHeap();
  const size_t before = HeapBytesInUse();
  for (size_t i = 0; i < kTables; ++i) {
    TableDefinition d;
    d.id = *TableId::Make("bench", prefix + std::to_string(i));
    d.table_number = static_cast<uint32_t>(100 + i);
    d.type = i % 2 == 0 ? TableType::kUser : TableType::kShared;
    d.schema = schema;
    d.storage_id = storages.local()->id;
    keep->push_back(make(std::move(d)));
  }
  const size_t after = HeapBytesInUse();
  return double(after - std::min(after, before)) / kTables;
}

// A table's entry as the cache would hold it if providers did not exist.
class PlainEntry final : public TableEntry {
 public:
  using TableEntry::TableEntry;
};

TEST(ProviderSize, AProviderCostsTheHeapOfAPlainEntry) {
  SchemaPool pool;
  StorageRegistry storages("/tmp/tenantdb-provider-size");
  std::vector<TableEntryRef> plain, providers;
  plain.reserve(2000);
  providers.reserve(2000);
  const double entry_bytes = HeapPerTable("a", pool, storages, &plain, [&](TableDefinition d) {
    return TableEntryRef(MakeRef<PlainEntry>(std::move(d), storages.local()));
  });
  const double provider_bytes =
      HeapPerTable("b", pool, storages, &providers, [&](TableDefinition d) {
        return TableEntryRef(MakeTableProvider(std::move(d), storages.local()).value());
      });
  EXPECT_LT(provider_bytes, entry_bytes + 8)
      << "provider " << provider_bytes << " B vs entry " << entry_bytes << " B per table";
}

}  // namespace
}  // namespace tenantdb
