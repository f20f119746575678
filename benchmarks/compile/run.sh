#!/usr/bin/env bash
# Compile-time benchmark: wall time of `wasmaot compile -O2` with -j1 and -j2
# (median of --reps runs, default 3) for
#   1. gen.wasm — a synthetic ≥ 1 MB module made by gen_module.py (C with
#      loops, switches, arithmetic, struct/memory ops, direct and indirect
#      calls; clang-19 --target=wasm32-wasi -O1), and
#   2. the largest module of the spec test br_table.wast (wast2json).
# Prints seconds and seconds per MB of wasm (1 MB = 10^6 bytes). Also checks
# once that the generated module prints the same line natively and as wasm.
# A measurement, not a test; the machine should be otherwise idle.
#
#   benchmarks/compile/run.sh [--wasmaot PATH] [--work DIR] [--reps N]
#                             [--functions N] [--regen]
#   (PATH: build/bin/wasmaot; DIR: a new temp dir, kept so gen.wasm is reused
#    when passed again)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
wasmaot=$repo/build/bin/wasmaot
work= reps=3 functions=1200 regen=0
CLANG=${CLANG:-clang-19}
SPEC=${SPEC:-$repo/../shared/spec-testsuite}
while (($#)); do
  case $1 in
    --wasmaot) wasmaot=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --functions) functions=$2; shift 2 ;;
    --regen) regen=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[[ -n $work ]] || work=$(mktemp -d "${TMPDIR:-/tmp}/wasmaot_compile_bench.XXXXXX")
mkdir -p "$work/spec"
echo "wasmaot: $wasmaot   work: $work   reps: $reps   load: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. the generated module (reused if present, unless --regen)
if ((regen)) || [[ ! -f $work/gen.wasm ]]; then
  python3 "$here/gen_module.py" "$work" --functions "$functions" --clang "$CLANG"
fi
"$CLANG" -O1 "$work/gen.c" -o "$work/gen.native"
"$wasmaot" compile "$work/gen.wasm" -o "$work/gen.so" -O2 -j 2
want=$("$work/gen.native") got=$("$wasmaot" run "$work/gen.so")
if [[ $want != "$got" ]]; then
  echo "generated module output differs: native '$want' wasm '$got'" >&2
  exit 1
fi
echo "generated module runs: $got"

# 2. the largest module of br_table.wast
wast2json "$SPEC/br_table.wast" -o "$work/spec/br_table.json"
spec_wasm=$(ls -S "$work"/spec/*.wasm | head -n 1)

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '\n%-28s %10s %4s %9s %9s   %s\n' module bytes jobs median_s s_per_MB runs
for mod in "$work/gen.wasm" "$spec_wasm"; do
  bytes=$(stat -c %s "$mod")
  for j in 1 2; do
    times=()
    for ((r = 0; r < reps; ++r)); do
      rm -f "$work/out.so"
      t0=$(now)
      "$wasmaot" compile "$mod" -o "$work/out.so" -O2 -j "$j"
      t1=$(now)
      times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
    done
    med=$(printf '%s\n' "${times[@]}" | median)
    printf '%-28s %10d %4d %9.3f %9.3f   %s\n' "$(basename "$mod")" "$bytes" "$j" "$med" \
      "$(awk -v t="$med" -v b="$bytes" 'BEGIN { print t / (b / 1e6) }')" "${times[*]}"
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
