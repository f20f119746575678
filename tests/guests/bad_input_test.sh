#!/usr/bin/env bash
# CLI error handling: `wasmaot compile` on bad input prints exactly one line
# `error: FILE: offset 0xNN: ...`, exits 1 and leaves no output file; usage
# and configuration errors exit 2; `wasmaot-run` does not link LLVM.
#   bad_input_test.sh BIN_DIR WORK
set -euo pipefail
bin_dir=$1 work=$2
wasmaot=$bin_dir/wasmaot
launcher=$bin_dir/wasmaot-run
rm -rf "$work"
mkdir -p "$work"
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

expect_compile_error() {
  local label=$1 file=$2
  local out=$work/$label.so
  set +e
  "$wasmaot" compile "$file" -o "$out" > "$work/$label.stdout" 2> "$work/$label.stderr"
  local status=$?
  set -e
  local lines
  lines=$(wc -l < "$work/$label.stderr")
  if [[ $status -ne 1 ]]; then fail "$label: exit status $status, expected 1"; fi
  if [[ $lines -ne 1 ]]; then fail "$label: $lines lines on stderr, expected 1"; cat "$work/$label.stderr" >&2; fi
  if ! grep -Eq "^error: .+: offset 0x[0-9a-f]+: .+" "$work/$label.stderr"; then
    fail "$label: stderr is not 'error: FILE: offset 0x..: ...': $(head -1 "$work/$label.stderr")"
  fi
  if [[ -e $out ]] || compgen -G "$out.tmp*" > /dev/null; then fail "$label: output file left behind"; fi
  echo "ok: $label -> $(head -1 "$work/$label.stderr")"
}

expect_status() {
  local label=$1 expected=$2
  shift 2
  set +e
  "$@" > "$work/$label.stdout" 2> "$work/$label.stderr"
  local status=$?
  set -e
  if [[ $status -ne $expected ]]; then fail "$label: exit status $status, expected $expected"; fi
  if [[ $expected -ne 0 && ! -s "$work/$label.stderr" ]]; then fail "$label: nothing on stderr"; fi
  echo "ok: $label -> exit $status: $(head -1 "$work/$label.stderr")"
}

# Random bytes (seeded, so failures reproduce).
LC_ALL=C awk 'BEGIN { srand(20240521); for (i = 0; i < 4096; i++) printf "%c", int(rand() * 256) }' \
  > "$work/random.wasm"
expect_compile_error random "$work/random.wasm"

printf '\x00asm\x01\x00\x00\x00\x01\x05\x01\x60' > "$work/truncated.wasm"        # type section cut short
expect_compile_error truncated "$work/truncated.wasm"
printf '\x00asm\x01\x00\x00' > "$work/truncated_header.wasm"
expect_compile_error truncated_header "$work/truncated_header.wasm"
printf '\x00wasm\x01\x00\x00\x00' > "$work/bad_magic.wasm"
expect_compile_error bad_magic "$work/bad_magic.wasm"
printf '\x00asm\x02\x00\x00\x00' > "$work/bad_version.wasm"
expect_compile_error bad_version "$work/bad_version.wasm"
printf '\x00asm\x01\x00\x00\x00\x01\x80\x80\x80\x80\x80\x00' > "$work/oversized_leb.wasm"  # 6-byte u32 LEB
expect_compile_error oversized_leb "$work/oversized_leb.wasm"
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\x6a\x0b' \
  > "$work/invalid_body.wasm"   # i32.add on an empty stack
expect_compile_error invalid_body "$work/invalid_body.wasm"

# Wasm 3.0 features not supported yet: refused, with the feature named.
expect_unsupported() {
  local label=$1 feature=$2
  expect_compile_error "$label" "$work/$label.wasm"
  if ! grep -qF "$feature, which wasmaot does not support yet" "$work/$label.stderr"; then
    fail "$label: the message does not name $feature: $(head -1 "$work/$label.stderr")"
  fi
}
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\x0a\x0b' \
  > "$work/throw_ref.wasm"      # throw_ref: exception handling's exnref form
expect_unsupported throw_ref "throw_ref/try_table"
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x0d\x03\x01\x01\x00' > "$work/tag_attribute.wasm"
expect_compile_error tag_attribute "$work/tag_attribute.wasm"  # a tag whose attribute is not 0
# i32.atomic.load from memory 1 of two (multi-memory itself is supported)
printf '\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x05\x05\x02\x00\x01\x00\x01' \
  > "$work/atomics_memory1.wasm"
printf '\x0a\x0b\x01\x09\x00\x41\x00\xfe\x10\x42\x01\x00\x0b' >> "$work/atomics_memory1.wasm"
expect_unsupported atomics_memory1 "atomics on a memory other than 0"
printf '\x00asm\x01\x00\x00\x00\x05\x03\x01\x04\x01' > "$work/memory64.wasm"  # (memory i64 1)
expect_unsupported memory64 "memory64's 64-bit index"

# A valid empty module compiles (and leaves only the output behind).
printf '\x00asm\x01\x00\x00\x00' > "$work/empty.wasm"
expect_status compile_empty 0 "$wasmaot" compile "$work/empty.wasm" -o "$work/empty.so"
expect_status compile_exact_trap_state 0 "$wasmaot" compile --exact-trap-state "$work/empty.wasm" -o "$work/exact.so"
[[ -f $work/empty.so ]] || fail "compile_empty: no output"
expect_status inspect_so 0 "$wasmaot" inspect "$work/empty.so"
expect_status inspect_wasm 0 "$wasmaot" inspect "$work/empty.wasm"
expect_status run_without_start 2 "$wasmaot" run "$work/empty.so"

expect_status compile_bad_flag 2 "$wasmaot" compile --bogus "$work/empty.wasm"
expect_status compile_bad_opt 2 "$wasmaot" compile -O7 "$work/empty.wasm"
expect_status compile_bad_jobs 2 "$wasmaot" compile -j zero "$work/empty.wasm"
expect_status compile_missing_output_dir 2 "$wasmaot" compile "$work/empty.wasm" -o "$work/no/such/dir/x.so"
expect_status compile_missing_file 2 "$wasmaot" compile "$work/does-not-exist.wasm" -o "$work/x.so"
expect_status run_bad_flag 2 "$wasmaot" run --bogus "$work/empty.so"
expect_status run_bad_env 2 "$wasmaot" run --env NOEQUALS "$work/empty.so"
expect_status run_missing_file 2 "$wasmaot" run "$work/does-not-exist.so"
echo "just text" > "$work/text.so"
expect_status run_not_a_module 2 "$wasmaot" run "$work/text.so"
expect_status launcher_bad_flag 2 "$launcher" --bogus "$work/empty.so"
expect_status launcher_missing 2 "$launcher" "$work/does-not-exist.so"
expect_status top_bad_command 2 "$wasmaot" frobnicate
expect_status top_no_args 2 "$wasmaot"
expect_status top_help 0 "$wasmaot" --help
expect_status top_version 0 "$wasmaot" --version
for sub in compile run inspect; do expect_status "${sub}_help" 0 "$wasmaot" "$sub" --help; done
expect_status launcher_help 0 "$launcher" --help
expect_status launcher_version 0 "$launcher" --version
if [[ $(wc -l < "$work/run_missing_file.stderr") -ne 1 ]]; then fail "missing file: more than one line"; fi
if [[ $(wc -l < "$work/run_bad_flag.stderr") -ne 2 ]]; then fail "bad flag: expected one line plus the usage hint"; fi

# The launcher must not pull in LLVM.
if ldd "$launcher" | grep -qi llvm; then fail "wasmaot-run links LLVM: $(ldd "$launcher" | grep -i llvm)"; fi

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all CLI error checks passed"
