#!/bin/sh
# Quick loopback TCP throughput, 64 KiB writes: the sender (and, second
# table, the receiver) as native code and as wasm -> .so, same run, same
# peer. Prints the best of REPS rounds per configuration. Not a timed test.
#   benchmarks/socket_quick/run.sh [BUILD_DIR] [MIB] [REPS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
mib=${2:-2048}
reps=${3:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/sockbench" "$here/sockbench.c"
"$build/bin/wasmaot-cc" -O2 "$here/sockbench.c" -o "$out/sockbench.wasm"
"$build/bin/wasmaot" compile "$out/sockbench.wasm" -o "$out/sockbench.so" >/dev/null
pool=--addr-pool=127.0.0.1/32

# run RECV_CMD SEND_CMD...: starts the receiver, reads its port, runs the sender.
run() {
    recv_cmd=$1
    shift
    fifo="$out/port.$$"
    rm -f "$fifo"
    mkfifo "$fifo"
    $recv_cmd >"$fifo" 2>/dev/null &
    pid=$!
    port=$(head -n 1 "$fifo" | sed 's/port //')
    "$@" "$port" "$mib" | sed 's/MiB\/s //'
    wait $pid
}
max() { [ "$1" -gt "$2" ] && echo "$1" || echo "$2"; }
nat="$out/sockbench recv"
was="$build/bin/wasmaot run $pool $out/sockbench.so recv"
# The configurations take turns in every round, so that drift in the
# machine's load affects them alike; the best of the rounds is reported.
s_nat=0 s_was=0 r_was=0 i=0
while [ $i -lt "$reps" ]; do
    s_nat=$(max "$s_nat" "$(run "$nat" "$out/sockbench" send)")
    s_was=$(max "$s_was" "$(run "$nat" "$build/bin/wasmaot" run "$pool" "$out/sockbench.so" send)")
    r_was=$(max "$r_was" "$(run "$was" "$out/sockbench" send)")
    i=$((i + 1))
done
echo "loopback TCP, 64 KiB writes, $mib MiB per run, best of $reps (MiB/s)"
echo "sender   native -> native receiver: $s_nat"
echo "sender   wasm   -> native receiver: $s_was  ($(awk "BEGIN{printf \"%.3f\", $s_was/$s_nat}") x native)"
echo "receiver wasm   <- native sender:   $r_was  ($(awk "BEGIN{printf \"%.3f\", $r_was/$s_nat}") x native)"
