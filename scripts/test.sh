#!/usr/bin/env bash
# Installs dependencies, builds tenantdb with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs every test through ctest. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# DuckDB (from npm) for the Parquet interoperability tests; `npm ci` installs exactly the
# versions in package-lock.json and is quiet when they are already there.
if [ ! -d tests/interop/node_modules/@duckdb/node-api ]; then
  npm ci --prefix tests/interop --no-audit --no-fund --loglevel=error
fi
# npm's `ws` for the live-query WebSocket tests (tests/ws/ws_test.mjs).
if [ ! -d tests/ws/node_modules/ws ]; then
  npm ci --prefix tests/ws --no-audit --no-fund --loglevel=error
fi
# npm ws for the TypeScript client's tests (clients/typescript, a devDependency).
if [ ! -d clients/typescript/node_modules/ws ]; then
  npm ci --prefix clients/typescript --no-audit --no-fund --loglevel=error
fi
# One clang build serves the tests and the libFuzzer targets: ASan + UBSan and libFuzzer's
# coverage instrumentation on every object (TENANTDB_FUZZ), so the fuzzers link the same
# objects the tests ran instead of a second build of the whole tree.
BUILD_DIR=${BUILD_DIR:-build/test}
# A directory configured by an earlier version of this script (GCC) is rebuilt from scratch:
# CMake cannot switch an existing build to another compiler.
if [ -f "$BUILD_DIR/CMakeCache.txt" ] && ! grep -q '^TENANTDB_FUZZ:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  rm -rf "$BUILD_DIR"
fi
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DTENANTDB_SANITIZE=ON -DTENANTDB_FUZZ=ON -DTENANTDB_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if ! ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-2}"; then
  # The end of each failed test's output once more, last: a CI log is often read from its
  # tail, and a failure's seed and reproduce line are in its output, far above.
  TEMP_DIR="$BUILD_DIR/Testing/Temporary"
  while IFS=: read -r _ name; do
    echo "=== the end of ${name}'s output ==="
    awk -v t="Test: ${name}" '$0 ~ t"$" {on=1; next} /^<end of output>/ {on=0} on' \
      "$TEMP_DIR/LastTest.log" | tail -n 40
  done < "$TEMP_DIR/LastTestsFailed.log"
  exit 1
fi
# Every parser of client or disk bytes under libFuzzer, from the same build: 30 s for each
# of the 13 targets by default, two at a time (about 3.5 minutes); FUZZ_SECONDS=0 skips it.
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  FUZZ_BUILD_DIR="$BUILD_DIR" scripts/fuzz.sh "$FUZZ_SECONDS"
fi
