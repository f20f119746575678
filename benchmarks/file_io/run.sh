#!/usr/bin/env bash
# File I/O benchmark: the same C program (file_io.c) built natively (-O2) and
# as wasm→.so (clang-19 --target=wasm32-wasi -O2, `wasmaot compile`), each
# writing then reading 256 MiB in 64 KiB chunks in a scratch directory, run
# alternately ROUNDS times (default 3). Prints the best time of each and the
# ratio wasm/native. A measurement, not a test.
#   benchmarks/file_io/run.sh [BIN_DIR] [ROUNDS]      (BIN_DIR: build/bin)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin_dir=${1:-$here/../../build/bin}
rounds=${2:-3}
CC=${CC:-cc}
CLANG=${CLANG:-clang-19}
work=$(mktemp -d "${TMPDIR:-/tmp}/wasmaot_file_io.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/native_dir" "$work/wasm_dir"

"$CC" -O2 "$here/file_io.c" -o "$work/file_io.native"
"$CLANG" --target=wasm32-wasi -O2 "$here/file_io.c" -o "$work/file_io.wasm"
"$bin_dir/wasmaot" compile "$work/file_io.wasm" -o "$work/file_io.so"

best_native=999999 best_wasm=999999
for ((r = 1; r <= rounds; ++r)); do
  n=$("$work/file_io.native" "$work/native_dir")
  w=$("$bin_dir/wasmaot" run --dir "$work/wasm_dir::/bench" "$work/file_io.so" /bench)
  echo "round $r  native: $n"
  echo "round $r  wasm:   $w"
  tn=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<< "$n")
  tw=$(sed -E 's/.*total ([0-9.]+) s.*/\1/' <<< "$w")
  best_native=$(awk -v a="$best_native" -v b="$tn" 'BEGIN { print (b < a) ? b : a }')
  best_wasm=$(awk -v a="$best_wasm" -v b="$tw" 'BEGIN { print (b < a) ? b : a }')
done
awk -v n="$best_native" -v w="$best_wasm" 'BEGIN {
  printf "best of %s: native %.3f s (%.0f MB/s), wasm %.3f s (%.0f MB/s), wasm/native = %.3f\n",
         ARGV[1], n, 512 / n, w, 512 / w, w / n }' "$rounds"
