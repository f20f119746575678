;; A guest built against the old `wasi_unstable` module: checks the layouts
;; that differ from preview 1 (fd_seek's whence order, filestat with a u32
;; nlink, the clock subscription with its extra identifier field). The runner
;; preopens a directory named "d" (fd 3) holding "ten", a 10-byte file.
(module
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "path_filestat_get" (func $path_filestat_get (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "ten")
  ;; "check N: ok\n" at 16 (12 bytes), "check N: BAD\n" at 32
  (data (i32.const 16) "check 0: ok\n")
  (data (i32.const 32) "check 0: BAD\n")

  (func $report (param $n i32) (param $ok i32)
    (local $msg i32)
    (local.set $msg (select (i32.const 16) (i32.const 32) (local.get $ok)))
    (i32.store8 (i32.add (local.get $msg) (i32.const 6)) (i32.add (i32.const 48) (local.get $n)))
    (i32.store (i32.const 64) (local.get $msg))
    (i32.store (i32.const 68) (select (i32.const 12) (i32.const 13) (local.get $ok)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))

  (func (export "_start")
    (local $fd i32)
    ;; 1: open d/ten with read, seek, tell, filestat_get rights
    (call $report (i32.const 1)
      (i32.eqz (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 0)
                 (i64.const 0x200026) (i64.const 0) (i32.const 0) (i32.const 100))))
    (local.set $fd (i32.load (i32.const 100)))
    ;; 2: whence 2 is SET in wasi_unstable: seek(2, SET) -> 2
    (drop (call $fd_seek (local.get $fd) (i64.const 2) (i32.const 2) (i32.const 104)))
    (call $report (i32.const 2) (i64.eq (i64.load (i32.const 104)) (i64.const 2)))
    ;; 3: whence 1 is END: seek(-1, END) -> 9
    (drop (call $fd_seek (local.get $fd) (i64.const -1) (i32.const 1) (i32.const 104)))
    (call $report (i32.const 3) (i64.eq (i64.load (i32.const 104)) (i64.const 9)))
    ;; 4: whence 0 is CUR: seek(0, CUR) -> 9
    (drop (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 104)))
    (call $report (i32.const 4) (i64.eq (i64.load (i32.const 104)) (i64.const 9)))
    ;; 5: fd_filestat_get: filetype at 16 = 4 (regular), nlink u32 at 20 = 1, size at 24 = 10
    (drop (call $fd_filestat_get (local.get $fd) (i32.const 200)))
    (call $report (i32.const 5)
      (i32.and (i32.and (i32.eq (i32.load8_u (i32.const 216)) (i32.const 4))
                        (i32.eq (i32.load (i32.const 220)) (i32.const 1)))
               (i64.eq (i64.load (i32.const 224)) (i64.const 10))))
    ;; 6: path_filestat_get: the same layout
    (drop (call $path_filestat_get (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 3) (i32.const 300)))
    (call $report (i32.const 6)
      (i32.and (i32.eq (i32.load (i32.const 320)) (i32.const 1)) (i64.eq (i64.load (i32.const 324)) (i64.const 10))))
    ;; 7: poll_oneoff, one relative 1 ms monotonic clock in the 56-byte layout:
    ;; userdata@0, tag@8, identifier@16, id@24, timeout@32, precision@40, flags@48
    (i64.store (i32.const 400) (i64.const 0x1234))
    (i32.store8 (i32.const 408) (i32.const 0))
    (i64.store (i32.const 416) (i64.const 99))
    (i32.store (i32.const 424) (i32.const 1))
    (i64.store (i32.const 432) (i64.const 1000000))
    (i64.store (i32.const 440) (i64.const 0))
    (i32.store16 (i32.const 448) (i32.const 0))
    (call $report (i32.const 7)
      (i32.and (i32.eqz (call $poll_oneoff (i32.const 400) (i32.const 500) (i32.const 1) (i32.const 600)))
        (i32.and (i32.eq (i32.load (i32.const 600)) (i32.const 1))
          (i32.and (i64.eq (i64.load (i32.const 500)) (i64.const 0x1234))
                   (i32.eqz (i32.load16_u (i32.const 508))))))))
)
