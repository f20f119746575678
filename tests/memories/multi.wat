;; Multi-memory end to end: three memories (the first exported for WASI),
;; every kind of memory instruction on a memory other than 0. Each step is
;; an export returning an i64, so wabt's interpreter (a second engine,
;; `wasm-interp --run-all-exports --dummy-import-func`) runs the same steps
;; in the same order; `_start` runs them and prints "step value" lines.
;; With an argument it traps instead:
;;   oob1   i32.load just past memory 1's end (memory 0 is larger there,
;;          so the access must be checked against memory 1's own size)
;;   oob2   memory.copy from memory 1 into memory 2 beyond memory 2's size
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (memory $m0 (export "memory") 4)
  (memory $m1 2 5)
  (memory $m2 1)
  (data (memory $m1) (i32.const 100) "hello from memory one")
  (data $passive "0123456789abcdef")

  ;; Writes label (at 512.., length n) and v as 16 hex digits, then a newline.
  (func $print (param $label i32) (param $n i32) (param $v i64)
    (local $i i32)
    (memory.copy $m0 $m0 (i32.const 1024) (local.get $label) (local.get $n))
    (i32.store8 $m0 (i32.add (i32.const 1024) (local.get $n)) (i32.const 32))
    (loop $digits
      (i32.store8 $m0
        (i32.add (i32.add (i32.const 1025) (local.get $n)) (local.get $i))
        (i32.load8_u $m0 (i32.add (i32.const 600)
          (i32.wrap_i64 (i64.and (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.sub (i32.const 60) (i32.shl (local.get $i) (i32.const 2))))) (i64.const 15))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $i) (i32.const 16))))
    (i32.store8 $m0 (i32.add (i32.const 1041) (local.get $n)) (i32.const 10))
    (i32.store $m0 (i32.const 0) (i32.const 1024))
    (i32.store $m0 (i32.const 4) (i32.add (local.get $n) (i32.const 18)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  (data (memory $m0) (i32.const 512) "storeloadcopyfillinitsizegrowsimdsum ")
  (data (memory $m0) (i32.const 600) "0123456789abcdef")

  (func $argc (result i32)
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (i32.load $m0 (i32.const 16)))

  (func $scenario (result i32)  ;; the first byte of argv[1], or 0
    (if (i32.lt_u (call $argc) (i32.const 2)) (then (return (i32.const 0))))
    (drop (call $args_get (i32.const 2048) (i32.const 3072)))
    (i32.load8_u $m0 (i32.add (i32.load $m0 (i32.const 2052)) (i32.const 3))))

;; Each step, in export order (the steps build on each other's state).
  (func $storeload (export "storeload") (result i64)
    ;; stores and loads of every width on memory 1; memory 0 untouched there
    (i64.store $m1 offset=8 (i32.const 200) (i64.const 0x1122334455667788))
    (f64.store $m1 (i32.const 216) (f64.const 3.25))
    (i32.store16 $m1 (i32.const 224) (i32.const 0xBEEF))
    (i32.store8 $m1 (i32.const 131071) (i32.const 0x5A))  ;; last byte of memory 1
    (i64.add (i64.load $m1 (i32.const 208))
      (i64.add (i64.trunc_f64_s (f64.mul (f64.load $m1 (i32.const 216)) (f64.const 4)))
        (i64.add (i64.load16_s $m1 (i32.const 224))
          (i64.add (i64.load8_u $m1 (i32.const 131071))
            (i64.load $m0 (i32.const 208)))))))

  (func $copy (export "copy") (result i64)  ;; between memories, both ways
    (memory.copy $m0 $m1 (i32.const 4096) (i32.const 100) (i32.const 21))
    (memory.copy $m2 $m0 (i32.const 10) (i32.const 4096) (i32.const 21))
    (i64.xor (i64.load $m2 (i32.const 10)) (i64.load $m0 (i32.const 4109))))

  (func $fill (export "fill") (result i64)
    (memory.fill $m2 (i32.const 300) (i32.const 0xA5) (i32.const 40))
    (i64.add (i64.load $m2 (i32.const 296)) (i64.load $m2 (i32.const 336))))

  (func $init (export "init") (result i64)  ;; a passive segment into memory 1
    (memory.init $m1 $passive (i32.const 65536) (i32.const 4) (i32.const 12))
    (i64.load $m1 (i32.const 65540)))

  (func $size (export "size") (result i64)
    (i64.extend_i32_u (i32.add (i32.mul (memory.size $m0) (i32.const 256))
      (i32.add (i32.mul (memory.size $m1) (i32.const 16)) (memory.size $m2)))))

  (func $grow (export "grow") (result i64)  ;; 2, then -1 (memory 1's maximum is 5)
    (i64.or (i64.shl (i64.extend_i32_u (memory.grow $m1 (i32.const 3))) (i64.const 32))
      (i64.extend_i32_u (memory.grow $m1 (i32.const 1)))))

  (func $simd (export "simd") (result i64)
    (i32.store $m1 (i32.const 327676) (i32.const 77))  ;; in the grown part
    (v128.store $m2 (i32.const 512) (v128.load $m1 (i32.const 100)))
    (i64x2.extract_lane 1 (i32x4.add (v128.load $m2 (i32.const 512)) (v128.load $m1 offset=4 (i32.const 100)))))

  (func $sum (export "sum") (result i64)  ;; every byte of memories 1 and 2
    (local $sum i64) (local $i i32)
    (loop $all
      (local.set $sum (i64.add (i64.rotl (local.get $sum) (i64.const 7))
        (i64.extend_i32_u (i32.add (i32.load8_u $m1 (local.get $i)) (i32.load8_u $m2 (i32.and (local.get $i) (i32.const 65535)))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $all (i32.lt_u (local.get $i) (i32.const 327680))))
    (local.get $sum))

  (func (export "_start")
    (local $s i32)
    (local.set $s (call $scenario))
    (if (i32.eq (local.get $s) (i32.const 0x31))  ;; "oob1"
      (then (drop (i32.load $m1 (i32.const 131070)))))
    (if (i32.eq (local.get $s) (i32.const 0x32))  ;; "oob2"
      (then (memory.copy $m2 $m1 (i32.const 65530) (i32.const 0) (i32.const 7))))
    (call $print (i32.const 512) (i32.const 9) (call $storeload))
    (call $print (i32.const 521) (i32.const 4) (call $copy))
    (call $print (i32.const 525) (i32.const 4) (call $fill))
    (call $print (i32.const 529) (i32.const 4) (call $init))
    (call $print (i32.const 533) (i32.const 4) (call $size))
    (call $print (i32.const 537) (i32.const 4) (call $grow))
    (call $print (i32.const 541) (i32.const 4) (call $simd))
    (call $print (i32.const 545) (i32.const 3) (call $sum)))
)
