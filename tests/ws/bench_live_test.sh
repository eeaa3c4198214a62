#!/usr/bin/env bash
# A small `tenantdb bench live` run (200 idle subscriptions over 4 sockets, 100 at the
# latency phase, 20 feed subscribers, 0.5 s phases): the bench must exit 0, stop its
# server cleanly, remove its temporary directory, and print as its last line one
# JSON object with exactly the fields the issue names, each a number (latencies and rates
# above zero).
# Usage: bench_live_test.sh <tenantdb binary>
set -euo pipefail
bin=$1
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
if ! ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$bin" bench live --subscriptions 200 \
  --sockets 4 --latency-subscriptions 100 --latency-sockets 4 --feed-subscribers 20 \
  --users 4 --seconds 0.5 >"$out" 2>"$err"; then
  echo "FAIL: bench live exited non-zero"; cat "$err"; exit 1
fi
cat "$err"
last=$(tail -n 1 "$out")
echo "$last"
node -e '
const j = JSON.parse(process.argv[1]);
const fields = ["change_latency_us_p50_1", "change_latency_us_p99_1", "change_latency_us_p50_10k",
  "change_latency_us_p99_10k", "subscriptions", "subscribe_all_seconds", "bytes_per_subscription",
  "heap_bytes_per_subscription", "notifications_per_s"];
const keys = Object.keys(j).sort();
if (JSON.stringify(keys) !== JSON.stringify([...fields].sort())) {
  console.error("FAIL: fields " + keys.join(", ")); process.exit(1);
}
const bad = fields.filter((f) => typeof j[f] !== "number" || !Number.isFinite(j[f]));
if (bad.length) { console.error("FAIL: not numbers: " + bad.join(", ")); process.exit(1); }
const positive = ["change_latency_us_p50_1", "change_latency_us_p99_1", "change_latency_us_p50_10k",
  "change_latency_us_p99_10k", "subscribe_all_seconds", "notifications_per_s"];
const zero = positive.filter((f) => !(j[f] > 0));
if (zero.length) { console.error("FAIL: not above zero: " + zero.join(", ")); process.exit(1); }
if (j.subscriptions !== 200) { console.error("FAIL: subscriptions " + j.subscriptions); process.exit(1); }
if (j.change_latency_us_p99_1 < j.change_latency_us_p50_1) { console.error("FAIL: p99 < p50"); process.exit(1); }
' "$last"
if ! grep -q "bench live: tenantdb serve stopped (wait status 0)" "$err"; then
  echo "FAIL: tenantdb serve did not stop cleanly"; exit 1
fi
dir=$(grep -o "log [^;]*/serve.log" "$err" | head -n 1 | sed 's/^log //; s#/serve.log$##')
if [ -n "$dir" ] && [ -e "$dir" ]; then echo "FAIL: $dir was left behind"; exit 1; fi
echo "1 passed, 0 failed"
