;; Shared-memory workloads for threads_contention.cpp: each thread runs in its
;; own instance of this module, all importing one shared memory.
;;   0: a counter incremented with i32.atomic.rmw.add
;;   8: a lock (0 free, 1 held) built on cmpxchg, wait32 and notify
;;  16: a plain counter incremented only while holding the lock
;;  24: a word waiters wait on (it stays 0) until notified
;;  32: the same with 64 bits (wait64); 40: a word nobody notifies
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "atomic_add") (param $n i32)
    (loop $again
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $lock
    (loop $retry
      (if (i32.atomic.rmw.cmpxchg (i32.const 8) (i32.const 0) (i32.const 1))
        (then
          (drop (memory.atomic.wait32 (i32.const 8) (i32.const 1) (i64.const -1)))
          (br $retry)))))
  (func $unlock
    (i32.atomic.store (i32.const 8) (i32.const 0))
    (drop (memory.atomic.notify (i32.const 8) (i32.const 1))))
  (func (export "locked_add") (param $n i32)
    (loop $again
      (call $lock)
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
      (call $unlock)
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "read") (param i32) (result i32) (i32.atomic.load (local.get 0)))
  (func (export "wait_for_flag") (result i32)
    (memory.atomic.wait32 (i32.const 24) (i32.const 0) (i64.const 10000000000)))
  ;; Wakes up to $n waiters at 24 (or at 32) without changing the flag.
  (func (export "notify_24") (param $n i32) (result i32) (memory.atomic.notify (i32.const 24) (local.get $n)))
  (func (export "notify_32") (param $n i32) (result i32) (memory.atomic.notify (i32.const 32) (local.get $n)))
  (func (export "wait64_for_flag") (result i32)
    (memory.atomic.wait64 (i32.const 32) (i64.const 0) (i64.const 10000000000)))
  ;; Nobody notifies: times out (2) after about 20 ms.
  (func (export "wait_timeout") (result i32)
    (memory.atomic.wait32 (i32.const 40) (i32.const 0) (i64.const 20000000))))
