// KvStore's RocksDB figures (Database::Stats()): properties RocksDB keeps in memory.
#include <rocksdb/db.h>

#include <charconv>
#include <map>
#include <string>

#include "kv/kv_store.h"

namespace tenantdb {

namespace {

uint64_t IntProperty(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* family,
                     const std::string& name) {
  uint64_t value = 0;
  if (db == nullptr || !db->GetIntProperty(family, name, &value)) return 0;
  return value;
}

// A number from one of RocksDB's map properties; 0 when absent (another RocksDB
// version may name it differently) or not a number.
uint64_t MapNumber(const std::map<std::string, std::string>& map, const std::string& key) {
  auto it = map.find(key);
  if (it == map.end()) return 0;
  // Some figures are printed as doubles ("12.000000").
  double value = 0;
  const char* end = it->second.data() + it->second.size();
  if (std::from_chars(it->second.data(), end, value).ec != std::errc()) return 0;
  return value < 0 ? 0 : static_cast<uint64_t>(value);
}

}  // namespace

KvStore::FamilyStats KvStore::Stats(KvFamily which) const {
  FamilyStats stats;
  rocksdb::DB* db = db_.get();
  if (db == nullptr) return stats;
  rocksdb::ColumnFamilyHandle* handle = family(which);
  stats.live_sst_bytes = IntProperty(db, handle, rocksdb::DB::Properties::kLiveSstFilesSize);
  stats.memtable_bytes = IntProperty(db, handle, rocksdb::DB::Properties::kCurSizeAllMemTables);
  stats.estimated_keys = IntProperty(db, handle, rocksdb::DB::Properties::kEstimateNumKeys);
  // The family's compaction stats as a map: "io_stalls.total_stop" and
  // "io_stalls.total_slowdown" count the stall events since open.
  std::map<std::string, std::string> cf_stats;
  if (db->GetMapProperty(handle, rocksdb::DB::Properties::kCFStats, &cf_stats)) {
    stats.write_stops = MapNumber(cf_stats, "io_stalls.total_stop");
    stats.write_slowdowns = MapNumber(cf_stats, "io_stalls.total_slowdown");
  }
  return stats;
}

uint64_t KvStore::WriteStallMicros() const {
  rocksdb::DB* db = db_.get();
  if (db == nullptr) return 0;
  std::map<std::string, std::string> db_stats;
  if (!db->GetMapProperty(rocksdb::DB::Properties::kDBStats, &db_stats)) return 0;
  return MapNumber(db_stats, "db.user_write_stall_micros");
}

bool KvStore::WritesStopped() const {
  return IntProperty(db_.get(), db_ ? db_->DefaultColumnFamily() : nullptr,
                     rocksdb::DB::Properties::kIsWriteStopped) != 0;
}

}  // namespace tenantdb
