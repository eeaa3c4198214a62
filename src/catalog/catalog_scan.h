// ScanCatalogPrefix: visits the catalog family's keys under one prefix, in key order.
// Internal to catalog/ (PersistentCatalog's files share it).
//
// Cost: one RocksDB iterator, one step per key. Thread safety: as KvStore's iterators.
#pragma once

#include <rocksdb/iterator.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "kv/kv_store.h"

namespace tenantdb {

// Calls `fn(key, value)` for every key of the catalog family starting with `prefix`, in
// key order, until it returns a non-OK status (which it returns).
template <typename Fn>
Status ScanCatalogPrefix(const KvStore& store, const std::string& prefix, Fn fn) {
  std::unique_ptr<rocksdb::Iterator> it = store.NewIterator(KvFamily::kCatalog);
  const rocksdb::Slice start(prefix.data(), prefix.size());
  for (it->Seek(start); it->Valid() && it->key().starts_with(start); it->Next()) {
    TDB_RETURN_IF_ERROR(fn(std::string_view(it->key().data(), it->key().size()),
                           std::string_view(it->value().data(), it->value().size())));
  }
  return FromRocksStatus(it->status(), "scanning the catalog");
}

}  // namespace tenantdb
