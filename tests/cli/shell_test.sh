#!/usr/bin/env bash
# End-to-end test of the tenantdb binary's SQL front ends, run by ctest (cli_shell_test):
#   shell_test.sh /path/to/tenantdb
# `tenantdb shell` fed through a pipe (no prompts, statements until ';', tables, tags,
# meta commands, errors with code and caret, exit codes, one user not seeing another's
# rows), `tenantdb sql` one-shot in each format, and a small `tenantdb bench sql` whose
# last line must be one JSON object with every figure.
set -uo pipefail

TENANTDB=${1:?usage: shell_test.sh /path/to/tenantdb}
source "$(dirname "$0")/assertions.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-shell-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DATA="$WORK/data"

# shell ARGS... < input: runs `tenantdb shell` with stdout, stderr and exit code captured
# in OUT, ERR and RC.
shell() {
  OUT=$("$TENANTDB" shell --data "$DATA" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}
sql() {
  OUT=$("$TENANTDB" sql --data "$DATA" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}

# --- shell: DDL, multi-line INSERT, SELECT as a table, command tags, no prompts.
shell <<'EOF'
CREATE NAMESPACE chat;
CREATE TABLE chat.messages (
  id BIGINT PRIMARY KEY,
  thread_id TEXT NOT NULL,
  content TEXT
) WITH (TYPE = 'USER');
EXECUTE AS USER 'alice' (INSERT INTO chat.messages VALUES (1, 't1', 'hi'), (22, 't1', NULL));
EXECUTE AS USER 'alice' (SELECT id, content
  FROM chat.messages ORDER BY id);
SELECT 1 AS one; SELECT 'x' AS a, 2.5 AS b
;
EOF
equals "shell ddl exit code" "$RC" 0
equals "shell ddl stderr" "$ERR" ""
not_contains "shell piped has no prompt" "$OUT" "=>"
contains "create namespace tag" "$OUT" "CREATE NAMESPACE"
contains "create table tag" "$OUT" "CREATE TABLE"
contains "insert tag" "$OUT" "INSERT 0 2"
contains "aligned select" "$OUT" " id | content
----+---------
  1 | hi
 22 |
(2 rows)"
contains "one row" "$OUT" " one
-----
   1
(1 row)"
contains "statement ended on its own line" "$OUT" " a |  b
---+-----
 x | 2.5
(1 row)"

# --- shell as alice (role user by default): her own rows only; bob sees none.
shell --user alice <<'EOF'
SELECT count(*) AS n FROM chat.messages;
INSERT INTO chat.messages VALUES (3, 't2', 'third');
EOF
equals "alice exit code" "$RC" 0
contains "alice sees her rows" "$OUT" "(1 row)"
contains "alice count" "$OUT" "
 2
(1 row)"
contains "alice insert" "$OUT" "INSERT 0 1"
shell --user bob <<'EOF'
SELECT count(*) AS n FROM chat.messages;
EOF
equals "bob exit code" "$RC" 0
contains "bob sees nothing of alice's" "$OUT" "
 0
(1 row)"

# --- shell errors: code, SQLSTATE, caret; later statements still run; exit code 1.
shell <<'EOF'
SELECT * FRM chat.messages;
SELECT * FROM chat.nope;
SELECT 7 AS after_errors;
EOF
equals "errors exit code" "$RC" 1
contains "syntax error with code" "$ERR" "ERROR:  syntax_error (42601): "
contains "caret line" "$ERR" "LINE 1: SELECT * FRM chat.messages
                 ^"
contains "undefined table" "$ERR" "ERROR:  undefined_table (42P01): "
contains "runs on after errors" "$OUT" "after_errors"

# --- shell meta commands.
shell <<'EOF'
\?
\dn
\dt chat
\d chat.messages
\timing on
SELECT 1 AS one;
\timing off
SELECT 2 AS two;
\nonsense
\q
SELECT 3 AS never;
EOF
equals "meta exit code (an invalid command fails)" "$RC" 1
contains "help" "$OUT" "\\timing"
contains "namespaces list chat" "$OUT" "chat"
contains "tables list messages" "$OUT" "messages"
contains "describe shows columns" "$OUT" "thread_id"
contains "timing on" "$OUT" "Timing is on."
contains "timing printed" "$OUT" "Time: "
contains "invalid meta command" "$ERR" "invalid command \\nonsense"
not_contains "\\q stops" "$OUT" "never"
TIMES=$(grep -c "^Time: " <<<"$OUT")
equals "one timed statement" "$TIMES" 1

# --- shell \copy: the client's files through COPY FROM STDIN / TO STDOUT; a bad row names
# its line and loads nothing.
printf 'id,word\n1,"a, b"\n2,\n3,""\n' >"$WORK/words.csv"
shell <<EOF
CREATE TABLE words (id INT PRIMARY KEY, word TEXT) WITH (TYPE = 'SHARED');
\copy words FROM '$WORK/words.csv' WITH (FORMAT csv, HEADER)
\copy (SELECT id, word FROM words ORDER BY id) TO '$WORK/words.txt'
SELECT count(*) AS nulls FROM words WHERE word IS NULL;
EOF
equals "\\copy exit code" "$RC" 0
equals "\\copy stderr" "$ERR" ""
contains "\\copy from tag" "$OUT" "COPY 3"
equals "\\copy to file" "$(cat "$WORK/words.txt")" $'1\ta, b\n2\t\\N\n3\t'
contains "\\copy null stays null" "$OUT" " nulls
-------
     1"
printf '4\tok\nfive\tbad\n' >"$WORK/bad.txt"
shell <<EOF
\copy words FROM '$WORK/bad.txt'
SELECT count(*) AS total FROM words;
EOF
contains "\\copy bad row" "$ERR" "line 2, column id"
contains "\\copy bad row loads nothing" "$OUT" "     3"

# --- shell: an unfinished statement at end of input still runs.
shell < <(printf 'SELECT 5 AS five')
equals "unterminated exit code" "$RC" 0
contains "unterminated runs" "$OUT" "five"

# --- sql one-shot: formats, several statements, errors.
sql "SELECT 1 AS a, 'x,y' AS b"
equals "sql exit code" "$RC" 0
contains "sql table" "$OUT" " a |  b
---+-----
 1 | x,y
(1 row)"
sql --format csv "SELECT 1 AS a, 'x,y' AS b"
equals "sql csv" "$OUT" 'a,b
1,"x,y"'
sql --format json "SELECT 1 AS a, NULL AS b"
contains "sql json" "$OUT" '"rows":[[1,null]],"row_count":1'
sql "CREATE NAMESPACE other; SELECT 9 AS nine"
contains "sql script tag" "$OUT" "CREATE NAMESPACE"
contains "sql script rows" "$OUT" "nine"
sql "SELECT 1 AS first; SELECT * FROM nowhere.none; SELECT 2 AS never"
equals "sql error exit code" "$RC" 1
contains "sql prints results before the error" "$OUT" "first"
not_contains "sql stops at the error" "$OUT" "never"
contains "sql error on stderr" "$ERR" "ERROR:  undefined_table (42P01): "
sql --format xml "SELECT 1"
[[ "$RC" -ne 0 ]] || fail "sql --format xml must fail"
sql --user alice --role system "SELECT 1 AS ok"
equals "sql with --role" "$RC" 0
sql --role emperor "SELECT 1"
equals "sql bad role exit code" "$RC" 1
contains "sql bad role message" "$ERR" "ERROR:  invalid_argument"

# --- bench sql: a small run; the last line is JSON with every figure.
BENCH=$("$TENANTDB" bench sql --users 20 --rows 200 --rows-per-user 60 --queries 300 \
  --agg-rows 20000 --dir "$WORK/bench" 2>"$WORK/bench.stderr")
RC=$?
equals "bench sql exit code" "$RC" 0
LAST=$(tail -n 1 <<<"$BENCH")
[[ "$LAST" == "{"*"}" ]] || fail "bench sql last line is not a JSON object: $LAST"
for key in insert_per_s sqlite_insert_per_s point_select_per_s sqlite_point_select_per_s \
  recent20_per_s sqlite_recent20_per_s agg_1m_rows_ms sqlite_agg_1m_rows_ms insert_ratio \
  point_select_ratio recent20_ratio agg_ratio; do
  [[ "$LAST" =~ \"$key\":[0-9.e+-]+[,}] ]] || fail "bench sql JSON lacks a number for $key: $LAST"
done
contains "bench sql durability" "$LAST" '"durability":"each write synced"'
contains "bench sql groups" "$LAST" '"agg_groups":100'

if [[ $FAILURES -ne 0 ]]; then
  echo "shell_test.sh: $FAILURES failure(s)" >&2
  [[ -s "$WORK/bench.stderr" ]] && cat "$WORK/bench.stderr" >&2
  exit 1
fi
echo "shell_test.sh: all passed"
