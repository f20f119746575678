#!/usr/bin/env bash
# Runs one libFuzzer target: first replays every input of
# regressions/TARGET/ (each must pass), then fuzzes for SECONDS starting from
# the seed corpus corpus/TARGET/. New inputs go to DIR/found/TARGET; the
# checked-in corpus is never modified. A crash leaves its input in
# DIR/artifacts/; once fixed, add it to regressions/TARGET/ (as NAME.hex).
#
# Checked-in inputs are text: NAME.hex (hex digits, whitespace and #-comments
# ignored) and NAME.wat (assembled with wat2wasm) become binary inputs in
# DIR; any other file is used as it is.
#   tests/fuzz/run_fuzz.sh DIR TARGET [SECONDS] [extra libFuzzer flags...]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(mkdir -p "$1" && cd "$1" && pwd) target=$2 seconds=${3:-15}
shift $(( $# < 3 ? $# : 3 ))
bin=$dir/$target
[[ -x $bin ]] || { echo "run_fuzz.sh: $bin not built (tests/fuzz/build.sh $dir)" >&2; exit 1; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
flags=(-rss_limit_mb=2048 -timeout=10 -max_len="${MAX_LEN:-8192}")
[[ -f $here/dict/$target.dict ]] && flags+=(-dict="$here/dict/$target.dict")

# materialize SRC DST: the checked-in text inputs as binary files.
materialize() {
  rm -rf "$2" && mkdir -p "$2"
  [[ -d $1 ]] || return 0
  local f base
  for f in "$1"/*; do
    [[ -f $f ]] || continue
    base=$(basename "$f")
    case $f in
      *.hex) python3 -c 'import re,sys; t=re.sub(r"#[^\n]*","",open(sys.argv[1]).read()); open(sys.argv[2],"wb").write(bytes.fromhex("".join(t.split())))' "$f" "$2/${base%.hex}" ;;
      *.wat) wat2wasm "$f" -o "$2/${base%.wat}" ;;
      *) cp "$f" "$2/$base" ;;
    esac
  done
}

materialize "$here/regressions/$target" "$dir/regress/$target"
materialize "$here/corpus/$target" "$dir/seeds/$target"

shopt -s nullglob
files=("$dir/regress/$target"/*)
if (( ${#files[@]} )); then
  echo "== $target: replaying ${#files[@]} regression input(s)"
  "$bin" "${flags[@]}" "${files[@]}" > "$dir/$target.regress.log" 2>&1 || {
    cat "$dir/$target.regress.log"; echo "== $target: a regression input fails"; exit 1; }
fi

mkdir -p "$dir/found/$target" "$dir/artifacts"
echo "== $target: fuzzing for ${seconds}s"
set +e
"$bin" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$dir/artifacts/$target-" "$dir/found/$target" "$dir/seeds/$target" "$@" > "$dir/$target.log" 2>&1
status=$?
set -e
if (( status != 0 )); then
  tail -n 80 "$dir/$target.log"
  echo "== $target: FAILED (exit $status); input in $dir/artifacts/"
  exit 1
fi
grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)|^#[0-9]+ *DONE' "$dir/$target.log" || true
echo "== $target: corpus $(ls "$dir/found/$target" | wc -l) inputs"
