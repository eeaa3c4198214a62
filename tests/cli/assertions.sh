# Assertions for the shell-script tests in tests/cli (sourced, not run): each failed check
# prints "FAIL: ..." to stderr and counts in FAILURES; the test ends with
# `[[ $FAILURES -eq 0 ]]` (or its own summary).
FAILURES=0

fail() {
  echo "FAIL: $*" >&2
  FAILURES=$((FAILURES + 1))
}
# contains NAME TEXT NEEDLE: TEXT holds NEEDLE (a fixed string, may span lines).
contains() {
  if [[ "$2" != *"$3"* ]]; then
    fail "$1: expected to find"$'\n'"$3"$'\n'"--- in ---"$'\n'"$2"
  fi
}
not_contains() {
  if [[ "$2" == *"$3"* ]]; then
    fail "$1: did not expect"$'\n'"$3"$'\n'"--- in ---"$'\n'"$2"
  fi
}
equals() {
  if [[ "$2" != "$3" ]]; then
    fail "$1: expected"$'\n'"$3"$'\n'"--- got ---"$'\n'"$2"
  fi
}
