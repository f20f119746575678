;; harness-flags: --shared-instance
;; Vector accesses that straddle the end of linear memory trap like any other
;; out-of-bounds access, at every -O level and target CPU (issue 11): 16-byte
;; loads and stores, 8-byte extending and splat loads, lane loads and stores
;; and load*_zero, each one byte past the end, next to the same access just
;; in bounds. A store that traps must not write its in-bounds part.
(module
  (memory 1)
  (data (i32.const 65520) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10")
  (func (export "load_last") (result i32) (i32x4.extract_lane 3 (v128.load (i32.const 65520))))
  (func (export "load_straddle") (result i32) (i32x4.extract_lane 0 (v128.load (i32.const 65521))))
  (func (export "load_offset_straddle") (result i32)
    (i32x4.extract_lane 0 (v128.load offset=65535 (i32.const 0))))
  (func (export "load_far") (result i32) (i32x4.extract_lane 0 (v128.load offset=4294967295 (i32.const -1))))
  (func (export "load8x8_straddle") (result i32) (i16x8.extract_lane_s 0 (v128.load8x8_s (i32.const 65529))))
  (func (export "load64_splat_straddle") (result i64) (i64x2.extract_lane 1 (v128.load64_splat (i32.const 65529))))
  (func (export "load64_zero_ok") (result i64) (i64x2.extract_lane 0 (v128.load64_zero (i32.const 65528))))
  (func (export "load32_zero_straddle") (result i32) (i32x4.extract_lane 0 (v128.load32_zero (i32.const 65533))))
  (func (export "load64_lane_straddle") (result i64)
    (i64x2.extract_lane 1 (v128.load64_lane 1 (i32.const 65529) (v128.const i64x2 0 0))))
  (func (export "store_straddle") (v128.store (i32.const 65521) (v128.const i32x4 -1 -1 -1 -1)))
  (func (export "store32_lane_straddle") (v128.store32_lane 2 (i32.const 65533) (v128.const i32x4 7 7 7 7)))
  ;; After the failed stores: the last 16 bytes are still the data segment.
  (func (export "tail_unchanged") (result i64)
    (i64.xor (i64.load (i32.const 65520)) (i64.load (i32.const 65528)))))
