#include "storage/changes/change_log_erase.h"

#include <rocksdb/write_batch.h>

#include <string>

#include "storage/hot/key_codec.h"

namespace tenantdb {

Status EraseUserChanges(KvStore& kv, std::span<const uint32_t> table_numbers,
                        std::string_view user) {
  rocksdb::ColumnFamilyHandle* family = kv.family(KvFamily::kChanges);
  if (family == nullptr || table_numbers.empty()) return Status::Ok();
  rocksdb::WriteBatch batch;
  for (const uint32_t table_number : table_numbers) {
    // A user prefix ends with the escaped id's terminator (key_codec.h), so it always
    // has a successor and [prefix, successor) holds exactly that user's keys.
    const std::string start = EncodeUserPrefix(table_number, user);
    const std::string end = PrefixSuccessor(start);
    batch.DeleteRange(family, rocksdb::Slice(start), rocksdb::Slice(end));
  }
  return kv.Write(&batch);
}

}  // namespace tenantdb
