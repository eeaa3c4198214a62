#!/usr/bin/env bash
# psql (Debian's postgresql-client) against a real `tenantdb serve`: started here on a
# temporary data directory with both listeners on ephemeral loopback ports, logged into
# with SCRAM-SHA-256 (PGPASSWORD), driven by scripts whose output is compared with what
# psql prints for PostgreSQL: aligned results, several statements in one Query, errors
# with SQLSTATE and position (psql's LINE/caret display), a failed transaction (25P02
# until ROLLBACK), the session's user, a wrong password, \conninfo, TLS (every script
# runs encrypted; verify-ca and sslmode=disable are checked) and graceful
# shutdown (an open session gets FATAL 57P01; the server exits 0). psql 15 has no
# \bind, so the extended protocol is libpq_test.cc's and psycopg2's.
set -uo pipefail

TENANTDB=${1:?usage: psql_test.sh /path/to/tenantdb}
if ! command -v psql >/dev/null 2>&1; then
  echo "psql_test.sh: FAIL: psql is missing (apt-get install postgresql-client)" >&2
  exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-psql.XXXXXX")
PSQL_PID=""
cleanup_hook() {
  exec 3>&- 2>/dev/null
  [[ -n "$PSQL_PID" ]] && kill -KILL "$PSQL_PID" 2>/dev/null
}
source "$(dirname "$0")/serve_fixture.sh"
source "$(dirname "$0")/../cli/assertions.sh"
expect_eq() {
  if [[ "$2" != "$3" ]]; then
    fail "$1:"$'\n'"--- expected ---"$'\n'"$3"$'\n'"--- got ---"$'\n'"$2"
  fi
}

# TLS on: psql's default sslmode=prefer then runs every script below encrypted (the
# streaming flush, \copy and the shutdown's FATAL included). The certificate is
# self-signed for localhost / 127.0.0.1.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/server.key" -out "$WORK/server.crt" >/dev/null 2>&1 ||
  { echo "psql_test.sh: FAIL: openssl could not make a certificate" >&2; exit 1; }
export TENANTDB_PGWIRE_SSL_CERT_FILE="$WORK/server.crt" TENANTDB_PGWIRE_SSL_KEY_FILE="$WORK/server.key"
start_serve "$WORK"


# --- setup as root, results as psql aligns them.
q root "$ROOT_PASSWORD" <<'EOF'
CREATE NAMESPACE shop;
CREATE TABLE shop.items (id BIGINT PRIMARY KEY, name TEXT NOT NULL, price DOUBLE, added DATE, tags JSON) WITH (TYPE = 'SHARED');
INSERT INTO shop.items VALUES (1, 'apple', 0.5, '2024-01-31', '["fruit"]'), (2, 'bread', 2.25, NULL, NULL);
SELECT id, name, price, added, tags FROM shop.items ORDER BY id;
CREATE USER 'alice' WITH PASSWORD 'alice-secret-1' ROLE user;
EOF
expect_eq "setup and select" "$OUT" "CREATE NAMESPACE
CREATE TABLE
INSERT 0 2
 id | name  | price |   added    |   tags    
----+-------+-------+------------+-----------
  1 | apple |   0.5 | 2024-01-31 | [\"fruit\"]
  2 | bread |  2.25 |            | 
(2 rows)

CREATE USER"
[[ "$RC" -eq 0 ]] || fail "setup: exit $RC"

# --- several statements in one Query (psql -c sends them as one), unaligned output.
q root "$ROOT_PASSWORD" -A -t -c "SELECT 1 AS a; SELECT 'x' || 'y', NULL IS NULL"
expect_eq "one Query, two statements" "$OUT" "1
xy|t"

# --- errors: SQLSTATE, message and position as psql shows them; ON_ERROR_STOP stops.
q root "$ROOT_PASSWORD" -v VERBOSITY=verbose <<'EOF'
SELECT 'first';
SELECT * FROM shop.missing;
SELECT 'never';
EOF
[[ "$RC" -eq 3 ]] || fail "ON_ERROR_STOP: expected exit 3, got $RC"
contains "undefined table" "$OUT" "ERROR:  42P01:"
[[ "$OUT" != *never* ]] || fail "a statement after the error ran: $OUT"
q root "$ROOT_PASSWORD" <<'EOF'
SELEC 1;
EOF
contains "syntax error position" "$OUT" "LINE 1: SELEC 1;"
contains "syntax error caret" "$OUT" "        ^"

# --- a failed transaction: 25P02 until ROLLBACK, which undoes the insert.
q root "$ROOT_PASSWORD" -v ON_ERROR_STOP=0 -v VERBOSITY=verbose <<'EOF'
BEGIN;
INSERT INTO shop.items VALUES (3, 'cheese', 7, NULL, NULL);
SELECT 1/0;
SELECT 1;
ROLLBACK;
SELECT count(*) FROM shop.items;
EOF
contains "division by zero" "$OUT" "ERROR:  22012:"
contains "failed transaction" "$OUT" "ERROR:  25P02:"
contains "rolled back" "$OUT" " count 
-------
     2
(1 row)"

# --- the session is the authenticated user; a wrong password fails clearly.
q alice alice-secret-1 -A -t -c "SELECT CURRENT_USER"
expect_eq "alice's session" "$OUT" "alice"
q alice wrong-password -c "SELECT 1"
[[ "$RC" -eq 2 ]] || fail "wrong password: expected exit 2, got $RC"
contains "wrong password" "$OUT" "password authentication failed for user \"alice\""

# --- \conninfo.
q root "$ROOT_PASSWORD" -c '\conninfo'
contains "conninfo" "$OUT" "You are connected to database \"anydb\" as user \"root\" on host \"127.0.0.1\""
contains "conninfo: TLS" "$OUT" "SSL connection (protocol: TLSv1.3"
# The certificate checks out against itself as the root; plain text still works.
PGSSLMODE=verify-ca PGSSLROOTCERT="$WORK/server.crt" q root "$ROOT_PASSWORD" -A -t -c "SELECT 'verified'"
expect_eq "verify-ca" "$OUT" "verified"
PGSSLMODE=disable q root "$ROOT_PASSWORD" -c '\conninfo'
contains "sslmode=disable" "$OUT" "You are connected to database"
[[ "$OUT" != *"SSL connection"* ]] || fail "sslmode=disable: the connection is encrypted: $OUT"

# --- \copy: the client's files through COPY FROM STDIN / TO STDOUT, CSV and text, a bad
# row with its line number (nothing loaded), and a server file refused to a user role.
printf 'id,name,price\n10,"pear, green",1.25\n11,"",\n12,"multi\nline",3\n' >"$WORK/in.csv"
q root "$ROOT_PASSWORD" <<EOF
\copy shop.items (id, name, price) FROM '$WORK/in.csv' WITH (FORMAT csv, HEADER)
\copy (SELECT id, name, price FROM shop.items WHERE id >= 10 ORDER BY id) TO '$WORK/out.txt'
\copy shop.items (id, name, price) TO '$WORK/out.csv' CSV HEADER
EOF
expect_eq "\\copy exit" "$RC" "0"
contains "\\copy in" "$OUT" "COPY 3"
expect_eq "\\copy out text" "$(cat "$WORK/out.txt")" $'10\tpear, green\t1.25\n11\t\t\\N\n12\tmulti\\nline\t3'
expect_eq "\\copy out csv header" "$(head -1 "$WORK/out.csv")" "id,name,price"
printf '20\tok\t1\nbad\tno\t2\n' >"$WORK/bad.txt"
q root "$ROOT_PASSWORD" -c "\\copy shop.items (id, name, price) FROM '$WORK/bad.txt'"
[[ "$RC" -ne 0 ]] || fail "a bad \\copy row succeeded"
contains "bad \\copy row" "$OUT" "line 2, column id"
q root "$ROOT_PASSWORD" -A -t -c "SELECT count(*) FROM shop.items WHERE id >= 20"
expect_eq "bad \\copy loaded nothing" "$OUT" "0"
q alice alice-secret-1 -c "COPY shop.items TO '/tmp/x'"
contains "server file as a user" "$OUT" "permission denied to COPY to or from the file"

# --- graceful shutdown: an open session gets FATAL 57P01; the server exits 0.
mkfifo "$WORK/in"
(PGPASSWORD="$ROOT_PASSWORD" psql -X -h 127.0.0.1 -p "$PORT" -U root -d x <"$WORK/in" \
  >"$WORK/open.out" 2>&1) &
PSQL_PID=$!
exec 3>"$WORK/in"
echo "SELECT 'ready';" >&3
for _ in $(seq 100); do grep -q ready "$WORK/open.out" && break; sleep 0.1; done
kill -TERM "$SERVER_PID"
for _ in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
  fail "the server did not stop within 30 s of SIGTERM"
else
  wait "$SERVER_PID"
  RC=$?
  [[ "$RC" -eq 0 ]] || fail "server exit status $RC after SIGTERM"
  SERVER_PID=""
fi
echo "SELECT 'after';" >&3
exec 3>&-
wait "$PSQL_PID"
PSQL_PID=""
contains "admin shutdown" "$(cat "$WORK/open.out")" "terminating connection due to administrator command"

if [[ "$FAILURES" -gt 0 ]]; then
  echo "psql_test.sh: $FAILURES failure(s)" >&2
  exit 1
fi
echo "psql_test.sh: all passed"
