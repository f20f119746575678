;; harness-flags: --shared-instance
;; Atomics (threads proposal) against V8, one thread: narrow read-modify-
;; writes return the old value zero-extended and wrap the new one, cmpxchg
;; compares the expected value wrapped to the access width, an unaligned
;; access traps (before it, if also out of bounds, the bounds trap), and
;; wait/notify with nobody else: not-equal (1), timed out (2), no one woken (0).
(module
  (memory 1 1 shared)
  (data (i32.const 0) "\ff\ff\ff\ff\ff\ff\ff\ff\01\02\03\04")
  (data (i32.const 32) "\02")
  (func (export "rmw8_add_wraps") (result i32)
    (drop (i32.atomic.rmw8.add_u (i32.const 0) (i32.const 2)))   ;; 0xff + 2 -> 0x01
    (i32.atomic.load8_u (i32.const 0)))
  (func (export "rmw16_sub_old") (result i32) (i32.atomic.rmw16.sub_u (i32.const 2) (i32.const 0x10001)))
  (func (export "rmw32_xchg64_old") (result i64) (i64.atomic.rmw32.xchg_u (i32.const 8) (i64.const -1)))
  (func (export "cmpxchg8_wrapped_expected") (result i32)
    ;; byte 32 is 0x02: an expected value of 0x102 wraps to 0x02 and matches
    (drop (i32.atomic.rmw8.cmpxchg_u (i32.const 32) (i32.const 0x102) (i32.const 0x7f)))
    (i32.atomic.load8_u (i32.const 32)))
  (func (export "cmpxchg64_mismatch_old") (result i64)
    (i64.atomic.rmw.cmpxchg (i32.const 0) (i64.const 5) (i64.const 6)))
  (func (export "and_or_xor") (result i32)
    (drop (i32.atomic.rmw.and (i32.const 16) (i32.const 0xff00)))
    (drop (i32.atomic.rmw.or (i32.const 16) (i32.const 0x0f0f)))
    (drop (i32.atomic.rmw.xor (i32.const 16) (i32.const 0x00ff)))
    (i32.atomic.load (i32.const 16)))
  (func (export "unaligned_load") (result i32) (i32.atomic.load (i32.const 1)))
  (func (export "unaligned_store") (i64.atomic.store (i32.const 4) (i64.const 1)))
  (func (export "out_of_bounds_rmw") (result i32) (i32.atomic.rmw.add (i32.const 65536) (i32.const 1)))
  (func (export "wait_not_equal") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
  (func (export "wait_timeout") (result i32) (memory.atomic.wait64 (i32.const 24) (i64.const 0) (i64.const 1000)))
  (func (export "notify_nobody") (result i32) (memory.atomic.notify (i32.const 0) (i32.const 10))))
