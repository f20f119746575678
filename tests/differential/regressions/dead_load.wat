;; Found by the differential test (seed 1, modules 26, 54, 58, ...): a
;; linear-memory load whose value is never used must still trap when out of
;; bounds. At -O2 LLVM deleted such loads (the value overwritten in a local,
;; or returned by a function whose caller drops it, after inlining), so
;; wasmaot returned where V8 trapped. Fixed by anchoring every load
;; (compiler/src/trap_preservation.h).
(module
  (memory 1)
  (func $load (result f32) (f32.load offset=22 (i32.const 0x80000000)))
  (func (export "dropped") (drop (i32.load (i32.const 0x80000000))))
  (func (export "overwritten") (local i64)
    (local.set 0 (i64.load offset=8 (i32.const -1)))
    (local.set 0 (i64.const 0)))
  (func (export "caller_drops") (drop (call $load)))
  (func (export "unused_branch") (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.load8_u (i32.const 65536)))
    (i32.const 7))
  (func (export "in_bounds") (result i32) (i32.load (i32.const 65532))))
