// LiveQuery (include/tenantdb/live_query.h): a SELECT bound once by the session's binder
// (EngineSession::BindLive), then evaluated by the SQL expression evaluator over the
// table's rows (ReadSnapshot) and over change records (Apply). No SQL is evaluated
// anywhere else: the filter and the select list are the bound plan's own expressions.
//
// The plan is taken unoptimized, so its shape is exactly Project? -> Filter* -> Scan
// over the table's full row (the scan's columns are the table's columns in order, which
// is also a change record's row layout). Anything else is refused at Open.
#include "tenantdb/live_query.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <set>
#include <unordered_map>

#include "engine/engine.h"
#include "engine/public_impl.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/planner/logical_plan.h"
#include "storage/table_store.h"
#include "types/array_value.h"
#include "types/batch.h"
#include "types/numeric.h"

namespace tenantdb {

namespace {

Status Unsupported(const std::string& what) {
  return Status(ErrorCode::kFeatureNotSupported,
                "live queries support SELECT columns FROM one table [WHERE ...]; " + what +
                    " is not supported in a subscription");
}

bool HasSubquery(const sql::BoundExpr& expr) {
  if (expr.kind == sql::BoundExprKind::kSubquery) return true;
  for (const auto& child : expr.children)
    if (child != nullptr && HasSubquery(*child)) return true;
  return false;
}

// A primary key as bytes that are equal exactly when the keys are (a map key).
void AppendKeyValue(const Value& v, std::string* out) {
  if (v.is_null()) {
    out->push_back('\0');
    return;
  }
  out->push_back('\1');
  switch (IsArray(v.type()) ? DataType::kBytea : v.type()) {
    case DataType::kReal:
    case DataType::kDouble: {
      const double d = v.as_double();
      out->append(reinterpret_cast<const char*>(&d), sizeof d);
      return;
    }
    case DataType::kText:
    case DataType::kBytea:
    case DataType::kJson:
    case DataType::kUuid: {
      const std::string_view bytes = v.as_bytes();
      const uint64_t n = bytes.size();
      out->append(reinterpret_cast<const char*>(&n), sizeof n);
      out->append(bytes);
      return;
    }
    case DataType::kInterval: {
      const __int128 span = IntervalSpan(v.as_interval());
      out->append(reinterpret_cast<const char*>(&span), sizeof span);
      return;
    }
    case DataType::kNumeric:
      AppendNumericBytes(NormalizeNumeric(v.as_numeric()), out);
      return;
    default: {
      const int64_t i = v.as_int64();
      out->append(reinterpret_cast<const char*>(&i), sizeof i);
    }
  }
}

// The types whose equality a live query's route compares itself (Route below): integers
// by value, text by bytes, and nothing else (floating point has -0 and NaN, other types
// are left to the evaluator). 0: none of them.
int RouteFamily(DataType type) {
  switch (type) {
    case DataType::kSmallInt:
    case DataType::kInt:
    case DataType::kBigInt:
      return 1;
    case DataType::kText:
      return 2;
    default:
      return 0;
  }
}

bool RouteEqual(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null() || RouteFamily(a.type()) != RouteFamily(b.type())) return false;
  return RouteFamily(a.type()) == 1 ? a.as_int64() == b.as_int64() : a.as_bytes() == b.as_bytes();
}

// `column = operand` at the top of `filter`'s conjunction, with the operand a constant or
// a parameter (found first in AND order); null when there is none.
std::optional<std::pair<size_t, const sql::BoundExpr*>> FindRoute(const sql::BoundExpr& filter,
                                                                  size_t width) {
  if (filter.kind != sql::BoundExprKind::kBinary) return std::nullopt;
  if (filter.binary_op == sql::ScalarOp::kAnd) {
    for (const auto& child : filter.children) {
      if (child == nullptr) continue;
      if (auto route = FindRoute(*child, width)) return route;
    }
    return std::nullopt;
  }
  if (filter.binary_op != sql::ScalarOp::kEqual || filter.children.size() != 2) return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    const sql::BoundExpr* column = filter.children[side].get();
    const sql::BoundExpr* operand = filter.children[1 - side].get();
    if (column == nullptr || operand == nullptr) continue;
    if (column->kind != sql::BoundExprKind::kColumn || column->outer_level != 0 ||
        column->column >= width || RouteFamily(column->type) == 0) {
      continue;
    }
    if (operand->kind == sql::BoundExprKind::kConstant ||
        operand->kind == sql::BoundExprKind::kParameter) {
      return std::make_pair(column->column, operand);
    }
  }
  return std::nullopt;
}

std::string_view KindName(sql::PlanKind kind) {
  switch (kind) {
    case sql::PlanKind::kAggregate:
      return "an aggregate or GROUP BY";
    case sql::PlanKind::kWindow:
      return "a window function";
    case sql::PlanKind::kSort:
      return "ORDER BY";
    case sql::PlanKind::kLimit:
      return "LIMIT/OFFSET";
    case sql::PlanKind::kDistinct:
      return "DISTINCT";
    case sql::PlanKind::kJoin:
      return "a join";
    case sql::PlanKind::kSetOp:
      return "UNION/INTERSECT/EXCEPT";
    case sql::PlanKind::kValues:
      return "a SELECT without a table";
    default:
      return "this query shape";
  }
}

}  // namespace

bool LivePosition::Covers(uint64_t seq) const {
  return seq <= after_seq || std::binary_search(also.begin(), also.end(), seq);
}

// What a live query is, apart from its parameter values: the bound plan and what Open
// read off it. It depends only on the SQL text, the parameters' types and the session's
// user, role and namespace, so the LiveQueries of one shape opened on one session share
// one (Session::Impl::live_plans): a chat client's hundred subscriptions of one SELECT
// with different $1 hold one plan. Immutable once built; read from any thread.
class LivePlan {
 public:
  struct SortSpec {
    size_t column = 0;
    bool descending = false;
    bool nulls_first = false;
  };

  EngineSession::LiveBinding binding;
  const sql::ScanNode* scan = nullptr;
  const sql::ProjectNode* project = nullptr;  // null: the scan's visible columns
  std::vector<const sql::BoundExpr*> filters;
  std::vector<size_t> visible;  // without a Project: the scan columns shown
  TableProviderRef table;
  std::string ns, table_name, slice_user;
  std::vector<Column> columns;
  std::vector<size_t> key_fields;  // positions of the primary-key columns
  // A conjunct `column = constant or $n` every matching row satisfies (the first such):
  // a change whose rows all have another value in that column cannot concern the query,
  // which Apply then tells without evaluating anything. A chat client's subscriptions,
  // one per thread (`WHERE thread_id = $1`), each see every change of the user's slice.
  std::optional<std::pair<size_t, const sql::BoundExpr*>> route;
  // A window (ORDER BY [LIMIT n]): the order (empty: not a window), the visible columns
  // (the hidden sort columns follow them), and the LIMIT, evaluated per query ($n).
  std::vector<SortSpec> order;
  size_t shown = 0;
  const sql::LimitNode* limit = nullptr;

  uint64_t generation() const {
    return (uint64_t{table->table_number()} << 32) | table->schema_version();
  }

  sql::ExecContext Context(const std::vector<Value>& params) const {
    sql::ExecContext ctx;
    ctx.request.user = &binding.user;
    ctx.request.role = binding.role;
    ctx.request.store = &binding.engine->tables();
    ctx.request.system = &binding.engine->system_sources();
    ctx.function.now_micros = binding.engine->clock().NowUnixMicros();
    ctx.function.clock = &binding.engine->clock();
    ctx.function.current_user = binding.user.str();
    ctx.parameters = params;
    return ctx;
  }

  // The rows of `batch` (full table rows) the filter keeps (every row when not
  // `filtered`), as result rows; `kept` (when given) gets, per input row, whether it was.
  Result<std::vector<std::vector<Value>>> Run(Batch batch, sql::ExecContext& ctx,
                                              std::vector<bool>* kept, bool filtered = true,
                                              std::vector<std::string>* keys = nullptr) const {
    std::vector<uint32_t> index(batch.num_rows());
    for (size_t i = 0; i < index.size(); ++i)
      index[i] = static_cast<uint32_t>(i);
    for (const sql::BoundExpr* filter : filters) {
      if (!filtered || batch.num_rows() == 0) break;
      TDB_ASSIGN_OR_RETURN(ColumnVector result, sql::Evaluate(*filter, batch, ctx));
      std::vector<uint32_t> selected = sql::SelectedRows(result);
      if (selected.size() != batch.num_rows()) {
        batch = sql::TakeRows(batch, selected);
        std::vector<uint32_t> next;
        next.reserve(selected.size());
        for (uint32_t s : selected)
          next.push_back(index[s]);
        index = std::move(next);
      }
    }
    if (kept != nullptr) {
      for (uint32_t i : index)
        (*kept)[i] = true;
    }
    if (keys != nullptr) {
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        std::string key;
        for (size_t k : key_fields)
          AppendKeyValue(batch.column(k).GetValue(r), &key);
        keys->push_back(std::move(key));
      }
    }
    std::vector<std::vector<Value>> rows(batch.num_rows());
    if (batch.num_rows() == 0) return rows;
    if (project == nullptr) {
      for (size_t r = 0; r < rows.size(); ++r) {
        rows[r].reserve(visible.size());
        for (size_t c : visible)
          rows[r].push_back(batch.column(c).GetValue(r));
      }
      return rows;
    }
    for (const auto& expr : project->exprs) {
      TDB_ASSIGN_OR_RETURN(ColumnVector result, sql::Evaluate(*expr, batch, ctx));
      for (size_t r = 0; r < rows.size(); ++r)
        rows[r].push_back(result.GetValue(r));
    }
    return rows;
  }

  Status TableChanged() const {
    return Status(ErrorCode::kSerializationFailure,
                  "table " + ns + "." + table_name +
                      " was altered or dropped since the subscription began; subscribe again");
  }
};

class LiveQuery::Impl {
 public:
  std::shared_ptr<const LivePlan> plan;
  std::vector<Value> params;
  // The value of the plan's route for these parameters (none: every change is evaluated).
  std::optional<Value> route_value;

  // False only when `record` cannot change what the subscriber sees: each of its rows is
  // known and has another value in the route's column than the query requires (so the
  // filter rejects it, and a window holds no row of its key).
  bool MayConcern(const ChangeRecord& record) const {
    if (!route_value.has_value()) return true;
    const size_t column = plan->route->first;
    if (record.type != ChangeType::kInsert && !record.old_row.has_value()) return true;
    if (record.row.has_value() && RouteEqual((*record.row)[column], *route_value)) return true;
    if (record.old_row.has_value() && RouteEqual((*record.old_row)[column], *route_value)) {
      return true;
    }
    return false;
  }

  // ---- a window (ORDER BY [LIMIT n]) ----
  // Every matching row (the project's full output, hidden sort columns included), in
  // ORDER BY order then key order, and the same rows by key; the window is the first
  // `limit` of them.
  struct Entry {
    std::vector<Value> row;
    std::string key;
  };
  struct EntryLess {
    const std::vector<LivePlan::SortSpec>* order;
    bool operator()(const Entry& a, const Entry& b) const {
      for (const LivePlan::SortSpec& s : *order) {
        const Value& x = a.row[s.column];
        const Value& y = b.row[s.column];
        if (x.is_null() || y.is_null()) {
          if (x.is_null() && y.is_null()) continue;
          return x.is_null() == s.nulls_first;
        }
        int c = CompareScalars(x, y);  // ORDER BY's order (arrays included)
        if (s.descending) c = -c;
        if (c != 0) return c < 0;
      }
      return a.key < b.key;
    }
  };
  using EntrySet = std::set<Entry, EntryLess>;
  size_t limit = std::numeric_limits<size_t>::max();
  size_t max_rows = 0;
  bool loaded = false;  // ReadSnapshot filled `rows`
  EntrySet rows;
  std::unordered_map<std::string, EntrySet::iterator> by_key;

  explicit Impl(std::shared_ptr<const LivePlan> p)
      : plan(std::move(p)), rows(EntryLess{&plan->order}) {}

  sql::ExecContext Context() const { return plan->Context(params); }

  // The window: (key, visible row) of the first `limit` rows.
  std::vector<std::pair<std::string, std::vector<Value>>> Window() const {
    std::vector<std::pair<std::string, std::vector<Value>>> out;
    for (auto it = rows.begin(); it != rows.end() && out.size() < limit; ++it)
      out.emplace_back(it->key, std::vector<Value>(it->row.begin(), it->row.begin() + plan->shown));
    return out;
  }
  Status Hold(std::vector<Value> row, std::string key) {
    auto [it, inserted] = rows.insert(Entry{std::move(row), key});
    if (inserted) by_key[std::move(key)] = it;
    if (max_rows != 0 && rows.size() > max_rows) {
      return Status(ErrorCode::kOutOfMemory,
                    "the subscription's ORDER BY window follows more than " +
                        std::to_string(max_rows) +
                        " matching rows ([ws] max_snapshot_rows); narrow its WHERE clause");
    }
    return Status::Ok();
  }
};

LiveQuery::LiveQuery(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LiveQuery::~LiveQuery() = default;

const std::string& LiveQuery::ns() const {
  return impl_->plan->ns;
}
const std::string& LiveQuery::table() const {
  return impl_->plan->table_name;
}
const std::string& LiveQuery::slice_user() const {
  return impl_->plan->slice_user;
}
const std::vector<Column>& LiveQuery::columns() const {
  return impl_->plan->columns;
}

namespace {

// LiveQuery::CheckTable against the engine.
Result<LiveQuery::TableState> CheckTableIn(Engine& engine, std::string_view ns,
                                           std::string_view table, uint64_t generation) {
  Result<TableEntryRef> entry = engine.cache().GetByName(ns, table);
  if (!entry.ok()) {
    const ErrorCode code = entry.status().code();
    if (code == ErrorCode::kUndefinedTable || code == ErrorCode::kNotFound) {
      return LiveQuery::TableState::kDropped;
    }
    return entry.status();
  }
  if ((*entry)->table_number() != uint32_t(generation >> 32))
    return LiveQuery::TableState::kDropped;
  if ((*entry)->schema_version() != uint32_t(generation)) return LiveQuery::TableState::kAltered;
  return LiveQuery::TableState::kSame;
}

// Binds `sql` as `session`'s user and reads the plan's shape (see the file comment).
Result<std::shared_ptr<const LivePlan>> BindLivePlan(Session& session, std::string_view sql,
                                                     const std::vector<Value>& params) {
  auto impl = std::make_shared<LivePlan>();
  TDB_ASSIGN_OR_RETURN(impl->binding, session.impl().session.BindLive(sql, params));
  const sql::PlanNode* node = impl->binding.plan.get();
  const sql::PlanNode* top = node;
  // A window: [Project (drops hidden sort columns)] -> [Limit] -> Sort -> Project.
  const sql::LimitNode* limit = nullptr;
  const sql::SortNode* sort = nullptr;
  if (node->kind == sql::PlanKind::kProject && !node->children.empty() &&
      (node->children[0]->kind == sql::PlanKind::kLimit ||
       node->children[0]->kind == sql::PlanKind::kSort)) {
    node = node->children[0].get();
  }
  if (node->kind == sql::PlanKind::kLimit) {
    limit = &node->As<sql::LimitNode>();
    node = node->children[0].get();
  }
  if (node->kind == sql::PlanKind::kSort) {
    sort = &node->As<sql::SortNode>();
    node = node->children[0].get();
  }
  if (limit != nullptr && sort == nullptr) return Unsupported("LIMIT without ORDER BY");
  if (limit != nullptr && limit->offset != nullptr) return Unsupported("OFFSET");
  if (sort != nullptr && node->kind != sql::PlanKind::kProject) {
    return Unsupported(std::string(KindName(node->kind)));
  }
  if (node->kind == sql::PlanKind::kProject) {
    impl->project = &node->As<sql::ProjectNode>();
    node = node->children[0].get();
  }
  while (node->kind == sql::PlanKind::kFilter) {
    impl->filters.push_back(node->As<sql::FilterNode>().predicate.get());
    node = node->children[0].get();
  }
  if (node->kind != sql::PlanKind::kScan) return Unsupported(std::string(KindName(node->kind)));
  impl->scan = &node->As<sql::ScanNode>();
  if (impl->scan->filter != nullptr) impl->filters.push_back(impl->scan->filter.get());
  bool subquery = false;
  for (const sql::BoundExpr* f : impl->filters)
    subquery = subquery || HasSubquery(*f);
  if (impl->project != nullptr) {
    for (const auto& e : impl->project->exprs)
      subquery = subquery || HasSubquery(*e);
  }
  if (subquery) return Unsupported("a subquery");
  impl->table = impl->scan->table;
  const TableEntry& entry = *impl->table;
  switch (entry.type()) {
    case TableType::kUser:
    case TableType::kStream:
      impl->slice_user = std::string(impl->binding.user.str());
      break;
    case TableType::kShared:
      break;
    default:
      if (impl->binding.role != Role::kDba && impl->binding.role != Role::kSystem) {
        return Status(ErrorCode::kInsufficientPrivilege,
                      "only dba and system users may subscribe to system tables");
      }
      return Status(ErrorCode::kFeatureNotSupported,
                    "SYSTEM tables have no change log: a live query follows a USER, SHARED or "
                    "STREAM table");
  }
  impl->ns = std::string(entry.id().ns().str());
  impl->table_name = std::string(entry.id().table().str());
  const Schema& schema = *entry.schema();
  if (impl->scan->columns.size() != schema.num_fields()) {
    return Status(ErrorCode::kInternal, "a live query's scan does not read the whole row");
  }
  for (size_t i = 0; i < schema.num_fields(); ++i)
    if (schema.field(i).primary_key) impl->key_fields.push_back(i);
  for (const sql::BoundExpr* f : impl->filters) {
    impl->route = FindRoute(*f, impl->scan->columns.size());
    if (impl->route.has_value()) break;
  }
  if (impl->project == nullptr) {
    for (size_t i = 0; i < impl->scan->columns.size(); ++i)
      if (!impl->scan->columns[i].hidden) impl->visible.push_back(i);
  }
  if (sort != nullptr) {
    for (const sql::SortKey& key : sort->sort_keys) {
      if (key.expr->kind != sql::BoundExprKind::kColumn || key.expr->outer_level != 0 ||
          key.expr->column >= impl->project->columns.size()) {
        return Unsupported("this ORDER BY expression");
      }
      impl->order.push_back(LivePlan::SortSpec{key.expr->column, key.descending, key.nulls_first});
    }
    impl->shown = top->columns.size();
    impl->limit = limit;
  }
  if (impl->project != nullptr) {
    for (const auto& c : top->columns)
      impl->columns.push_back(Column{c.name, c.type});
  } else {
    for (size_t i : impl->visible)
      impl->columns.push_back(Column{impl->scan->columns[i].name, impl->scan->columns[i].type});
  }
  return std::shared_ptr<const LivePlan>(std::move(impl));
}

// The cache key of a plan: what binding depends on besides the session's user and role
// (fixed for a session): the text, the namespace names resolve in, the parameters' types.
std::string LivePlanKey(Session& session, std::string_view sql, const std::vector<Value>& params) {
  std::string key(sql);
  key.push_back('\0');
  key.append(session.impl().session.current_namespace());
  key.push_back('\0');
  for (const Value& v : params)
    key.push_back(v.is_null() ? '?' : static_cast<char>('A' + static_cast<int>(v.type())));
  return key;
}

}  // namespace

Result<std::unique_ptr<LiveQuery>> LiveQuery::Open(Session& session, std::string_view sql,
                                                   const std::vector<Value>& params) {
  Session::Impl& owner = session.impl();
  const std::string key = LivePlanKey(session, sql, params);
  std::shared_ptr<const LivePlan> plan;
  {
    std::lock_guard<std::mutex> lock(owner.live_plans_mu);
    auto it = owner.live_plans.find(key);
    if (it != owner.live_plans.end()) plan = it->second.lock();
  }
  if (plan != nullptr) {
    // Bound to the table as it was: reuse it only while the table is the same one, with
    // the same schema (otherwise bind afresh, which also reports a dropped table).
    Result<LiveQuery::TableState> state =
        CheckTableIn(*plan->binding.engine, plan->ns, plan->table_name, plan->generation());
    if (!state.ok() || *state != TableState::kSame) plan.reset();
  }
  if (plan != nullptr) {
    TDB_RETURN_IF_ERROR(EngineSession::CheckParameters(params));
    // The session's user and role are fixed and a table's access level is set when it is
    // created, so this holds as it did at bind time; checked again all the same.
    sql::ExecContext ctx = plan->Context(params);
    TDB_RETURN_IF_ERROR(plan->table->CheckRead(ctx.request));
  } else {
    TDB_ASSIGN_OR_RETURN(plan, BindLivePlan(session, sql, params));
    std::lock_guard<std::mutex> lock(owner.live_plans_mu);
    // Forget plans no query holds any more, once the map has doubled since the last sweep.
    if (owner.live_plans.size() >= 2 * owner.live_plans_swept + 16) {
      std::erase_if(owner.live_plans, [](const auto& e) { return e.second.expired(); });
      owner.live_plans_swept = owner.live_plans.size();
    }
    owner.live_plans[key] = plan;
  }
  auto impl = std::make_unique<Impl>(std::move(plan));
  impl->params = params;
  if (const auto& route = impl->plan->route; route.has_value()) {
    const sql::BoundExpr& operand = *route->second;
    const Value* value = nullptr;
    if (operand.kind == sql::BoundExprKind::kConstant) {
      value = &operand.value;
    } else if (operand.parameter >= 0 && size_t(operand.parameter) < impl->params.size()) {
      value = &impl->params[size_t(operand.parameter)];
    }
    const DataType column_type = impl->plan->scan->columns[route->first].type;
    if (value != nullptr && !value->is_null() &&
        RouteFamily(value->type()) == RouteFamily(column_type)) {
      impl->route_value = *value;
    }
  }
  if (impl->plan->limit != nullptr && impl->plan->limit->limit != nullptr) {
    sql::ExecContext ctx = impl->Context();
    TDB_ASSIGN_OR_RETURN(Value n, sql::EvaluateConstant(*impl->plan->limit->limit, ctx));
    if (!n.is_null()) {
      if (n.as_int64() < 0) {
        return Status(ErrorCode::kInvalidArgument, "LIMIT must not be negative");
      }
      impl->limit = static_cast<size_t>(n.as_int64());
    }
  }
  return std::make_unique<LiveQuery>(std::move(impl));
}

Result<LiveSnapshot> LiveQuery::ReadSnapshot(size_t max_rows) {
  Engine& engine = *impl_->plan->binding.engine;
  TableStore& store = engine.tables();
  const TableEntry& entry = *impl_->plan->table;
  TDB_ASSIGN_OR_RETURN(HotTable hot, store.HotTableFor(entry));
  const UserId* user = impl_->plan->slice_user.empty() ? nullptr : &impl_->plan->binding.user;
  // The order is the exactness argument of live_query.h: published, then the snapshot,
  // then what the snapshot holds beyond published, then the rows through it.
  LiveSnapshot out;
  TDB_ASSIGN_OR_RETURN(out.position.after_seq, store.changes().Published(hot, user));
  std::shared_ptr<const rocksdb::Snapshot> snapshot = engine.kv().GetSnapshot();
  TDB_ASSIGN_OR_RETURN(out.position.also, store.changes().SeqsAfter(
                                              hot, user, out.position.after_seq, snapshot.get()));
  TableStore::ReadOptions options;
  options.snapshot = snapshot.get();
  TDB_ASSIGN_OR_RETURN(BatchStreamPtr stream, store.OpenScan(entry, user, options));
  sql::ExecContext ctx = impl_->Context();
  if (windowed()) {
    impl_->rows.clear();
    impl_->by_key.clear();
    impl_->max_rows = max_rows;
    while (true) {
      TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream->Next());
      if (!batch.has_value()) break;
      std::vector<std::string> keys;
      TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows,
                           impl_->plan->Run(std::move(*batch), ctx, nullptr, true, &keys));
      for (size_t i = 0; i < rows.size(); ++i)
        TDB_RETURN_IF_ERROR(impl_->Hold(std::move(rows[i]), std::move(keys[i])));
    }
    impl_->loaded = true;
    for (auto& [key, row] : impl_->Window())
      out.rows.push_back(std::move(row));
    return out;
  }
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream->Next());
    if (!batch.has_value()) break;
    TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows,
                         impl_->plan->Run(std::move(*batch), ctx, nullptr));
    for (auto& row : rows)
      out.rows.push_back(std::move(row));
    if (max_rows != 0 && out.rows.size() > max_rows) {
      return Status(ErrorCode::kOutOfMemory, "the subscription's initial rows are more than " +
                                                 std::to_string(max_rows) +
                                                 "; narrow its WHERE clause");
    }
  }
  return out;
}

uint64_t LiveQuery::table_generation() const {
  return impl_->plan->generation();
}

Result<LiveQuery::TableState> LiveQuery::CheckTable(Database& db, std::string_view ns,
                                                    std::string_view table, uint64_t generation) {
  return CheckTableIn(*db.impl().engine, ns, table, generation);
}

bool LiveQuery::windowed() const {
  return !impl_->plan->order.empty();
}

Result<std::vector<LiveChange>> LiveQuery::Apply(const ChangeRecord& record) {
  const size_t width = impl_->plan->scan->columns.size();
  if ((record.row.has_value() && record.row->size() != width) ||
      (record.old_row.has_value() && record.old_row->size() != width)) {
    return impl_->plan->TableChanged();
  }
  std::vector<LiveChange> out;
  if (!impl_->MayConcern(record)) return out;
  if (!windowed()) {
    TDB_ASSIGN_OR_RETURN(std::optional<LiveChange> change, ApplyOne(record));
    if (change.has_value()) out.push_back(std::move(*change));
    return out;
  }
  if (!impl_->loaded) {
    return Status(ErrorCode::kInvalidArgument,
                  "an ORDER BY window applies changes only after ReadSnapshot");
  }
  if (record.key.size() != impl_->plan->key_fields.size()) return impl_->plan->TableChanged();
  auto before = impl_->Window();
  std::string key;
  for (const Value& v : record.key)
    AppendKeyValue(v, &key);
  if (auto it = impl_->by_key.find(key); it != impl_->by_key.end()) {
    impl_->rows.erase(it->second);
    impl_->by_key.erase(it);
  }
  if (record.type != ChangeType::kDelete && record.row.has_value()) {
    Batch batch(impl_->plan->scan->schema);
    TDB_RETURN_IF_ERROR(batch.AppendRow(*record.row));
    sql::ExecContext ctx = impl_->Context();
    std::vector<std::string> keys;
    TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows,
                         impl_->plan->Run(std::move(batch), ctx, nullptr, true, &keys));
    if (!rows.empty()) TDB_RETURN_IF_ERROR(impl_->Hold(std::move(rows[0]), std::move(keys[0])));
  }
  auto after = impl_->Window();
  // The subscriber's window becomes the new one: what left it, then what entered or
  // changed in it. Windows are small (LIMIT n), so a linear diff is fine.
  auto find = [](const auto& window, const std::string& k) {
    return std::find_if(window.begin(), window.end(), [&](const auto& e) { return e.first == k; });
  };
  for (auto& [k, row] : before) {
    if (find(after, k) != after.end()) continue;
    LiveChange c;
    c.type = ChangeType::kDelete;
    c.row = row;
    c.seq = record.seq;
    out.push_back(std::move(c));
  }
  for (auto& [k, row] : after) {
    auto old = find(before, k);
    if (old != before.end() && old->second == row) continue;
    LiveChange c;
    c.type = old == before.end() ? ChangeType::kInsert : ChangeType::kUpdate;
    c.row = row;
    if (old != before.end()) c.old_row = old->second;
    c.seq = record.seq;
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<LiveChange>> LiveQuery::ApplyOne(const ChangeRecord& record) {
  const size_t width = impl_->plan->scan->columns.size();
  // Row 0: the new row (insert, update); row 1: the old one (update, delete), or for a
  // delete without it, the key with NULLs.
  Batch batch(impl_->plan->scan->schema);
  bool has_new = false;
  bool has_old = false;
  if (record.type != ChangeType::kDelete && record.row.has_value()) {
    TDB_RETURN_IF_ERROR(batch.AppendRow(*record.row));
    has_new = true;
  }
  if (record.type != ChangeType::kInsert && record.old_row.has_value()) {
    TDB_RETURN_IF_ERROR(batch.AppendRow(*record.old_row));
    has_old = true;
  }
  const bool old_unknown = record.type != ChangeType::kInsert && !has_old;
  std::optional<LiveChange> out;
  if (old_unknown && record.type == ChangeType::kDelete) {
    if (record.key.size() != impl_->plan->key_fields.size()) return impl_->plan->TableChanged();
    std::vector<Value> row;
    row.reserve(width);
    for (const sql::OutputColumn& column : impl_->plan->scan->columns)
      row.push_back(Value::Null(column.type));
    for (size_t i = 0; i < impl_->plan->key_fields.size(); ++i)
      row[impl_->plan->key_fields[i]] = record.key[i];
    Batch keyed(impl_->plan->scan->schema);
    TDB_RETURN_IF_ERROR(keyed.AppendRow(row));
    // Projected without the filter: the old values are unknown, so the subscriber is
    // told the key went away whether or not it held it.
    sql::ExecContext ctx = impl_->Context();
    TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows,
                         impl_->plan->Run(std::move(keyed), ctx, nullptr, /*filtered=*/false));
    out.emplace();
    out->type = ChangeType::kDelete;
    out->row = std::move(rows.at(0));
    out->seq = record.seq;
    return out;
  }
  sql::ExecContext ctx = impl_->Context();
  std::vector<bool> kept(batch.num_rows(), false);
  TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> rows,
                       impl_->plan->Run(std::move(batch), ctx, &kept));
  const bool new_matches = has_new && kept[0];
  const bool old_matches = old_unknown || (has_old && kept[has_new ? 1 : 0]);
  size_t next = 0;
  std::optional<std::vector<Value>> new_row, old_row;
  if (new_matches) new_row = std::move(rows[next++]);
  if (has_old && kept[has_new ? 1 : 0]) old_row = std::move(rows[next++]);
  if (new_matches && old_matches && record.type == ChangeType::kUpdate) {
    out.emplace();
    out->type = ChangeType::kUpdate;
    out->row = std::move(*new_row);
    out->old_row = std::move(old_row);
  } else if (new_matches) {
    out.emplace();
    out->type = ChangeType::kInsert;
    out->row = std::move(*new_row);
  } else if (old_matches) {
    out.emplace();
    out->type = ChangeType::kDelete;
    if (old_row.has_value()) {
      out->row = std::move(*old_row);
    } else {
      // An update of a flushed row that stops matching: its new values, unfiltered.
      Batch fresh(impl_->plan->scan->schema);
      TDB_RETURN_IF_ERROR(fresh.AppendRow(*record.row));
      TDB_ASSIGN_OR_RETURN(std::vector<std::vector<Value>> projected,
                           impl_->plan->Run(std::move(fresh), ctx, nullptr, /*filtered=*/false));
      out->row = std::move(projected.at(0));
    }
  }
  if (out.has_value()) out->seq = record.seq;
  return out;
}

}  // namespace tenantdb
