#!/usr/bin/env bash
# Installs the built project into a temporary prefix and builds examples/hello against
# it, once through CMake's find_package(tenantdb) and once through pkg-config, then runs
# both and checks their output. Fails on the first step that fails.
#   install_test.sh <build dir> <source dir> <libdir> <cmake> <c++ compiler> [ccache]
set -euo pipefail
build=$1 source=$2 libdir=$3 cmake=$4 cxx=$5 launcher=${6:-}

work=$(mktemp -d /tmp/tenantdb-install-test-XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log"

# Only the public headers are installed.
headers=$(cd "$prefix/include" && find . -type f | sort | tr '\n' ' ')
expected_headers="./tenantdb/account.h ./tenantdb/array.h ./tenantdb/changes.h ./tenantdb/clock.h ./tenantdb/copy.h ./tenantdb/database.h ./tenantdb/live_query.h ./tenantdb/pg_binary.h ./tenantdb/result.h ./tenantdb/role.h ./tenantdb/script.h ./tenantdb/session.h ./tenantdb/stats.h ./tenantdb/status.h ./tenantdb/value.h "
if [[ "$headers" != "$expected_headers" ]]; then
  echo "installed headers: $headers"; echo "expected: $expected_headers"; exit 1
fi
test -f "$prefix/$libdir/libtenantdb.a"
test -x "$prefix/bin/tenantdb"
test -f "$prefix/$libdir/cmake/tenantdb/tenantdbConfig.cmake"
test -f "$prefix/$libdir/cmake/tenantdb/tenantdbConfigVersion.cmake"

expected=$'columns: id:BIGINT body:TEXT stars:DOUBLE\n1 hello 1.5\n2 tenantdb NULL\n3 world 4.5\nSELECT 3'

# 1. CMake package.
"$cmake" -S "$source/examples" -B "$work/cmake-build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
  ${launcher:+-DCMAKE_CXX_COMPILER_LAUNCHER=$launcher} > "$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
"$cmake" --build "$work/cmake-build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
out=$(ASAN_OPTIONS=detect_leaks=1 "$work/cmake-build/hello")
if [[ "$out" != "$expected" ]]; then
  echo "find_package build printed:"; echo "$out"; echo "expected:"; echo "$expected"; exit 1
fi

# 2. pkg-config (static: the dependencies come from Requires.private / Libs.private).
flags=$(PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig" pkg-config --static --cflags --libs tenantdb)
${launcher:+$launcher} "$cxx" -std=c++20 -o "$work/hello-pc" "$source/examples/hello.cc" $flags
out=$(ASAN_OPTIONS=detect_leaks=1 "$work/hello-pc")
if [[ "$out" != "$expected" ]]; then
  echo "pkg-config build printed:"; echo "$out"; echo "expected:"; echo "$expected"; exit 1
fi
echo "install_test: find_package and pkg-config builds of examples/hello OK"
