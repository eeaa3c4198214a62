#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang with ASan + UBSan) in build/fuzz and runs each
# one for a bounded time on its checked-in corpus. Fails if any target crashes, hangs
# (an input over 10 s), leaks, trips a sanitizer or goes over 2 GB of memory.
#
# Usage: scripts/fuzz.sh [seconds per target, default 60] [target ...]
#   FUZZ_BUILD_DIR  build directory (default build/fuzz)
#   JOBS            build parallelism (default 2)
# New inputs that reach new code are kept in $FUZZ_BUILD_DIR/corpus/<target> (never in the
# checked-in fuzz/corpus); a failing input is written to $FUZZ_BUILD_DIR/artifacts/<target>/
# and reproduces with: $FUZZ_BUILD_DIR/fuzz/<target> <that file>.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-60}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(sql_fuzz text_input_fuzz parquet_fuzz parquet_page_fuzz row_codec_fuzz key_codec_fuzz
    catalog_codec_fuzz jwt_fuzz config_fuzz http_request_fuzz ws_message_fuzz pgwire_message_fuzz
    copy_fuzz)
fi
BUILD_DIR=${FUZZ_BUILD_DIR:-build/fuzz}

# clang, and libFuzzer's runtime (Debian 12: libclang_rt.fuzzer in libclang-rt-14-dev,
# which clang does not pull in with --no-install-recommends).
if ! command -v clang++ >/dev/null 2>&1 ||
  ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "fuzz: installing clang and libclang-rt-14-dev"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
fi

# A build directory already configured for fuzzing (scripts/test.sh's, with the tests) is
# used as it is; otherwise an optimized fuzz-only build is configured.
if ! grep -q '^TENANTDB_FUZZ:BOOL=ON' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTENANTDB_FUZZ=ON -DTENANTDB_BUILD_TESTS=OFF -DTENANTDB_BUILD_BENCHMARKS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" -j "${JOBS:-2}" --target fuzz_targets

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# One target per core at a time (FUZZ_PARALLEL, default 2): libFuzzer uses one core, so on
# CI's 2 cores two targets side by side halve the wall time without shortening any run.
run_target() {
  local target=$1
  local work="$BUILD_DIR/corpus/$target"
  local artifacts="$BUILD_DIR/artifacts/$target/"
  mkdir -p "$work" "$artifacts"
  local args=(-max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts")
  case "$target" in
    sql_fuzz) args+=(-dict=fuzz/sql.dict -max_len=4096) ;;
    parquet_fuzz) args+=(-dict=fuzz/parquet.dict -max_len=16384) ;;
    jwt_fuzz) args+=(-max_len=512) ;;
    config_fuzz) args+=(-max_len=2048) ;;
    http_request_fuzz) args+=(-max_len=4096) ;;
    ws_message_fuzz | pgwire_message_fuzz) args+=(-max_len=4096) ;;
  esac
  "$BUILD_DIR/fuzz/$target" "${args[@]}" "$work" "fuzz/corpus/$target" \
    >"$BUILD_DIR/$target.log" 2>&1
}

PARALLEL=${FUZZ_PARALLEL:-2}
failed=()
for ((i = 0; i < ${#TARGETS[@]}; i += PARALLEL)); do
  batch=("${TARGETS[@]:i:PARALLEL}")
  pids=()
  for target in "${batch[@]}"; do
    echo "fuzz: $target for ${SECONDS_PER_TARGET}s"
    run_target "$target" &
    pids+=($!)
  done
  for j in "${!batch[@]}"; do
    target=${batch[$j]}
    if ! wait "${pids[$j]}"; then
      echo "fuzz: $target FAILED; the end of $BUILD_DIR/$target.log:"
      tail -n 60 "$BUILD_DIR/$target.log"
      failed+=("$target")
    else
      grep -E "^stat::number_of_executed_units|^Done [0-9]+ runs" "$BUILD_DIR/$target.log" |
        tail -n 1 | sed "s/^/fuzz: $target: /"
    fi
  done
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz: failing targets: ${failed[*]} (inputs in $BUILD_DIR/artifacts/)"
  exit 1
fi
echo "fuzz: all ${#TARGETS[@]} targets ran ${SECONDS_PER_TARGET}s each without a finding"
