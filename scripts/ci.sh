#!/usr/bin/env bash
# Runs the stages of `make ci` one by one (each is a make target), goes on after a failure so
# the log shows every stage, prints a summary with timings, and fails if any stage failed.
set -uo pipefail
MAKE_CMD="${MAKE:-make}"
[ $# -gt 0 ] || set -- lint types check test test-pg e2e

declare -a names=() results=() seconds=()
failed=0
for stage in "$@"; do
  printf '\n\033[1m===== %s — make %s =====\033[0m\n' "$(date '+%H:%M:%S')" "$stage"
  start=$(date +%s)
  if "$MAKE_CMD" --no-print-directory "$stage"; then result=passed; else result=FAILED; failed=1; fi
  names+=("$stage"); results+=("$result"); seconds+=($(( $(date +%s) - start )))
  printf '===== make %s: %s (%ss)\n' "$stage" "$result" "${seconds[-1]}"
done

printf '\n\033[1m===== summary =====\033[0m\n'
for i in "${!names[@]}"; do
  printf '  %-8s %-7s %5ss\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
done
exit "$failed"
