#!/usr/bin/env bash
# Installs every Debian 12 package that building and testing tenantdb needs.
# Idempotent and quiet when everything is present. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libabsl-dev liburcu-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  librocksdb-dev libzstd-dev libsnappy-dev zlib1g-dev
  libpg-query-dev libprotobuf-c-dev
  libreadline-dev libsqlite3-dev
  libboost1.81-dev libargon2-dev libtomlplusplus-dev libssl-dev libspdlog-dev curl
  # The release binary's malloc.
  libjemalloc-dev
  # libFuzzer targets (scripts/fuzz.sh): clang 14 and its runtime, libclang_rt.fuzzer.
  clang libclang-rt-14-dev
  # `bench http` / `bench pgwire`: the PostgreSQL 15 peer (server binaries, libpq) and
  # pgbench (in postgresql-15 on Debian 12; tests/pgwire/pgbench_test.sh runs it too).
  postgresql-15 libpq-dev
  # The PostgreSQL protocol's client tests (tests/pgwire): psql and Python's psycopg2;
  # the openssl command makes psql_test.sh's TLS certificate.
  postgresql-client python3-psycopg2 openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run the DuckDB interop tests. Machines that already have them from
# elsewhere (e.g. a newer Node.js) keep theirs: Debian's npm would conflict with it.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
