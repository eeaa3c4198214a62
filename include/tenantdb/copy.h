// tenantdb/copy.h: COPY ... FROM STDIN and COPY ... TO STDOUT over a caller's data
// channel (public API) — what a PostgreSQL-protocol server streams as CopyData.
//
//   auto cursor = session->Query("COPY t (a, b) FROM STDIN WITH (FORMAT csv)");
//   tenantdb::CopyIn* in = (*cursor)->copy_in();    // non-null: the statement wants data
//   in->Write("1,x\n2,");                           // chunks of any size; rows may span them
//   in->Write("y\n");
//   tenantdb::Result<uint64_t> rows = in->Finish(); // 2; the cursor's tag is "COPY 2"
//
//   auto out = session->Query("COPY t TO STDOUT WITH (FORMAT csv, HEADER)");
//   // (*out)->copy()->direction == kOut: each row of the cursor is one TEXT column
//   // holding one encoded line ("1,x\n"; the header first); its tag ends as "COPY n".
//
// COPY FROM STDIN is one statement: rows are decoded and checked as the data arrives
// (a bad row fails Write() at once, naming its line and column) and all of them are
// written atomically by Finish() — in the session's open transaction, or in one of its
// own that Finish() commits. Abort() (the client's CopyFail), an error, closing the
// cursor or opening another statement before Finish() writes nothing (and, inside
// BEGIN ... COMMIT, fails the transaction as any failed statement does). The rows
// wait in memory until Finish(), charged to the session's statement_mem: a load larger
// than that fails with out_of_memory (raise it with SET statement_mem).
//
// Reading a COPY FROM STDIN cursor with Next() instead fails with
// feature_not_supported: the statement needs a data channel (Session::Execute and the
// HTTP API have none).
//
// Thread safety: as the Cursor that owns it (the session's thread).
// Ownership: the Cursor owns its CopyIn; valid while the cursor is open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tenantdb/status.h"

namespace tenantdb {

// What a COPY statement exchanges with the caller (Cursor::copy()).
struct CopyInfo {
  enum class Direction : uint8_t { kIn, kOut };
  Direction direction = Direction::kIn;
  bool binary = false;     // PostgreSQL's binary COPY format (text and CSV otherwise)
  size_t num_columns = 0;  // the copied columns (CopyInResponse / CopyOutResponse)
};

class CopyIn {
 public:
  virtual ~CopyIn() = default;
  // The next bytes of the data. Errors: the first bad row's (invalid_text_representation
  // "COPY t, line 3, column b: ...", not_null_violation, character_not_in_repertoire,
  // out_of_memory, query_canceled); after an error every call fails with it.
  virtual Status Write(std::string_view data) = 0;
  // The end of the data: writes every row atomically and returns how many. Errors: as
  // Write(), and unique_violation for a duplicate primary key.
  virtual Result<uint64_t> Finish() = 0;
  // The client gave up (CopyFail): nothing is written. Idempotent.
  virtual void Abort() = 0;
};

}  // namespace tenantdb
