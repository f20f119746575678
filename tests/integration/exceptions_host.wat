;; Exceptions and host functions (test_exceptions.cpp). The host import
;; calls back into this instance's export named by its argument.
(module
  (import "env" "call_back" (func $call_back (param i32) (result i32)))
  (tag $e (export "e") (param i32))
  (func $thrower (export "thrower") (param i32) (result i32)
    (throw $e (local.get 0)))
  ;; The exception raised in the callback does not reach this catch_all:
  ;; the host function sees a trapped call, and passes the trap on.
  (func (export "through_host") (param i32) (result i32)
    (try (result i32)
      (do (call $call_back (local.get 0)))
      (catch_all (i32.const -1))))
  ;; Thrown and caught inside wasm, payload and all.
  (func (export "caught") (param i32) (result i32)
    (try (result i32)
      (do (call $thrower (local.get 0)))
      (catch $e (i32.add (i32.const 1000)))))
  (func (export "uncaught") (param i32) (result i32)
    (call $thrower (local.get 0))))
