// RekeyGate: keeps row writes out of a table while its rows are re-keyed, and refuses
// the writes planned against its old key afterwards.
//
// ALTER TABLE ... ADD PRIMARY KEY rewrites every row of a table under a new key (the
// hot store's keys are the primary key). A writer that planned its rows with the old
// key layout must not commit during or after that rewrite: its keys would mean nothing
// under the new one. Every hot-store write passes the gate (Enter) for the tables it
// writes; a rewrite (Begin) closes the gate of one table, waits for the writers already
// inside, and when it ends (Finish) records the first schema version with the new key.
// Writers that arrive while the gate is closed wait; then a writer whose table layout
// is older than that version fails with serialization_failure (its transaction read the
// table before the rewrite; retrying it reads the new layout). A rewrite that failed
// leaves nothing recorded, and the waiting writers go on.
//
// Memory: one small map entry per table re-keyed since the process started (rewrites
// are rare DDL; a restart forgets them, as no transaction outlives the process).
// Thread safety: every method may be called from any thread. Cost for a writer: one
// mutex acquisition and an increment per distinct table, on entry and on exit.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace tenantdb {

class RekeyGate {
 public:
  // One table a writer writes, with the schema version its rows were planned against.
  struct Use {
    uint32_t table_number = 0;
    uint32_t schema_version = 0;
  };

  // A writer inside the gate; leaves on destruction.
  class Pass {
   public:
    Pass() = default;
    Pass(Pass&& other) noexcept { *this = std::move(other); }
    Pass& operator=(Pass&& other) noexcept;
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    ~Pass() { Leave(); }

   private:
    friend class RekeyGate;
    void Leave();
    RekeyGate* gate_ = nullptr;
    std::vector<uint32_t> tables_;  // distinct table numbers
  };

  // Lets a writer of `uses` in: waits while any of its tables is being re-keyed, then
  // fails with serialization_failure if one of them was re-keyed at a version above
  // the one the writer used.
  Result<Pass> Enter(std::span<const Use> uses);

  // Closes the gate of `table_number` and waits until no writer of it is inside. Error:
  // object_in_use when it is already being re-keyed.
  Status Begin(uint32_t table_number);
  // Opens the gate again. `new_key_version`: the first schema version whose rows carry
  // the new key (writers planned against older versions are refused from now on), or 0
  // when the rewrite did not happen (what an earlier rewrite recorded stays).
  void Finish(uint32_t table_number, uint32_t new_key_version);

 private:
  struct Rekey {
    bool rewriting = false;
    uint32_t new_key_version = 0;  // of the last rewrite that happened; 0: none yet
  };

  std::mutex mu_;
  std::condition_variable changed_;
  absl::flat_hash_map<uint32_t, Rekey> rekeyed_;  // guarded by mu_
  // Writers inside, per table number (absent: none).
  absl::flat_hash_map<uint32_t, uint32_t> inside_;  // guarded by mu_
};

}  // namespace tenantdb
