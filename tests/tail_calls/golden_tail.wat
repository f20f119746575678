;; Golden codegen of tail calls (check_golden.py, tail_calls.expect): a
;; return_call must be a jump, not a call, between functions of different
;; signatures, directly and through a table. Every function is exported,
;; in order (export i is function i).
(module
  (type $t_ping (func (param i64) (result i64)))
  (type $t_pong (func (param i64 f64 i32) (result i64)))
  (table 2 funcref)
  (elem (i32.const 0) $ping_ind $pong_ind)
  (func $ping (export "ping") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (return_call $pong (i64.sub (local.get $n) (i64.const 1)) (f64.const 2.5) (i32.const 3)))
  (func $pong (export "pong") (param $n i64) (param $w f64) (param $k i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $k)))))
    (return_call $ping (i64.sub (local.get $n) (i64.trunc_f64_s (local.get $w)))))
  (func $ping_ind (export "ping_ind") (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (return_call_indirect (type $t_pong) (i64.sub (local.get $n) (i64.const 1)) (f64.const 2.5) (i32.const 3)
                          (i32.const 1)))
  (func $pong_ind (export "pong_ind") (param $n i64) (param $w f64) (param $k i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $k)))))
    (return_call_indirect (type $t_ping) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0))))
