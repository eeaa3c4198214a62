// The change log through the public API only (tenantdb/changes.h): what the server's
// live queries will consume — listeners told of committed SQL writes with table names,
// nothing for a rolled-back transaction, and reads by name after a number.
#include <mutex>

#include <rocksdb/iterator.h>

#include "api_fixture.h"
#include "engine/engine_access.h"
#include "storage/hot/key_codec.h"
#include "tenantdb/changes.h"

namespace tenantdb {
namespace {

class ChangesApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Ok("CREATE NAMESPACE chat");
    Ok("CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
    Ok("CREATE TABLE chat.board (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'SHARED')");
    auto alice = db_->Connect("alice", Role::kUser);
    ASSERT_TRUE(alice.ok());
    alice_ = std::move(*alice);
  }
  void TearDown() override {
    alice_.reset();
    ApiTest::TearDown();
  }
  std::vector<ChangeEvent> Events() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  ChangeListenerHandle Listen() {
    return db_->AddChangeListener([this](const ChangeEvent& e) {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(e);
    });
  }

  std::unique_ptr<Session> alice_;
  std::mutex mu_;
  std::vector<ChangeEvent> events_;
};

TEST_F(ChangesApiTest, ListenersGetEachCommitOnceAndNothingOfARollback) {
  ChangeListenerHandle handle = Listen();
  ASSERT_TRUE(handle.active());
  Ok(*alice_, "INSERT INTO chat.messages VALUES (1, 'hi')");
  Ok(*alice_, "BEGIN");
  Ok(*alice_, "INSERT INTO chat.messages VALUES (2, 'never')");
  Ok(*alice_, "ROLLBACK");
  Ok(*alice_, "BEGIN");
  Ok(*alice_, "INSERT INTO chat.messages VALUES (3, 'x'), (4, 'y')");
  Ok(*alice_, "UPDATE chat.messages SET body = 'hi!' WHERE id = 1");
  Ok(*alice_, "COMMIT");
  Ok(*alice_, "DELETE FROM chat.messages WHERE id = 3");
  Ok("INSERT INTO chat.board VALUES (7, 'shared')");

  std::vector<ChangeEvent> events = Events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].ns, "chat");
  EXPECT_EQ(events[0].table, "messages");
  EXPECT_EQ(events[0].user, "alice");
  ASSERT_EQ(events[0].changes.size(), 1u);
  EXPECT_EQ(events[0].changes[0].seq, 1u);
  EXPECT_EQ(events[0].changes[0].type, ChangeType::kInsert);
  EXPECT_EQ(*events[0].changes[0].row, (std::vector<Value>{Value::BigInt(1), Value::Text("hi")}));
  // The transaction: one event, its three changes numbered 2..4 in statement order.
  ASSERT_EQ(events[1].changes.size(), 3u);
  EXPECT_EQ(events[1].changes[0].seq, 2u);
  EXPECT_EQ(events[1].changes[2].seq, 4u);
  EXPECT_EQ(events[1].changes[2].type, ChangeType::kUpdate);
  EXPECT_EQ(*events[1].changes[2].old_row,
            (std::vector<Value>{Value::BigInt(1), Value::Text("hi")}));
  EXPECT_EQ(std::string(ChangeTypeName(events[2].changes[0].type)), "delete");
  EXPECT_EQ(events[2].changes[0].seq, 5u);
  EXPECT_EQ(events[2].changes[0].key, std::vector<Value>{Value::BigInt(3)});
  EXPECT_EQ(events[3].table, "board");
  EXPECT_EQ(events[3].user, "");
  EXPECT_EQ(events[3].changes[0].seq, 1u);

  handle.Reset();
  EXPECT_FALSE(handle.active());
  Ok(*alice_, "INSERT INTO chat.messages VALUES (9, 'unheard')");
  EXPECT_EQ(Events().size(), 4u);
}

TEST_F(ChangesApiTest, ReadChangesByNameAfterANumber) {
  for (int i = 1; i <= 5; ++i) {
    Ok(*alice_, "INSERT INTO chat.messages VALUES ($1, 'm')", {Value::BigInt(i)});
  }
  auto read = db_->ReadChanges("chat", "messages", "alice", 2, 2);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->changes.size(), 2u);
  EXPECT_EQ(read->changes[0].seq, 3u);
  EXPECT_EQ(read->changes[1].seq, 4u);
  EXPECT_TRUE(read->has_more);
  EXPECT_EQ(read->last_seq, 5u);
  EXPECT_EQ(read->oldest_seq, 1u);
  EXPECT_FALSE(read->resync_required);
  // Another user's slice is separate and empty.
  read = db_->ReadChanges("chat", "messages", "bob", 0);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->changes.empty());

  EXPECT_FALSE(db_->ReadChanges("chat", "nosuch", "alice", 0).ok());
  EXPECT_EQ(db_->ReadChanges("chat", "board", "alice", 0).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db_->ReadChanges("chat", "messages", "", 0).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db_->ReadChanges("system", "tables", "", 0).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(ChangesApiTest, DropTableEndsItsLog) {
  Ok(*alice_, "INSERT INTO chat.messages VALUES (1, 'm')");
  Ok("DROP TABLE chat.messages");
  Ok("CREATE TABLE chat.messages (id BIGINT PRIMARY KEY, body TEXT) WITH (TYPE = 'USER')");
  auto read = db_->ReadChanges("chat", "messages", "alice", 0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_TRUE(read->changes.empty());
  EXPECT_EQ(read->last_seq, 0u);
}

// The records in the RocksDB `changes` family whose key starts with `prefix`.
size_t ChangeKeysWithPrefix(Database& db, const std::string& prefix) {
  std::unique_ptr<rocksdb::Iterator> it = EngineAccess::Of(db).kv().NewIterator(KvFamily::kChanges);
  size_t n = 0;
  for (it->Seek(rocksdb::Slice(prefix)); it->Valid() && it->key().starts_with(prefix); it->Next())
    ++n;
  return n;
}

TEST_F(ChangesApiTest, DropUserErasesTheUsersChangeLogSlices) {
  Ok("CREATE USER alice WITH PASSWORD 'alice-password-1' ROLE user");
  Ok("CREATE USER bob WITH PASSWORD 'bob-password-1' ROLE user");
  Ok("CREATE TABLE chat.events (id BIGINT PRIMARY KEY, body TEXT) "
     "WITH (TYPE = 'STREAM', TTL_SECONDS = 3600)");
  auto bob = std::move(db_->Connect("bob", Role::kUser)).value();
  for (Session* s : {alice_.get(), bob.get()}) {
    Ok(*s, "INSERT INTO chat.messages VALUES (1, 'a'), (2, 'b')");
    Ok(*s, "INSERT INTO chat.events VALUES (1, 'e')");
  }
  Ok("INSERT INTO chat.board VALUES (1, 'shared')");
  Engine& engine = EngineAccess::Of(*db_);
  const uint32_t messages = (*engine.cache().GetByName("chat", "messages"))->table_number();
  const uint32_t events = (*engine.cache().GetByName("chat", "events"))->table_number();
  const uint32_t board = (*engine.cache().GetByName("chat", "board"))->table_number();
  ASSERT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(messages, "alice")), 2u);
  ASSERT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(events, "alice")), 1u);

  Ok("DROP USER alice");
  EXPECT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(messages, "alice")), 0u);
  EXPECT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(events, "alice")), 0u);
  for (const char* table : {"messages", "events"}) {
    auto read = db_->ReadChanges("chat", table, "alice", 0);
    ASSERT_TRUE(read.ok()) << read.status().ToString();
    EXPECT_TRUE(read->changes.empty()) << table;
    EXPECT_EQ(read->oldest_seq, 0u) << table;
  }
  // Other users' slices and the SHARED table's log stay.
  EXPECT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(messages, "bob")), 2u);
  EXPECT_EQ(ChangeKeysWithPrefix(*db_, EncodeUserPrefix(events, "bob")), 1u);
  EXPECT_EQ(ChangeKeysWithPrefix(*db_, EncodeTablePrefix(board)), 1u);
  auto read = db_->ReadChanges("chat", "messages", "bob", 0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->changes.size(), 2u);
}

}  // namespace
}  // namespace tenantdb
