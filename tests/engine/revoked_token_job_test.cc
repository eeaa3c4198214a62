// The engine's "revoked_tokens" job: entries past their expiry are pruned in the
// background, by the engine's clock (Engine::Options::clock).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "catalog/catalog_codec.h"
#include "engine/engine.h"

namespace tenantdb {
namespace {

using namespace std::chrono_literals;

TEST(RevokedTokenJob, PrunesExpiredEntriesByTheEngineClock) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tdb_revoked_job_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ManualClock clock(1'000'000'000'000'000);  // Unix second 1e9
  Engine::Options options;
  options.background_jobs = true;
  options.clock = &clock;
  auto engine = Engine::Open(dir.string(), options);
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  Accounts& accounts = (*engine)->accounts();
  ASSERT_TRUE(accounts.RevokeToken("soon", 1'000'000'100).ok());
  ASSERT_TRUE(accounts.RevokeToken("later", 1'000'009'000).ok());
  EXPECT_TRUE(*accounts.IsTokenRevoked("soon"));

  clock.AdvanceSeconds(200);  // "soon" has expired
  EXPECT_FALSE(*accounts.IsTokenRevoked("soon"));
  EXPECT_TRUE(*accounts.IsTokenRevoked("later"));
  (*engine)->jobs().Trigger("revoked_tokens");
  bool ran = false;
  for (int i = 0; i < 500 && !ran; ++i) {
    for (const JobRecord& r : (*engine)->jobs().History()) {
      if (r.task == "revoked_tokens") {
        ran = true;
        EXPECT_TRUE(r.status.ok()) << r.status.ToString();
        EXPECT_EQ(r.detail, "pruned 1 expired revoked tokens");
      }
    }
    if (!ran) std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(ran);
  // Gone from the catalog, the live one kept.
  EXPECT_EQ(*(*engine)->catalog().PruneRevokedTokens(1'000'000'200), 0u);
  EXPECT_TRUE(*accounts.IsTokenRevoked("later"));
  engine->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tenantdb
