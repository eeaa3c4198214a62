// PlanCache: bound and optimized plans of SELECT, INSERT, UPDATE and DELETE shared by
// every session, so a statement sent (or prepared) again skips the binder and the
// optimizer. The HTTP API opens a session per request, so without it every request bound
// its statement anew (a third of the statement's CPU on the point-select path, where
// parsing is already cached by the sql::StatementCache; for a single-row INSERT with a
// string parameter, twice: once to type the parameters, once to run). A prepared
// statement's key holds its declared types rather than its values' (see
// SessionState::Prepare).
//
// A plan is reused only where binding again would give the same plan:
//   - the same parsed statement (its pointer: the StatementCache hands out one tree per
//     text, and the entry keeps that tree alive, so the pointer cannot be reused);
//   - the same role (privilege checks happen while binding), the same current namespace
//     (unqualified names) and the same parameter types ($n of a BIGINT value and of a
//     TEXT one bind differently; NULL counts as a type of its own);
//   - the same schema epoch (every DDL statement bumps it: tables, columns, views and
//     indexes a plan names may have changed);
//   - and the plan is shareable (Shareable below): it reads no SYSTEM table, calls no
//     table function and holds no CURRENT_USER constant (a write's DEFAULTs and CHECKs
//     included). The user is not in the key:
//     a USER table's plan names the table, and the scan reads the slice of the user who
//     runs it (RequestContext::user), so one plan serves every user.
// Plans are immutable once built; any number of threads may run one at a time.
//
// Bounded by entry count (common/clock_cache.h); an entry of an older epoch is dropped
// when found.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock_cache.h"
#include "sql/parser/ast/statement.h"
#include "sql/planner/plan/plan_node.h"
#include "tenantdb/role.h"
#include "types/data_type.h"

namespace tenantdb {

class PlanCache {
 public:
  struct Plan {
    std::shared_ptr<const sql::Statement> statement;  // what the plan refers to
    std::shared_ptr<const sql::PlanNode> plan;
    std::vector<std::optional<DataType>> parameter_types;  // as the binder left them
    uint64_t epoch = 0;                                    // schema epoch read before binding
  };

  // `capacity`: most plans kept (0: the cache is off).
  explicit PlanCache(size_t capacity);
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;

  // The key of `statement` bound by `role` in `current_namespace` with parameters of
  // `parameter_types` (nullopt: a NULL value).
  static std::string Key(const sql::Statement* statement, Role role,
                         const std::string& current_namespace,
                         const std::vector<std::optional<DataType>>& parameter_types);

  // The plan kept under `key` if it was bound at `epoch`, else null.
  std::shared_ptr<const Plan> Find(const std::string& key, uint64_t epoch);
  // Keeps `plan` under `key` when Shareable(*plan->plan) (replacing an older one).
  void Insert(std::string key, std::shared_ptr<const Plan> plan);

  // Whether binding the statement again could give a different plan for another user or
  // at another time with the same key (see the file comment).
  static bool Shareable(const sql::PlanNode& plan);

  ClockCacheStats stats() const { return cache_.stats(); }

 private:
  ClockCache<std::shared_ptr<const Plan>> cache_;
};

}  // namespace tenantdb
