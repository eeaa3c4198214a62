#!/usr/bin/env bash
# Usage: raise_nofile.sh N command [args...]: runs the command with the open-file limit
# (RLIMIT_NOFILE) at least N, raising the soft limit (and, as root, the hard limit) first.
set -euo pipefail
want=$1
shift
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt "$want" ]; then
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then
    ulimit -Hn "$want" 2>/dev/null || { echo "raise_nofile: hard limit $hard < $want" >&2; exit 1; }
  fi
  ulimit -Sn "$want"
fi
exec "$@"
