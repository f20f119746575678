;; The smallest WASI command: a one-page memory and an empty _start.
;; benchmarks/run turns it into empty.wasm (wat2wasm) and empty.so
;; (wasmaot compile) to measure start-up.
(module
  (memory (export "memory") 1)
  (func (export "_start")))
