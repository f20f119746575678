;; harness-flags: --shared-instance
;; What a trap leaves in memory: every store before it, none after it. The
;; checks run on the same instance after the traps. At -O2 dead-store
;; elimination deleted the store to 4 (overwritten after the trap) and, after
;; unrolling, the counter's stores; now DSE is skipped, LICM promotes nothing,
;; and accesses are volatile for instruction selection (trap_preservation.h).
(module
  (memory 1)
  (func (export "store_then_trap") (result i32)
    (i32.store (i32.const 0) (i32.const 11))
    (i32.load (i32.const 65536)))
  (func (export "overwritten_after_trap")
    (i32.store (i32.const 4) (i32.const 1))
    (drop (i32.load (i32.const 70000)))
    (i32.store (i32.const 4) (i32.const 2)))
  (func (export "counter_in_loop")
    (local $i i32)
    (loop $next
      (i32.store (i32.const 8) (i32.add (i32.load (i32.const 8)) (i32.const 1)))
      (if (i32.eq (local.get $i) (i32.const 5)) (then (drop (i32.load (i32.const 65536)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 10)))))
  (func (export "stores_merged_across_trap")
    (i32.store8 (i32.const 12) (i32.const 1))
    (i32.store8 offset=65524 (i32.const 12) (i32.const 2))
    (i32.store8 (i32.const 13) (i32.const 3)))
  (func (export "read_0") (result i32) (i32.load (i32.const 0)))
  (func (export "read_4") (result i32) (i32.load (i32.const 4)))
  (func (export "read_8") (result i32) (i32.load (i32.const 8)))
  (func (export "read_12") (result i32) (i32.load (i32.const 12))))
