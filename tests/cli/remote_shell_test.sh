#!/usr/bin/env bash
# `tenantdb shell --url` / `tenantdb sql --url` against a real `tenantdb serve`, run by
# ctest (cli_remote_shell_test):
#   remote_shell_test.sh /path/to/tenantdb
# Starts the server on a temporary data directory and an ephemeral loopback port (root's
# password from TENANTDB_ROOT_PASSWORD), creates users and a USER table as root over
# HTTP, then checks as alice and bob: aligned tables and command tags, multi-line input,
# errors with code, SQLSTATE and caret, exit codes on piped stdin, USE carried between
# requests, the session the shell carries for the server (BEGIN ... COMMIT sent as one
# transaction at COMMIT, its failure rolling it all back, ROLLBACK and end of input
# sending nothing; SET replayed so SHOW and the server's limits see it; PREPARE /
# EXECUTE / DEALLOCATE; the `ns=*>` prompt under a terminal), isolation between users, a
# wrong password, `sql --url` formats, and Ctrl-C cancelling a long statement (the
# server stops it: its running-statements gauge returns to 0). Stops the server at the
# end.
set -uo pipefail

TENANTDB=${1:?usage: remote_shell_test.sh /path/to/tenantdb}
source "$(dirname "$0")/assertions.sh"
source "$(dirname "$0")/../pgwire/serve_fixture.sh"  # start_serve, stop on exit
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-remote-shell.XXXXXX")
SHELL_PID=""
cleanup_hook() {
  [[ -n "$SHELL_PID" ]] && kill -KILL "$SHELL_PID" 2>/dev/null
  rm -rf "$WORK"
}

# Until `tenantdb serve` is built into this binary there is nothing to connect to: skip
# (ctest's SKIP_RETURN_CODE), never pass.
if ! "$TENANTDB" --help 2>/dev/null | grep -q '^  serve '; then
  echo "remote_shell_test.sh: SKIPPED: this tenantdb has no serve command" >&2
  exit 77
fi

# --- the server, on ephemeral ports.
start_serve "$WORK"

# remote USER PASSWORD [ARGS...] < input: `tenantdb shell --url` with stdout, stderr and
# exit code in OUT, ERR and RC.
remote() {
  local user=$1 password=$2
  shift 2
  OUT=$(TENANTDB_PASSWORD="$password" "$TENANTDB" shell --url "$URL" --user "$user" "$@" \
    2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}

# --- root sets up users and a table.
remote root "$ROOT_PASSWORD" <<'EOF'
CREATE NAMESPACE chat;
CREATE TABLE chat.messages (
  id BIGINT PRIMARY KEY,
  thread_id TEXT NOT NULL,
  content TEXT
) WITH (TYPE = 'USER');
CREATE USER 'alice' WITH PASSWORD 'alice-secret-1' ROLE user;
CREATE USER 'bob' WITH PASSWORD 'bob-secret-1' ROLE user;
EOF
[[ "$RC" -eq 0 ]] || fail "setup as root: exit $RC: $ERR"
contains "create table tag" "$OUT" "CREATE TABLE"

# --- alice: multi-line input, tags, aligned table, USE carried to the next request.
remote alice alice-secret-1 <<'EOF'
INSERT INTO chat.messages VALUES (1, 't1', 'hi'),
  (22, 't1', NULL);
USE chat;
SELECT id, content
  FROM messages ORDER BY id;
EOF
[[ "$RC" -eq 0 ]] || fail "alice: exit $RC: $ERR"
contains "insert tag" "$OUT" "INSERT 0 2"
contains "aligned table" "$OUT" " id | content
----+---------
  1 | hi
 22 |
(2 rows)"

# --- an error: code, SQLSTATE, caret; the shell goes on; exit code 1.
remote alice alice-secret-1 <<'EOF'
SELECT nme FROM chat.messages;
SELECT id FROM chat.messages WHERE;
SELECT 'after' AS next;
EOF
[[ "$RC" -eq 1 ]] || fail "a failed statement: expected exit 1, got $RC"
contains "error code" "$ERR" "ERROR:  undefined_column (42703)"
# The binder's error names the column's position (issue 11), as a syntax error does.
contains "caret at the unknown column" "$ERR" "LINE 1: SELECT nme FROM chat.messages
               ^"
contains "syntax error" "$ERR" "ERROR:  syntax_error (42601)"
contains "goes on after an error" "$OUT" "after"

# sql_requests: POST /v1/api/sql requests the server has answered so far. The server
# counts a request once its response's last byte is written, which can be just after the
# client has read it and exited: read until two reads 100 ms apart agree (at most 3 s).
sql_requests_now() {
  curl -s "$URL/metrics" | grep '^tenantdb_http_requests_total{route="/v1/api/sql"' |
    awk '{n += $2} END {print n + 0}'
}
sql_requests() {
  local previous current
  previous=$(sql_requests_now)
  for _ in $(seq 30); do
    sleep 0.1
    current=$(sql_requests_now)
    [[ "$current" == "$previous" ]] && break
    previous=$current
  done
  echo "$previous"
}

# --- a transaction: held by the shell, sent as one request at COMMIT, every statement's
# result printed then, in order.
BEFORE=$(sql_requests)
remote alice alice-secret-1 <<'EOF'
BEGIN;
INSERT INTO chat.messages VALUES (100, 'tx', 'one');
INSERT INTO chat.messages VALUES (101, 'tx', 'two');
SELECT count(*) AS in_tx FROM chat.messages WHERE thread_id = 'tx';
COMMIT;
SELECT count(*) AS after_commit FROM chat.messages WHERE thread_id = 'tx';
EOF
AFTER=$(sql_requests)
[[ "$RC" -eq 0 ]] || fail "transaction: exit $RC: $ERR"
contains "transaction results in order" "$OUT" "BEGIN
INSERT 0 1
INSERT 0 1
 in_tx
-------
     2
(1 row)

COMMIT"
contains "committed" "$OUT" " after_commit
--------------
            2"
[[ $((AFTER - BEFORE)) -eq 2 ]] ||
  fail "transaction: expected 2 SQL requests (the transaction, the SELECT), got $((AFTER - BEFORE))"

# --- a failed statement rolls the whole transaction back: the statements before it
# print, then its error, then ROLLBACK for the COMMIT; nothing after it ran.
remote alice alice-secret-1 <<'EOF'
BEGIN;
INSERT INTO chat.messages VALUES (200, 'tx2', 'a');
INSERT INTO chat.messages VALUES (100, 'dup', 'b');
INSERT INTO chat.messages VALUES (201, 'tx2', 'c');
COMMIT;
SELECT count(*) AS rolled_back FROM chat.messages WHERE id IN (200, 201);
EOF
[[ "$RC" -eq 1 ]] || fail "failed transaction: expected exit 1, got $RC"
contains "failed transaction error" "$ERR" "unique_violation (23505)"
contains "failed transaction output" "$OUT" "BEGIN
INSERT 0 1
ROLLBACK
 rolled_back
-------------
           0"

# --- ROLLBACK drops the held transaction without a request; so does the end of input
# (with a warning).
BEFORE=$(sql_requests)
remote alice alice-secret-1 <<'EOF'
BEGIN;
INSERT INTO chat.messages VALUES (300, 'rb', 'x');
ROLLBACK;
START TRANSACTION;
INSERT INTO chat.messages VALUES (301, 'eof', 'x');
EOF
AFTER=$(sql_requests)
[[ "$RC" -eq 0 ]] || fail "rollback: exit $RC: $ERR"
[[ "$OUT" == "ROLLBACK" ]] || fail "rollback: expected only ROLLBACK, got: $OUT"
contains "end of input warning" "$ERR" "WARNING:  the transaction was not committed"
[[ "$AFTER" -eq "$BEFORE" ]] || fail "ROLLBACK and end of input sent $((AFTER - BEFORE)) requests"
OUT=$(TENANTDB_PASSWORD=alice-secret-1 "$TENANTDB" sql --url "$URL" --user alice --format csv \
  "SELECT count(*) AS n FROM chat.messages WHERE id IN (300, 301)" 2>"$WORK/stderr")
contains "nothing of the dropped transactions" "$OUT" "n
0"

# --- tenantdb sql --url runs a transaction too.
OUT=$(TENANTDB_PASSWORD=alice-secret-1 "$TENANTDB" sql --url "$URL" --user alice --format csv \
  "BEGIN; INSERT INTO chat.messages VALUES (400, 'sql', 'x');
   UPDATE chat.messages SET content = 'y' WHERE id = 400; COMMIT;
   SELECT content FROM chat.messages WHERE id = 400" 2>"$WORK/stderr")
RC=$?
[[ "$RC" -eq 0 ]] || fail "sql --url transaction: exit $RC: $(cat "$WORK/stderr")"
contains "sql --url transaction" "$OUT" "content
y"

# --- SET is remembered and replayed: SHOW reads it back from the server, RESET forgets,
# a bad value fails at once and changes nothing.
remote alice alice-secret-1 <<'EOF'
SET statement_timeout = '1500ms';
SHOW statement_timeout;
SET statement_mem = '8MB';
SET app.tenant = 'acme';
SHOW statement_mem;
SHOW app.tenant;
SET statement_timeout = 'soon';
SHOW statement_timeout;
RESET statement_timeout;
SHOW statement_timeout;
SHOW statement_mem;
EOF
[[ "$RC" -eq 1 ]] || fail "SET: expected exit 1 (the bad value), got $RC: $ERR"
contains "bad SET value" "$ERR" "ERROR:  invalid_argument"
contains "SET replayed" "$OUT" "SET
 statement_timeout
-------------------
 1500ms
(1 row)

SET
SET
 statement_mem
---------------
 8MB
(1 row)

 app.tenant
------------
 acme
(1 row)

 statement_timeout
-------------------
 1500ms
(1 row)

RESET
 statement_timeout
-------------------
 30s
(1 row)

 statement_mem
---------------
 8MB"

# --- PREPARE / EXECUTE / DEALLOCATE: the PREPARE is replayed in front of EXECUTE.
remote alice alice-secret-1 <<'EOF'
PREPARE by_id (BIGINT) AS SELECT content FROM chat.messages WHERE id = $1;
EXECUTE by_id(1);
PREPARE by_id AS SELECT 1;
BEGIN;
EXECUTE by_id(100);
COMMIT;
DEALLOCATE by_id;
EXECUTE by_id(1);
PREPARE broken AS SELEC 1;
EOF
[[ "$RC" -eq 1 ]] || fail "PREPARE: expected exit 1, got $RC"
contains "EXECUTE runs the prepared statement" "$OUT" "PREPARE
 content
---------
 hi
(1 row)
"
contains "EXECUTE inside a transaction" "$OUT" "BEGIN
 content
---------
 one
(1 row)

COMMIT
DEALLOCATE"
contains "a second PREPARE of the name" "$ERR" "already_exists"
contains "EXECUTE after DEALLOCATE" "$ERR" 'prepared statement "by_id" does not exist'
contains "a bad PREPARE fails at once" "$ERR" "syntax_error"

# --- the prompt says when a transaction is open (`script` gives the shell a terminal).
if command -v script >/dev/null; then
  PROMPTS=$(printf 'BEGIN;\nSELECT 1;\nROLLBACK;\n\\q\n' |
    TENANTDB_PASSWORD=alice-secret-1 TENANTDB_HISTORY="$WORK/history" \
      script -qec "'$TENANTDB' shell --url '$URL' --user alice" /dev/null 2>&1)
  contains "transaction prompt" "$PROMPTS" "default=*> "
  contains "ROLLBACK under a terminal" "$PROMPTS" "ROLLBACK"
fi

# --- isolation: bob sees none of alice's rows.
remote bob bob-secret-1 <<'EOF'
SELECT count(*) AS n FROM chat.messages;
EOF
[[ "$RC" -eq 0 ]] || fail "bob: exit $RC: $ERR"
contains "bob sees nothing" "$OUT" "
 0
(1 row)"

# --- a wrong password: a clear error, exit 1, nothing run.
remote alice wrong-password-1 <<'EOF'
SELECT 1;
EOF
[[ "$RC" -eq 1 ]] || fail "wrong password: expected exit 1, got $RC"
contains "wrong password" "$ERR" "invalid_password (28P01)"

# --- help mentions what differs over HTTP.
remote alice alice-secret-1 <<'EOF'
\?
EOF
contains "remote help" "$OUT" "own server session"

# --- tenantdb sql --url, csv.
OUT=$(TENANTDB_PASSWORD=alice-secret-1 "$TENANTDB" sql --url "$URL" --user alice --format csv \
  "SELECT id, thread_id FROM chat.messages ORDER BY id" 2>"$WORK/stderr")
RC=$?
[[ "$RC" -eq 0 ]] || fail "sql --url: exit $RC: $(cat "$WORK/stderr")"
contains "sql --url csv" "$OUT" "id,thread_id
1,t1
22,t1"

# --- --url with --data is a usage error.
"$TENANTDB" shell --url "$URL" --data "$WORK/x" </dev/null >/dev/null 2>&1 &&
  fail "--url with --data was accepted"

# --- Ctrl-C cancels a long statement: the connection closes, the server stops the
# statement, the shell answers the next one.
remote root "$ROOT_PASSWORD" <<EOF
CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT) WITH (TYPE = 'SHARED');
INSERT INTO t VALUES $(seq -s, 1 2000 | sed 's/\([0-9]*\)/(\1, '"'"'v'"'"')/g');
EOF
[[ "$RC" -eq 0 ]] || fail "cancel setup: exit $RC: $ERR"
# A replayed SET applies on the server: the cross join stops at the statement_timeout.
remote root "$ROOT_PASSWORD" <<'EOF'
SET statement_timeout = '200ms';
SELECT count(*) FROM t a, t b, t c;
EOF
[[ "$RC" -eq 1 ]] || fail "statement_timeout: expected exit 1, got $RC"
contains "replayed statement_timeout cancels" "$ERR" "query_canceled (57014)"
mkfifo "$WORK/in"
TENANTDB_PASSWORD="$ROOT_PASSWORD" "$TENANTDB" shell --url "$URL" --user root \
  <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
SHELL_PID=$!
exec 3>"$WORK/in"
echo "SELECT count(*) FROM t a, t b, t c;" >&3
sleep 1
for _ in $(seq 120); do
  grep -q "57014" "$WORK/err" && break
  kill -INT "$SHELL_PID" 2>/dev/null || break
  sleep 0.5
done
echo "SELECT 41 + 1 AS answer;" >&3
exec 3>&-
wait "$SHELL_PID"
RC=$?
SHELL_PID=""
contains "cancel error" "$(cat "$WORK/err")" \
  "ERROR:  query_canceled (57014): canceling statement due to user request"
contains "next statement answered" "$(cat "$WORK/out")" " answer
--------
     42"
[[ "$RC" -eq 1 ]] || fail "exit code after a cancelled statement: expected 1, got $RC"
# The server noticed the closed connection and cancelled the cross join.
RUNNING=""
for _ in $(seq 100); do
  RUNNING=$(curl -s "$URL/metrics" | grep '^tenantdb_database_statements_running ' |
    awk '{print $2}')
  [[ "$RUNNING" == "0" ]] && break
  sleep 0.1
done
[[ "$RUNNING" == "0" ]] || fail "the server still runs the cancelled statement ($RUNNING running)"

# --- \subscribe: alice's rows of thread s1, then each change as it commits (bob's never);
# Ctrl-C ends the subscription, not the shell, which answers the next statement.
mkfifo "$WORK/sub_in"
TENANTDB_PASSWORD=alice-secret-1 "$TENANTDB" shell --url "$URL" --user alice \
  <"$WORK/sub_in" >"$WORK/sub_out" 2>"$WORK/sub_err" &
SHELL_PID=$!
exec 4>"$WORK/sub_in"
curl -s -u alice:alice-secret-1 -X POST "$URL/v1/api/sql" \
  -d "{\"sql\":\"INSERT INTO chat.messages VALUES (500, 's1', 'before')\"}" >/dev/null
echo "\\subscribe SELECT id, content FROM chat.messages WHERE thread_id = 's1'" >&4
for _ in $(seq 100); do grep -q "live at seq" "$WORK/sub_out" && break; sleep 0.1; done
curl -s -u alice:alice-secret-1 -X POST "$URL/v1/api/sql" -d "{\"sql\":\"INSERT INTO \
chat.messages VALUES (501, 's1', 'new'), (502, 's2', 'other thread'); UPDATE chat.messages \
SET content = 'changed' WHERE id = 500; DELETE FROM chat.messages WHERE id = 501\"}" >/dev/null
curl -s -u bob:bob-secret-1 -X POST "$URL/v1/api/sql" \
  -d "{\"sql\":\"INSERT INTO chat.messages VALUES (503, 's1', 'bob')\"}" >/dev/null
for _ in $(seq 100); do grep -q "^delete" "$WORK/sub_out" && break; sleep 0.1; done
kill -INT "$SHELL_PID" 2>/dev/null
for _ in $(seq 100); do grep -q "subscription ended" "$WORK/sub_out" && break; sleep 0.1; done
echo "SELECT 'still here' AS s;" >&4
exec 4>&-
wait "$SHELL_PID"
RC=$?
SHELL_PID=""
SUB=$(cat "$WORK/sub_out")
contains "subscribe ack" "$SUB" "subscribed: id BIGINT, content TEXT"
contains "subscribe snapshot" "$SUB" 'row [500,"before"]'
contains "subscribe insert" "$SUB" '[501,"new"]'
contains "subscribe update" "$SUB" '[500,"changed"] (was [500,"before"])'
contains "subscribe delete" "$SUB" 'delete seq='
not_contains "subscribe: other thread" "$SUB" "other thread"
not_contains "subscribe: bob's row" "$SUB" '"bob"'
contains "Ctrl-C ends the subscription" "$SUB" "subscription ended"
contains "the shell goes on" "$SUB" "still here"
[[ "$RC" -eq 0 ]] || fail "\\subscribe: exit $RC: $(cat "$WORK/sub_err")"
OUT=$(TENANTDB_PASSWORD=alice-secret-1 "$TENANTDB" shell --url "$URL" --user alice \
  -c '\subscribe SELECT * FROM chat.nosuch' 2>&1)
contains "\\subscribe error" "$OUT" "undefined_table"

if [[ $FAILURES -ne 0 ]]; then
  echo "remote_shell_test.sh: $FAILURES failure(s)" >&2
  echo "--- server stderr ---" >&2
  tail -20 "$WORK/server.err" >&2
  exit 1
fi
echo "remote_shell_test.sh: all passed"
