// BufferedFdSink batches log lines: nothing reaches the descriptor until the buffer
// passes its size, the logger flushes (flush_on level or an explicit flush), or the sink
// goes away; then every line arrives whole and in order.
#include "server/logging/buffered_fd_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace tenantdb::server {
namespace {

class BufferedFdSinkTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe2(fds_, O_NONBLOCK), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  // Everything written to the pipe so far (non-blocking: returns what is there).
  std::string Drain() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds_[0], buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<size_t>(n));
    return out;
  }
  std::shared_ptr<spdlog::logger> Logger(size_t flush_bytes) {
    auto log = std::make_shared<spdlog::logger>(
        "test", std::make_shared<BufferedFdSink>(fds_[1], flush_bytes));
    log->set_pattern("%l %v");
    log->flush_on(spdlog::level::warn);
    return log;
  }
  int fds_[2] = {-1, -1};
};

TEST_F(BufferedFdSinkTest, InfoLinesWaitForAFlush) {
  auto log = Logger(1 << 16);
  log->info("request id=1");
  log->info("request id=2");
  EXPECT_EQ(Drain(), "");
  log->flush();
  EXPECT_EQ(Drain(), "info request id=1\ninfo request id=2\n");
  EXPECT_EQ(Drain(), "");
}

TEST_F(BufferedFdSinkTest, AWarningGoesOutAtOnceWithTheLinesBeforeIt) {
  auto log = Logger(1 << 16);
  log->info("request id=1");
  log->warn("slow_statement id=1");
  EXPECT_EQ(Drain(), "info request id=1\nwarning slow_statement id=1\n");
}

TEST_F(BufferedFdSinkTest, AFullBufferIsWrittenWithoutAFlush) {
  auto log = Logger(64);
  std::string expected;
  for (int i = 0; i < 10; ++i) {
    log->info("request id={}", i);
    expected += "info request id=" + std::to_string(i) + "\n";
  }
  const std::string early = Drain();
  EXPECT_FALSE(early.empty());
  EXPECT_TRUE(expected.starts_with(early)) << early;
  log->flush();
  EXPECT_EQ(early + Drain(), expected);
}

TEST_F(BufferedFdSinkTest, LinesLeftAreWrittenWhenTheSinkGoesAway) {
  auto log = Logger(1 << 16);
  log->info("last words");
  log.reset();
  EXPECT_EQ(Drain(), "info last words\n");
}

}  // namespace
}  // namespace tenantdb::server
