#!/usr/bin/env bash
# End-to-end test of `tenantdb user set-password` / `check-password`, run by ctest
# (cli_user_test):
#   user_test.sh /path/to/tenantdb
# The password from TENANTDB_PASSWORD, from a line of stdin, and from a terminal (two
# prompts, through script(1) when it is installed); short passwords, unknown users, a
# missing directory and a directory another process holds fail clearly and change nothing;
# the password never appears in any output.
set -uo pipefail

TENANTDB=${1:?usage: user_test.sh /path/to/tenantdb}
source "$(dirname "$0")/assertions.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tenantdb-user-test.XXXXXX")
HOLDER_PID=""
cleanup() {
  [[ -n "$HOLDER_PID" ]] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
DATA="$WORK/data"

# run ARGS... < input: the binary with stdout+stderr in OUT and the exit code in RC.
run() {
  OUT=$("$TENANTDB" "$@" 2>&1)
  RC=$?
}
expect_rc() {
  [[ "$RC" -eq "$2" ]] || fail "$1: exit code $RC, expected $2; output:"$'\n'"$OUT"
}

# A data directory with alice (no password yet) and root.
"$TENANTDB" sql --data "$DATA" "CREATE USER alice ROLE dba" >/dev/null 2>&1 ||
  fail "setup: CREATE USER failed"

# 1. From TENANTDB_PASSWORD.
OUT=$(TENANTDB_PASSWORD='env-password-1' "$TENANTDB" user set-password root --data "$DATA" 2>&1 </dev/null)
RC=$?
expect_rc "set from env" 0
contains "set from env" "$OUT" "password of user root set"
not_contains "set from env: no password shown" "$OUT" "env-password-1"
OUT=$(TENANTDB_PASSWORD='env-password-1' "$TENANTDB" user check-password root --data "$DATA" 2>&1 </dev/null)
RC=$?
expect_rc "check env password" 0
OUT=$(TENANTDB_PASSWORD='env-password-2' "$TENANTDB" user check-password root --data "$DATA" 2>&1 </dev/null)
RC=$?
expect_rc "check a wrong password" 1
contains "check a wrong password" "$OUT" "invalid_password (28P01)"

# 2. From one line of stdin (no terminal).
run user set-password alice --data "$DATA" <<<'stdin-password-1'
expect_rc "set from stdin" 0
run user check-password alice --data "$DATA" <<<'stdin-password-1'
expect_rc "check stdin password" 0
run sql --data "$DATA" --format csv "SELECT user_id, has_password FROM system.users ORDER BY user_id"
contains "system.users shows the password state" "$OUT" "alice,t"
contains "system.users shows root's" "$OUT" "root,t"
not_contains "system.users shows no hash" "$OUT" "argon2"

# 3. Refusals change nothing and never echo the password.
run user set-password alice --data "$DATA" <<<'short'
expect_rc "short password" 1
contains "short password" "$OUT" "invalid_password (28P01): password is too short; it needs at least 8 characters"
not_contains "short password not shown" "$OUT" "short'"
run user check-password alice --data "$DATA" <<<'stdin-password-1'
expect_rc "unchanged after a refusal" 0
run user set-password ghost --data "$DATA" <<<'ghost-password-1'
expect_rc "unknown user" 1
contains "unknown user" "$OUT" 'not_found'
contains "unknown user" "$OUT" 'user "ghost" does not exist'
run user set-password alice --data "$WORK/missing" <<<'whatever-password'
expect_rc "missing directory" 1
contains "missing directory" "$OUT" "does not exist"
[[ -e "$WORK/missing" ]] && fail "missing directory: it was created"
run user set-password alice --data "$DATA" </dev/null
expect_rc "no input" 1
contains "no input" "$OUT" "no password given"

# 4. A terminal: two prompts, which must match (script(1) gives the command a pty).
if command -v script >/dev/null 2>&1; then
  OUT=$(printf 'tty-password-1\ntty-password-1\n' |
    script -qec "'$TENANTDB' user set-password alice --data '$DATA'" /dev/null 2>&1)
  RC=$?
  expect_rc "set from a terminal" 0
  contains "set from a terminal: first prompt" "$OUT" "New password for alice:"
  contains "set from a terminal: second prompt" "$OUT" "Retype the new password:"
  run user check-password alice --data "$DATA" <<<'tty-password-1'
  expect_rc "check terminal password" 0
  OUT=$(printf 'tty-password-2\ntty-password-3\n' |
    script -qec "'$TENANTDB' user set-password alice --data '$DATA'" /dev/null 2>&1)
  contains "mismatched prompts" "$OUT" "the passwords do not match"
  run user check-password alice --data "$DATA" <<<'tty-password-1'
  expect_rc "unchanged after a mismatch" 0
else
  echo "user_test.sh: script(1) not installed; terminal prompts not tested" >&2
fi

# 5. A directory another process holds (here a shell waiting for input) is refused.
mkfifo "$WORK/in"
"$TENANTDB" shell --data "$DATA" <"$WORK/in" >"$WORK/held.out" 2>&1 &
HOLDER_PID=$!
exec 3>"$WORK/in"
# Wait until the shell answers (it has the directory open then); probing with another
# process instead could take the directory first and make the shell fail.
echo "SELECT 'holding' AS state;" >&3
for _ in $(seq 300); do
  grep -q holding "$WORK/held.out" && break
  sleep 0.1
done
grep -q holding "$WORK/held.out" || fail "held directory: the shell did not start: $(cat "$WORK/held.out")"
run user set-password alice --data "$DATA" <<<'held-password-1'
expect_rc "held directory" 1
contains "held directory" "$OUT" "object_in_use (55006)"
exec 3>&-
wait "$HOLDER_PID"
HOLDER_PID=""
run user check-password alice --data "$DATA" <<<'held-password-1'
expect_rc "unchanged while held" 1

if [[ $FAILURES -ne 0 ]]; then
  echo "user_test.sh: $FAILURES failure(s)" >&2
  exit 1
fi
echo "user_test.sh: all passed"
