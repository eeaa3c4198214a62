#!/usr/bin/env bash
# End-to-end test of the shell's scripting and display features, run by ctest
# (cli_shell_scripts_test):  shell_scripts_test.sh /path/to/tenantdb
#   -c and -f in order, \i, errors as FILE:LINE, ON_ERROR_STOP (exit 3), \o, \x, \pset
#   null, --format; `sql --format` csv (NULL vs '', result sets apart) and json (big
#   integers as strings, JSON as JSON); on a terminal (script(1) gives the shell a pty):
#   the pager and the history file written as each entry is entered.
set -uo pipefail

TENANTDB=$(realpath "${1:?usage: shell_scripts_test.sh /path/to/tenantdb}")
source "$(dirname "$0")/assertions.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-shell-scripts-test.XXXXXX")
SCRIPT_PID=""
cleanup() {
  [[ -n "$SCRIPT_PID" ]] && kill -9 "$SCRIPT_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
[[ -n "${KEEP:-}" ]] && trap - EXIT
DATA="$WORK/data"

shell() {
  OUT=$(cd "$WORK" && "$TENANTDB" shell --data "$DATA" "$@" 2>"$WORK/stderr")
  RC=$?
  ERR=$(cat "$WORK/stderr")
}

cat >"$WORK/setup.sql" <<'SQL'
CREATE TABLE people (id INT PRIMARY KEY, name TEXT);
INSERT INTO people VALUES (1, 'ann'), (2, NULL), (3, '漢字');
SQL
shell -f setup.sql
equals "setup exit" "$RC" 0
contains "setup ran" "$OUT" "INSERT 0 3"

# --- -f with \i, \pset null, \x, errors naming FILE:LINE; the script goes on after them.
cat >"$WORK/main.sql" <<'SQL'
\pset null '(null)'
SELECT * FROM people ORDER BY id;

SELECT nosuch
  FROM people;
\i inner.sql
\x on
SELECT * FROM people WHERE id = 2;
\x off
\nosuchcommand
SELECT 'end' AS last;
SQL
cat >"$WORK/inner.sql" <<'SQL'
SELECT 'inner' AS i;
SELECT broken syntax here;
SQL
shell -f main.sql
equals "script with errors exits 1" "$RC" 1
contains "null display" "$OUT" ' id |  name
----+--------
  1 | ann
  2 | (null)
  3 | 漢字
(3 rows)'
contains "included file ran" "$OUT" "inner"
contains "expanded record" "$OUT" '-[ RECORD 1 ]
id   | 2
name | (null)'
contains "went on to the end" "$OUT" "end"
contains "error names file and line" "$ERR" "main.sql:5: ERROR:  undefined_column (42703)"
contains "caret under the column" "$ERR" "LINE 1: SELECT nosuch"
contains "error in the included file" "$ERR" "inner.sql:2: ERROR:  syntax_error (42601)"
contains "bad meta command" "$ERR" "main.sql:10: invalid command \\nosuchcommand"

# --- ON_ERROR_STOP: the first error ends the scripts, exit code 3 (psql's).
shell -v ON_ERROR_STOP=1 -f main.sql
equals "ON_ERROR_STOP exit" "$RC" 3
not_contains "stopped before the include" "$OUT" "inner"
not_contains "stopped before the end" "$OUT" "end"
cat >"$WORK/stop.sql" <<'SQL'
\set ON_ERROR_STOP on
SELECT 1 / 0;
SELECT 'unreached' AS u;
SQL
shell -f stop.sql
equals "\\set ON_ERROR_STOP exit" "$RC" 3
contains "division error" "$ERR" "stop.sql:2: ERROR:  division_by_zero"
not_contains "\\set ON_ERROR_STOP stops" "$OUT" "unreached"

# --- -c and -f run in the order given; -c takes a meta command too.
shell -c "SELECT 'first' AS a" -f inner.sql -c '\pset null NULL' -c "SELECT NULL AS n"
equals "-c/-f exit" "$RC" 1
first_at=${OUT%%first*}
inner_at=${OUT%%inner*}
[[ ${#first_at} -lt ${#inner_at} ]] || fail "-c before -f: $OUT"
contains "-c meta command" "$OUT" 'Null display is "NULL".'
contains "-c after -f" "$OUT" " n
------
 NULL"

# --- \subscribe needs a server (the embedded database has no live queries).
shell -c '\subscribe SELECT id FROM people'
contains "\\subscribe embedded" "$ERR" "needs a server"

# --- \o sends results to a file, and \o alone back.
shell -c '\o out.txt' -c "SELECT 'to file' AS f" -c '\o' -c "SELECT 'to stdout' AS s"
equals "\\o exit" "$RC" 0
contains "\\o file" "$(cat "$WORK/out.txt")" "to file"
not_contains "\\o kept it off stdout" "$OUT" "to file"
contains "\\o back to stdout" "$OUT" "to stdout"
shell -c '\o /nonexistent-dir/out.txt'
contains "\\o bad path" "$ERR" 'could not open "/nonexistent-dir/out.txt"'

# --- --format on the shell; `sql --format` csv and json.
shell --format csv -c "SELECT id, name FROM people ORDER BY id"
equals "shell csv" "$OUT" 'id,name
1,ann
2,
3,漢字'
OUT=$("$TENANTDB" sql --data "$DATA" --format csv "SELECT '' AS e, NULL::TEXT AS n; SELECT 1 AS x")
equals "sql csv: NULL vs empty, result sets apart" "$OUT" 'e,n
"",

x
1'
OUT=$("$TENANTDB" sql --data "$DATA" --format json \
  "SELECT 9007199254740993::BIGINT AS big, 5::BIGINT AS small, '{\"a\":1}'::JSON AS j")
contains "sql json" "$OUT" '"rows":[["9007199254740993",5,{"a":1}]]'

# --- On a terminal: the pager (always) and history written entry by entry.
if command -v script >/dev/null 2>&1; then
  mkfifo "$WORK/input"
  (cd "$WORK" && TENANTDB_HISTORY="$WORK/history" TENANTDB_PAGER="cat >> $WORK/paged" \
    timeout 60 script -qec "$TENANTDB shell --data $DATA" /dev/null <"$WORK/input" \
    >"$WORK/terminal" 2>&1) &
  SCRIPT_PID=$!
  exec 3>"$WORK/input"
  printf '%s\n' '\pset pager always' "SELECT 'paged' AS p;" "SELECT 42 AS answer;" >&3
  for _ in $(seq 1 100); do
    grep -q "SELECT 42 AS answer" "$WORK/history" 2>/dev/null && break
    sleep 0.1
  done
  # Still running (stdin open): the history file already has the entries.
  kill -0 "$SCRIPT_PID" 2>/dev/null || fail "the shell ended early: $(cat "$WORK/terminal")"
  contains "history as you go" "$(cat "$WORK/history" 2>/dev/null)" "SELECT 42 AS answer;"
  contains "history has meta commands" "$(cat "$WORK/history" 2>/dev/null)" '\pset pager always'
  printf '%s\n' '\q' >&3
  exec 3>&-
  wait "$SCRIPT_PID"
  SCRIPT_PID=""
  contains "paged output" "$(cat "$WORK/paged" 2>/dev/null)" "   p
-------
 paged
(1 row)"
  not_contains "paged output is not on the terminal" "$(cat "$WORK/terminal")" " paged"
fi

if [[ $FAILURES -gt 0 ]]; then
  echo "$FAILURES failure(s)" >&2
  exit 1
fi
echo "shell_scripts_test: all passed"
