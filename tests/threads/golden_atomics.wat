;; One function per kind of atomic access. check_golden.py compiles this for
;; pinned CPUs and checks each function's disassembly against
;; golden_atomics.expect: read-modify-writes are lock-prefixed instructions,
;; a seq_cst store is an xchg, a load a plain mov, fence an mfence, and none
;; of them calls anything (no library call, no lock), the alignment check
;; being one test and a never-taken branch.
(module
  (memory 1 1 shared)
  (func (export "rmw_add") (param i32 i32) (result i32) (i32.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "rmw_add64") (param i32 i64) (result i64) (i64.atomic.rmw.add (local.get 0) (local.get 1)))
  (func (export "rmw8_sub_u") (param i32 i32) (result i32) (i32.atomic.rmw8.sub_u (local.get 0) (local.get 1)))
  (func (export "rmw_or") (param i32 i32) (drop (i32.atomic.rmw.or (local.get 0) (local.get 1))))
  (func (export "cmpxchg") (param i32 i32 i32) (result i32)
    (i32.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
  (func (export "xchg16") (param i32 i32) (result i32) (i32.atomic.rmw16.xchg_u (local.get 0) (local.get 1)))
  (func (export "store") (param i32 i32) (i32.atomic.store (local.get 0) (local.get 1)))
  (func (export "load64") (param i32) (result i64) (i64.atomic.load (local.get 0)))
  (func (export "fence") (atomic.fence)))
