// Erasing a user's change-log slices (DROP USER): the records of every USER and STREAM
// table slice owned by one user, in the RocksDB `changes` family (change_codec.h: a
// slice's records are one contiguous key range, the user prefix of its table).
//
// Thread safety: may run concurrently with writers; a writer racing the drop may add a
// record after it (the slice's counter stays cached in the ChangeSequencer, so numbers
// are never reused). Cost: one range delete per table, one RocksDB write.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/status.h"
#include "kv/kv_store.h"

namespace tenantdb {

// Deletes every change record of `user`'s slices of the tables `table_numbers` (the USER
// and STREAM tables), in one write. Nothing to do when the store has no `changes` family.
// Errors: those of RocksDB.
Status EraseUserChanges(KvStore& kv, std::span<const uint32_t> table_numbers,
                        std::string_view user);

}  // namespace tenantdb
