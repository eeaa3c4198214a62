#!/usr/bin/env bash
# psql's catalog commands against a real `tenantdb serve` (started here as psql_test.sh
# starts it): \d, \d TABLE, \dt, \dn, \du, \l, \df, \conninfo and \timing run the
# queries psql 15 sends (pg_catalog, OPERATOR(pg_catalog.~), ::regclass, ARRAY(...),
# format_type, pg_get_indexdef, ...) and must print the right content: columns, types,
# nullability, defaults, the primary-key index, schemas, roles, the database. The
# expected output is psql's own formatting of what PostgreSQL 15 prints for the same
# schema, with tenantdb's owner (root) and database (tenantdb).
set -uo pipefail

TENANTDB=${1:?usage: psql_catalog_test.sh /path/to/tenantdb}
if ! command -v psql >/dev/null 2>&1; then
  echo "psql_catalog_test.sh: FAIL: psql is missing (apt-get install postgresql-client)" >&2
  exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-psqlcat.XXXXXX")
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILURES=0
fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}
expect_eq() {
  if [[ "$2" != "$3" ]]; then
    fail "$1:"$'\n'"--- expected ---"$'\n'"$3"$'\n'"--- got ---"$'\n'"$2"
  fi
}
contains() {
  if [[ "$2" != *"$3"* ]]; then
    fail "$1: expected to find"$'\n'"$3"$'\n'"--- in ---"$'\n'"$2"
  fi
}

ROOT_PASSWORD="root-secret-1"
TENANTDB_ROOT_PASSWORD="$ROOT_PASSWORD" TENANTDB_LOGGING_LEVEL=warn "$TENANTDB" serve \
  --data "$WORK/data" --listen 127.0.0.1:0 --pg-listen 127.0.0.1:0 \
  >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
PORT=""
for _ in $(seq 600); do
  PORT=$(grep -oh "pgwire listening on 127\.0\.0\.1:[0-9]*" "$WORK/server.out" 2>/dev/null |
    head -1 | sed 's/.*://')
  [[ -n "$PORT" ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$PORT" ]]; then
  echo "FAIL: the server did not start:" >&2
  cat "$WORK/server.out" "$WORK/server.err" >&2
  exit 1
fi

# q USER PASSWORD [psql args...]: psql's stdout+stderr in OUT, exit code in RC.
q() {
  local user=$1 password=$2
  shift 2
  OUT=$(PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 psql -X -h 127.0.0.1 -p "$PORT" -U "$user" \
    -d anydb -v ON_ERROR_STOP=1 "$@" 2>&1)
  RC=$?
}

q root "$ROOT_PASSWORD" <<'SQL'
CREATE NAMESPACE shop;
CREATE TABLE shop.items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price DOUBLE DEFAULT 1.5, added DATE, tags JSON) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC');
CREATE TABLE notes (id BIGINT PRIMARY KEY, owner_id UUID NOT NULL, body TEXT, at TIMESTAMPTZ DEFAULT NOW(), n SMALLINT, flag BOOLEAN DEFAULT true) WITH (TYPE = 'USER');
CREATE TABLE events (msg TEXT, level INT) WITH (TYPE = 'SHARED', ACCESS_LEVEL = 'PUBLIC');
CREATE USER 'alice' WITH PASSWORD 'alice-secret-1' ROLE user;
SQL
[[ "$RC" -eq 0 ]] || fail "setup: exit $RC: $OUT"

