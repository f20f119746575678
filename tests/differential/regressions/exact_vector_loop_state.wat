;; harness-flags: --shared-instance --exact-trap-state
;; With --exact-trap-state, a loop that stores is not vectorized, so a trap in
;; iteration 34 leaves iterations 0..33 stored, as the spec says. (Without the
;; flag the default build widens the loop; see known/vector_loop_state.wat.)
(module
  (memory 1)
  (func (export "copy_until_trap")
    (local $i i32)
    (loop $next
      (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2))
        (i32.add (i32.load offset=65400 (i32.shl (local.get $i) (i32.const 2))) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 64)))))
  (func (export "last_copied") (result i32) (i32.load (i32.const 1156)))
  (func (export "first_not_copied") (result i32) (i32.load (i32.const 1160))))
