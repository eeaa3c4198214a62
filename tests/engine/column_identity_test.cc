// Column identity under random ALTER TABLE sequences, checked against a model.
//
// A column's values belong to the column, whatever happens to names: random sequences
// of ADD (with and without DEFAULT, reusing dropped names), DROP, RENAME (including
// swaps through a temporary name), SET / DROP DEFAULT, SET / DROP NOT NULL, inserts,
// updates, deletes, flushes to Parquet and database restarts run against a real data
// directory, and after every step `SELECT *` must equal what the model says: each model
// column has an identity of its own, exactly as tenantdb's column ids.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/engine_session.h"

namespace tenantdb {
namespace {

struct ModelColumn {
  std::string name;
  int identity = 0;
  std::optional<std::string> missing;  // what rows older than the column read
  bool not_null = false;
};

class ColumnIdentityModelTest : public ::testing::TestWithParam<std::tuple<const char*, int>> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_colid_" + std::to_string(::getpid()) + "_" + std::get<0>(GetParam()) + "_" +
            std::to_string(std::get<1>(GetParam())));
    std::filesystem::remove_all(dir_);
    Open();
  }
  void TearDown() override {
    Close();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    Engine::Options options;
    options.background_jobs = false;
    db_ = Engine::Open(dir_.string(), options).value();
    root_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("root").value(), Role::kSystem);
    alice_ = std::make_unique<EngineSession>(db_.get(), UserId::Make("alice").value(), Role::kUser);
  }
  void Close() {
    alice_.reset();
    root_.reset();
    db_.reset();
  }

  bool per_user() const { return std::string(std::get<0>(GetParam())) == "USER"; }
  EngineSession& writer() { return per_user() ? *alice_ : *root_; }

  void Ok(EngineSession& s, const std::string& sql) {
    auto r = s.Execute(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }

  std::string Select() {
    auto r = writer().Execute("SELECT * FROM app.t ORDER BY id");
    if (!r.ok()) return "ERROR " + r.status().ToString();
    std::string out;
    for (size_t c = 0; c < r->num_columns(); ++c)
      out += (c ? "|" : "") + r->schema->field(c).name;
    out += "\n";
    for (size_t row = 0; row < r->num_rows(); ++row) {
      for (size_t c = 0; c < r->num_columns(); ++c)
        out += (c ? "|" : "") + r->Get(row, c).ToString();
      out += "\n";
    }
    return out;
  }

  std::string Expected() const {
    std::string out = "id";
    for (const ModelColumn& c : columns_)
      out += "|" + c.name;
    out += "\n";
    for (const auto& [id, values] : rows_) {
      out += std::to_string(id);
      for (const ModelColumn& c : columns_) {
        auto it = values.find(c.identity);
        const std::optional<std::string>& v = it != values.end() ? it->second : c.missing;
        out += "|" + (v ? *v : std::string("NULL"));
      }
      out += "\n";
    }
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> db_;
  std::unique_ptr<EngineSession> root_;
  std::unique_ptr<EngineSession> alice_;
  std::vector<ModelColumn> columns_;
  std::map<int64_t, std::map<int, std::optional<std::string>>> rows_;
};

std::string Literal(const std::optional<std::string>& v) {
  return v ? "'" + *v + "'" : "NULL";
}

TEST_P(ColumnIdentityModelTest, EveryAlterSequenceKeepsValuesWithTheirColumns) {
  std::mt19937 rng(static_cast<uint32_t>(std::get<1>(GetParam())));
  auto pick = [&rng](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  const std::vector<std::string> names = {"a", "b", "c", "d", "tmp"};
  auto unused_name = [&]() -> std::optional<std::string> {
    std::vector<std::string> free;
    for (const std::string& n : names) {
      bool used = false;
      for (const ModelColumn& c : columns_)
        used |= c.name == n;
      if (!used) free.push_back(n);
    }
    if (free.empty()) return std::nullopt;
    return free[pick(free.size())];
  };

  Ok(*root_, "CREATE NAMESPACE app");
  Ok(*root_,
     std::string("CREATE TABLE app.t (id BIGINT PRIMARY KEY, a TEXT, b TEXT) WITH (TYPE = '") +
         std::get<0>(GetParam()) + "')");
  int identities = 0;
  columns_ = {{"a", ++identities, std::nullopt}, {"b", ++identities, std::nullopt}};
  int64_t next_id = 1;
  int value_counter = 0;

  constexpr int kSteps = 160;
  for (int step = 0; step < kSteps; ++step) {
    const size_t op = pick(100);
    std::string what;
    if (op < 30) {  // INSERT a row with every column given
      const int64_t id = next_id++;
      std::string cols = "id", vals = std::to_string(id);
      std::map<int, std::optional<std::string>> row;
      for (const ModelColumn& c : columns_) {
        std::optional<std::string> v;
        if (c.not_null || pick(4) != 0) v = "v" + std::to_string(++value_counter);
        cols += ", " + c.name;
        vals += ", " + Literal(v);
        row[c.identity] = v;
      }
      what = "INSERT INTO app.t (" + cols + ") VALUES (" + vals + ")";
      Ok(writer(), what);
      rows_[id] = std::move(row);
    } else if (op < 42 && !rows_.empty() && !columns_.empty()) {  // UPDATE one value
      auto it = std::next(rows_.begin(), static_cast<ptrdiff_t>(pick(rows_.size())));
      const ModelColumn& c = columns_[pick(columns_.size())];
      std::optional<std::string> v;
      if (c.not_null || pick(4) != 0) v = "u" + std::to_string(++value_counter);
      what = "UPDATE app.t SET " + c.name + " = " + Literal(v) +
             " WHERE id = " + std::to_string(it->first);
      Ok(writer(), what);
      it->second[c.identity] = v;
    } else if (op < 47 && !rows_.empty()) {  // DELETE
      auto it = std::next(rows_.begin(), static_cast<ptrdiff_t>(pick(rows_.size())));
      what = "DELETE FROM app.t WHERE id = " + std::to_string(it->first);
      Ok(writer(), what);
      rows_.erase(it);
    } else if (op < 59) {  // ADD COLUMN, maybe a dropped name, maybe with a DEFAULT
      std::optional<std::string> name = unused_name();
      if (!name) continue;
      ModelColumn c{*name, ++identities, std::nullopt};
      what = "ALTER TABLE app.t ADD COLUMN " + *name + " TEXT";
      if (pick(2) == 0) {
        c.missing = "d" + std::to_string(++value_counter);
        what += " DEFAULT " + Literal(c.missing);
      }
      Ok(*root_, what);
      columns_.push_back(c);
    } else if (op < 68 && !columns_.empty()) {  // DROP COLUMN
      const size_t i = pick(columns_.size());
      what = "ALTER TABLE app.t DROP COLUMN " + columns_[i].name;
      Ok(*root_, what);
      columns_.erase(columns_.begin() + static_cast<ptrdiff_t>(i));
    } else if (op < 80 && !columns_.empty()) {  // RENAME COLUMN, often to a dropped name
      std::optional<std::string> name = unused_name();
      if (!name) continue;
      ModelColumn& c = columns_[pick(columns_.size())];
      what = "ALTER TABLE app.t RENAME COLUMN " + c.name + " TO " + *name;
      Ok(*root_, what);
      c.name = *name;
    } else if (op < 84 && !columns_.empty()) {  // type-preserving: defaults
      ModelColumn& c = columns_[pick(columns_.size())];
      what = pick(2) == 0 ? "ALTER TABLE app.t ALTER COLUMN " + c.name + " SET DEFAULT 'x'"
                          : "ALTER TABLE app.t ALTER COLUMN " + c.name + " DROP DEFAULT";
      Ok(*root_, what);
    } else if (op < 88 && !columns_.empty()) {  // type-preserving: nullability
      ModelColumn& c = columns_[pick(columns_.size())];
      if (c.not_null) {
        what = "ALTER TABLE app.t ALTER COLUMN " + c.name + " DROP NOT NULL";
        Ok(*root_, what);
        c.not_null = false;
      } else {
        // Only when the model says no row reads NULL, so the statement must succeed.
        bool has_null = false;
        for (const auto& [id, values] : rows_) {
          auto it = values.find(c.identity);
          has_null |= !(it != values.end() ? it->second : c.missing).has_value();
        }
        if (has_null) continue;
        what = "ALTER TABLE app.t ALTER COLUMN " + c.name + " SET NOT NULL";
        Ok(*root_, what);
        c.not_null = true;
      }
    } else if (op < 96) {
      what = "STORAGE FLUSH TABLE app.t";
      Ok(*root_, what);
    } else {
      what = "(restart)";
      Close();
      Open();
    }
    if (HasFatalFailure()) return;
    ASSERT_EQ(Select(), Expected()) << "after step " << step << ": " << what;
  }
}

INSTANTIATE_TEST_SUITE_P(TableTypes, ColumnIdentityModelTest,
                         ::testing::Combine(::testing::Values("USER", "SHARED"),
                                            ::testing::Values(1, 2, 3)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_seed" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace tenantdb
