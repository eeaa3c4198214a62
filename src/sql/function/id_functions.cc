// tenantdb's id generators: snowflake_id(), uuid_v7() and gen_random_uuid().
//
// snowflake_id() is a BIGINT of 41 bits of milliseconds since 2024-01-01 00:00 UTC, 10 bits
// of node id (0: one process) and a 12-bit sequence. One atomic holds the last id handed
// out, so ids are strictly increasing across all threads of the process, even when the
// clock steps back (the ids then run ahead of the clock until it catches up) or when more
// than 4096 are taken in one millisecond (the next millisecond is borrowed).
//
// uuid_v7() follows RFC 9562: 48 bits of Unix milliseconds, version 7, a 12-bit counter in
// rand_a (RFC 9562 section 6.2 method 1) that starts at a random value below 2048 each new
// millisecond, the variant bits, and 62 random bits. A mutex keeps the (millisecond,
// counter) pair monotonic across threads, so uuids sort in creation order within a process.
#include <atomic>
#include <mutex>
#include <vector>

#include "sql/function/function_registry.h"

namespace tenantdb::sql {
namespace {

// 2024-01-01T00:00:00Z in Unix milliseconds.
constexpr int64_t kSnowflakeEpochMs = 1'704'067'200'000;
constexpr int kSequenceBits = 12;
constexpr int kNodeBits = 10;
constexpr int64_t kNodeId = 0;
constexpr int64_t kSequenceMask = (int64_t{1} << kSequenceBits) - 1;
constexpr int kTimestampShift = kSequenceBits + kNodeBits;

int64_t UnixMillis(const FunctionContext& ctx) {
  return ctx.clock->NowUnixMicros() / 1000;
}

std::atomic<int64_t> g_last_snowflake{0};

Result<Value> SnowflakeId(std::span<const Value>, const FunctionContext& ctx) {
  const int64_t candidate =
      (UnixMillis(ctx) - kSnowflakeEpochMs) << kTimestampShift | kNodeId << kSequenceBits;
  int64_t last = g_last_snowflake.load(std::memory_order_relaxed);
  while (true) {
    int64_t next;
    if (candidate > last) {
      next = candidate;
    } else if ((last & kSequenceMask) < kSequenceMask) {
      next = last + 1;
    } else {
      next = ((last >> kTimestampShift) + 1) << kTimestampShift | kNodeId << kSequenceBits;
    }
    if (g_last_snowflake.compare_exchange_weak(last, next, std::memory_order_relaxed)) {
      return Value::BigInt(next);
    }
  }
}

void FillRandom(Uuid* u, size_t from) {
  for (size_t i = from; i < u->size(); i += 8) {
    uint64_t bits = ThreadRandom()();
    for (size_t j = i; j < u->size() && j < i + 8; ++j) {
      (*u)[j] = static_cast<uint8_t>(bits);
      bits >>= 8;
    }
  }
}

Result<Value> UuidV7(std::span<const Value>, const FunctionContext& ctx) {
  static std::mutex mu;
  static int64_t last_ms = 0;
  static uint32_t counter = 0;
  int64_t ms = UnixMillis(ctx);
  uint32_t count;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (ms > last_ms) {
      last_ms = ms;
      counter = static_cast<uint32_t>(ThreadRandom()() & 0x7FF);
    } else if (++counter > 0xFFF) {
      ++last_ms;  // counter exhausted: borrow the next millisecond
      counter = 0;
    }
    ms = last_ms;
    count = counter;
  }
  Uuid u{};
  FillRandom(&u, 8);
  for (int i = 0; i < 6; ++i)
    u[i] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  u[6] = static_cast<uint8_t>(0x70 | count >> 8);
  u[7] = static_cast<uint8_t>(count);
  u[8] = static_cast<uint8_t>(0x80 | (u[8] & 0x3F));
  return Value::FromUuid(u);
}

Result<Value> UuidV4(std::span<const Value>, const FunctionContext&) {
  Uuid u{};
  FillRandom(&u, 0);
  u[6] = static_cast<uint8_t>(0x40 | (u[6] & 0x0F));
  u[8] = static_cast<uint8_t>(0x80 | (u[8] & 0x3F));
  return Value::FromUuid(u);
}

void AddVolatile(std::vector<ScalarFunction>* out, std::string_view name, DataType result,
                 ScalarEvalFn eval) {
  ScalarFunction f;
  f.name = name;
  f.signatures = {{{}, result}};
  f.eval = eval;
  f.is_volatile = true;
  out->push_back(std::move(f));
}

}  // namespace

std::mt19937_64& ThreadRandom() {
  thread_local std::mt19937_64 generator{[] {
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
  }()};
  return generator;
}

void AddIdFunctions(std::vector<ScalarFunction>* out) {
  AddVolatile(out, "snowflake_id", DataType::kBigInt, SnowflakeId);
  for (std::string_view name : {"uuid_v7", "uuidv7"}) {
    AddVolatile(out, name, DataType::kUuid, UuidV7);
  }
  for (std::string_view name : {"gen_random_uuid", "uuidv4"}) {
    AddVolatile(out, name, DataType::kUuid, UuidV4);
  }
}

}  // namespace tenantdb::sql
