#include "storage/merge_stream.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "storage/hot/key_codec.h"

namespace tenantdb {
namespace {

std::shared_ptr<const Schema> TableSchema() {
  return std::make_shared<Schema>(std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                                                     {"body", DataType::kText, true, false, ""}},
                                  SchemaMetadata{});
}

std::shared_ptr<const Schema> ColdLayout() {
  return std::make_shared<Schema>(
      std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                         {"body", DataType::kText, true, false, ""},
                         {"_deleted", DataType::kBoolean, false, false, ""}},
      SchemaMetadata{});
}

struct Version {
  int64_t id;
  std::string body;
  bool deleted = false;
};

// Versions handed out `per_batch` at a time, in the order given (the test decides
// whether that is key order).
class FakeSource final : public VersionSource {
 public:
  FakeSource(std::vector<Version> versions, size_t per_batch)
      : versions_(std::move(versions)), per_batch_(per_batch) {}
  Result<std::optional<SourceBatch>> Next() override {
    if (next_ >= versions_.size()) return std::optional<SourceBatch>();
    SourceBatch out{Batch(ColdLayout()), {}, {}};
    for (size_t n = 0; n < per_batch_ && next_ < versions_.size(); ++n, ++next_) {
      const Version& v = versions_[next_];
      EXPECT_TRUE(
          out.rows.AppendRow({Value::BigInt(v.id), Value::Text(v.body), Value::Boolean(v.deleted)})
              .ok());
    }
    return std::optional<SourceBatch>(std::move(out));
  }
  std::string Describe() const override { return "fake"; }

 private:
  std::vector<Version> versions_;
  size_t per_batch_;
  size_t next_ = 0;
};

MergeOptions Options() {
  MergeOptions o;
  o.table_schema = TableSchema();
  o.projection = {0, 1};
  o.key_columns = {0};
  o.batch_rows = 2;
  return o;
}

using Rows = std::vector<std::pair<int64_t, std::string>>;

Result<Rows> Drain(std::vector<std::vector<Version>> newest_first, size_t per_batch,
                   MergeOptions options) {
  std::vector<std::unique_ptr<VersionSource>> sources;
  for (auto& v : newest_first)
    sources.push_back(std::make_unique<FakeSource>(std::move(v), per_batch));
  MergeStream stream(std::move(sources), std::move(options));
  Rows out;
  while (true) {
    TDB_ASSIGN_OR_RETURN(std::optional<Batch> batch, stream.Next());
    if (!batch.has_value()) return out;
    EXPECT_EQ(batch->num_columns(), 2u);
    for (size_t r = 0; r < batch->num_rows(); ++r) {
      auto row = batch->GetRow(r);
      out.emplace_back(row[0].as_int64(),
                       row[1].is_null() ? "<null>" : std::string(row[1].as_bytes()));
    }
  }
}

std::string Key(int64_t id) {
  std::string out;
  EXPECT_TRUE(AppendKeyColumn(DataType::kBigInt, Value::BigInt(id), &out).ok());
  return out;
}

TEST(MergeStream, NewestVersionWinsAndDeletesHideOlderOnes) {
  for (size_t per_batch : {1u, 2u, 3u, 100u}) {
    auto rows = Drain({{{1, "hot1"}, {3, "", true}, {5, "hot5"}},
                       {{2, "f2-2"}, {3, "f2-3"}, {5, "f2-5"}, {7, "f2-7", true}},
                       {{1, "f1-1"}, {4, "f1-4"}, {6, "f1-6"}, {7, "f1-7"}, {8, "f1-8"}}},
                      per_batch, Options());
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows,
              (Rows{{1, "hot1"}, {2, "f2-2"}, {4, "f1-4"}, {5, "hot5"}, {6, "f1-6"}, {8, "f1-8"}}))
        << "per_batch " << per_batch;
  }
}

TEST(MergeStream, ALoneSourcePassesThroughWithoutItsDeletes) {
  auto rows = Drain({{{1, "a"}, {2, "b", true}, {3, "c"}}}, 2, Options());
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{1, "a"}, {3, "c"}}));
}

TEST(MergeStream, BoundsAndLimitApplyToTheMergedRows) {
  MergeOptions o = Options();
  o.lower = EncodedKeyBound{Key(2), false};
  o.upper = EncodedKeyBound{Key(7), true};
  o.limit = 3;
  auto rows = Drain({{{1, "h1"}, {4, "h4"}, {9, "h9"}},
                     {{2, "c2"}, {3, "c3"}, {4, "c4"}, {5, "", true}, {6, "c6"}, {7, "c7"}}},
                    2, o);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{3, "c3"}, {4, "h4"}, {6, "c6"}}));
  o.limit = 0;
  rows = Drain({{{1, "h1"}, {4, "h4"}, {9, "h9"}},
                {{2, "c2"}, {3, "c3"}, {4, "c4"}, {5, "", true}, {6, "c6"}, {7, "c7"}}},
               1, o);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{3, "c3"}, {4, "h4"}, {6, "c6"}, {7, "c7"}}));
}

TEST(MergeStream, UnwantedColumnsComeBackNull) {
  MergeOptions o = Options();
  o.projection = {0};  // the sources hold only the key (and `_deleted`)
  std::vector<std::unique_ptr<VersionSource>> none;
  // A source in the narrower layout.
  class KeyOnly final : public VersionSource {
   public:
    Result<std::optional<SourceBatch>> Next() override {
      if (done_) return std::optional<SourceBatch>();
      done_ = true;
      auto layout = std::make_shared<Schema>(
          std::vector<Field>{{"id", DataType::kBigInt, false, true, ""},
                             {"_deleted", DataType::kBoolean, false, false, ""}},
          SchemaMetadata{});
      SourceBatch out{Batch(layout), {}, {}};
      EXPECT_TRUE(out.rows.AppendRow({Value::BigInt(1), Value::Boolean(false)}).ok());
      EXPECT_TRUE(out.rows.AppendRow({Value::BigInt(2), Value::Boolean(false)}).ok());
      return std::optional<SourceBatch>(std::move(out));
    }
    std::string Describe() const override { return "key only"; }

   private:
    bool done_ = false;
  };
  none.push_back(std::make_unique<KeyOnly>());
  MergeStream stream(std::move(none), o);
  auto batch = stream.Next();
  ASSERT_TRUE(batch.ok() && batch->has_value());
  ASSERT_EQ((*batch)->num_columns(), 2u);
  ASSERT_EQ((*batch)->num_rows(), 2u);
  EXPECT_EQ((*batch)->column(1).null_count(), 2u);
}

TEST(MergeStream, ASourceOutOfKeyOrderFailsInsteadOfMisreading) {
  auto rows = Drain({{{1, "h1"}, {5, "h5"}}, {{2, "a"}, {4, "b"}, {3, "c"}}}, 2, Options());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kCorruption);
  // Across batches too.
  rows = Drain({{{1, "h1"}, {5, "h5"}}, {{2, "a"}, {4, "b"}, {3, "c"}}}, 1, Options());
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), ErrorCode::kCorruption);
}

// A model: random versions in several sources against a std::map built newest-last.
TEST(MergeStream, MatchesAModelOfRandomSources) {
  uint64_t seed = 42;
  auto rnd = [&](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  for (int round = 0; round < 200; ++round) {
    const size_t sources = 1 + rnd(5);
    std::vector<std::vector<Version>> newest_first(sources);
    std::map<int64_t, std::optional<std::string>> model;
    // Oldest source first into the model, so newer ones overwrite.
    for (size_t s = sources; s-- > 0;) {
      std::map<int64_t, Version> versions;
      const size_t n = rnd(12);
      for (size_t i = 0; i < n; ++i) {
        const int64_t id = static_cast<int64_t>(rnd(20));
        const bool deleted = rnd(4) == 0;
        versions[id] = Version{id, "s" + std::to_string(s) + "-" + std::to_string(id), deleted};
      }
      for (const auto& [id, v] : versions) {
        newest_first[s].push_back(v);
        model[id] = v.deleted ? std::nullopt : std::optional<std::string>(v.body);
      }
    }
    MergeOptions o = Options();
    const bool bounded = rnd(2) == 0;
    int64_t lo = -1, hi = 100;
    if (bounded) {
      lo = static_cast<int64_t>(rnd(20));
      hi = lo + static_cast<int64_t>(rnd(10));
      o.lower = EncodedKeyBound{Key(lo), true};
      o.upper = EncodedKeyBound{Key(hi), false};
    }
    o.limit = rnd(3) == 0 ? 1 + rnd(5) : 0;
    Rows expected;
    for (const auto& [id, body] : model) {
      if (!body || id < lo || (bounded && id >= hi)) continue;
      if (o.limit != 0 && expected.size() == o.limit) break;
      expected.emplace_back(id, *body);
    }
    auto rows = Drain(newest_first, 1 + rnd(4), o);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(*rows, expected) << "round " << round;
  }
}

}  // namespace
}  // namespace tenantdb
