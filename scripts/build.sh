#!/usr/bin/env bash
# Installs dependencies and builds the optimized tenantdb binary into build/release.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "${JOBS:-2}" --target tenantdb "$@"
