#!/usr/bin/env bash
# A short `tenantdb bench http` run (4 clients, 0.3 s per phase) against its PostgreSQL 15
# peer: the bench must exit 0, leave no PostgreSQL or tenantdb process or temporary
# directory behind, and print as its last line one JSON object with every field the
# issue asks for, each a number (rates above zero); with --phases, only the phases named.
# Usage: bench_http_test.sh <tenantdb binary>
set -euo pipefail
bin=$1
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
before_pg=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name "tenantdb-pg-*" | wc -l)
if ! "$bin" bench http --seconds 0.3 --clients 4 --rows-per-user 40 >"$out" 2>"$err"; then
  echo "FAIL: bench http exited non-zero"; cat "$err"; exit 1
fi
cat "$err"
last=$(tail -n 1 "$out")
echo "$last"
node -e '
const j = JSON.parse(process.argv[1]);
const fields = ["insert_per_s", "insert_p50_us", "insert_p99_us", "point_select_per_s",
  "point_select_p50_us", "point_select_p99_us", "recent20_per_s", "recent20_p50_us",
  "recent20_p99_us", "pg_insert_per_s", "pg_insert_p50_us", "pg_insert_p99_us",
  "pg_point_select_per_s", "pg_point_select_p50_us", "pg_point_select_p99_us",
  "pg_recent20_per_s", "pg_recent20_p50_us", "pg_recent20_p99_us", "insert_ratio",
  "point_select_ratio", "recent20_ratio", "insert_p50_us_at10", "point_select_p50_us_at10"];
const bad = fields.filter((f) => typeof j[f] !== "number" || !(j[f] > 0));
if (bad.length) { console.error("FAIL: missing or non-positive: " + bad.join(", ")); process.exit(1); }
' "$last"
# --phases runs only the phases named: here the inserts, whose fields alone are printed.
if ! "$bin" bench http --seconds 0.2 --clients 2 --phases insert >"$out" 2>"$err"; then
  echo "FAIL: bench http --phases insert exited non-zero"; cat "$err"; exit 1
fi
node -e '
const j = JSON.parse(process.argv[1]);
if (!(j.insert_per_s > 0 && j.pg_insert_per_s > 0 && j.insert_ratio > 0)) {
  console.error("FAIL: --phases insert did not report its inserts"); process.exit(1);
}
const extra = ["point_select_per_s", "recent20_per_s", "pg_point_select_per_s",
  "insert_p50_us_at10"].filter((f) => f in j);
if (extra.length) { console.error("FAIL: --phases insert ran " + extra.join(", ")); process.exit(1); }
' "$(tail -n 1 "$out")"
after_pg=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name "tenantdb-pg-*" | wc -l)
if [ "$after_pg" -gt "$before_pg" ]; then echo "FAIL: the PostgreSQL directory was left behind"; exit 1; fi
if grep -q "bench http: tenantdb serve stopped (wait status 0)" "$err"; then :; else
  echo "FAIL: tenantdb serve did not stop cleanly"; exit 1
fi
echo "1 passed, 0 failed"
