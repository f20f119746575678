;; harness-flags: --shared-instance
;; Found by the differential test (seed 7, module 169), reduced with
;; wasm-reduce: state a trap leaves behind. The first call sets $g to 1 and
;; then faults in the loop; the second sees $g = 1, decrements it to 0 and
;; returns. At -O1 and above LLVM promotes $g to a register inside the loop
;; and sinks the store to the loop's exits (there are none), since it does
;; not know that the faulting load leaves the function: the store is lost and
;; the second call traps too. Fixed: global.set is a volatile store and LICM
;; promotes nothing to registers (compiler/src/module_codegen.cpp).
(module
  (memory 16 17)
  (global $g (mut i32) (i32.const 10))
  (func $f
    (global.set $g (i32.sub (global.get $g) (i32.const 1)))
    (if (global.get $g)
      (then
        (loop $l
          (global.set $g (i32.const 1))
          (drop (i32.load16_u offset=4 (i32.const -32767)))
          (br $l)))))
  (export "first" (func $f))
  (export "second" (func $f)))
