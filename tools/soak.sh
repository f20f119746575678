#!/usr/bin/env bash
# Soak run (not in CI): the poll()-based wasm echo server under steady load
# for DURATION seconds (default 600 = 10 minutes), its RSS and open fds
# sampled every INTERVAL seconds (default 10) from /proc/PID/status and
# /proc/PID/fd. Fails if, after the warm-up, RSS grows by more than
# RSS_GROWTH_KB or the fd count by more than FD_GROWTH, if a load round
# fails, or if the server dies.
#
#   tools/soak.sh                      # 10 minutes
#   DURATION=150 tools/soak.sh         # a quick check
#
# Load: rounds of tests/load/loadclient back to back -- 200 connections held
# at once with 128 KiB echoed and checked through each, 20 clients resetting
# mid-transfer, 2 slow readers -- on 127.0.0.1 only. A sample is taken
# between two rounds, once the server's fds have settled (at most 2 s), so
# the fd column shows what the server keeps, not the clients in flight.
#
# Environment (defaults in brackets):
#   BUILD_DIR [build]   a build with wasmaot, loadclient and the echo server
#                       (ninja -C $BUILD_DIR wasmaot loadclient load_test_guests)
#   DURATION [600]  INTERVAL [10]  WARMUP [60] seconds
#   RSS_GROWTH_KB [8192]  FD_GROWTH [0]
#   CONNS [200]  BYTES [131072]  RESETS [20]  SLOW [2]
# Exit 0 and "soak: PASS" when nothing grew; 1 and the reason otherwise.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build}
DURATION=${DURATION:-600}
INTERVAL=${INTERVAL:-10}
WARMUP=${WARMUP:-60}
RSS_GROWTH_KB=${RSS_GROWTH_KB:-8192}
FD_GROWTH=${FD_GROWTH:-0}
CONNS=${CONNS:-200}
BYTES=${BYTES:-131072}
RESETS=${RESETS:-20}
SLOW=${SLOW:-2}

wasmaot=$BUILD_DIR/bin/wasmaot
client=$BUILD_DIR/bin/loadclient
server=$BUILD_DIR/tests/load/tcp_echo_server.so
for f in "$wasmaot" "$client" "$server"; do
  if [[ ! -e $f ]]; then
    echo "soak: $f missing: ninja -C $BUILD_DIR wasmaot loadclient load_test_guests" >&2
    exit 2
  fi
done
if (( WARMUP >= DURATION )); then
  echo "soak: WARMUP ($WARMUP s) must be shorter than DURATION ($DURATION s)" >&2
  exit 2
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d "${TMPDIR:-/tmp}/wasmaot-soak.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$wasmaot" run --addr-pool=127.0.0.1/32 "$server" -q --bind 127.0.0.1 --max-clients $((CONNS + RESETS + SLOW + 64)) 0 \
  > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
port=
for _ in $(seq 100); do
  if read -r _ _ port 2>/dev/null < "$work/server.out" && [[ -n $port ]]; then break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $port ]] || { echo "soak: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }
fds() { ls "/proc/$server_pid/fd" | wc -l; }
settle() {  # wait (at most 2 s) until the fd count stops falling
  local prev now i
  prev=$(fds)
  for i in $(seq 20); do
    sleep 0.1
    now=$(fds)
    [[ $now -ge $prev ]] && break
    prev=$now
  done
}

echo "soak: server pid $server_pid on 127.0.0.1:$port; ${DURATION}s, sample every ${INTERVAL}s, warm-up ${WARMUP}s"
echo "soak: each round: $CONNS connections x $BYTES bytes, $RESETS resets, $SLOW slow readers"
printf '%8s %10s %6s %8s %10s %14s\n' "time_s" "rss_kb" "fds" "rounds" "failures" "bytes_verified"

start=$(date +%s)
next_sample=$start
rounds=0 failures=0 bytes=0
declare -a s_time s_rss s_fds
while :; do
  now=$(date +%s)
  if (( now >= next_sample )); then
    settle
    kill -0 "$server_pid" 2>/dev/null || { echo "soak: FAIL: the server died" >&2; cat "$work/server.err" >&2; exit 1; }
    t=$((now - start)) r=$(rss_kb) f=$(fds)
    s_time+=("$t") s_rss+=("$r") s_fds+=("$f")
    printf '%8d %10d %6d %8d %10d %14d\n' "$t" "$r" "$f" "$rounds" "$failures" "$bytes"
    next_sample=$((next_sample + INTERVAL))
  fi
  (( now - start >= DURATION )) && break
  if out=$("$client" --port "$port" --conns "$CONNS" --bytes "$BYTES" --reset "$RESETS" --reset-bytes 65536 \
             --slow "$SLOW" --slow-rate 65536 --slow-secs 1 --timeout 60 --quiet 2>&1); then
    :
  else
    failures=$((failures + 1))
    echo "$out" >> "$work/failures.log"
  fi
  rounds=$((rounds + 1))
  b=$(sed -n 's/.*completed (last at [0-9.]* s), \([0-9]*\) bytes verified.*/\1/p' <<< "$out")
  bytes=$((bytes + ${b:-0}))
done

# Compare every sample after the warm-up with the first one after it.
base=-1
fail=0
for i in "${!s_time[@]}"; do
  (( s_time[i] < WARMUP )) && continue
  if (( base < 0 )); then base=$i; continue; fi
  if (( s_rss[i] - s_rss[base] > RSS_GROWTH_KB )); then
    echo "soak: FAIL: RSS grew from ${s_rss[base]} KiB (t=${s_time[base]}s) to ${s_rss[i]} KiB (t=${s_time[i]}s)" >&2
    fail=1
  fi
  if (( s_fds[i] - s_fds[base] > FD_GROWTH )); then
    echo "soak: FAIL: open fds grew from ${s_fds[base]} (t=${s_time[base]}s) to ${s_fds[i]} (t=${s_time[i]}s)" >&2
    fail=1
  fi
done
if (( base < 0 )); then
  echo "soak: FAIL: no sample after the warm-up (DURATION too short?)" >&2
  fail=1
fi
if (( failures > 0 )); then
  echo "soak: FAIL: $failures of $rounds load rounds failed:" >&2
  head -20 "$work/failures.log" >&2
  fail=1
fi
if (( fail )); then exit 1; fi
last=$(( ${#s_time[@]} - 1 ))
echo "soak: PASS: $rounds rounds, $bytes bytes verified; after warm-up RSS ${s_rss[base]} -> ${s_rss[last]} KiB," \
     "fds ${s_fds[base]} -> ${s_fds[last]}"
