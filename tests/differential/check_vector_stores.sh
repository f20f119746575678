#!/usr/bin/env bash
# Compile-only check of the trap-state modes for CPUs this machine may not
# be able to execute (AVX-512: x86-64-v4, whose tuning prefers 256-bit
# vectors, and znver4, which uses 512-bit ones), so that they are covered on
# any x86-64 host. For each of the two store-loop regressions:
#   default build             has vector stores (the loops are widened; the
#                             state after a trap is within the bound that
#                             run_regressions.py checks where it can run)
#   --exact-trap-state build  has no vector-register store at all: every
#                             store is scalar and in program order, which is
#                             what makes the exact state hold on that target
# It also checks that the widest registers used are the expected ones.
#   check_vector_stores.sh WASMAOT WORKDIR REGRESSIONS_DIR
set -euo pipefail
wasmaot=$1 work=$2 dir=$3
mkdir -p "$work"
failed=0
# A store from a vector register to memory: "vmovups %zmm0,-0xcc0(%rcx,%rdx,1)".
vector_stores() { objdump -d --no-show-raw-insn "$1" | grep -cE 'mov[a-z0-9]*[[:space:]]+%[xyz]mm[0-9]+,[^%]*\(' || true; }
uses() { objdump -d --no-show-raw-insn "$1" | grep -c "%$2" || true; }
for cpu_widest in x86-64-v4:ymm znver4:zmm; do
  cpu=${cpu_widest%%:*} widest=${cpu_widest##*:}
  for name in memset_loop_past_end vector_loop_state; do
    wat2wasm "$dir/$name.wat" -o "$work/$name.wasm"
    "$wasmaot" compile -O2 --target-cpu="$cpu" "$work/$name.wasm" -o "$work/$name-$cpu.so"
    "$wasmaot" compile -O2 --target-cpu="$cpu" --exact-trap-state "$work/$name.wasm" -o "$work/$name-$cpu-exact.so"
    default=$(vector_stores "$work/$name-$cpu.so")
    exact=$(vector_stores "$work/$name-$cpu-exact.so")
    widest_uses=$(uses "$work/$name-$cpu.so" "$widest")
    if [[ $default -gt 0 && $exact -eq 0 && $widest_uses -gt 0 ]]; then
      echo "ok: $name --target-cpu=$cpu: default build $default vector stores ($widest registers), exact build none"
    else
      echo "FAIL: $name --target-cpu=$cpu: default build $default vector stores, $widest_uses uses of $widest; exact build $exact vector stores (want >0, >0, 0)"
      failed=1
    fi
  done
done
exit $failed
