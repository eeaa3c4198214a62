// EngineAccess: the internal objects behind the public API's handles, for white-box tests
// and internal tools (never for applications: this header is not installed).
//
//   tenantdb::Engine& engine = EngineAccess::Of(*db);      // catalog(), cache(), tables()...
//   EngineSession& session = EngineAccess::Of(*session);
//   uint64_t produced = EngineAccess::Of(*cursor).rows_produced();  // a laziness probe
//
// Thread safety and lifetime: as the public object the reference comes from.
#pragma once

#include "engine/public_impl.h"

namespace tenantdb {

struct EngineAccess {
  static Engine& Of(const Database& db) { return *db.impl().engine; }
  static EngineSession& Of(const Session& session) { return session.impl().session; }
  static const EngineStatement& Of(const Cursor& cursor) { return *cursor.impl().statement; }
};

}  // namespace tenantdb
