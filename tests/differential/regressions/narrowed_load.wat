;; A wide load that straddles the end of memory traps even when only its low
;; bytes are used: instruction selection would narrow the load to the bytes
;; used (in bounds) unless the access is volatile by then.
(module
  (memory 1)
  (func (export "wrap_i64_load") (result i32)
    (i32.wrap_i64 (i64.load (i32.const 65530))))
  (func (export "low_byte_of_i32_load") (result i32)
    (i32.and (i32.load (i32.const 65535)) (i32.const 255)))
  (func (export "low_half_of_i64_load") (result i64)
    (i64.and (i64.load (i32.const 65532)) (i64.const 0xffff)))
  (func (export "in_bounds") (result i32)
    (i32.wrap_i64 (i64.load (i32.const 65528)))))
