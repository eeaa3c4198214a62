// LiveQuery through the public API only (tenantdb/live_query.h): the shapes it accepts,
// what a change means to a subscriber (filter transitions become inserts and deletes),
// and the exactness of the snapshot's position under concurrent writes — a listener
// added first, the snapshot, then every event not covered by the position applied:
// the result must equal a fresh SELECT, with no insert of a held key and no update or
// delete of a missing one.
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "api_fixture.h"
#include "common/heap_meter.h"
#include "tenantdb/live_query.h"

namespace tenantdb {
namespace {

class LiveQueryTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Ok("CREATE NAMESPACE chat");
    Ok("CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, thread TEXT, body TEXT) "
       "WITH (TYPE = 'USER')");
    Ok("CREATE TABLE chat.board (id BIGINT PRIMARY KEY, v BIGINT) WITH (TYPE = 'SHARED', "
       "ACCESS_LEVEL = 'PUBLIC')");
    alice_ = std::move(db_->Connect("alice", Role::kUser)).value();
  }
  void TearDown() override {
    alice_.reset();
    ApiTest::TearDown();
  }
  std::unique_ptr<Session> alice_;
};

TEST_F(LiveQueryTest, AcceptsOneTableSelectsAndRefusesOtherShapes) {
  auto live = LiveQuery::Open(
      *alice_, "SELECT id, body AS text FROM chat.messages WHERE thread = $1", {Value::Text("t1")});
  ASSERT_TRUE(live.ok()) << live.status().ToString();
  EXPECT_EQ((*live)->ns(), "chat");
  EXPECT_EQ((*live)->table(), "messages");
  EXPECT_EQ((*live)->slice_user(), "alice");
  ASSERT_EQ((*live)->columns().size(), 2u);
  EXPECT_EQ((*live)->columns()[1].name, "text");
  auto shared = LiveQuery::Open(*alice_, "SELECT * FROM chat.board");
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  EXPECT_EQ((*shared)->slice_user(), "");
  EXPECT_EQ((*shared)->columns().size(), 2u);
  for (const char* sql :
       {"SELECT count(*) FROM chat.messages",
        "SELECT * FROM chat.messages ORDER BY id LIMIT 2 OFFSET 1",
        "SELECT * FROM chat.messages LIMIT 1", "SELECT DISTINCT thread FROM chat.messages",
        "SELECT * FROM chat.messages a JOIN chat.board b ON a.id = b.id", "SELECT 1",
        "SELECT id FROM chat.messages WHERE id IN (SELECT id FROM chat.board)"}) {
    auto refused = LiveQuery::Open(*alice_, sql);
    ASSERT_FALSE(refused.ok()) << sql;
    EXPECT_EQ(refused.status().code(), ErrorCode::kFeatureNotSupported) << sql;
  }
  EXPECT_EQ(LiveQuery::Open(*alice_, "SELECT * FROM chat.nothing").status().code(),
            ErrorCode::kUndefinedTable);
  EXPECT_EQ(LiveQuery::Open(*alice_, "INSERT INTO chat.board VALUES (1, 1)").status().code(),
            ErrorCode::kFeatureNotSupported);
}

TEST_F(LiveQueryTest, AppliesChangesAsTheSubscriberSeesThem) {
  Ok(*alice_, "INSERT INTO chat.messages VALUES (1, 't1', 'a'), (2, 't2', 'b')");
  auto live =
      std::move(
          LiveQuery::Open(*alice_, "SELECT id, upper(body) FROM chat.messages WHERE thread = 't1'"))
          .value();
  auto snapshot = live->ReadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_EQ(snapshot->rows.size(), 1u);
  EXPECT_EQ(snapshot->rows[0][1].as_bytes(), "A");
  EXPECT_EQ(snapshot->position.after_seq, 2u);  // two rows written, a number each
  EXPECT_TRUE(snapshot->position.Covers(2));
  EXPECT_FALSE(snapshot->position.Covers(3));

  std::mutex mu;
  std::vector<ChangeRecord> records;
  ChangeListenerHandle handle = db_->AddChangeListener([&](const ChangeEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& r : e.changes)
      records.push_back(r);
  });
  Ok(*alice_, "UPDATE chat.messages SET body = 'aa' WHERE id = 1");    // update
  Ok(*alice_, "UPDATE chat.messages SET thread = 't1' WHERE id = 2");  // enters: insert
  Ok(*alice_, "UPDATE chat.messages SET thread = 't9' WHERE id = 1");  // leaves: delete
  Ok(*alice_, "INSERT INTO chat.messages VALUES (3, 't3', 'c')");      // never matches
  Ok(*alice_, "DELETE FROM chat.messages WHERE id = 2");               // delete
  handle.Reset();
  ASSERT_EQ(records.size(), 5u);
  std::vector<std::string> seen;
  for (const auto& r : records) {
    auto changes = live->Apply(r);
    ASSERT_TRUE(changes.ok()) << changes.status().ToString();
    ASSERT_LE(changes->size(), 1u);
    if (changes->empty()) {
      seen.push_back("none");
      continue;
    }
    const LiveChange& change = changes->front();
    std::string text = std::string(ChangeTypeName(change.type)) + ":" +
                       std::to_string(change.row[0].as_int64()) + ":" +
                       std::string(change.row[1].as_bytes());
    if (change.old_row) text += "<-" + std::string((*change.old_row)[1].as_bytes());
    seen.push_back(text);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"update:1:AA<-A", "insert:2:B", "delete:1:AA", "none",
                                            "delete:2:B"}));
}

TEST_F(LiveQueryTest, TheSnapshotPositionJoinsTheChangeLogExactlyOnce) {
  for (int round = 0; round < 6; ++round) {
    std::atomic<bool> stop{false};
    std::atomic<int> writes{0};
    std::thread writer([&, round] {
      auto root = std::move(db_->Connect("root", Role::kSystem)).value();
      std::mt19937 random(11 + round);
      while (!stop.load()) {
        const std::string id = std::to_string(random() % 40);
        const std::string v = std::to_string(random() % 6);
        switch (random() % 3) {
          case 0:
            (void)root->Execute("INSERT INTO chat.board VALUES (" + id + ", " + v + ")");
            break;
          case 1:
            (void)root->Execute("UPDATE chat.board SET v = " + v + " WHERE id = " + id);
            break;
          default:
            (void)root->Execute("DELETE FROM chat.board WHERE id = " + id);
        }
        writes.fetch_add(1);
      }
    });
    while (writes.load() < 20 * (round + 1))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // The snapshot is read while the writer commits.
    auto live =
        std::move(LiveQuery::Open(*alice_, "SELECT id, v FROM chat.board WHERE v > 1")).value();
    auto snapshot = live->ReadSnapshot();
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    const int target = writes.load() + 30;
    while (writes.load() < target)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    stop.store(true);
    writer.join();

    std::map<int64_t, int64_t> state;
    for (const auto& row : snapshot->rows)
      state[row[0].as_int64()] = row[1].as_int64();
    auto log = db_->ReadChanges("chat", "board", "", snapshot->position.after_seq, 100000);
    ASSERT_TRUE(log.ok());
    ASSERT_FALSE(log->resync_required);
    for (const auto& r : log->changes) {
      if (snapshot->position.Covers(r.seq)) continue;
      auto changes = live->Apply(r);
      ASSERT_TRUE(changes.ok()) << changes.status().ToString();
      if (changes->empty()) continue;
      const LiveChange* change = &changes->front();
      const int64_t id = change->row[0].as_int64();
      switch (change->type) {
        case ChangeType::kInsert:
          ASSERT_EQ(state.count(id), 0u) << "a duplicate at seq " << r.seq;
          state[id] = change->row[1].as_int64();
          break;
        case ChangeType::kUpdate:
          ASSERT_EQ(state.count(id), 1u) << "a gap at seq " << r.seq;
          state[id] = change->row[1].as_int64();
          break;
        case ChangeType::kDelete:
          ASSERT_EQ(state.count(id), 1u) << "a gap at seq " << r.seq;
          state.erase(id);
          break;
      }
    }
    auto fresh = std::move(alice_->Query("SELECT id, v FROM chat.board WHERE v > 1")).value();
    std::map<int64_t, int64_t> expected;
    while (*fresh->Next()) {
      const RowBatch& b = fresh->batch();
      for (size_t r = 0; r < b.num_rows(); ++r)
        expected[*b.GetInt64(r, 0)] = *b.GetInt64(r, 1);
    }
    EXPECT_EQ(state, expected) << "round " << round;
  }
}

// "The newest 3 messages of a thread": rows entering and leaving the window arrive as
// inserts and deletes, checked against a fresh SELECT after every write.
TEST_F(LiveQueryTest, OrderByLimitKeepsALiveWindow) {
  for (int i = 1; i <= 5; ++i)
    Ok(*alice_, "INSERT INTO chat.messages VALUES (" + std::to_string(i) + ", 't', 'm" +
                    std::to_string(i) + "')");
  const std::string sql =
      "SELECT body FROM chat.messages WHERE thread = 't' ORDER BY id DESC LIMIT 3";
  auto live = std::move(LiveQuery::Open(*alice_, sql)).value();
  EXPECT_TRUE(live->windowed());
  ASSERT_EQ(live->columns().size(), 1u);  // the hidden sort column is not shown
  auto snapshot = live->ReadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::vector<std::string> window;
  for (const auto& row : snapshot->rows)
    window.push_back(std::string(row[0].as_bytes()));
  EXPECT_EQ(window, (std::vector<std::string>{"m5", "m4", "m3"}));

  std::mutex mu;
  std::vector<ChangeRecord> records;
  ChangeListenerHandle handle = db_->AddChangeListener([&](const ChangeEvent& e) {
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& r : e.changes)
      records.push_back(r);
  });
  auto step = [&](const std::string& write, const std::vector<std::string>& expected_changes) {
    {
      std::lock_guard<std::mutex> lock(mu);
      records.clear();
    }
    Ok(*alice_, write);
    std::vector<ChangeRecord> got;
    {
      std::lock_guard<std::mutex> lock(mu);
      got = records;
    }
    std::vector<std::string> changes;
    for (const auto& r : got) {
      auto applied = live->Apply(r);
      ASSERT_TRUE(applied.ok()) << applied.status().ToString();
      for (const LiveChange& c : *applied) {
        const std::string body(c.row[0].as_bytes());
        changes.push_back(std::string(ChangeTypeName(c.type)) + ":" + body);
        if (c.type == ChangeType::kDelete) {
          std::erase(window, body);
        } else if (c.type == ChangeType::kInsert) {
          window.push_back(body);
        } else {
          std::erase(window, std::string((*c.old_row)[0].as_bytes()));
          window.push_back(body);
        }
      }
    }
    EXPECT_EQ(changes, expected_changes) << write;
    // The client's window (as a set) is the fresh query's.
    auto fresh = std::move(alice_->Query(sql)).value();
    std::vector<std::string> expected;
    while (*fresh->Next()) {
      for (size_t r = 0; r < fresh->batch().num_rows(); ++r)
        expected.push_back(std::string(*fresh->batch().GetText(r, 0)));
    }
    std::vector<std::string> a = window, b = expected;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    EXPECT_EQ(a, b) << write;
  };
  step("INSERT INTO chat.messages VALUES (6, 't', 'm6')", {"delete:m3", "insert:m6"});
  step("INSERT INTO chat.messages VALUES (0, 't', 'm0')", {});  // below the window
  step("DELETE FROM chat.messages WHERE id = 6", {"delete:m6", "insert:m3"});
  step("UPDATE chat.messages SET body = 'M4' WHERE id = 4", {"update:M4"});
  step("UPDATE chat.messages SET thread = 'x' WHERE id = 5", {"delete:m5", "insert:m2"});
  step("DELETE FROM chat.messages WHERE id = 1", {});
}

// A query with `column = constant or $n` skips changes whose rows all hold another value
// there without evaluating them: each case below is one the skip must NOT take (or must
// take without changing the answer). Records are built by hand to reach the case of an
// update or delete whose old row the writer did not have (it was flushed to Parquet).
TEST_F(LiveQueryTest, AnEqualityFilterSkipsOnlyChangesThatCannotConcernIt) {
  auto row = [](int64_t id, const char* thread, const char* body) {
    return std::vector<Value>{Value::BigInt(id), Value::Text(thread), Value::Text(body)};
  };
  auto record = [](uint64_t seq, ChangeType type, std::optional<std::vector<Value>> now,
                   std::optional<std::vector<Value>> before) {
    ChangeRecord r;
    r.seq = seq;
    r.type = type;
    const std::vector<Value>& any = now.has_value() ? *now : *before;
    r.key = {any[0]};
    r.row = std::move(now);
    r.old_row = std::move(before);
    return r;
  };
  auto describe = [](const Result<std::vector<LiveChange>>& changes) {
    if (!changes.ok()) return changes.status().ToString();
    std::string out;
    for (const LiveChange& c : *changes)
      out += std::string(ChangeTypeName(c.type)) + ":" + c.row[0].ToString() + " ";
    return out.empty() ? std::string("none") : out;
  };
  for (const char* sql : {"SELECT id, body FROM chat.messages WHERE thread = $1",
                          "SELECT id, body FROM chat.messages WHERE body <> '' AND $1 = thread"}) {
    auto live = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t1")})).value();
    ASSERT_TRUE(live->ReadSnapshot().ok());
    EXPECT_EQ(describe(live->Apply(record(1, ChangeType::kInsert, row(1, "t2", "a"), {}))), "none")
        << sql;
    EXPECT_EQ(describe(live->Apply(record(2, ChangeType::kInsert, row(2, "t1", "b"), {}))),
              "insert:2 ")
        << sql;
    // Leaves the thread: only the old row holds the value.
    EXPECT_EQ(
        describe(live->Apply(record(3, ChangeType::kUpdate, row(2, "t9", "b"), row(2, "t1", "b")))),
        "delete:2 ")
        << sql;
    // Old row unknown: it counts as matching (live_query.h), so the change is applied.
    EXPECT_EQ(describe(live->Apply(record(4, ChangeType::kUpdate, row(5, "t9", "x"), {}))),
              "delete:5 ")
        << sql;
    ChangeRecord unknown_delete = record(5, ChangeType::kDelete, {}, row(6, "t9", "y"));
    unknown_delete.old_row.reset();
    EXPECT_EQ(describe(live->Apply(unknown_delete)), "delete:6 ") << sql;
    // Both rows known, neither in the thread: nothing.
    EXPECT_EQ(
        describe(live->Apply(record(6, ChangeType::kUpdate, row(7, "t8", "c"), row(7, "t9", "c")))),
        "none")
        << sql;
    EXPECT_EQ(describe(live->Apply(record(7, ChangeType::kDelete, {}, row(8, "t9", "d")))), "none")
        << sql;
  }
  // An integer column of a SHARED table, the constant written on either side.
  auto board = std::move(LiveQuery::Open(*alice_, "SELECT id FROM chat.board WHERE 7 = v")).value();
  ASSERT_TRUE(board->ReadSnapshot().ok());
  auto board_row = [](int64_t id, int64_t v) {
    return std::vector<Value>{Value::BigInt(id), Value::BigInt(v)};
  };
  EXPECT_EQ(describe(board->Apply(record(1, ChangeType::kInsert, board_row(1, 6), {}))), "none");
  EXPECT_EQ(describe(board->Apply(record(2, ChangeType::kInsert, board_row(2, 7), {}))),
            "insert:2 ");
  EXPECT_EQ(
      describe(board->Apply(record(3, ChangeType::kUpdate, board_row(2, 8), board_row(2, 7)))),
      "delete:2 ");
}

}  // namespace
}  // namespace tenantdb

namespace tenantdb {
namespace {

std::vector<std::string> FirstColumn(const LiveSnapshot& snapshot) {
  std::vector<std::string> out;
  for (const auto& row : snapshot.rows)
    out.push_back(row[0].is_null() ? "NULL" : row[0].ToString());
  return out;
}

TEST_F(LiveQueryTest, QueriesOfOneShapeShareABindingButNotTheirParametersOrLimits) {
  Ok(*alice_, "INSERT INTO chat.messages VALUES (1, 't1', 'a'), (2, 't2', 'b'), (3, 't1', 'c')");
  const std::string sql = "SELECT id FROM chat.messages WHERE thread = $1";
  auto t1 = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t1")})).value();
  auto t2 = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t2")})).value();
  EXPECT_EQ(FirstColumn(*t1->ReadSnapshot()), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(FirstColumn(*t2->ReadSnapshot()), (std::vector<std::string>{"2"}));
  // A parameter's text is checked on every open, shared binding or not.
  EXPECT_EQ(LiveQuery::Open(*alice_, sql, {Value::Text(std::string("\xff", 1))}).status().code(),
            ErrorCode::kCharacterNotInRepertoire);
  // LIMIT $1 is each query's own.
  const std::string window = "SELECT id FROM chat.messages ORDER BY id LIMIT $1";
  auto one = std::move(LiveQuery::Open(*alice_, window, {Value::BigInt(1)})).value();
  auto two = std::move(LiveQuery::Open(*alice_, window, {Value::BigInt(2)})).value();
  EXPECT_EQ(FirstColumn(*one->ReadSnapshot()), (std::vector<std::string>{"1"}));
  EXPECT_EQ(FirstColumn(*two->ReadSnapshot()), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(LiveQuery::Open(*alice_, window, {Value::BigInt(-1)}).status().code(),
            ErrorCode::kInvalidArgument);
}

// Memory, from the allocator: a subscription of a shape already open on the session
// costs its parameters and state, not another bound plan.
TEST_F(LiveQueryTest, ASharedShapeCostsAFractionOfABindingPerQuery) {
  constexpr int kQueries = 500;
  auto per_query = [&](bool same_shape) {
    std::vector<std::unique_ptr<LiveQuery>> held;
    held.reserve(kQueries);
    TrimHeap();
    const size_t before = HeapBytesInUse();
    for (int i = 0; i < kQueries; ++i) {
      // Distinct texts are distinct shapes; one text with distinct parameters is one.
      const std::string sql = same_shape ? "SELECT id, body FROM chat.messages WHERE thread = $1"
                                         : "SELECT id, body FROM chat.messages WHERE thread = $1 "
                                           "AND id <> " +
                                               std::to_string(i);
      held.push_back(
          std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t" + std::to_string(i))})).value());
    }
    const double bytes = double(HeapBytesInUse()) - double(before);
    return bytes / kQueries;
  };
  const double unshared = per_query(false);
  const double shared = per_query(true);
  std::printf("live query heap: %.0f B per query of a shared shape, %.0f B unshared\n", shared,
              unshared);
  EXPECT_LT(shared * 3, unshared) << "shared " << shared << " B, unshared " << unshared << " B";
}

TEST_F(LiveQueryTest, AnAlteredOrReplacedTableIsBoundAfreshNotFromTheSharedBinding) {
  const std::string sql = "SELECT * FROM chat.messages WHERE thread = $1";
  auto before = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t")})).value();
  EXPECT_EQ(before->columns().size(), 3u);
  Ok("ALTER TABLE chat.messages ADD COLUMN extra TEXT");
  auto altered = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t")})).value();
  EXPECT_EQ(altered->columns().size(), 4u);
  EXPECT_NE(altered->table_generation(), before->table_generation());
  Ok("DROP TABLE chat.messages");
  EXPECT_EQ(LiveQuery::Open(*alice_, sql, {Value::Text("t")}).status().code(),
            ErrorCode::kUndefinedTable);
  Ok("CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, thread TEXT) WITH (TYPE = 'USER')");
  Ok(*alice_, "INSERT INTO chat.messages VALUES (7, 't')");
  auto replaced = std::move(LiveQuery::Open(*alice_, sql, {Value::Text("t")})).value();
  EXPECT_EQ(replaced->columns().size(), 2u);
  EXPECT_EQ(FirstColumn(*replaced->ReadSnapshot()), (std::vector<std::string>{"7"}));
}

}  // namespace
}  // namespace tenantdb
