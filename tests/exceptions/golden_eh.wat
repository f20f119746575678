;; Golden codegen of exception handling (check_golden.py, golden_eh.expect):
;; a call inside a try costs nothing while nothing is thrown. `in_try` is
;; `plain` wrapped in a try with a catch: up to its first `ret` (the path
;; taken when the callee returns) it must be exactly as long as `plain`;
;; the landing pad and the tag test come after. Every function is
;; exported, in order (export i is function i).
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $thrower)
  (tag $e (param i32))
  (func $plain (export "plain") (param $x i32) (result i32)
    (i32.add (call_indirect (type $t) (local.get $x) (i32.const 0)) (i32.const 1)))
  (func $in_try (export "in_try") (param $x i32) (result i32)
    (try (result i32)
      (do (i32.add (call_indirect (type $t) (local.get $x) (i32.const 0)) (i32.const 1)))
      (catch $e)))
  (func $thrower (export "thrower") (param $x i32) (result i32)
    (throw $e (local.get $x))))
