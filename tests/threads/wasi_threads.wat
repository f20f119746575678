;; A wasi-threads command in the shape wasi-sdk's wasm32-wasi-threads target
;; emits: it imports its shared memory as env.memory and wasi.thread-spawn,
;; and exports wasi_thread_start(tid, start_arg). argv[1] picks a scenario:
;;   count  8 threads x 100000 atomic increments; prints "ok 800000 tids distinct"
;;   trap   a thread traps while main waits (the process ends with 70)
;;   exit   a thread calls proc_exit(42) while main waits (status 42)
;;   deep   a thread recurses without end: "call stack exhausted" (70),
;;          caught by the stack limit of the thread's own native stack
;;   limit  spawns until thread-spawn fails (threads wait forever); prints
;;          "spawned N", then _start returns with the threads still running
;; Memory: 0 counter, 4 threads done, 12 scenario letter, 16 iovec,
;; 24 nwritten, 32 output text, 64 park word (never notified),
;; 128 argv pointers, 256 argv strings, 512 tids seen (bitmap), 1024 text.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (data (i32.const 1024) " tids distinct\n")

  (func $recurse (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))

  (func $park (drop (memory.atomic.wait32 (i32.const 64) (i32.const 0) (i64.const -1))))

  (func $finished
    (drop (i32.atomic.rmw.add (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (local $scenario i32)
    (local.set $scenario (i32.load8_u (i32.const 12)))
    (if (i32.eq (local.get $scenario) (i32.const 99))  ;; 'c'
      (then
        (block $done
          (loop $more
            (br_if $done (i32.eqz (local.get $arg)))
            (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
            (local.set $arg (i32.sub (local.get $arg) (i32.const 1)))
            (br $more)))
        (call $finished)
        (return)))
    (if (i32.eq (local.get $scenario) (i32.const 116)) (then unreachable))  ;; 't'
    (if (i32.eq (local.get $scenario) (i32.const 100)) (then (drop (call $recurse (i32.const 0)))))  ;; 'd'
    (if (i32.eq (local.get $scenario) (i32.const 101)) (then (call $proc_exit (i32.const 42))))  ;; 'e'
    (call $finished)
    (call $park))

  ;; Writes `len` bytes at 32 to stdout.
  (func $print (param $len i32)
    (i32.store (i32.const 16) (i32.const 32))
    (i32.store (i32.const 20) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24))))

  ;; Writes the decimal digits of $n at $at; returns the address after them.
  (func $digits (param $n i32) (param $at i32) (result i32)
    (if (i32.ge_u (local.get $n) (i32.const 10))
      (then (local.set $at (call $digits (i32.div_u (local.get $n) (i32.const 10)) (local.get $at)))))
    (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (i32.add (local.get $at) (i32.const 1)))

  ;; Spawns a thread; a tid that is not positive, or seen before, fails the run.
  (func $spawn_checked (param $arg i32)
    (local $tid i32) (local $word i32) (local $bit i32)
    (local.set $tid (call $thread_spawn (local.get $arg)))
    (if (i32.le_s (local.get $tid) (i32.const 0)) (then (call $proc_exit (i32.const 3))))
    (if (i32.ge_u (local.get $tid) (i32.const 1024)) (then (call $proc_exit (i32.const 4))))
    (local.set $word (i32.add (i32.const 512) (i32.shl (i32.shr_u (local.get $tid) (i32.const 5)) (i32.const 2))))
    (local.set $bit (i32.shl (i32.const 1) (i32.and (local.get $tid) (i32.const 31))))
    (if (i32.and (i32.load (local.get $word)) (local.get $bit)) (then (call $proc_exit (i32.const 5))))
    (i32.store (local.get $word) (i32.or (i32.load (local.get $word)) (local.get $bit))))

  (func $wait_done (param $threads i32)
    (local $seen i32)
    (block $all
      (loop $again
        (local.set $seen (i32.atomic.load (i32.const 4)))
        (br_if $all (i32.eq (local.get $seen) (local.get $threads)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $seen) (i64.const -1)))
        (br $again))))

  (func (export "_start")
    (local $i i32) (local $end i32) (local $tid i32)
    ;; The scenario: the first letter of argv[1].
    (drop (call $args_sizes_get (i32.const 120) (i32.const 124)))
    (if (i32.lt_u (i32.load (i32.const 120)) (i32.const 2)) (then (call $proc_exit (i32.const 2))))
    (drop (call $args_get (i32.const 128) (i32.const 256)))
    (i32.store8 (i32.const 12) (i32.load8_u (i32.load (i32.const 132))))

    (if (i32.eq (i32.load8_u (i32.const 12)) (i32.const 99))  ;; count
      (then
        (local.set $i (i32.const 0))
        (loop $spawn
          (call $spawn_checked (i32.const 100000))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $spawn (i32.lt_u (local.get $i) (i32.const 8))))
        (call $wait_done (i32.const 8))
        (i32.store (i32.const 32) (i32.const 0x00206b6f))  ;; "ok "
        (local.set $end (call $digits (i32.atomic.load (i32.const 0)) (i32.const 35)))
        (memory.copy (local.get $end) (i32.const 1024) (i32.const 15))  ;; " tids distinct\n"
        (call $print (i32.sub (i32.add (local.get $end) (i32.const 15)) (i32.const 32)))
        (return)))

    (if (i32.eq (i32.load8_u (i32.const 12)) (i32.const 108))  ;; limit
      (then
        (local.set $i (i32.const 0))
        (block $full
          (loop $spawn
            (local.set $tid (call $thread_spawn (i32.const 0)))
            (br_if $full (i32.lt_s (local.get $tid) (i32.const 0)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $spawn (i32.lt_u (local.get $i) (i32.const 200)))))
        (call $wait_done (local.get $i))
        (i64.store (i32.const 32) (i64.const 0x2064656e77617073))  ;; "spawned "
        (local.set $end (call $digits (local.get $i) (i32.const 40)))
        (i32.store8 (local.get $end) (i32.const 10))
        (call $print (i32.sub (i32.add (local.get $end) (i32.const 1)) (i32.const 32)))
        (return)))

    ;; trap / exit / deep: one thread ends the process while main waits.
    (call $spawn_checked (i32.const 0))
    (call $park)
    (call $proc_exit (i32.const 9))))
