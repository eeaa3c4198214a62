#!/usr/bin/env bash
# pgbench (PostgreSQL 15's, from postgresql-contrib) against a real `tenantdb serve`:
# started here on a temporary data directory with both listeners on ephemeral loopback
# ports, logged into as root with SCRAM-SHA-256. Initializes at scale 1 with pgbench's
# default steps (drop, create with fillfactor, client-side generation with BEGIN;
# TRUNCATE; COPY ... FROM STDIN; COMMIT, VACUUM, then ALTER TABLE ... ADD PRIMARY KEY on
# the loaded tables), checks the keys are in place, initializes again with -I dtpGv (keys
# on the empty tables, server-side generation by INSERT ... SELECT FROM generate_series),
# then short bounded runs (-t) of select-only and TPC-B-like with 4 clients in the
# simple, extended and prepared protocols. Asserts every transaction ran and none failed,
# and the TPC-B invariant: sum(abalance) = sum(bbalance) = sum(tbalance) = sum(delta)
# of the history (concurrent UPDATEs of the same branch and teller rows lose nothing).
# Also: TRUNCATE empties a table, VACUUM answers with a NOTICE, ADD PRIMARY KEY on a
# table whose rows repeat a key value is refused with unique_violation (23505).
set -uo pipefail

TENANTDB=${1:?usage: pgbench_test.sh /path/to/tenantdb}
PG_BIN=/usr/lib/postgresql/15/bin
for tool in "$PG_BIN/pgbench" "$(command -v psql)"; do
  if [[ ! -x "$tool" ]]; then
    echo "pgbench_test.sh: FAIL: $tool is missing (apt-get install postgresql-15 postgresql-client)" >&2
    exit 1
  fi
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-pgbench.XXXXXX")
source "$(dirname "$0")/serve_fixture.sh"
source "$(dirname "$0")/../cli/assertions.sh"

start_serve "$WORK"
export PGPASSWORD="$ROOT_PASSWORD" PGCONNECT_TIMEOUT=10

# pgb ARGS...: pgbench's output in OUT, exit code in RC (bounded by timeout).
pgb() {
  OUT=$(timeout 300 "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U root "$@" tenantdb 2>&1)
  RC=$?
}
# q SQL (in place of the fixture's q): psql's unaligned, tuples-only output in OUT, exit
# code in RC.
q() {
  OUT=$(timeout 120 psql -X -A -t -h 127.0.0.1 -p "$PORT" -U root -d tenantdb \
    -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -c "$1" 2>&1)
  RC=$?
}
# check_run NAME CLIENTS TRANSACTIONS: the run in OUT processed them all, none failed.
check_run() {
  [[ "$RC" -eq 0 ]] || fail "$1: pgbench exit $RC:"$'\n'"$OUT"
  contains "$1" "$OUT" "number of transactions actually processed: $(($2 * $3))/$(($2 * $3))"
  contains "$1" "$OUT" "number of failed transactions: 0 (0.000%)"
}
check_balances() {
  q "SELECT (SELECT sum(abalance) FROM pgbench_accounts) || '|' || (SELECT sum(bbalance) FROM pgbench_branches) || '|' || (SELECT sum(tbalance) FROM pgbench_tellers) || '|' || (SELECT coalesce(sum(delta), 0) FROM pgbench_history)"
  local a b t h
  IFS='|' read -r a b t h <<<"$OUT"
  if [[ "$RC" -ne 0 || -z "$a" || "$a" != "$b" || "$b" != "$t" || "$t" != "$h" ]]; then
    fail "$1: TPC-B balances disagree (accounts|branches|tellers|history): $OUT"
  fi
}

# --- init at scale 1: pgbench's default steps, then keys first and server-side data.
pgb -i -s 1
[[ "$RC" -eq 0 ]] || fail "pgbench -i (default steps): exit $RC:"$'\n'"$OUT"
contains "default init adds the keys" "$OUT" "primary keys"
q "SELECT count(*), count(DISTINCT aid) FROM pgbench_accounts"
equals "accounts after default init" "$OUT" "100000|100000"
q "SELECT conname FROM pg_constraint WHERE conrelid = 'pgbench_accounts'::regclass AND contype = 'p'"
equals "accounts key after default init" "$OUT" "pgbench_accounts_pkey"
q "SELECT aid, bid, abalance FROM pgbench_accounts WHERE aid = 54321"
equals "lookup by the added key" "$OUT" "54321|1|0"
pgb -i -s 1 -I dtpGv
[[ "$RC" -eq 0 ]] || fail "pgbench -i: exit $RC:"$'\n'"$OUT"
contains "init done" "$OUT" "done in"
q "SELECT count(*) FROM pgbench_accounts"
equals "accounts" "$OUT" "100000"
q "SELECT count(*), sum(bid) FROM pgbench_tellers"
equals "tellers" "$OUT" "10|10"
q "SELECT count(*) FROM pgbench_branches"
equals "branches" "$OUT" "1"

# --- select-only and TPC-B-like, 4 clients, in each protocol.
pgb -S -n -c 4 -j 2 -t 200 -M prepared
check_run "select-only prepared" 4 200
for mode in simple extended prepared; do
  pgb -n -c 4 -j 2 -t 60 -M "$mode"
  check_run "tpcb $mode" 4 60
  check_balances "tpcb $mode"
done
q "SELECT count(*) FROM pgbench_history"
equals "history rows" "$OUT" "720"
# One more run without -n: pgbench's own VACUUM and TRUNCATE of the history first.
pgb -c 4 -j 2 -t 20
check_run "tpcb with vacuum" 4 20
q "SELECT count(*) FROM pgbench_history"
equals "history truncated by pgbench" "$OUT" "80"

# --- TRUNCATE, VACUUM, ADD PRIMARY KEY directly.
q "BEGIN; TRUNCATE TABLE pgbench_history; ROLLBACK"
q "SELECT count(*) FROM pgbench_history"
equals "TRUNCATE rolled back" "$OUT" "80"
q "TRUNCATE pgbench_history"
equals "TRUNCATE tag" "$RC" "0"
q "SELECT count(*) FROM pgbench_history"
equals "TRUNCATE empties the table" "$OUT" "0"
q "VACUUM ANALYZE pgbench_accounts"
contains "VACUUM notice" "$OUT" "NOTICE:  00000: VACUUM does nothing in tenantdb"
q "CREATE TABLE keyless (a INT NOT NULL, b TEXT); INSERT INTO keyless VALUES (1, 'x'), (1, 'y')"
q "ALTER TABLE keyless ADD PRIMARY KEY (a)"
contains "ADD PRIMARY KEY over a repeated value" "$OUT" "ERROR:  23505"
contains "ADD PRIMARY KEY names the key" "$OUT" "key (a)=(1) is duplicated"
q "DELETE FROM keyless WHERE b = 'y'; ALTER TABLE keyless ADD PRIMARY KEY (a)"
q "SELECT a, b FROM keyless"
equals "ADD PRIMARY KEY with rows" "$OUT" "1|x"
q "CREATE TABLE keyless2 (a INT NOT NULL, b TEXT) WITH (fillfactor = 90); ALTER TABLE keyless2 ADD PRIMARY KEY (a); INSERT INTO keyless2 VALUES (1, 'x'); INSERT INTO keyless2 VALUES (1, 'y')"
contains "the added key is enforced" "$OUT" "ERROR:  23505"

if [[ $FAILURES -ne 0 ]]; then
  echo "pgbench_test.sh: $FAILURES failure(s); server log:" >&2
  tail -20 "$WORK/server.err" >&2
  exit 1
fi
echo "pgbench_test.sh: OK"
