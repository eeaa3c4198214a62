#include "server/auth/token_secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tenantdb::server {
namespace {

class TokenSecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tdb_token_secret_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string SecretPath() const { return (dir_ / kTokenSecretFileName).string(); }
  void WriteFile(const std::string& text, mode_t mode) {
    { std::ofstream(SecretPath(), std::ios::binary | std::ios::trunc) << text; }
    ASSERT_EQ(::chmod(SecretPath().c_str(), mode), 0);
  }

  std::filesystem::path dir_;
};

TEST_F(TokenSecretTest, FirstStartGeneratesA0600File) {
  const std::string secret = LoadOrCreateTokenSecret("", dir_.string()).value();
  EXPECT_EQ(secret.size(), kGeneratedTokenSecretBytes);
  struct stat st;
  ASSERT_EQ(::stat(SecretPath().c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  std::ifstream in(SecretPath());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.size(), 65u);  // 64 hex digits and a newline
  EXPECT_EQ(text.back(), '\n');
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(TokenSecretTest, ModeIs0600WhateverTheUmask) {
  const mode_t old = ::umask(0);
  const Result<std::string> secret = LoadOrCreateTokenSecret("", dir_.string());
  ::umask(old);
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(SecretPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(TokenSecretTest, LaterStartsReadTheSameSecret) {
  const std::string first = LoadOrCreateTokenSecret("", dir_.string()).value();
  const std::string second = LoadOrCreateTokenSecret("", dir_.string()).value();
  EXPECT_EQ(first, second);
}

TEST_F(TokenSecretTest, EachDataDirectoryGetsItsOwnRandomSecret) {
  const std::string first = LoadOrCreateTokenSecret("", dir_.string()).value();
  std::filesystem::remove(SecretPath());
  const std::string second = LoadOrCreateTokenSecret("", dir_.string()).value();
  EXPECT_NE(first, second);
}

TEST_F(TokenSecretTest, ReadsAHexFileWrittenByHand) {
  WriteFile(std::string(64, 'a') + "\n", 0600);
  EXPECT_EQ(LoadOrCreateTokenSecret("", dir_.string()).value(), std::string(32, '\xaa'));
  WriteFile(std::string(64, 'B'), 0400);  // no newline, read-only: fine
  EXPECT_EQ(LoadOrCreateTokenSecret("", dir_.string()).value(), std::string(32, '\xbb'));
}

TEST_F(TokenSecretTest, ConfiguredSecretWinsAndWritesNothing) {
  const std::string configured = "a configured secret of more than 32 bytes";
  EXPECT_EQ(LoadOrCreateTokenSecret(configured, dir_.string()).value(), configured);
  EXPECT_FALSE(std::filesystem::exists(SecretPath()));
}

TEST_F(TokenSecretTest, ShortConfiguredSecretIsRefused) {
  const Result<std::string> r = LoadOrCreateTokenSecret("too short", dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("at least 32"), std::string_view::npos);
  EXPECT_EQ(r.status().message().find("too short"), std::string_view::npos)
      << "the secret must not be echoed";
}

TEST_F(TokenSecretTest, WorldOrGroupReadableFileIsRefused) {
  for (const mode_t mode : {0644, 0604, 0640, 0660, 0606}) {
    WriteFile(std::string(64, 'a') + "\n", mode);
    const Result<std::string> r = LoadOrCreateTokenSecret("", dir_.string());
    ASSERT_FALSE(r.ok()) << std::oct << mode;
    EXPECT_EQ(r.status().code(), ErrorCode::kConfigFileError);
    EXPECT_NE(r.status().message().find("chmod 600"), std::string_view::npos)
        << r.status().message();
  }
  // And it was left alone, not replaced.
  ASSERT_EQ(::chmod(SecretPath().c_str(), 0600), 0);
  EXPECT_EQ(LoadOrCreateTokenSecret("", dir_.string()).value(), std::string(32, '\xaa'));
}

TEST_F(TokenSecretTest, MalformedFileIsRefusedNotReplaced) {
  for (const std::string& text :
       {std::string(), std::string(63, 'a'), std::string(66, 'a'), std::string(64, 'g'),
        std::string(32, 'a') + " " + std::string(31, 'a')}) {
    WriteFile(text, 0600);
    const Result<std::string> r = LoadOrCreateTokenSecret("", dir_.string());
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kConfigFileError);
    EXPECT_NE(r.status().message().find("64 hex digits"), std::string_view::npos);
  }
}

TEST_F(TokenSecretTest, SymlinkIsRefused) {
  const std::string target = (dir_ / "elsewhere").string();
  { std::ofstream(target) << std::string(64, 'a'); }
  ::chmod(target.c_str(), 0600);
  ASSERT_EQ(::symlink(target.c_str(), SecretPath().c_str()), 0);
  const Result<std::string> r = LoadOrCreateTokenSecret("", dir_.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("symbolic link"), std::string_view::npos);
}

TEST_F(TokenSecretTest, MissingDataDirectoryIsAnIoError) {
  const Result<std::string> r = LoadOrCreateTokenSecret("", (dir_ / "missing").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace tenantdb::server
