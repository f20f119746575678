;; ceil, floor, trunc and nearest at the values where a rounding goes wrong:
;; ties, just below 0.5 and 2^52 (2^23), signed zeros and zero results
;; (ceil(-0.5) is -0), integral values beyond the mantissa, infinities,
;; quiet NaNs and subnormals. The inputs are in memory (so no compiler folds
;; them); each export folds the bit patterns of its op's results into one i64
;; (rotate and xor), so any wrong bit shows. On targets without SSE4.1
;; (x86-64, portable) these are expanded inline rather than called in libm
;; (compiler/src/emit_numeric.cpp): a generated module never needs libm.
(module
  (memory 1)
  ;; 30 f64 inputs and the two quiet NaNs at 0; the same in f32 at 1024
  (data (i32.const 0) "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\80\33\33\33\33\33\33\d3\3f\33\33\33\33\33\33\d3\bf\00\00\00\00\00\00\e0\3f\00\00\00\00\00\00\e0\bf\66\66\66\66\66\66\e6\3f\66\66\66\66\66\66\e6\bf\00\00\00\00\00\00\f0\3f\00\00\00\00\00\00\f0\bf\00\00\00\00\00\00\f8\3f\00\00\00\00\00\00\f8\bf\00\00\00\00\00\00\04\40\00\00\00\00\00\00\04\c0\ff\ff\ff\ff\ff\ff\df\3f\ff\ff\ff\ff\ff\ff\df\bf\ff\ff\ff\ff\ff\ff\2f\43\ff\ff\ff\ff\ff\ff\2f\c3\00\00\00\00\00\00\30\43\00\00\00\00\00\00\30\c3\01\00\00\00\00\00\30\43\00\00\00\00\00\00\40\43\9c\75\00\88\3c\e4\37\7e\9c\75\00\88\3c\e4\37\fe\00\00\00\00\00\00\f0\7f\00\00\00\00\00\00\f0\ff\01\00\00\00\00\00\00\00\01\00\00\00\00\00\00\80\00\00\00\00\0c\24\fe\40\00\00\00\00\04\24\fe\c0\00\00\00\00\00\00\f8\7f\00\00\00\00\00\00\f8\ff")
  (data (i32.const 1024) "\00\00\00\00\00\00\00\80\9a\99\99\3e\9a\99\99\be\00\00\00\3f\00\00\00\bf\33\33\33\3f\33\33\33\bf\00\00\80\3f\00\00\80\bf\00\00\c0\3f\00\00\c0\bf\00\00\20\40\00\00\20\c0\ff\ff\ff\3e\ff\ff\ff\be\ff\ff\ff\4a\ff\ff\ff\ca\00\00\00\4b\00\00\00\cb\01\00\00\4b\00\00\80\4b\99\76\96\7e\99\76\96\fe\00\00\80\7f\00\00\80\ff\01\00\00\00\01\00\00\80\00\58\9a\44\00\48\9a\c4\00\00\c0\7f\00\00\c0\ff")
  (global $acc (mut i64) (i64.const 0))
  (func $mix (param i64)
    (global.set $acc (i64.xor (i64.rotl (global.get $acc) (i64.const 7)) (local.get 0))))
  (func (export "f64_ceil") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.reinterpret_f64 (f64.ceil (f64.load offset=0 (i32.mul (local.get $i) (i32.const 8))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f64_floor") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.reinterpret_f64 (f64.floor (f64.load offset=0 (i32.mul (local.get $i) (i32.const 8))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f64_trunc") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.reinterpret_f64 (f64.trunc (f64.load offset=0 (i32.mul (local.get $i) (i32.const 8))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f64_nearest") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.reinterpret_f64 (f64.nearest (f64.load offset=0 (i32.mul (local.get $i) (i32.const 8))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f32_ceil") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.extend_i32_u (i32.reinterpret_f32 (f32.ceil (f32.load offset=1024 (i32.mul (local.get $i) (i32.const 4)))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f32_floor") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.extend_i32_u (i32.reinterpret_f32 (f32.floor (f32.load offset=1024 (i32.mul (local.get $i) (i32.const 4)))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f32_trunc") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.extend_i32_u (i32.reinterpret_f32 (f32.trunc (f32.load offset=1024 (i32.mul (local.get $i) (i32.const 4)))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc))
  (func (export "f32_nearest") (result i64) (local $i i32)
    (global.set $acc (i64.const 0))
    (loop $next
      (call $mix (i64.extend_i32_u (i32.reinterpret_f32 (f32.nearest (f32.load offset=1024 (i32.mul (local.get $i) (i32.const 4)))))))
      (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 32))))
    (global.get $acc)))
