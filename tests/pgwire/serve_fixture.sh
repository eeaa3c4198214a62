# The shell tests' server (sourced, not run; the pgwire tests and cli_remote_shell_test):
# `start_serve WORK` starts `tenantdb serve` ($TENANTDB) on WORK/data with both listeners
# on ephemeral loopback ports and root's password ROOT_PASSWORD, and sets SERVER_PID, PORT
# (the PostgreSQL listener's) and URL (the HTTP one's) or exits 1 with the server's output. `stop_serve` (also run on EXIT with
# `rm -rf WORK`, after the caller's optional `cleanup_hook`) stops it with SIGTERM, then
# SIGKILL after 10 s. `q USER PASSWORD [psql args...] < script` runs psql against it:
# stdout+stderr in OUT, exit code in RC.
ROOT_PASSWORD="root-secret-1"
SERVER_PID=""
PORT=""
URL=""
FIXTURE_WORK=""

stop_serve() {
  if [[ -n "$SERVER_PID" ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
  fi
}

fixture_cleanup() {
  if declare -F cleanup_hook >/dev/null; then cleanup_hook; fi
  stop_serve
  [[ -n "$FIXTURE_WORK" ]] && rm -rf "$FIXTURE_WORK"
}
trap fixture_cleanup EXIT

start_serve() {
  FIXTURE_WORK=$1
  TENANTDB_ROOT_PASSWORD="$ROOT_PASSWORD" TENANTDB_LOGGING_LEVEL=warn "$TENANTDB" serve \
    --data "$FIXTURE_WORK/data" --listen 127.0.0.1:0 --pg-listen 127.0.0.1:0 \
    >"$FIXTURE_WORK/server.out" 2>"$FIXTURE_WORK/server.err" &
  SERVER_PID=$!
  # The HTTP line comes last, once both listeners accept connections.
  for _ in $(seq 600); do
    URL=$(grep -oh "^listening on http://127\.0\.0\.1:[0-9]*" "$FIXTURE_WORK/server.out" \
      2>/dev/null | head -1 | sed 's/^listening on //')
    [[ -n "$URL" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  PORT=$(grep -oh "pgwire listening on 127\.0\.0\.1:[0-9]*" "$FIXTURE_WORK/server.out" \
    2>/dev/null | head -1 | sed 's/.*://')
  if [[ -z "$URL" || -z "$PORT" ]]; then
    echo "FAIL: the server did not start:" >&2
    cat "$FIXTURE_WORK/server.out" "$FIXTURE_WORK/server.err" >&2
    exit 1
  fi
}

q() {
  local user=$1 password=$2
  shift 2
  OUT=$(PGPASSWORD="$password" PGCONNECT_TIMEOUT=10 psql -X -h 127.0.0.1 -p "$PORT" -U "$user" \
    -d anydb -v ON_ERROR_STOP=1 "$@" 2>&1)
  RC=$?
}
