// `tenantdb bench cache`: SchemaCache lookups under a Zipf-distributed table popularity,
// with a catalog larger than the cache, one thread and then N threads.
//
// Each operation opens a read section, looks a table up (loading and evicting on a
// miss), reads a field of the entry and closes the section — what the executor does per
// statement. Every 16th operation is timed; the median and p99 have the clock's own cost
// (measured the same way with an empty body) subtracted. Owning lookups (Get returning a
// reference) are measured too, since they pay an atomic increment on hot entries.
#include <atomic>
#include <cstdio>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

#include "cli/bench_commands.h"
#include "cli/bench_util.h"
#include "cli/synthetic_catalog.h"

namespace tenantdb::cli {

namespace {

constexpr size_t kSampleEvery = 16;

struct PhaseResult {
  double ops_per_s = 0;
  std::vector<int64_t> samples;  // nanoseconds of timed operations, all threads
};

// Table indices by popularity: rank r -> a random table, so hot tables spread over shards.
std::vector<uint32_t> MakeWorkload(const ZipfSampler& zipf,
                                   const std::vector<uint32_t>& rank_to_table, size_t length,
                                   uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> out(length);
  for (auto& x : out)
    x = rank_to_table[zipf(rng)];
  return out;
}

template <typename Op>
PhaseResult RunPhase(int threads, double seconds,
                     const std::vector<std::vector<uint32_t>>& workloads, Op op) {
  std::atomic<bool> go{false}, stop{false};
  // One cache line (at least) per thread, so the threads share nothing they write.
  struct alignas(64) PerThread {
    uint64_t count = 0;
    std::vector<int64_t> samples;
  };
  std::vector<PerThread> per_thread(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const std::vector<uint32_t>& w = workloads[t];
      std::vector<int64_t> samples;
      samples.reserve(1 << 20);
      while (!go.load(std::memory_order_acquire)) {
      }
      uint64_t n = 0;
      size_t pos = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        for (int k = 0; k < 256; ++k) {
          const uint32_t table = w[pos];
          if (++pos == w.size()) pos = 0;
          if ((n & (kSampleEvery - 1)) == 0) {
            const int64_t start = NowNanos();
            op(table);
            samples.push_back(NowNanos() - start);
          } else {
            op(table);
          }
          ++n;
        }
      }
      per_thread[t].count = n;
      per_thread[t].samples = std::move(samples);
    });
  }
  const double start = NowSeconds();
  go.store(true, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& th : pool)
    th.join();
  const double elapsed = NowSeconds() - start;
  PhaseResult r;
  uint64_t total = 0;
  for (const PerThread& p : per_thread) {
    total += p.count;
    r.samples.insert(r.samples.end(), p.samples.begin(), p.samples.end());
  }
  r.ops_per_s = double(total) / elapsed;
  return r;
}

}  // namespace

int RunCacheBench(const CacheBenchOptions& options) {
  SyntheticCatalog catalog(options.tables, std::max<size_t>(1, options.tables / 10), 10);
  std::vector<TableId> ids;
  ids.reserve(options.tables);
  for (size_t i = 0; i < options.tables; ++i)
    ids.push_back(catalog.Id(i));

  SchemaCache::Options cache_options;
  cache_options.capacity = options.capacity;
  SchemaCache cache(cache_options, catalog.Loader());

  ZipfSampler zipf(options.tables, options.zipf);
  std::vector<uint32_t> rank_to_table(options.tables);
  std::iota(rank_to_table.begin(), rank_to_table.end(), 0);
  std::shuffle(rank_to_table.begin(), rank_to_table.end(), std::mt19937_64(42));
  std::vector<std::vector<uint32_t>> workloads;
  for (int t = 0; t < options.threads; ++t) {
    workloads.push_back(MakeWorkload(zipf, rank_to_table, 1 << 22, 1000 + t));
  }

  auto pinned_get = [&](uint32_t table) {
    RcuReadSection section;
    auto entry = cache.Get(section, ids[table]);
    DoNotOptimize((*entry)->table_number());
  };
  auto owning_get = [&](uint32_t table) {
    auto entry = cache.Get(ids[table]);
    DoNotOptimize((*entry)->table_number());
  };
  auto empty = [&](uint32_t table) { DoNotOptimize(table); };

  // Warm the cache to its steady state, then measure.
  RunPhase(options.threads, std::min(2.0, options.seconds), workloads, pinned_get);
  PhaseResult clock = RunPhase(1, 0.2, workloads, empty);
  const double clock_ns = Percentile(clock.samples, 50);

  cache.ResetCounters();
  PhaseResult one = RunPhase(1, options.seconds, workloads, pinned_get);
  PhaseResult many = RunPhase(options.threads, options.seconds, workloads, pinned_get);
  SchemaCache::Stats stats = cache.stats();
  PhaseResult owning_one = RunPhase(1, options.seconds, workloads, owning_get);
  PhaseResult owning = RunPhase(options.threads, options.seconds, workloads, owning_get);

  const double p50 = Percentile(many.samples, 50) - clock_ns;
  const double p99 = Percentile(many.samples, 99) - clock_ns;
  std::fprintf(stderr,
               "cache: %zu tables, capacity %zu, zipf %.2f, %d threads, %.1f s per phase; "
               "clock overhead %.0f ns subtracted\n",
               options.tables, options.capacity, options.zipf, options.threads, options.seconds,
               clock_ns);
  JsonLine()
      .Add("bench", std::string("cache"))
      .Add("tables", double(options.tables))
      .Add("capacity", double(options.capacity))
      .Add("threads", double(options.threads))
      .Add("zipf", options.zipf)
      .Add("hit_rate", stats.hit_rate())
      .Add("get_ns_p50", p50)
      .Add("get_ns_p99", p99)
      .Add("get_ns_p50_1thread", Percentile(one.samples, 50) - clock_ns)
      .Add("ops_per_s", many.ops_per_s)
      .Add("ops_per_s_1thread", one.ops_per_s)
      .Add("scaling", many.ops_per_s / one.ops_per_s)
      .Add("owning_ops_per_s", owning.ops_per_s)
      .Add("owning_ops_per_s_1thread", owning_one.ops_per_s)
      .Add("owning_get_ns_p50", Percentile(owning.samples, 50) - clock_ns)
      .Add("evictions", double(stats.evictions))
      .Add("clock_overhead_ns", clock_ns)
      .Print();
  return 0;
}

}  // namespace tenantdb::cli
