;; harness-flags: --shared-instance
;; A loop LLVM recognises as a memset (loop idiom) that runs past the end of
;; memory must trap after writing every byte before the end. As a libc memset
;; call it faulted outside generated code and killed the host (found while
;; fixing dead loads); now functions are "no-builtins" and any memset left is
;; expanded back into a loop (trap_preservation.cpp).
(module
  (memory 1)
  (func (export "fill") (local $n i32) (local $i i32)
    (local.set $n (i32.const 70000))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store8 offset=60000 (local.get $i) (i32.const 0x5a))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))
  (func (export "read") (result i32) (i32.load (i32.const 65532))))
