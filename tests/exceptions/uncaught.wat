;; A WASI command that writes a line and then throws a tag nothing catches:
;; `wasmaot run` must end it like a trap (exit status 70) with a message
;; naming the tag, after the line was written.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "before the throw\n")
  (tag $oops (export "oops") (param i32))
  (func $inner (param i32)
    (try (do (throw $oops (local.get 0)))
         (catch_all (rethrow 0))))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 17))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $inner (i32.const 5))))
