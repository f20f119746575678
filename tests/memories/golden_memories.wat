;; Golden codegen of memory accesses (tests/memories/golden_memories.expect).
(module
  (memory $m0 1)
  (memory $m1 1)
  (func (export "load0") (param i32) (result i32)
    (i32.load offset=16 (local.get 0)))
  (func (export "load1") (param i32) (result i32)
    (i32.load $m1 offset=16 (local.get 0)))
  (func (export "store_both") (param i32 i32)
    (i32.store $m0 (local.get 0) (local.get 1))
    (i32.store $m1 (local.get 0) (local.get 1)))
)
