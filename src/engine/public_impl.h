// The public API's hidden halves: the Impl classes behind include/tenantdb/'s Database,
// Session, PreparedStatement and Cursor, wrapping Engine, EngineSession,
// EnginePreparedStatement and EngineStatement. Shared by engine/public_*.cc and
// engine/engine_access.h; never installed, never included by an application.
//
// Thread safety and ownership follow the public headers: each Impl belongs to its public
// object; the cancel flag is shared (a Cursor may outlive a cancelled statement's session).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_session.h"
#include "engine/engine_statement.h"
#include "tenantdb/database.h"
#include "tenantdb/result.h"
#include "tenantdb/session.h"
#include "types/batch.h"

namespace tenantdb {

class LivePlan;  // engine/live_query.cc

class Database::Impl {
 public:
  std::unique_ptr<Engine> engine;
};

// Set by Session::Cancel() from any thread; read at each batch boundary of the running
// statement; cleared when the next statement starts.
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

class Session::Impl {
 public:
  Impl(Engine* engine, UserId user, Role role)
      : session(engine, user, role), user_name(user.str()) {}

  EngineSession session;
  std::string user_name;
  CancelFlag cancel = std::make_shared<std::atomic<bool>>(false);
  // The live queries' bound plans (live_query.cc), by text, namespace and parameter
  // types; held by the LiveQueries, so an entry expires with the last of its shape.
  std::mutex live_plans_mu;
  std::unordered_map<std::string, std::weak_ptr<const LivePlan>> live_plans;  // guarded
  size_t live_plans_swept = 0;  // the map's size after the last sweep of expired entries
};

class PreparedStatement::Impl {
 public:
  std::unique_ptr<EnginePreparedStatement> prepared;
  const Session::Impl* owner = nullptr;  // the session that prepared it
};

struct RowBatch::Rep {
  const Batch* batch = nullptr;
};

class Cursor::Impl {
 public:
  std::unique_ptr<EngineStatement> statement;
  CancelFlag cancel;
  std::vector<Column> columns;
  std::optional<Batch> current;  // what `view` shows
  RowBatch::Rep rep;
  RowBatch view;
};

// The status a cancelled statement fails with.
Status QueryCanceled();

}  // namespace tenantdb
