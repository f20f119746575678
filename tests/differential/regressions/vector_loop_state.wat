;; harness-flags: --shared-instance
;; What a trap inside a vectorizable copy loop leaves in memory. Iteration i
;; stores load(65400 + 4i) + 1 at 1024 + 4i; the load of iteration 34 is the
;; first out of bounds. The spec (and V8, and --exact-trap-state, which keeps
;; loops that store scalar) say iterations 0..33 are stored and nothing after.
;; The default build widens the loop (W/4 lanes of i32 on a W-byte vector
;; unit, up to 4 vectors an iteration): the faulting load stops the stores of
;; its whole widened iteration, so some iterations just before the trap may
;; be missing, never more than one widened iteration (NAME.default:
;; missing_stores <= W, i.e. 4*W bytes of i32). On no target may a store of an
;; iteration at or after the trap happen (first_not_copied).
(module
  (memory 1)
  (func (export "copy_until_trap")
    (local $i i32)
    (loop $next
      (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2))
        (i32.add (i32.load offset=65400 (i32.shl (local.get $i) (i32.const 2))) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 64)))))
  ;; Iterations 0..33 whose store is missing (memory starts zeroed: each stores 1).
  (func (export "missing_stores") (result i32) (local $i i32) (local $n i32)
    (loop $next
      (if (i32.ne (i32.load offset=1024 (i32.shl (local.get $i) (i32.const 2))) (i32.const 1))
        (then (local.set $n (i32.add (local.get $n) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 34))))
    (local.get $n))
  (func (export "first_not_copied") (result i32) (i32.load (i32.const 1160))))
