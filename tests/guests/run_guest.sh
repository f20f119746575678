#!/usr/bin/env bash
# Builds one guest C program for wasm32-wasi (clang, -O2) and checks how it
# runs under `wasmaot`:
#   run_guest.sh compare BIN_DIR SRC WORK [CC CLANG]   stdout equals the native -O2 build's
#   run_guest.sh trap    BIN_DIR SRC WORK TEXT         exit 70, stderr names the trap
#   run_guest.sh exit    BIN_DIR SRC WORK STATUS       exit with the guest's status
#   run_guest.sh args    BIN_DIR SRC WORK              args/env reach the guest; the cache works
# CC and CLANG come from the environment (defaults: cc, clang-19).
# TARGET_CPU (environment) compiles for that --target-cpu (default: the
# compiler's default, native); a target this machine cannot execute exits 77
# (ctest: skipped) with the missing features printed. trap mode checks both
# trap-state modes (default and --exact-trap-state): the trap is the same.
set -euo pipefail

mode=$1 bin_dir=$2 src=$3 work=$4
shift 4
CC=${CC:-cc}
CLANG=${CLANG:-clang-19}
wasmaot=$bin_dir/wasmaot
launcher=$bin_dir/wasmaot-run
name=$(basename "$src" .c)
mkdir -p "$work"
wasm=$work/$name.wasm
so=$work/$name.so

fail() { echo "FAIL ($name): $*" >&2; exit 1; }

# Compile and link separately: linking without -O keeps clang from running
# wasm-opt, which would strip the name section used in backtraces.
"$CLANG" --target=wasm32-wasi -O2 -c "$src" -o "$work/$name.o"
"$CLANG" --target=wasm32-wasi "$work/$name.o" -o "$wasm" -lm
rm -f "$so"
target_flags=()
if [[ -n ${TARGET_CPU:-} ]]; then target_flags=("--target-cpu=$TARGET_CPU"); fi
"$wasmaot" compile "${target_flags[@]}" "$wasm" -o "$so"

# A .so for CPU features this machine lacks is refused by the loader (exit
# 2, "... that this CPU lacks"): that target is skipped here, with the reason.
skip_if_cpu_lacks() {
  if [[ $1 -eq 2 ]] && grep -q "that this CPU lacks" "$2"; then
    echo "skip: target CPU ${TARGET_CPU:-native}: code $(grep -m1 -o 'needs CPU feature.*' "$2")"
    exit 77
  fi
}

case $mode in
  compare)
    "$CC" -O2 "$src" -o "$work/$name.native" -lm
    "$work/$name.native" > "$work/native.out"
    set +e
    "$wasmaot" run "$so" > "$work/wasm.out" 2> "$work/wasm.err"
    status=$?
    set -e
    skip_if_cpu_lacks "$status" "$work/wasm.err"
    [[ $status -eq 0 ]] || { cat "$work/wasm.err" >&2; fail "wasmaot run exited with $status"; }
    if ! cmp -s "$work/native.out" "$work/wasm.out"; then
      diff "$work/native.out" "$work/wasm.out" | head -20 >&2
      fail "output differs from the native build"
    fi
    # The runtime-only launcher gives the same output.
    "$launcher" "$so" > "$work/launcher.out"
    cmp -s "$work/native.out" "$work/launcher.out" || fail "wasmaot-run output differs"
    echo "ok: $name ($(wc -l < "$work/wasm.out") lines match the native build; --target-cpu=${TARGET_CPU:-native})"
    ;;
  trap)
    text=$1
    "$wasmaot" compile "${target_flags[@]}" --exact-trap-state "$wasm" -o "$work/$name.exact.so"
    for build in "$so" "$work/$name.exact.so"; do
      set +e
      "$wasmaot" run "$build" > "$work/wasm.out" 2> "$work/wasm.err"
      status=$?
      set -e
      skip_if_cpu_lacks "$status" "$work/wasm.err"
      cat "$work/wasm.err"
      [[ $status -eq 70 ]] || fail "$(basename "$build"): exit status $status, expected 70"
      grep -q "^error: trap: .*$text" "$work/wasm.err" || fail "$(basename "$build"): stderr does not say 'error: trap: ...$text'"
      echo "ok: $(basename "$build") trapped with '$text', exit 70 (--target-cpu=${TARGET_CPU:-native})"
    done
    ;;
  exit)
    expected=$1
    set +e
    "$wasmaot" run "$so" > "$work/wasm.out" 2> "$work/wasm.err"
    status=$?
    set -e
    [[ $status -eq $expected ]] || { cat "$work/wasm.err" >&2; fail "exit status $status, expected $expected"; }
    [[ ! -s "$work/wasm.err" ]] || { cat "$work/wasm.err" >&2; fail "unexpected stderr"; }
    echo "ok: $name exited with $expected"
    ;;
  args)
    cache=$work/cache
    rm -rf "$cache"
    export WASMAOT_CACHE_DIR=$cache
    expected=$(printf '%s\n' "argc=5" "argv[1]=one" "argv[2]=two words" "argv[3]=--env" "argv[4]=-x" \
      "GREETING=hello there" "EMPTY=(empty)" "absent=(unset)")
    # The launcher cannot compile: with an empty cache it says how to.
    set +e
    "$launcher" "$wasm" > /dev/null 2> "$work/launcher.err"
    status=$?
    set -e
    [[ $status -eq 2 ]] || fail "wasmaot-run on an uncached .wasm exited $status, expected 2"
    grep -q "wasmaot compile" "$work/launcher.err" || fail "wasmaot-run does not say to compile first"
    for round in first second; do
      out=$("$wasmaot" run --env "GREETING=hello there" --env EMPTY= "$wasm" one "two words" --env -x)
      [[ "$out" == "$expected" ]] || { printf 'got:\n%s\n' "$out" >&2; fail "$round run: wrong output"; }
    done
    entries=$(find "$cache" -name '*.so' | wc -l)
    [[ $entries -eq 1 ]] || fail "cache holds $entries .so files, expected 1"
    out=$("$launcher" --env "GREETING=hello there" --env EMPTY= "$wasm" one "two words" --env -x)
    [[ "$out" == "$expected" ]] || fail "wasmaot-run from the cache: wrong output"
    out=$("$wasmaot" run --env "GREETING=hello there" --env EMPTY= -- "$so" one "two words" --env -x)
    [[ "$out" == "$expected" ]] || fail "run of the .so: wrong output"
    # An --exact-trap-state build is cached beside the default one, and the
    # launcher finds it only when asked for it.
    out=$("$wasmaot" run --exact-trap-state --env "GREETING=hello there" --env EMPTY= "$wasm" one "two words" --env -x)
    [[ "$out" == "$expected" ]] || fail "--exact-trap-state run: wrong output"
    entries=$(find "$cache" -name '*-exact.so' | wc -l)
    [[ $entries -eq 1 ]] || fail "cache holds $entries exact-trap-state entries, expected 1"
    out=$("$launcher" --exact-trap-state --env "GREETING=hello there" --env EMPTY= "$wasm" one "two words" --env -x)
    [[ "$out" == "$expected" ]] || fail "wasmaot-run --exact-trap-state from the cache: wrong output"
    # Pruning: over WASMAOT_CACHE_MAX_MB, the least recently used entries go
    # (here a 2 MiB entry of another build, last used two days ago), never
    # the one just compiled; a day-old temporary file of a crashed compile goes too.
    old_entry=$cache/0000000000000000000000000000000000000000000000000000000000000000-oldbuild-O2-portable.so
    head -c 2097152 /dev/zero > "$old_entry"
    touch -d '2 days ago' "$old_entry"
    : > "$cache/crashed.so.tmp-1-0"
    touch -d '2 days ago' "$cache/crashed.so.tmp-1-0"
    out=$(WASMAOT_CACHE_MAX_MB=1 "$wasmaot" run -O1 --env "GREETING=hello there" --env EMPTY= "$wasm" one "two words" --env -x)
    [[ "$out" == "$expected" ]] || fail "run with a small cache limit: wrong output"
    [[ ! -e $old_entry ]] || fail "cache over its limit kept the least recently used entry"
    [[ ! -e $cache/crashed.so.tmp-1-0 ]] || fail "cache kept a day-old temporary file"
    [[ $(find "$cache" -name '*-O1-*.so' | wc -l) -eq 1 ]] || fail "the entry just compiled is missing"
    [[ $(find "$cache" -name '*-O2-*.so' | wc -l) -eq 2 ]] || fail "recently used entries were pruned too"
    echo "ok: $name (args, env, cache)"
    ;;
  *)
    fail "unknown mode $mode"
    ;;
esac
