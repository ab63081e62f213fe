#!/usr/bin/env bash
# test.sh: runs every Meson test suite (host unit tests, then each CPU's QEMU boots) and closes with one
# "N passed, N failed" line over all of them. Usage: scripts/test.sh BUILD-DIR [SUITE-ARGS…] -- BUILD-DIR …
set -uo pipefail

passed=0 failed=0 skipped=0 status=0
run() { # run BUILD-DIR [meson test args…]
  local dir=$1; shift
  local out
  out=$(mktemp)
  meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$out"
  local rc=${PIPESTATUS[0]}
  local ok fail skip timeout expfail
  ok=$(awk '/^Ok:/ {print $2}' "$out" | tail -n 1)
  fail=$(awk '/^Fail:/ {print $2}' "$out" | tail -n 1)
  timeout=$(awk '/^Timeout:/ {print $2}' "$out" | tail -n 1)
  expfail=$(awk '/^Unexpected Pass:/ {print $3}' "$out" | tail -n 1)
  skip=$(awk '/^Skipped:/ {print $2}' "$out" | tail -n 1)
  passed=$((passed + ${ok:-0}))
  failed=$((failed + ${fail:-0} + ${timeout:-0} + ${expfail:-0}))
  skipped=$((skipped + ${skip:-0}))
  if [ "$rc" != 0 ]; then
    status=1
    # A run that failed before counting anything still counts as a failure.
    [ -n "$fail$ok" ] || failed=$((failed + 1))
  fi
  rm -f "$out"
}

args=()
for a in "$@" --; do
  if [ "$a" = -- ]; then
    [ ${#args[@]} -eq 0 ] || run "${args[@]}"
    args=()
  else
    args+=("$a")
  fi
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
