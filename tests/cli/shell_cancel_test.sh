#!/usr/bin/env bash
# Ctrl-C in `tenantdb shell`, run by ctest (cli_shell_cancel_test):
#   shell_cancel_test.sh /path/to/tenantdb
# A shell reading statements from a FIFO runs a cross join of 2000^3 rows (hours of
# work); SIGINT cancels it: the shell prints PostgreSQL's 57014 error, stays alive and
# answers the next statement. SIGINT between statements changes nothing.
set -uo pipefail

TENANTDB=${1:?usage: shell_cancel_test.sh /path/to/tenantdb}
source "$(dirname "$0")/assertions.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-shell-cancel.XXXXXX")
SHELL_PID=""
cleanup() {
  [[ -n "$SHELL_PID" ]] && kill -KILL "$SHELL_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA="$WORK/data"

# t: 2000 rows.
{
  echo "CREATE TABLE t (id BIGINT PRIMARY KEY, v TEXT);"
  printf "INSERT INTO t VALUES (1, 'v1')"
  for i in $(seq 2 2000); do printf ", (%d, 'v%d')" "$i" "$i"; done
  echo ";"
} | "$TENANTDB" shell --data "$DATA" >/dev/null 2>"$WORK/setup.err" ||
  fail "setup failed: $(cat "$WORK/setup.err")"

mkfifo "$WORK/in"
"$TENANTDB" shell --data "$DATA" <"$WORK/in" >"$WORK/out" 2>"$WORK/err" &
SHELL_PID=$!
exec 3>"$WORK/in"

# SIGINT while idle (waiting for input) is ignored.
sleep 1
kill -INT "$SHELL_PID" 2>/dev/null
echo "SELECT 'still here' AS idle;" >&3
for _ in $(seq 600); do
  grep -q "still here" "$WORK/out" && break
  sleep 0.1
done
kill -0 "$SHELL_PID" 2>/dev/null || fail "SIGINT between statements ended the shell"

# SIGINT while the cross join runs cancels it (signalled until the error shows: the
# statement must have started, which the test cannot observe directly).
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
OUT=$(cat "$WORK/out")
ERR=$(cat "$WORK/err")
contains "idle SIGINT ignored" "$OUT" "still here"
contains "cancel error" "$ERR" "ERROR:  query_canceled (57014): canceling statement due to user request"
contains "next statement answered" "$OUT" " answer
--------
     42"
[[ "$RC" -eq 1 ]] || fail "exit code after a cancelled statement: expected 1, got $RC"

if [[ $FAILURES -ne 0 ]]; then
  echo "shell_cancel_test.sh: $FAILURES failure(s)" >&2
  exit 1
fi
echo "shell_cancel_test.sh: all passed"
