;; Tail calls in bounded stack: argv[1] picks a scenario, the output is
;; fixed by the arithmetic.
;;   direct    100,000,000 return_calls between three functions of different
;;             signatures, (i64 i32) -> i64, (i64 f64 i32) -> i64 and
;;             (i64) -> i64: prints "direct 100000000"
;;   indirect  the same chain through return_call_indirect (table entries):
;;             prints "indirect 100000000"
;;   deep      ordinary (non-tail) recursion without end: the stack-limit
;;             check traps "call stack exhausted"
;;   badtype   return_call_indirect to an entry of another type: traps
;;             "indirect call type mismatch"
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 256) "direct indirect ")

  (type $t_a (func (param i64 i32) (result i64)))
  (type $t_b (func (param i64 f64 i32) (result i64)))
  (type $t_c (func (param i64) (result i64)))
  (table 4 funcref)
  (elem (i32.const 0) $a_ind $b_ind $c_ind $a_ind)

  ;; n counts down; every function adds nothing but passes different
  ;; arguments, so the signatures (and stack layouts) differ at each step.
  (func $a (type $t_a) (param $n i64) (param $x i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $x)))))
    (return_call $b (i64.sub (local.get $n) (i64.const 1)) (f64.const 1.5) (local.get $x)))
  (func $b (type $t_b) (param $n i64) (param $y f64) (param $x i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $x)))))
    (return_call $c (i64.sub (local.get $n) (i64.const 1))))
  (func $c (type $t_c) (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (return_call $a (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))

  (func $a_ind (type $t_a) (param $n i64) (param $x i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $x)))))
    (return_call_indirect (type $t_b) (i64.sub (local.get $n) (i64.const 1)) (f64.const 1.5) (local.get $x)
                          (i32.const 1)))
  (func $b_ind (type $t_b) (param $n i64) (param $y f64) (param $x i32) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.extend_i32_u (local.get $x)))))
    (return_call_indirect (type $t_c) (i64.sub (local.get $n) (i64.const 1)) (i32.const 2)))
  (func $c_ind (type $t_c) (param $n i64) (result i64)
    (if (i64.eqz (local.get $n)) (then (return (i64.const 0))))
    (return_call_indirect (type $t_a) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0) (i32.const 0)))

  ;; Table entry 3 is $a_ind, of type $t_a, called as $t_c: a type mismatch.
  (func $bad (param $n i64) (result i64)
    (return_call_indirect (type $t_c) (local.get $n) (i32.const 3)))

  (func $deep (param $n i64) (result i64)
    (i64.add (call $deep (i64.add (local.get $n) (i64.const 1))) (i64.const 1)))

  ;; Prints `len` bytes at 256+`from`, then the decimal of $n and "\n".
  (func $report (param $from i32) (param $len i32) (param $n i64)
    (local $at i32) (local $digits i32)
    (memory.copy (i32.const 512) (i32.add (i32.const 256) (local.get $from)) (local.get $len))
    (local.set $at (i32.add (i32.const 512) (local.get $len)))
    ;; Digits backwards into 600.., then copied forwards.
    (local.set $digits (i32.const 640))
    (loop $more
      (local.set $digits (i32.sub (local.get $digits) (i32.const 1)))
      (i32.store8 (local.get $digits) (i32.wrap_i64 (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10)))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $more (i64.ne (local.get $n) (i64.const 0))))
    (memory.copy (local.get $at) (local.get $digits) (i32.sub (i32.const 640) (local.get $digits)))
    (local.set $at (i32.add (local.get $at) (i32.sub (i32.const 640) (local.get $digits))))
    (i32.store8 (local.get $at) (i32.const 10))
    (i32.store (i32.const 16) (i32.const 512))
    (i32.store (i32.const 20) (i32.sub (i32.add (local.get $at) (i32.const 1)) (i32.const 512)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  (func (export "_start")
    (local $scenario i32)
    (drop (call $args_sizes_get (i32.const 32) (i32.const 36)))
    (if (i32.lt_u (i32.load (i32.const 32)) (i32.const 2)) (then (call $proc_exit (i32.const 2))))
    (drop (call $args_get (i32.const 64) (i32.const 128)))
    (local.set $scenario (i32.load8_u (i32.load (i32.const 68))))
    ;; 100,000,000 steps of a -> b -> c -> a ...: the chain ends in $b
    ;; (10^8 mod 3 = 1), which returns x, and x is 0 by then ($c passes 0).
    (if (i32.eq (local.get $scenario) (i32.const 100))  ;; 'd': direct or deep
      (then
        (if (i32.eq (i32.load8_u (i32.add (i32.load (i32.const 68)) (i32.const 1))) (i32.const 101))  ;; "de..."
          (then (drop (call $deep (i64.const 0))) (return)))
        (call $report (i32.const 0) (i32.const 7)
                      (i64.add (call $a (i64.const 100000000) (i32.const 7)) (i64.const 100000000)))
        (return)))
    (if (i32.eq (local.get $scenario) (i32.const 105))  ;; 'i': indirect
      (then
        (call $report (i32.const 7) (i32.const 9)
                      (i64.add (call $a_ind (i64.const 100000000) (i32.const 7)) (i64.const 100000000)))
        (return)))
    (if (i32.eq (local.get $scenario) (i32.const 98))  ;; 'b': badtype
      (then (drop (call $bad (i64.const 1))) (return)))
    (call $proc_exit (i32.const 2))))
