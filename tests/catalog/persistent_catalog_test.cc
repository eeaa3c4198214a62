#include "catalog/persistent_catalog.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "catalog/catalog_codec.h"
#include "common/heap_meter.h"
#include "ids/symbol_table.h"

namespace tenantdb {
namespace {

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tenantdb-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

NamespaceId Ns(std::string_view name) {
  return *NamespaceId::Make(name);
}
TableId Id(std::string_view ns, std::string_view table) {
  return *TableId::Make(ns, table);
}

std::vector<Field> MessageFields() {
  return {
      Field{"id", DataType::kBigInt, false, true, ""},
      Field{"body", DataType::kText, true, false, ""},
      Field{"created_at", DataType::kTimestamp, true, false, "NOW()"},
  };
}

// A store, pool and catalog on a directory that Reopen() closes and opens again.
class CatalogFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    Reopen();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }
  void Close() {
    catalog_.reset();
    store_.reset();
  }
  void Reopen() {
    Close();
    auto store = KvStore::Open(dir_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    auto catalog = PersistentCatalog::Open(store_.get(), &pool_);
    ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::move(catalog).value();
  }

  TableDefinition Def(std::string_view ns, std::string_view table,
                      TableType type = TableType::kUser) {
    TableDefinition d;
    d.id = Id(ns, table);
    d.type = type;
    d.schema = pool_.Intern(MessageFields());
    if (type == TableType::kStream) d.ttl_seconds = 60;
    return d;
  }

  std::string dir_;
  SchemaPool pool_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<PersistentCatalog> catalog_;
};

using PersistentCatalogTest = CatalogFixture;

TEST_F(PersistentCatalogTest, CreatesListsAndDropsNamespaces) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat"), {{"owner", "alice"}}).ok());
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("app")).ok());
  Status dup = catalog_->CreateNamespace(Ns("chat"));
  EXPECT_EQ(dup.code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.code_name(), "already_exists");

  auto list = catalog_->ListNamespaces();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id.str(), "app");
  EXPECT_EQ((*list)[1].id.str(), "chat");
  EXPECT_GT((*list)[1].created_us, 0);
  ASSERT_EQ((*list)[1].options.size(), 1u);
  EXPECT_EQ((*list)[1].options[0].second, "alice");

  EXPECT_TRUE(catalog_->DropNamespace(Ns("app"), false).ok());
  EXPECT_EQ(catalog_->DropNamespace(Ns("app"), false).code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->GetNamespace(Ns("app")).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(catalog_->GetNamespace(Ns("chat")).ok());
}

TEST_F(PersistentCatalogTest, ReservedNamespacesCannotBeCreated) {
  EXPECT_EQ(catalog_->CreateNamespace(Ns("system")).code(), ErrorCode::kReservedName);
  EXPECT_EQ(catalog_->CreateNamespace(Ns("pg_catalog")).code(), ErrorCode::kReservedName);
  EXPECT_EQ(catalog_->CreateTable(Def("system", "mine")).status().code(), ErrorCode::kReservedName);
}

TEST_F(PersistentCatalogTest, CreatesGetsListsAndDropsTables) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto created = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->table_number, PersistentCatalog::kFirstTableNumber);
  EXPECT_EQ(created->schema_version, 1u);
  EXPECT_EQ(created->storage_id.str(), "local");

  auto shared = Def("chat", "settings", TableType::kShared);
  shared.access_level = AccessLevel::kPrivate;
  shared.flush_policy = FlushPolicy{100, 30};
  ASSERT_TRUE(catalog_->CreateTable(shared).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chat", "events", TableType::kStream)).ok());

  auto got = catalog_->GetTable(Id("chat", "settings"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->type, TableType::kShared);
  EXPECT_EQ(got->access_level, AccessLevel::kPrivate);
  EXPECT_EQ(got->flush_policy, (FlushPolicy{100, 30}));
  EXPECT_EQ(got->table_number, PersistentCatalog::kFirstTableNumber + 1);
  // Interned through the pool, with the column ids 1..n CREATE TABLE gives.
  std::vector<Field> numbered = MessageFields();
  for (size_t i = 0; i < numbered.size(); ++i)
    numbered[i].id = static_cast<uint32_t>(i + 1);
  EXPECT_EQ(got->schema.get(), pool_.Intern(numbered).get());
  EXPECT_EQ(catalog_->GetTable(Id("chat", "events"))->ttl_seconds, 60u);

  auto tables = catalog_->ListTables(Ns("chat"));
  ASSERT_TRUE(tables.ok());
  ASSERT_EQ(tables->size(), 3u);
  EXPECT_EQ((*tables)[0].id.table().str(), "events");
  EXPECT_EQ((*tables)[1].id.table().str(), "messages");
  EXPECT_EQ((*tables)[2].id.table().str(), "settings");

  auto by_number = catalog_->FindTableByNumber(created->table_number);
  ASSERT_TRUE(by_number.ok());
  EXPECT_EQ(*by_number, Id("chat", "messages"));
  std::vector<std::string> all;
  ASSERT_TRUE(catalog_
                  ->ForEachTable([&](const TableId& id, const TableRecord& record) {
                    all.push_back(id.ToString() + ":" + std::string(TableTypeName(record.type)));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(all, (std::vector<std::string>{"chat.events:STREAM", "chat.messages:USER",
                                           "chat.settings:SHARED"}));

  ASSERT_TRUE(catalog_->DropTable(Id("chat", "messages")).ok());
  EXPECT_EQ(catalog_->GetTable(Id("chat", "messages")).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->DropTable(Id("chat", "messages")).code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->FindTableByNumber(created->table_number).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->ListTables(Ns("chat"))->size(), 2u);
  EXPECT_EQ(catalog_->GetSchemaVersion(created->table_number, 1).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(PersistentCatalogTest, DuplicateAndMissingAreStableErrors) {
  EXPECT_EQ(catalog_->CreateTable(Def("nowhere", "t")).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chat", "t")).ok());
  auto dup = catalog_->CreateTable(Def("chat", "t"));
  EXPECT_EQ(dup.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(dup.status().code_name(), "already_exists");
  EXPECT_EQ(catalog_->GetTable(Id("chat", "missing")).status().code_name(), "not_found");
  EXPECT_EQ(catalog_->ListTables(Ns("nowhere")).status().code(), ErrorCode::kNotFound);

  auto bad_storage = Def("chat", "u");
  bad_storage.storage_id = *StorageId::Make("s3");
  EXPECT_EQ(catalog_->CreateTable(bad_storage).status().code(), ErrorCode::kNotFound);

  auto no_key = Def("chat", "v");
  no_key.schema = pool_.Intern({Field{"x", DataType::kInt, true, false, ""}});
  EXPECT_EQ(catalog_->CreateTable(no_key).status().code(), ErrorCode::kInvalidArgument);

  // A failed batch creates nothing and burns no table number.
  const uint32_t next = catalog_->next_table_number();
  std::vector<TableDefinition> batch = {Def("chat", "a"), Def("chat", "a")};
  EXPECT_EQ(catalog_->CreateTables(batch).status().code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(catalog_->GetTable(Id("chat", "a")).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(catalog_->next_table_number(), next);
}

TEST_F(PersistentCatalogTest, DropNamespaceNeedsCascadeWhenNotEmpty) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chatter")).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chat", "a")).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chat", "b")).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chatter", "a")).ok());

  EXPECT_EQ(catalog_->DropNamespace(Ns("chat"), false).code(), ErrorCode::kInvalidArgument);
  std::vector<std::string> hooked;
  ASSERT_TRUE(catalog_
                  ->DropNamespace(Ns("chat"), true,
                                  [&](rocksdb::WriteBatch*, const TableDefinition& d) {
                                    hooked.push_back(d.id.ToString());
                                  })
                  .ok());
  EXPECT_EQ(hooked, (std::vector<std::string>{"chat.a", "chat.b"}));
  EXPECT_EQ(catalog_->GetTable(Id("chat", "a")).status().code(), ErrorCode::kNotFound);
  // A namespace whose name extends the dropped one is untouched.
  EXPECT_TRUE(catalog_->GetTable(Id("chatter", "a")).ok());
  // Re-created, the namespace is empty.
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  EXPECT_TRUE(catalog_->ListTables(Ns("chat"))->empty());
}

TEST_F(PersistentCatalogTest, AlterKeepsEveryVersionAcrossReopen) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto v1 = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(v1.ok());
  std::vector<Field> fields = v1->schema->fields();
  fields.push_back(Field{"role", DataType::kText, true, false, "'user'", 4});
  auto v2 = catalog_->AlterTable(Id("chat", "messages"), 1,
                                 std::make_shared<const Schema>(fields, SchemaMetadata{}));
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->schema_version, 2u);
  EXPECT_EQ(v2->table_number, v1->table_number);

  // Changing the primary key is refused.
  std::vector<Field> rekeyed = fields;
  rekeyed[0].type = DataType::kInt;
  EXPECT_EQ(catalog_
                ->AlterTable(Id("chat", "messages"), 2,
                             std::make_shared<const Schema>(rekeyed, SchemaMetadata{}))
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->AlterTable(Id("chat", "nope"), 1, v2->schema).status().code(),
            ErrorCode::kNotFound);

  Reopen();
  auto current = catalog_->GetTable(Id("chat", "messages"));
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->schema_version, 2u);
  EXPECT_EQ(current->schema->num_fields(), 4u);
  EXPECT_EQ(current->schema->field(3).default_expr, "'user'");
  auto old = catalog_->GetSchemaVersion(v1->table_number, 1);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(**old, *v1->schema);
  EXPECT_EQ(catalog_->GetSchemaVersion(v1->table_number, 3).status().code(), ErrorCode::kNotFound);

  // Dropping removes every version.
  ASSERT_TRUE(catalog_->DropTable(Id("chat", "messages")).ok());
  for (uint32_t v : {1u, 2u}) {
    EXPECT_EQ(catalog_->GetSchemaVersion(v1->table_number, v).status().code(),
              ErrorCode::kNotFound);
  }
}

TEST_F(PersistentCatalogTest, ColumnIdsAreAssignedOnceAndNeverReused) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto v1 = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  // CREATE TABLE numbers the columns 1..n.
  for (size_t i = 0; i < v1->schema->num_fields(); ++i)
    EXPECT_EQ(v1->schema->field(i).id, i + 1);
  EXPECT_EQ(*catalog_->NextColumnId(Id("chat", "messages")), 4u);

  // Drop column 3 (created_at): its id stays taken.
  std::vector<Field> dropped = v1->schema->fields();
  dropped.pop_back();
  auto v2 = catalog_->AlterTable(Id("chat", "messages"), 1,
                                 std::make_shared<const Schema>(dropped, SchemaMetadata{}));
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(*catalog_->NextColumnId(Id("chat", "messages")), 4u);

  // A column under the dropped name with the dropped id is refused; with a new id it is
  // a new column.
  std::vector<Field> readded = dropped;
  readded.push_back(Field{"created_at", DataType::kTimestamp, true, false, "", 3});
  EXPECT_EQ(catalog_
                ->AlterTable(Id("chat", "messages"), 2,
                             std::make_shared<const Schema>(readded, SchemaMetadata{}))
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  readded.back().id = 0;
  EXPECT_EQ(catalog_
                ->AlterTable(Id("chat", "messages"), 2,
                             std::make_shared<const Schema>(readded, SchemaMetadata{}))
                .status()
                .code(),
            ErrorCode::kInvalidArgument);
  readded.back().id = 4;
  // Derived from version 1 while version 2 is current: another ALTER got there first.
  EXPECT_EQ(catalog_
                ->AlterTable(Id("chat", "messages"), 1,
                             std::make_shared<const Schema>(readded, SchemaMetadata{}))
                .status()
                .code(),
            ErrorCode::kSerializationFailure);
  auto v3 = catalog_->AlterTable(Id("chat", "messages"), 2,
                                 std::make_shared<const Schema>(readded, SchemaMetadata{}));
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();

  // Ids survive a reopen, in the current version and every older one.
  Reopen();
  auto current = catalog_->GetTable(Id("chat", "messages"));
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->schema->field(2).name, "created_at");
  EXPECT_EQ(current->schema->field(2).id, 4u);
  EXPECT_EQ((*catalog_->GetSchemaVersion(v1->table_number, 1))->field(2).id, 3u);
  EXPECT_EQ(*catalog_->NextColumnId(Id("chat", "messages")), 5u);
}

TEST_F(PersistentCatalogTest, AlterTableOptionsKeepsTheSchemaVersion) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("chat", "settings", TableType::kShared)).ok());
  PersistentCatalog::TableOptionsChange change;
  change.flush_policy = FlushPolicy{500, 0};
  change.access_level = AccessLevel::kRestricted;
  auto altered = catalog_->AlterTableOptions(Id("chat", "settings"), change);
  ASSERT_TRUE(altered.ok()) << altered.status().ToString();
  EXPECT_EQ(altered->schema_version, 1u);
  Reopen();
  auto got = catalog_->GetTable(Id("chat", "settings"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->flush_policy, (FlushPolicy{500, 0}));
  EXPECT_EQ(got->access_level, AccessLevel::kRestricted);
  // A TTL on a SHARED table fails validation and changes nothing.
  PersistentCatalog::TableOptionsChange ttl;
  ttl.ttl_seconds = 5;
  EXPECT_EQ(catalog_->AlterTableOptions(Id("chat", "settings"), ttl).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(catalog_->GetTable(Id("chat", "settings"))->ttl_seconds, 0u);
  EXPECT_EQ(catalog_->AlterTableOptions(Id("chat", "nope"), change).status().code(),
            ErrorCode::kNotFound);
}

TEST_F(PersistentCatalogTest, ReopenRestoresEverything) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat"), {{"k", "v"}}).ok());
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("agents")).ok());
  StorageRegistry registry("/data/storage");
  StorageSpec spec{*StorageId::Make("archive"), "/mnt/archive", "{namespace}/{userId}/{tableName}",
                   "shared/{namespace}/{tableName}"};
  ASSERT_TRUE(catalog_->RegisterStorage(&registry, spec).ok());
  EXPECT_EQ(catalog_->RegisterStorage(&registry, spec).status().code(), ErrorCode::kAlreadyExists);
  StorageSpec bad = spec;
  bad.id = *StorageId::Make("bad");
  bad.user_template = "{namespace}/{tableName}";
  EXPECT_EQ(catalog_->RegisterStorage(&registry, bad).status().code(),
            ErrorCode::kInvalidPathTemplate);

  auto def = Def("chat", "messages");
  def.storage_id = spec.id;
  def.flush_policy = FlushPolicy{1000, 0};
  ASSERT_TRUE(catalog_->CreateTable(def).ok());
  ASSERT_TRUE(catalog_->CreateTable(Def("agents", "memory")).ok());

  Reopen();
  auto namespaces = catalog_->ListNamespaces();
  ASSERT_TRUE(namespaces.ok());
  ASSERT_EQ(namespaces->size(), 2u);
  EXPECT_EQ((*namespaces)[1].options, (NamespaceOptions{{"k", "v"}}));
  auto storages = catalog_->ListStorages();
  ASSERT_TRUE(storages.ok());
  ASSERT_EQ(storages->size(), 1u);
  EXPECT_EQ((*storages)[0], spec);
  StorageRegistry fresh("/data/storage");
  ASSERT_TRUE(catalog_->LoadStorages(&fresh).ok());
  auto archive = fresh.Get(spec.id);
  ASSERT_TRUE(archive.ok());
  EXPECT_EQ((*archive)->base_directory, "/mnt/archive");
  auto table = catalog_->GetTable(Id("chat", "messages"));
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->storage_id.str(), "archive");
  EXPECT_EQ(table->flush_policy, (FlushPolicy{1000, 0}));
  EXPECT_TRUE(catalog_->GetTable(Id("agents", "memory")).ok());
}

TEST_F(PersistentCatalogTest, TableNumbersAreNeverReused) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto a = catalog_->CreateTable(Def("chat", "a"));
  auto b = catalog_->CreateTable(Def("chat", "b"));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(catalog_->DropTable(Id("chat", "b")).ok());
  Reopen();
  auto again = catalog_->CreateTable(Def("chat", "b"));
  ASSERT_TRUE(again.ok());
  EXPECT_GT(again->table_number, b->table_number);
  EXPECT_EQ(again->table_number, b->table_number + 1);
}

TEST_F(PersistentCatalogTest, CacheLoaderServesTablesAfterReopen) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  StorageRegistry registry(dir_ + "/storage");
  ASSERT_TRUE(catalog_
                  ->RegisterStorage(&registry, StorageSpec{*StorageId::Make("fast"), "/fast",
                                                           "{userId}/{namespace}/{tableName}",
                                                           "{namespace}/{tableName}"})
                  .ok());
  auto def = Def("chat", "messages");
  def.storage_id = *StorageId::Make("fast");
  ASSERT_TRUE(catalog_->CreateTable(def).ok());

  Reopen();
  StorageRegistry reopened(dir_ + "/storage");
  ASSERT_TRUE(catalog_->LoadStorages(&reopened).ok());
  SchemaCache cache(SchemaCache::Options{}, catalog_->Loader(reopened));
  auto entry = cache.GetByName("chat", "messages");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_EQ((*entry)->type(), TableType::kUser);
  EXPECT_EQ((*entry)->storage_id().str(), "fast");
  EXPECT_EQ((*entry)->storage().base_directory, "/fast");
  EXPECT_EQ((*entry)->schema()->num_fields(), 3u);
  UserId alice = *UserId::Make("alice");
  EXPECT_EQ(*cache.StoragePath(Id("chat", "messages"), &alice), "alice/chat/messages");
  EXPECT_EQ(cache.GetByName("chat", "nope").status().code(), ErrorCode::kNotFound);
  // A storage the registry was never told about is an internal error, not not_found.
  StorageRegistry empty(dir_ + "/storage");
  SchemaCache bare(SchemaCache::Options{}, catalog_->Loader(empty));
  EXPECT_EQ(bare.GetByName("chat", "messages").status().code(), ErrorCode::kInternal);
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST_F(PersistentCatalogTest, CorruptRecordsAreCorruptionErrors) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto t = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(t.ok());
  auto put = [&](const std::string& key, const std::string& value) {
    rocksdb::WriteBatch batch;
    batch.Put(store_->family(KvFamily::kCatalog), key, value);
    ASSERT_TRUE(store_->Write(&batch).ok());
  };

  // A damaged schema version.
  put(SchemaVersionKey(t->table_number, 1), std::string("\x01\x05\x02id", 5));
  EXPECT_EQ(catalog_->GetTable(Id("chat", "messages")).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(catalog_->GetSchemaVersion(t->table_number, 1).status().code(), ErrorCode::kCorruption);
  // A truncated table record, and one with an unknown table type.
  std::string record =
      store_->Get(KvFamily::kCatalog, TableKey(Id("chat", "messages"))).value().value();
  put(TableKey(Id("chat", "messages")), record.substr(0, 3));
  EXPECT_EQ(catalog_->GetTable(Id("chat", "messages")).status().code(), ErrorCode::kCorruption);
  record[3] = 9;  // format, table number 1024 (two varint bytes), then the type
  put(TableKey(Id("chat", "messages")), record);
  EXPECT_EQ(catalog_->GetTable(Id("chat", "messages")).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(catalog_->ListTables(Ns("chat")).status().code(), ErrorCode::kCorruption);
  // Garbage everywhere else.
  put(NamespaceKey(Ns("chat")), "\xff\xff\xff");
  EXPECT_EQ(catalog_->GetNamespace(Ns("chat")).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(catalog_->ListNamespaces().status().code(), ErrorCode::kCorruption);
  put(KindPrefix(CatalogRecordKind::kNamespace) + "Not A Name", EncodeNamespaceValue({}));
  put(StorageKey(*StorageId::Make("x")), "");
  EXPECT_EQ(catalog_->ListStorages().status().code(), ErrorCode::kCorruption);
  put(ManifestFileKey(t->table_number, UserId(), 1), "\x01\x80");
  EXPECT_EQ(catalog_->ReadManifest(t->table_number, UserId()).status().code(),
            ErrorCode::kCorruption);
  put(CounterKey("next_table_number"), "short");
  Close();
  auto store = KvStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(PersistentCatalog::Open(store->get(), &pool_).status().code(), ErrorCode::kCorruption);
}

TEST_F(PersistentCatalogTest, ManifestAppendsReadBackPerUser) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto t = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(t.ok());
  const uint32_t n = t->table_number;
  UserId alice = *UserId::Make("alice");
  UserId alicia = *UserId::Make("alice.b");  // shares a prefix with alice

  auto empty = catalog_->ReadManifest(n, alice);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->next_batch_number, 1u);
  EXPECT_TRUE(empty->files.empty());

  ManifestFile f1{1, "batch-1.parquet", 10, "a", "k", 1, 10, 111};
  ManifestFile f2{2, "batch-2.parquet", 5, "b", "z", 11, 15, 222};
  ManifestFile other{1, "batch-1.parquet", 7, "", "", 0, 0, 0};
  for (const ManifestFile* f : {&f1, &f2}) {
    rocksdb::WriteBatch batch;
    catalog_->AppendManifestUpdate(&batch, n, alice, *f);
    // The flush deletes its hot keys in the same batch.
    batch.Delete(store_->family(KvFamily::kRows), "hot-key");
    ASSERT_TRUE(store_->Write(&batch).ok());
  }
  {
    rocksdb::WriteBatch batch;
    catalog_->AppendManifestUpdate(&batch, n, alicia, other);
    catalog_->AppendManifestUpdate(&batch, n, UserId(), other);
    ASSERT_TRUE(store_->Write(&batch).ok());
  }

  Reopen();
  auto m = catalog_->ReadManifest(n, alice);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->next_batch_number, 3u);
  ASSERT_EQ(m->files.size(), 2u);
  EXPECT_EQ(m->files[0], f1);
  EXPECT_EQ(m->files[1], f2);
  EXPECT_EQ(catalog_->ReadManifest(n, alicia)->files.size(), 1u);
  EXPECT_EQ(catalog_->ReadManifest(n, UserId())->files.size(), 1u);

  {
    rocksdb::WriteBatch batch;
    catalog_->AppendManifestRemoval(&batch, n, alice, 1);
    ASSERT_TRUE(store_->Write(&batch).ok());
  }
  m = catalog_->ReadManifest(n, alice);
  ASSERT_EQ(m->files.size(), 1u);
  EXPECT_EQ(m->files[0].batch_number, 2u);
  EXPECT_EQ(m->next_batch_number, 3u);  // never reused

  // A drop keeps the manifests, in the same batch records the erasure they are the work
  // list of, and the erasure removes them (storage/cold_erasure.h).
  ASSERT_TRUE(catalog_->DropTable(Id("chat", "messages")).ok());
  m = catalog_->ReadManifest(n, alice);
  EXPECT_EQ(m->files.size(), 1u);
  Reopen();
  auto pending = catalog_->ListPendingErasures();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].table_number, n);
  EXPECT_EQ((*pending)[0].id, Id("chat", "messages"));
  EXPECT_EQ((*pending)[0].type, t->type);
  EXPECT_EQ((*pending)[0].storage_id, t->storage_id);
  EXPECT_EQ(*catalog_->ListManifestUsers(n), (std::vector<UserId>{UserId(), alice, alicia}));
  EXPECT_EQ(catalog_->FinishErasure(n).code(), ErrorCode::kInternal);  // manifests left
  for (const UserId& u : {UserId(), alice, alicia})
    ASSERT_TRUE(catalog_->DeleteManifest(n, u).ok());
  m = catalog_->ReadManifest(n, alice);
  EXPECT_TRUE(m->files.empty());
  EXPECT_EQ(m->next_batch_number, 1u);
  EXPECT_FALSE(*catalog_->HasManifest(n, alicia));
  ASSERT_TRUE(catalog_->FinishErasure(n).ok());
  EXPECT_TRUE(catalog_->ListPendingErasures()->empty());
}

TEST_F(PersistentCatalogTest, ClaimManifestMakesHasManifestTrueWithoutFiles) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  auto t = catalog_->CreateTable(Def("chat", "messages"));
  ASSERT_TRUE(t.ok());
  UserId bob = *UserId::Make("bob");
  EXPECT_FALSE(*catalog_->HasManifest(t->table_number, bob));
  ASSERT_TRUE(catalog_->ClaimManifest(t->table_number, bob).ok());
  EXPECT_TRUE(*catalog_->HasManifest(t->table_number, bob));
  auto m = catalog_->ReadManifest(t->table_number, bob);
  EXPECT_TRUE(m->files.empty());
  EXPECT_EQ(m->next_batch_number, 1u);
  // A claim never moves an existing counter back.
  rocksdb::WriteBatch batch;
  catalog_->AppendManifestUpdate(&batch, t->table_number, bob, {5, "f", 1, "", "", 0, 0, 0});
  ASSERT_TRUE(store_->Write(&batch).ok());
  ASSERT_TRUE(catalog_->ClaimManifest(t->table_number, bob).ok());
  EXPECT_EQ(catalog_->ReadManifest(t->table_number, bob)->next_batch_number, 6u);
}

TEST_F(PersistentCatalogTest, OpenDoesNoPerTableWork) {
  constexpr size_t kTables = 20'000;
  constexpr size_t kPerBatch = 2'000;
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("bulk")).ok());
  auto schema = pool_.Intern(MessageFields());
  for (size_t start = 0; start < kTables; start += kPerBatch) {
    std::vector<TableDefinition> defs;
    for (size_t i = start; i < start + kPerBatch; ++i) {
      TableDefinition d;
      d.id = Id("bulk", "t" + std::to_string(i));
      d.type = TableType::kUser;
      d.schema = schema;
      defs.push_back(std::move(d));
    }
    ASSERT_TRUE(catalog_->CreateTables(std::move(defs)).ok());
  }
  Close();

  // The store is open (its own cost); opening the catalog must not read the tables: no
  // heap growth per table and no table names interned.
  auto store = KvStore::Open(dir_);
  ASSERT_TRUE(store.ok());
  store_ = std::move(store).value();
  TrimHeap();
  const size_t symbols_before = SymbolTable::Global().live_symbols();
  const size_t heap_before = HeapBytesInUse();
  auto catalog = PersistentCatalog::Open(store_.get(), &pool_);
  ASSERT_TRUE(catalog.ok());
  const size_t heap_after = HeapBytesInUse();
  const size_t symbols_after = SymbolTable::Global().live_symbols();
  catalog_ = std::move(catalog).value();
  EXPECT_LT(heap_after - std::min(heap_after, heap_before), 64u * 1024)
      << "open grew the heap by " << heap_after - heap_before << " bytes";
  EXPECT_EQ(symbols_after, symbols_before);
  EXPECT_EQ(catalog_->next_table_number(), PersistentCatalog::kFirstTableNumber + kTables);

  // The tables are there, read on demand.
  auto t = catalog_->GetTable(Id("bulk", "t12345"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->table_number, PersistentCatalog::kFirstTableNumber + 12345);
}

TEST_F(PersistentCatalogTest, ConcurrentCreatesGetDistinctNumbers) {
  ASSERT_TRUE(catalog_->CreateNamespace(Ns("chat")).ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<uint32_t>> numbers(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string name = "t" + std::to_string(t) + "_" + std::to_string(i);
        auto created = catalog_->CreateTable(Def("chat", name));
        ASSERT_TRUE(created.ok()) << created.status().ToString();
        numbers[t].push_back(created->table_number);
        // Reads run beside the DDL of the other threads.
        ASSERT_TRUE(catalog_->GetTable(Id("chat", name)).ok());
      }
    });
  }
  for (auto& th : threads)
    th.join();
  std::vector<uint32_t> all;
  for (const auto& v : numbers)
    all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_EQ(all.front(), PersistentCatalog::kFirstTableNumber);
  EXPECT_EQ(all.back(), PersistentCatalog::kFirstTableNumber + kThreads * kPerThread - 1);
  EXPECT_EQ(catalog_->ListTables(Ns("chat"))->size(), all.size());
}

}  // namespace
}  // namespace tenantdb
