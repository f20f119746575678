#!/usr/bin/env bash
# Replays differential regressions: every DIR/NAME.wat, assembled with
# wat2wasm and run by exec_harness at -O0 and -O2, must print
# DIR/NAME.expected; when node is there, V8 must print it too. A first line
# `;; harness-flags: ...` passes flags to both (e.g. --shared-instance).
#   tests/differential/run_regressions.sh HARNESS WORKDIR DIR
set -euo pipefail
harness=$1 work=$2 dir=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work"
failed=0
for wat in "$dir"/*.wat; do
  name=$(basename "$wat" .wat)
  flags=$(sed -n '1s/^;; harness-flags://p' "$wat")
  wat2wasm "$wat" -o "$work/$name.wasm"
  if command -v node >/dev/null; then
    # shellcheck disable=SC2086
    node "$here/reference.mjs" $flags "$work/$name.wasm" | grep -v '^module ' > "$work/$name.v8.out"
    diff -u "$dir/$name.expected" "$work/$name.v8.out" || { echo "FAIL: $name: V8 disagrees with $name.expected"; failed=1; }
  fi
  for opt in 0 2; do
    # shellcheck disable=SC2086
    "$harness" -O "$opt" --work "$work" $flags "$work/$name.wasm" 2>/dev/null | grep -v '^module ' > "$work/$name.O$opt.out" || true
    if diff -u "$dir/$name.expected" "$work/$name.O$opt.out"; then
      echo "ok: $name at -O$opt"
    else
      echo "FAIL: $name at -O$opt"; failed=1
    fi
  done
done
exit $failed
