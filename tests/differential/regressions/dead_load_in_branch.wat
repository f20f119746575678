;; Found by the differential test (seed 11, module 509, reduced with
;; wasm-reduce) after loads were first anchored with llvm.assume: an unused
;; out-of-bounds load alone on one side of a branch. SimplifyCFG turned the
;; branch into a select and dropped the load, because values only an assume
;; uses count as free to drop; anchors are now llvm.sideeffect calls, which
;; it never speculates.
(module
  (memory 1)
  (data (i32.const 4) "\ee")
  (func (export "dead_load_in_branch") (result i32)
    (block $taken
      (br_if $taken (i32.load8_u (i32.const 4)))
      (return (i32.const -32767)))
    (drop (i32.load8_u offset=3 (i32.const -77)))
    (i32.const 1)))
