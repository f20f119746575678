;; A load with an unused value inside an if, inside a loop the vectorizer
;; could if-convert: it must still trap. With llvm.assume anchors the
;; vectorizer dropped it (it drops assumes of predicated blocks); loads kept
;; only by their anchor are now pinned volatile before the vectorizers run.
(module
  (memory 1)
  (data (i32.const 0) "\00\00\00\00\01\00\00\00")
  (func (export "scan") (result i32)
    (local $i i32)
    (loop $next
      (if (i32.load (i32.shl (local.get $i) (i32.const 2)))
        (then (drop (i32.load offset=65532 (i32.shl (local.get $i) (i32.const 2))))))
      (i32.store offset=1024 (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 64))))
    (i32.const 7)))
