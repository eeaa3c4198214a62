// A fresh public-API Database in a temporary directory per test, and helpers that read
// cursors through the public headers only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tenantdb/database.h"

namespace tenantdb {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_api_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    OpenAsRoot();
  }
  // Closes the database (if open) and opens it again from its directory, with a fresh
  // root session.
  void OpenAsRoot() {
    root_.reset();
    db_.reset();
    Database::Options options;
    options.background_jobs = false;
    auto db = Database::Open(dir_.string(), options);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    auto root = db_->Connect("root", Role::kSystem);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    root_ = std::move(*root);
  }
  void TearDown() override {
    root_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Ok(Session& s, const std::string& sql, const std::vector<Value>& params = {}) {
    auto r = s.Execute(sql, params);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  void Ok(const std::string& sql, const std::vector<Value>& params = {}) {
    Ok(*root_, sql, params);
  }

  // Every row of `cursor` as "a|b\n" lines (values in PostgreSQL's text form).
  static std::string Rows(Cursor& cursor) {
    std::string out;
    while (true) {
      Result<bool> more = cursor.Next();
      if (!more.ok()) return out + "ERROR " + more.status().ToString();
      if (!*more) return out;
      const RowBatch& b = cursor.batch();
      for (size_t r = 0; r < b.num_rows(); ++r) {
        for (size_t c = 0; c < b.num_columns(); ++c)
          out += (c ? "|" : "") + b.GetValue(r, c).value().ToString();
        out += "\n";
      }
    }
  }
  std::string Query(Session& s, const std::string& sql, const std::vector<Value>& params = {}) {
    auto cursor = s.Query(sql, params);
    if (!cursor.ok()) return "ERROR " + cursor.status().ToString();
    return Rows(**cursor);
  }
  std::string Query(const std::string& sql, const std::vector<Value>& params = {}) {
    return Query(*root_, sql, params);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Session> root_;
};

}  // namespace tenantdb
