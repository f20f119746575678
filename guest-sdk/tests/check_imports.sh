#!/bin/sh
# check_imports.sh WASM_OBJDUMP MODULE.wasm SOURCE.c
# Compares the module's imports (module.name (params) -> results, sorted)
# with the list between EXPECTED-IMPORTS-BEGIN and EXPECTED-IMPORTS-END in
# SOURCE.c (comment lines, leading " * " stripped). Also checks that every
# sock_* import carries WAMR's wasm signature.
set -eu
objdump=$1 wasm=$2 src=$3
tmp=${TMPDIR:-/tmp}/check_imports.$$
trap 'rm -f "$tmp".*' EXIT

"$objdump" -x -j Type "$wasm" >"$tmp.types"
"$objdump" -x -j Import "$wasm" >"$tmp.imports"

# type[N] (i32, i32) -> i32
awk '
  FNR == NR {
    if (match($0, /type\[[0-9]+\]/)) {
      idx = substr($0, RSTART + 5, RLENGTH - 6)
      sig = $0; sub(/^.*type\[[0-9]+\] /, "", sig)
      t[idx] = sig
    }
    next
  }
  /func\[[0-9]+\] sig=/ {
    s = $0; sub(/^.*sig=/, "", s); sub(/ .*$/, "", s)
    n = $0; sub(/^.*<- /, "", n)
    print n " " t[s]
  }' "$tmp.types" "$tmp.imports" | sort >"$tmp.actual"

sed -n '/EXPECTED-IMPORTS-BEGIN/,/EXPECTED-IMPORTS-END/p' "$src" |
  grep -v 'EXPECTED-IMPORTS-' | sed 's/^ *\* *//; s/ *$//' | grep -v '^$' | sort >"$tmp.expected"

# WAMR's wasm signatures for every socket import (facts sheet §1a/§1b).
cat >"$tmp.wamr" <<'SIGS'
sock_accept (i32, i32, i32) -> i32
sock_addr_local (i32, i32) -> i32
sock_addr_remote (i32, i32) -> i32
sock_addr_resolve (i32, i32, i32, i32, i32, i32) -> i32
sock_bind (i32, i32) -> i32
sock_close (i32) -> i32
sock_connect (i32, i32) -> i32
sock_get_broadcast (i32, i32) -> i32
sock_get_ip_multicast_loop (i32, i32, i32) -> i32
sock_get_ip_multicast_ttl (i32, i32) -> i32
sock_get_ip_ttl (i32, i32) -> i32
sock_get_ipv6_only (i32, i32) -> i32
sock_get_keep_alive (i32, i32) -> i32
sock_get_linger (i32, i32, i32) -> i32
sock_get_recv_buf_size (i32, i32) -> i32
sock_get_recv_timeout (i32, i32) -> i32
sock_get_reuse_addr (i32, i32) -> i32
sock_get_reuse_port (i32, i32) -> i32
sock_get_send_buf_size (i32, i32) -> i32
sock_get_send_timeout (i32, i32) -> i32
sock_get_tcp_fastopen_connect (i32, i32) -> i32
sock_get_tcp_keep_idle (i32, i32) -> i32
sock_get_tcp_keep_intvl (i32, i32) -> i32
sock_get_tcp_no_delay (i32, i32) -> i32
sock_get_tcp_quick_ack (i32, i32) -> i32
sock_listen (i32, i32) -> i32
sock_open (i32, i32, i32, i32) -> i32
sock_recv (i32, i32, i32, i32, i32, i32) -> i32
sock_recv_from (i32, i32, i32, i32, i32, i32) -> i32
sock_send (i32, i32, i32, i32, i32) -> i32
sock_send_to (i32, i32, i32, i32, i32, i32) -> i32
sock_set_broadcast (i32, i32) -> i32
sock_set_ip_add_membership (i32, i32, i32) -> i32
sock_set_ip_drop_membership (i32, i32, i32) -> i32
sock_set_ip_multicast_loop (i32, i32, i32) -> i32
sock_set_ip_multicast_ttl (i32, i32) -> i32
sock_set_ip_ttl (i32, i32) -> i32
sock_set_ipv6_only (i32, i32) -> i32
sock_set_keep_alive (i32, i32) -> i32
sock_set_linger (i32, i32, i32) -> i32
sock_set_recv_buf_size (i32, i32) -> i32
sock_set_recv_timeout (i32, i64) -> i32
sock_set_reuse_addr (i32, i32) -> i32
sock_set_reuse_port (i32, i32) -> i32
sock_set_send_buf_size (i32, i32) -> i32
sock_set_send_timeout (i32, i64) -> i32
sock_set_tcp_fastopen_connect (i32, i32) -> i32
sock_set_tcp_keep_idle (i32, i32) -> i32
sock_set_tcp_keep_intvl (i32, i32) -> i32
sock_set_tcp_no_delay (i32, i32) -> i32
sock_set_tcp_quick_ack (i32, i32) -> i32
sock_shutdown (i32, i32) -> i32
SIGS

status=0
grep '^wasi_snapshot_preview1\.sock_' "$tmp.actual" | sed 's/^wasi_snapshot_preview1\.//' >"$tmp.sock" || true
while IFS= read -r line; do
  if ! grep -qxF "$line" "$tmp.wamr"; then
    echo "not a WAMR socket import (name or signature): $line" >&2
    status=1
  fi
done <"$tmp.sock"
if grep -v '^wasi_snapshot_preview1\.' "$tmp.actual" >&2; then
  echo "imports from a module other than wasi_snapshot_preview1 (above)" >&2
  status=1
fi
if ! diff -u "$tmp.expected" "$tmp.actual" >&2; then
  echo "import list of $wasm differs from the EXPECTED-IMPORTS list in $src" >&2
  status=1
fi
[ $status -eq 0 ] && echo "ok: $(wc -l <"$tmp.actual") imports of $(basename "$wasm") as expected"
exit $status
