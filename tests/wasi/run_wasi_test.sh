#!/usr/bin/env bash
# WASI host tests: builds a guest C program for wasm32-wasi (clang, -O2),
# compiles it with `wasmaot compile`, runs it with `wasmaot run` in a prepared
# directory tree and checks the outcome.
#   run_wasi_test.sh TEST BIN_DIR SRC_DIR WORK
# TEST is one of: files escape proc stdin limits unstable efault bad_input.
# CC and CLANG come from the environment (defaults: cc, clang-19).
set -euo pipefail

test=$1 bin_dir=$2 src_dir=$3 work=$4
CC=${CC:-cc}
CLANG=${CLANG:-clang-19}
wasmaot=$bin_dir/wasmaot
rm -rf "$work"
mkdir -p "$work"

fail() { echo "FAIL ($test): $*" >&2; exit 1; }

# build NAME: $work/NAME.so (and $work/NAME.native when asked)
build() {
  local name=$1
  "$CLANG" --target=wasm32-wasi -O2 -c "$src_dir/$name.c" -o "$work/$name.o"
  "$CLANG" --target=wasm32-wasi "$work/$name.o" -o "$work/$name.wasm"
  "$wasmaot" compile "$work/$name.wasm" -o "$work/$name.so"
  if [[ ${2:-} == native ]]; then "$CC" -O2 "$src_dir/$name.c" -o "$work/$name.native"; fi
}

# Runs the rest of the line, capturing status, stdout, stderr.
capture() {
  set +e
  "$@" > "$work/out" 2> "$work/err"
  status=$?
  set -e
}

same() {  # same EXPECTED ACTUAL WHAT
  if ! cmp -s "$1" "$2"; then
    diff "$1" "$2" | head -40 >&2
    fail "$3"
  fi
}

case $test in
  files)
    build files native
    mkdir -p "$work/native_fs" "$work/wasm_fs" "$work/walk_fs"
    "$work/files.native" "$work/native_fs" > "$work/native.out"
    capture "$wasmaot" run --dir "$work/wasm_fs::/sandbox" "$work/files.so" /sandbox
    [[ $status -eq 0 ]] || { cat "$work/out" "$work/err" >&2; fail "exit status $status"; }
    same "$work/native.out" "$work/out" "output differs from the native build"
    # The same through the component walk (no openat2).
    capture env WASMAOT_WASI_NO_OPENAT2=1 "$wasmaot" run --dir "$work/walk_fs::/sandbox" "$work/files.so" /sandbox
    [[ $status -eq 0 ]] || { cat "$work/out" "$work/err" >&2; fail "walk: exit status $status"; }
    same "$work/native.out" "$work/out" "walk: output differs from the native build"
    echo "ok: files ($(wc -l < "$work/native.out") lines match the native build, openat2 and walk)"
    ;;

  escape)
    build escape
    for mode in openat2 walk; do
      root=$work/$mode
      mkdir -p "$root/data/sub" "$root/outside" "$root/ro"
      echo "secret" > "$root/outside/secret"
      echo "inside" > "$root/data/inside.txt"
      echo "inner" > "$root/data/sub/inner"
      echo "readme" > "$root/ro/readme"
      ln -s ../outside/secret "$root/data/link_rel_out"
      ln -s /etc/passwd "$root/data/link_abs"
      ln -s ../outside "$root/data/dirlink_out"
      ln -s chain2 "$root/data/chain1"
      ln -s sub/chain3 "$root/data/chain2"
      ln -s ../../outside/secret "$root/data/sub/chain3"
      ln -s sub/inner_link "$root/data/good_chain"
      ln -s inner "$root/data/sub/inner_link"
      ln -s loop2 "$root/data/loop1"
      ln -s loop1 "$root/data/loop2"
      ln -s ../outside/new_file "$root/data/link_new_out"
      cat > "$root/policy.json" <<EOF
{ "version": 1,
  "filesystem": { "preopens": [ { "host": "data", "guest": "/data" },
                                { "host": "ro", "guest": "/ro", "readonly": true } ] } }
EOF
      before=$(cd "$root" && find outside ro -printf '%p %s %y\n' | sort; cat outside/secret ro/readme)
      if [[ $mode == walk ]]; then export WASMAOT_WASI_NO_OPENAT2=1; fi
      capture "$wasmaot" run --policy "$root/policy.json" "$work/escape.so"
      unset WASMAOT_WASI_NO_OPENAT2
      [[ $status -eq 0 ]] || { cat "$work/out" "$work/err" >&2; fail "$mode: exit status $status"; }
      same "$src_dir/escape.expected" "$work/out" "$mode: refusals differ from escape.expected"
      after=$(cd "$root" && find outside ro -printf '%p %s %y\n' | sort; cat outside/secret ro/readme)
      [[ "$before" == "$after" ]] || fail "$mode: something outside the preopen changed"
      for f in created newdir stolen moved; do [[ ! -e "$root/$f" ]] || fail "$mode: $f appeared outside"; done
      [[ ! -e "$root/data/grabbed" && ! -e "$root/data/taken" ]] || fail "$mode: outside file pulled in"
    done
    echo "ok: escape ($(wc -l < "$src_dir/escape.expected") attempts, openat2 and walk; nothing outside changed)"
    ;;

  proc)
    build proc
    mkdir -p "$work/d"
    printf '{"version":1,"env":{"inherit":false,"set":{"FROM_POLICY":"yes","EMPTY":"overridden"}}}' > "$work/p.json"
    capture env HOME_SHOULD_BE_UNSET=1 "$wasmaot" run --policy "$work/p.json" --env "GREETING=hello there" \
      --env EMPTY= --dir "$work/d" "$work/proc.so" 7 "two words" --dir
    [[ $status -eq 7 ]] || { cat "$work/err" >&2; fail "exit status $status, expected the guest's 7"; }
    same "$src_dir/proc.expected" "$work/out" "stdout differs from proc.expected"
    [[ "$(cat "$work/err")" == "to stderr" ]] || fail "stderr: $(cat "$work/err")"
    capture "$wasmaot" run "$work/proc.so" 0
    [[ $status -eq 0 ]] || fail "exit 0 expected, got $status"
    echo "ok: proc (args, env, clocks, sleep, entropy, exit status 7)"
    ;;

  stdin)
    build stdin native
    seq 1 100000 > "$work/input"
    "$work/stdin.native" < "$work/input" > "$work/native.out"
    cat "$work/input" | "$wasmaot" run "$work/stdin.so" > "$work/out"
    same "$work/native.out" "$work/out" "stdin through a pipe"
    "$wasmaot" run "$work/stdin.so" < "$work/input" > "$work/out"
    same "$work/native.out" "$work/out" "stdin from a file"
    "$work/stdin.native" < /dev/null > "$work/native.out"
    "$wasmaot" run "$work/stdin.so" < /dev/null > "$work/out"
    same "$work/native.out" "$work/out" "stdin from /dev/null"
    # stdout and stderr interleave as written (both unbuffered at the host).
    echo "ok: stdin (pipe, file, /dev/null read to EOF, as natively)"
    ;;

  limits)
    build limits
    mkdir -p "$work/d"
    printf '{"version":1,"limits":{"memory_pages":1024,"open_fds":16}}' > "$work/p.json"
    capture "$wasmaot" run --policy "$work/p.json" --dir "$work/d::/data" "$work/limits.so" /data
    [[ $status -eq 0 ]] || { cat "$work/out" "$work/err" >&2; fail "exit status $status"; }
    same "$src_dir/limits.expected" "$work/out" "limits output"
    echo "ok: limits (memory pages, open fds)"
    ;;

  unstable | efault)
    # Hand-written modules (.wat): layouts of wasi_unstable; EFAULT on bad pointers.
    wat2wasm "$src_dir/$test.wat" -o "$work/$test.wasm"
    "$wasmaot" compile "$work/$test.wasm" -o "$work/$test.so"
    mkdir -p "$work/d"
    printf '0123456789' > "$work/d/ten"
    capture "$wasmaot" run --dir "$work/d::d" "$work/$test.so" < /dev/null
    [[ $status -eq 0 ]] || { cat "$work/out" "$work/err" >&2; fail "exit status $status"; }
    same "$src_dir/$test.expected" "$work/out" "$test checks"
    echo "ok: $test ($(wc -l < "$src_dir/$test.expected") checks)"
    ;;

  bad_input)
    build proc
    mkdir -p "$work/d"
    check() {  # check WHAT EXPECTED_TEXT args...
      local what=$1 text=$2
      shift 2
      capture "$wasmaot" run "$@"
      [[ $status -eq 2 ]] || fail "$what: exit status $status, expected 2"
      [[ $(wc -l < "$work/err") -eq 1 ]] || { cat "$work/err" >&2; fail "$what: not one line on stderr"; }
      grep -qF -- "$text" "$work/err" || { cat "$work/err" >&2; fail "$what: stderr lacks '$text'"; }
      [[ ! -s "$work/out" ]] || fail "$what: the guest ran"
    }
    printf '{"version":1,"filesystem":{"preopens":[{"host":"d"},{"host":"nope"}]}}' > "$work/missing.json"
    check "missing preopen in the manifest" "filesystem.preopens[1].host: no such directory" \
      --policy "$work/missing.json" "$work/proc.so"
    printf '{"version":1,"limits":{"memory_pages":16384,"open_fd":3}}' > "$work/unknown.json"
    check "unknown key" "limits.open_fd: unknown key" --policy "$work/unknown.json" "$work/proc.so"
    printf '{"version":1,"env":{"inherit":"yes"}}' > "$work/badvalue.json"
    check "bad value" "env.inherit: expected true or false" --policy "$work/badvalue.json" "$work/proc.so"
    printf '{"version":1,' > "$work/broken.json"
    check "broken JSON" "invalid JSON" --policy "$work/broken.json" "$work/proc.so"
    check "missing policy file" "cannot read policy file" --policy "$work/none.json" "$work/proc.so"
    check "missing --dir directory" "no such directory" --dir "$work/absent" "$work/proc.so"
    check "bad --dir spelling (two ::)" "more than one '::'" --dir "$work/d::a::b" "$work/proc.so"
    check "bad --dir spelling (empty guest)" "empty guest name" --dir "$work/d::" "$work/proc.so"
    check "bad --dir spelling (empty host)" "empty host directory" --dir "::/x" "$work/proc.so"
    echo "ok: bad_input (9 cases: one line, exit 2)"
    ;;

  *)
    fail "unknown test $test"
    ;;
esac
