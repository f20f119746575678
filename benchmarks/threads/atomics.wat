;; The wasm side of atomics_bench.cpp: an uncontended read-modify-write loop
;; and one side of a wait/notify ping-pong, over one shared memory.
;;   0: the RMW counter; 8: the ping-pong turn (0: player 0's turn, 1: player 1's)
(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "rmw_loop") (param $n i32)
    (loop $again
      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  ;; Player $me (0 or 1) waits for its turn, hands the turn over, notifies; $n rounds.
  (func (export "ping_pong") (param $me i32) (param $n i32)
    (loop $again
      (block $my_turn
        (loop $wait
          (br_if $my_turn (i32.eq (i32.atomic.load (i32.const 8)) (local.get $me)))
          (drop (memory.atomic.wait32 (i32.const 8) (i32.xor (local.get $me) (i32.const 1)) (i64.const -1)))
          (br $wait)))
      (i32.atomic.store (i32.const 8) (i32.xor (local.get $me) (i32.const 1)))
      (drop (memory.atomic.notify (i32.const 8) (i32.const 1)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
