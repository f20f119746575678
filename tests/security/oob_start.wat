;; The widest out-of-bounds store there is: address 0xFFFFFFFF plus offset
;; 0xFFFFFFFF (an effective address just under 8 GiB) from a WASI command.
;; `wasmaot run` must report the out-of-bounds trap and exit 70.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (i64.store offset=0xFFFFFFFF (i32.const -1) (i64.const 0x0123456789abcdef))))
