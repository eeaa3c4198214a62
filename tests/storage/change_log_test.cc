// The change log at the storage layer: numbering per slice across single writes, batches
// and transactions, concurrent writers, restarts, reads after a number, retention,
// flushes, DROP TABLE and listeners — on a real RocksDB directory.
#include "storage/changes/change_log.h"

#include <gtest/gtest.h>
#include <rocksdb/iterator.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "catalog/schema_pool.h"
#include "catalog/storage_registry.h"
#include "storage/hot/key_codec.h"
#include "storage/table_store.h"
#include "tables/transaction.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-changes-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

class ChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    Open();
    ASSERT_TRUE(catalog_->CreateNamespace(*NamespaceId::Make("chat")).ok());
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Close() {
    hot_tables_.clear();
    store_.reset();
    catalog_.reset();
    storages_.reset();
    kv_.reset();
  }
  void Open() {
    Close();
    kv_ = std::move(*KvStore::Open(dir_));
    catalog_ = std::move(*PersistentCatalog::Open(kv_.get(), &pool_));
    storages_ = std::make_unique<StorageRegistry>(dir_ + "/storage");
    TableStore::Options options;
    options.clock = &clock_;
    options.changes = change_options_;
    store_ = std::make_unique<TableStore>(kv_.get(), catalog_.get(), options);
  }
  TableEntryRef CreateTable(const std::string& name, TableType type) {
    TableDefinition d;
    d.id = *TableId::Make("chat", name);
    d.type = type;
    d.schema = pool_.Intern(
        {{"id", DataType::kBigInt, false, true, ""}, {"body", DataType::kText, false, false, ""}});
    d.storage_id = storages_->local()->id;
    EXPECT_TRUE(catalog_->CreateTable(d).ok());
    return Entry(name);
  }
  TableEntryRef Entry(const std::string& name) {
    auto entry = catalog_->Loader(*storages_)(*TableId::Make("chat", name));
    EXPECT_TRUE(entry.ok()) << entry.status().ToString();
    return *entry;
  }
  const HotTable& Hot(const TableEntryRef& t) {
    auto& slot = hot_tables_[t.get()];
    if (!slot) slot = std::make_unique<HotTable>(*store_->HotTableFor(*t));
    return *slot;
  }
  static std::vector<Value> Row(int64_t id, const std::string& body) {
    return {Value::BigInt(id), Value::Text(body)};
  }
  Status Insert(const TableEntryRef& t, const UserId* user, int64_t id, const std::string& body) {
    clock_.Advance(1);
    return store_->hot().Insert(Hot(t), user, Row(id, body));
  }
  ChangeReadResult Read(const TableEntryRef& t, const UserId* user, uint64_t after = 0,
                        size_t max = 100000) {
    auto read = store_->changes().Read(Hot(t), user, after, max);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? std::move(read).value() : ChangeReadResult();
  }
  static std::vector<uint64_t> Seqs(const ChangeReadResult& r) {
    std::vector<uint64_t> out;
    for (const ChangeRecord& c : r.changes)
      out.push_back(c.seq);
    return out;
  }
  static std::vector<uint64_t> Range(uint64_t first, uint64_t last) {
    std::vector<uint64_t> out;
    for (uint64_t s = first; s <= last; ++s)
      out.push_back(s);
    return out;
  }

  std::string dir_;
  SchemaPool pool_;
  ManualClock clock_{1'700'000'000'000'000};
  ChangeLog::Options change_options_;
  std::unique_ptr<KvStore> kv_;
  std::unique_ptr<PersistentCatalog> catalog_;
  std::unique_ptr<StorageRegistry> storages_;
  std::unique_ptr<TableStore> store_;
  std::map<const TableEntry*, std::unique_ptr<HotTable>> hot_tables_;
  const UserId alice_ = *UserId::Make("alice");
  const UserId bob_ = *UserId::Make("bob");
};

TEST_F(ChangeLogTest, NumbersIncreasePerSliceAcrossStatementsBatchesAndTransactions) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  TableEntryRef board = CreateTable("board", TableType::kShared);
  ASSERT_TRUE(Insert(messages, &alice_, 1, "a1").ok());
  ASSERT_TRUE(Insert(messages, &bob_, 1, "b1").ok());
  ASSERT_TRUE(Insert(messages, &alice_, 2, "a2").ok());
  // A multi-row statement: three numbers in row order.
  ASSERT_TRUE(store_->hot()
                  .ApplyBatch(Hot(messages), &alice_,
                              {HotWrite::Insert(Row(3, "a3")), HotWrite::Update(Row(1, "a1'")),
                               HotWrite::Delete({Value::BigInt(2)})})
                  .ok());
  // A transaction over two users and a SHARED table: one batch, numbers per slice.
  Transaction tx;
  ASSERT_TRUE(tx.Add(store_.get(), *messages, &bob_, HotWrite::Insert(Row(2, "b2"))).ok());
  ASSERT_TRUE(tx.Add(store_.get(), *board, nullptr, HotWrite::Insert(Row(1, "s1"))).ok());
  ASSERT_TRUE(tx.Add(store_.get(), *messages, &alice_, HotWrite::Insert(Row(4, "a4"))).ok());
  ASSERT_TRUE(tx.Add(store_.get(), *board, nullptr, HotWrite::Insert(Row(2, "s2"))).ok());
  ASSERT_TRUE(tx.Commit(store_.get()).ok());

  ChangeReadResult a = Read(messages, &alice_);
  EXPECT_EQ(Seqs(a), Range(1, 6));
  EXPECT_EQ(a.last_seq, 6u);
  EXPECT_EQ(a.oldest_seq, 1u);
  ASSERT_EQ(a.changes.size(), 6u);
  const std::vector<ChangeType> types = {ChangeType::kInsert, ChangeType::kInsert,
                                         ChangeType::kInsert, ChangeType::kUpdate,
                                         ChangeType::kDelete, ChangeType::kInsert};
  for (size_t i = 0; i < types.size(); ++i)
    EXPECT_EQ(a.changes[i].type, types[i]) << i;
  // The update: new and old rows; the delete: the old row and no new one.
  EXPECT_EQ(a.changes[3].key, std::vector<Value>{Value::BigInt(1)});
  EXPECT_EQ(*a.changes[3].row, Row(1, "a1'"));
  EXPECT_EQ(*a.changes[3].old_row, Row(1, "a1"));
  EXPECT_EQ(a.changes[4].key, std::vector<Value>{Value::BigInt(2)});
  EXPECT_FALSE(a.changes[4].row.has_value());
  EXPECT_EQ(*a.changes[4].old_row, Row(2, "a2"));
  EXPECT_EQ(*a.changes[5].row, Row(4, "a4"));
  EXPECT_FALSE(a.changes[0].old_row.has_value());
  EXPECT_GT(a.changes[5].commit_micros, a.changes[0].commit_micros);

  EXPECT_EQ(Seqs(Read(messages, &bob_)), Range(1, 2));
  ChangeReadResult s = Read(board, nullptr);
  EXPECT_EQ(Seqs(s), Range(1, 2));
  EXPECT_EQ(*s.changes[1].row, Row(2, "s2"));
  // Slices are checked like rows: a SHARED table has no user, a USER table needs one.
  EXPECT_EQ(store_->changes().Read(Hot(board), &alice_, 0, 10).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store_->changes().Read(Hot(messages), nullptr, 0, 10).status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(ChangeLogTest, WritesThatChangeNothingOrFailUseNoNumber) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  ASSERT_TRUE(Insert(messages, &alice_, 1, "x").ok());
  // A delete of an absent key changes nothing.
  auto deleted = store_->hot().Delete(Hot(messages), &alice_, {Value::BigInt(9)});
  ASSERT_TRUE(deleted.ok());
  EXPECT_FALSE(*deleted);
  // A batch that fails (duplicate key in its second row) writes nothing at all.
  EXPECT_EQ(store_->hot()
                .ApplyBatch(Hot(messages), &alice_,
                            {HotWrite::Insert(Row(2, "y")), HotWrite::Insert(Row(1, "dup"))})
                .code(),
            ErrorCode::kUniqueViolation);
  EXPECT_EQ(store_->hot().Update(Hot(messages), &alice_, Row(7, "none")).code(),
            ErrorCode::kNotFound);
  ASSERT_TRUE(Insert(messages, &alice_, 3, "z").ok());
  EXPECT_EQ(Seqs(Read(messages, &alice_)), Range(1, 2));
  // An upsert is an insert of a new key and an update of an existing one.
  ASSERT_TRUE(store_->hot().Upsert(Hot(messages), &alice_, Row(3, "z'")).ok());
  ASSERT_TRUE(store_->hot().Upsert(Hot(messages), &alice_, Row(4, "w")).ok());
  ChangeReadResult r = Read(messages, &alice_, 2);
  ASSERT_EQ(r.changes.size(), 2u);
  EXPECT_EQ(r.changes[0].type, ChangeType::kUpdate);
  EXPECT_EQ(*r.changes[0].old_row, Row(3, "z"));
  EXPECT_EQ(r.changes[1].type, ChangeType::kInsert);
}

TEST_F(ChangeLogTest, ReadAfterASequenceReturnsExactlyTheLaterChangesInBoundedBatches) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 10; ++i)
    ASSERT_TRUE(Insert(messages, &alice_, i, "m" + std::to_string(i)).ok());
  ChangeReadResult r = Read(messages, &alice_, 3, 4);
  EXPECT_EQ(Seqs(r), Range(4, 7));
  EXPECT_TRUE(r.has_more);
  EXPECT_EQ(r.last_seq, 10u);
  EXPECT_EQ(*r.changes[0].row, Row(4, "m4"));
  r = Read(messages, &alice_, 7, 4);
  EXPECT_EQ(Seqs(r), Range(8, 10));
  EXPECT_FALSE(r.has_more);
  r = Read(messages, &alice_, 10, 4);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_FALSE(r.has_more);
  EXPECT_FALSE(r.resync_required);
  // A number from the future (another database, a lost tail) reads nothing.
  EXPECT_TRUE(Read(messages, &alice_, 99).changes.empty());
  // A slice never written: nothing, and nothing to resync.
  r = Read(messages, &bob_, 0);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(r.last_seq, 0u);
  EXPECT_EQ(r.oldest_seq, 0u);
}

TEST_F(ChangeLogTest, CountersContinueAfterReopenAndNeverReuseANumber) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 3; ++i)
    ASSERT_TRUE(Insert(messages, &alice_, i, "m").ok());
  Open();
  messages = Entry("messages");
  ASSERT_TRUE(Insert(messages, &alice_, 4, "m").ok());
  ASSERT_TRUE(Insert(messages, &bob_, 1, "m").ok());
  EXPECT_EQ(Seqs(Read(messages, &alice_)), Range(1, 4));
  EXPECT_EQ(Seqs(Read(messages, &bob_)), Range(1, 1));
  // Trimmed down to the newest record, the counter still resumes after it.
  change_options_.retention_count = 1;
  Open();
  messages = Entry("messages");
  auto trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  EXPECT_EQ(trimmed->removed, 3u);
  Open();
  messages = Entry("messages");
  ASSERT_TRUE(Insert(messages, &alice_, 5, "m").ok());
  ChangeReadResult r = Read(messages, &alice_, 4);
  EXPECT_EQ(Seqs(r), Range(5, 5));
  EXPECT_EQ(*r.changes[0].row, Row(5, "m"));
}

TEST_F(ChangeLogTest, ConcurrentWritersGetGapFreeNumbersInCommitOrder) {
  TableEntryRef board = CreateTable("board", TableType::kShared);
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  const HotTable& shared = Hot(board);
  const HotTable& user = Hot(messages);
  // A listener records what it is told, per slice, in delivery order.
  std::mutex mu;
  std::map<std::pair<uint32_t, std::string>, std::vector<uint64_t>> delivered;
  std::map<std::pair<uint32_t, std::string>, std::set<int64_t>> delivered_keys;
  const uint64_t id = store_->changes().AddListener([&](const CommittedChanges& c) {
    std::lock_guard<std::mutex> lock(mu);
    for (const ChangeRecord& r : c.changes) {
      delivered[{c.table_number, c.user}].push_back(r.seq);
      delivered_keys[{c.table_number, c.user}].insert(r.key[0].as_int64());
    }
  });
  constexpr int kThreads = 4;
  constexpr int kPerThread = 150;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t key = t * 1000 + i;
        // Alternate single rows and two-row batches, on both slices.
        Status s = i % 3 == 0 ? store_->hot().ApplyBatch(shared, nullptr,
                                                         {HotWrite::Insert(Row(key, "a")),
                                                          HotWrite::Insert(Row(key + 500, "b"))})
                              : store_->hot().Insert(shared, nullptr, Row(key, "s"));
        if (!s.ok()) ++failures;
        if (!store_->hot().Insert(user, &alice_, Row(key, "u")).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads)
    t.join();
  store_->changes().RemoveListener(id);
  ASSERT_EQ(failures.load(), 0);
  const size_t shared_rows = kThreads * (kPerThread + (kPerThread + 2) / 3);
  const size_t user_rows = kThreads * kPerThread;

  ChangeReadResult s = Read(board, nullptr);
  EXPECT_EQ(Seqs(s), Range(1, shared_rows));
  ChangeReadResult u = Read(messages, &alice_);
  EXPECT_EQ(Seqs(u), Range(1, user_rows));
  // Each committed row is in the log exactly once.
  auto keys_of = [](const ChangeReadResult& r) {
    std::set<int64_t> keys;
    for (const ChangeRecord& c : r.changes)
      EXPECT_TRUE(keys.insert(c.key[0].as_int64()).second);
    return keys;
  };
  auto rows = store_->ReadRows(*board, nullptr);
  ASSERT_TRUE(rows.ok());
  std::set<int64_t> row_keys;
  for (size_t r = 0; r < rows->num_rows(); ++r)
    row_keys.insert(rows->GetRow(r)[0].as_int64());
  EXPECT_EQ(keys_of(s), row_keys);
  EXPECT_EQ(keys_of(u).size(), user_rows);
  // The listener saw every number once, in order, per slice.
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ((delivered[{board->table_number(), ""}]), Range(1, shared_rows));
  EXPECT_EQ((delivered[{messages->table_number(), "alice"}]), Range(1, user_rows));
  EXPECT_EQ((delivered_keys[{board->table_number(), ""}]), row_keys);
}

TEST_F(ChangeLogTest, TrimKeepsTheRetainedAndSaysResyncForOlderNumbers) {
  change_options_.retention_count = 5;
  change_options_.retention_seconds = 100;
  Open();
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 12; ++i)
    ASSERT_TRUE(Insert(messages, &alice_, i, "m").ok());
  ASSERT_TRUE(Insert(messages, &bob_, 1, "m").ok());
  auto trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  EXPECT_EQ(trimmed->removed, 7u);
  EXPECT_EQ(trimmed->slices, 2u);
  ChangeReadResult r = Read(messages, &alice_, 7);
  EXPECT_EQ(Seqs(r), Range(8, 12));
  EXPECT_EQ(r.oldest_seq, 8u);
  r = Read(messages, &alice_, 2);
  EXPECT_TRUE(r.resync_required);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(r.last_seq, 12u);
  // A consumer that is up to date needs no resync, however much was trimmed.
  EXPECT_FALSE(Read(messages, &alice_, 12).resync_required);

  // Age: 200 s later everything is too old, but each slice keeps its newest record.
  clock_.Advance(200'000'000);
  ASSERT_TRUE(Insert(messages, &alice_, 13, "m").ok());
  trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(trimmed->removed, 5u);
  EXPECT_EQ(Seqs(Read(messages, &alice_, 12)), Range(13, 13));
  EXPECT_EQ(Seqs(Read(messages, &bob_, 0)), Range(1, 1));
  EXPECT_TRUE(Read(messages, &alice_, 11).resync_required);
}

// A busy slice is trimmed with a range delete found by binary search over commit times:
// by count, then by age, the right records go and the newest stays.
TEST_F(ChangeLogTest, TrimOfABusySliceRemovesExactlyTheOldPrefix) {
  change_options_.retention_count = 100;
  change_options_.retention_seconds = 100;
  Open();
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 300; ++i) {
    ASSERT_TRUE(Insert(messages, &alice_, i, "m").ok());
    if (i == 150) clock_.Advance(60'000'000);  // 1..150 a minute older than 151..300
  }
  auto trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok()) << trimmed.status().ToString();
  EXPECT_EQ(trimmed->removed, 200u);
  EXPECT_EQ(Seqs(Read(messages, &alice_, 200)), Range(201, 300));
  EXPECT_TRUE(Read(messages, &alice_, 150).resync_required);
  // By age alone: 201..300 were written at T+60 s, 301..380 follow at T+120 s, and the
  // trim at T+170 s (cutoff T+70 s) removes 201..300 and keeps 301..380.
  change_options_.retention_count = 0;
  Open();
  messages = Entry("messages");
  clock_.Advance(60'000'000);
  for (int i = 301; i <= 380; ++i)
    ASSERT_TRUE(Insert(messages, &alice_, i, "m").ok());
  clock_.Advance(50'000'000);
  trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(trimmed->removed, 100u);
  ChangeReadResult r = Read(messages, &alice_, 300);
  EXPECT_EQ(Seqs(r), Range(301, 380));
  EXPECT_EQ(r.oldest_seq, 301u);
  // Nothing more to trim: a second pass removes nothing.
  trimmed = store_->changes().Trim();
  ASSERT_TRUE(trimmed.ok());
  EXPECT_EQ(trimmed->removed, 0u);
}

TEST_F(ChangeLogTest, FlushKeepsRetainedChangesAndLaterChangesOfFlushedRows) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  for (int i = 1; i <= 4; ++i)
    ASSERT_TRUE(Insert(messages, &alice_, i, "m" + std::to_string(i)).ok());
  auto flushed = store_->Flush(*messages);
  ASSERT_TRUE(flushed.ok()) << flushed.status().ToString();
  ASSERT_EQ(flushed->rows, 4u);
  EXPECT_EQ(Seqs(Read(messages, &alice_)), Range(1, 4));
  // Rows that now live only in Parquet still change with numbers; their old values are
  // not at hand (no cold read on the write path).
  ASSERT_TRUE(store_->hot().Update(Hot(messages), &alice_, Row(1, "new")).ok());
  auto deleted = store_->hot().Delete(Hot(messages), &alice_, {Value::BigInt(2)});
  ASSERT_TRUE(deleted.ok() && *deleted);
  ChangeReadResult r = Read(messages, &alice_, 4);
  ASSERT_EQ(Seqs(r), Range(5, 6));
  EXPECT_EQ(r.changes[0].type, ChangeType::kUpdate);
  EXPECT_FALSE(r.changes[0].old_row.has_value());
  EXPECT_EQ(r.changes[1].type, ChangeType::kDelete);
  EXPECT_EQ(r.changes[1].key, std::vector<Value>{Value::BigInt(2)});
  ASSERT_TRUE(store_->Flush(*messages).ok());
  EXPECT_EQ(Seqs(Read(messages, &alice_)), Range(1, 6));
}

TEST_F(ChangeLogTest, DropTableRemovesOnlyItsLog) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  TableEntryRef board = CreateTable("board", TableType::kShared);
  ASSERT_TRUE(Insert(messages, &alice_, 1, "m").ok());
  ASSERT_TRUE(Insert(board, nullptr, 1, "s").ok());
  ASSERT_TRUE(catalog_->DropTable(*TableId::Make("chat", "messages")).ok());
  ASSERT_TRUE(store_->hot().DropTable(messages->table_number()).ok());
  ChangeReadResult r = Read(messages, &alice_);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_EQ(r.oldest_seq, 0u);
  EXPECT_EQ(Seqs(Read(board, nullptr)), Range(1, 1));
  std::unique_ptr<rocksdb::Iterator> it = kv_->NewIterator(KvFamily::kChanges);
  size_t records = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next())
    ++records;
  EXPECT_EQ(records, 1u);
}

TEST_F(ChangeLogTest, AListenerIsToldOfDurableCommitsOnlyAndNotAfterRemoval) {
  TableEntryRef messages = CreateTable("messages", TableType::kUser);
  std::vector<CommittedChanges> events;
  const uint64_t id =
      store_->changes().AddListener([&](const CommittedChanges& c) { events.push_back(c); });
  ASSERT_TRUE(Insert(messages, &alice_, 1, "a").ok());
  EXPECT_EQ(Insert(messages, &alice_, 1, "dup").code(), ErrorCode::kUniqueViolation);
  Transaction tx;
  ASSERT_TRUE(tx.Add(store_.get(), *messages, &alice_, HotWrite::Insert(Row(2, "b"))).ok());
  tx.Rollback();
  ASSERT_TRUE(tx.Commit(store_.get()).ok());  // nothing left to commit
  ASSERT_TRUE(store_->hot().Update(Hot(messages), &alice_, Row(1, "a'")).ok());
  store_->changes().RemoveListener(id);
  ASSERT_TRUE(Insert(messages, &alice_, 3, "c").ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].table_number, messages->table_number());
  EXPECT_EQ(events[0].user, "alice");
  ASSERT_EQ(events[0].changes.size(), 1u);
  EXPECT_EQ(events[0].changes[0].seq, 1u);
  EXPECT_EQ(*events[0].changes[0].row, Row(1, "a"));
  EXPECT_EQ(events[1].changes[0].seq, 2u);
  EXPECT_EQ(events[1].changes[0].type, ChangeType::kUpdate);
  EXPECT_EQ(*events[1].changes[0].old_row, Row(1, "a"));
}

// A live query joins a snapshot to the log (engine/live_query.cc): SeqsAfter lists the
// numbers above the published one that the snapshot holds — a commit written but not yet
// finished — and, when nothing above it was ever reserved, answers without reading.
TEST_F(ChangeLogTest, SeqsAfterListsWrittenUnpublishedNumbersOnlyInSnapshotsThatHoldThem) {
  TableEntryRef t = CreateTable("m", TableType::kUser);
  ASSERT_TRUE(Insert(t, &alice_, 1, "a").ok());
  ChangeLog& log = store_->changes();
  ASSERT_EQ(*log.Published(Hot(t), &alice_), 1u);
  auto before = kv_->GetSnapshot();
  EXPECT_TRUE(log.SeqsAfter(Hot(t), &alice_, 1, before.get())->empty());

  // A commit staged and written, its writer not finished: not published yet.
  ChangeLog::Writer writer(&log);
  const std::string prefix = EncodeUserPrefix(Hot(t).table_number(), alice_.str());
  EncodedChange change;
  change.type = ChangeType::kInsert;
  change.key_columns = "key";
  change.new_row = "row";
  writer.Add(&Hot(t), prefix, alice_.str(), change);
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(writer.Stage(&batch).ok());
  ASSERT_TRUE(kv_->Write(&batch).ok());
  EXPECT_EQ(*log.Published(Hot(t), &alice_), 1u);
  auto during = kv_->GetSnapshot();
  EXPECT_EQ(*log.SeqsAfter(Hot(t), &alice_, 1, during.get()), std::vector<uint64_t>{2});
  EXPECT_TRUE(log.SeqsAfter(Hot(t), &alice_, 1, before.get())->empty());
  EXPECT_TRUE(log.SeqsAfter(Hot(t), &alice_, 2, during.get())->empty());
  writer.Finish(true);
  EXPECT_EQ(*log.Published(Hot(t), &alice_), 2u);
  EXPECT_TRUE(log.SeqsAfter(Hot(t), &alice_, 2, kv_->GetSnapshot().get())->empty());
  // A slice never written (bob's): nothing.
  EXPECT_TRUE(log.SeqsAfter(Hot(t), &bob_, 0, during.get())->empty());
}

TEST(ChangeSequencerTest, PublishesInNumberOrderWhateverOrderWritesFinishIn) {
  const std::string dir = TempDir("sequencer");
  {
    auto kv = KvStore::Open(dir);
    ASSERT_TRUE(kv.ok());
    ChangeSequencer sequencer(kv->get(), 64);
    auto slice = sequencer.Get(std::string_view("\x00\x00\x04\x00", 4));
    ASSERT_TRUE(slice.ok());
    std::vector<uint64_t> delivered;
    auto deliver = [&](const CommittedChanges& c) {
      for (const ChangeRecord& r : c.changes)
        delivered.push_back(r.seq);
    };
    auto changes = [](uint64_t first, size_t n) {
      CommittedChanges c;
      for (size_t i = 0; i < n; ++i) {
        ChangeRecord r;
        r.seq = first + i;
        c.changes.push_back(std::move(r));
      }
      return c;
    };
    const uint64_t a = sequencer.Reserve(**slice, 2);  // 1-2
    const uint64_t b = sequencer.Reserve(**slice, 1);  // 3
    const uint64_t c = sequencer.Reserve(**slice, 1);  // 4
    EXPECT_EQ(a, 1u);
    EXPECT_EQ(b, 3u);
    EXPECT_EQ(c, 4u);
    sequencer.Finish(**slice, c, true, changes(c, 1), deliver);
    EXPECT_EQ(sequencer.Published(**slice), 0u);                 // 1-3 still in flight
    sequencer.Finish(**slice, b, false, std::nullopt, deliver);  // abandoned (write failed)
    EXPECT_EQ(sequencer.Published(**slice), 0u);
    EXPECT_TRUE(delivered.empty());
    sequencer.Finish(**slice, a, true, changes(a, 2), deliver);
    EXPECT_EQ(sequencer.Published(**slice), 4u);
    EXPECT_EQ(delivered, (std::vector<uint64_t>{1, 2, 4}));
    EXPECT_EQ(sequencer.Reserve(**slice, 1), 5u);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
