;; Bad guest pointers are EFAULT (21), never a trap or a host crash: every
;; call below passes a pointer or length that runs past the end of memory.
;; The runner preopens a directory "d" (fd 3) holding "ten".
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "ten")
  (data (i32.const 16) "check 00: ok\n")
  (data (i32.const 32) "check 00: BAD\n")

  (func $report (param $n i32) (param $ok i32)
    (local $msg i32)
    (local.set $msg (select (i32.const 16) (i32.const 32) (local.get $ok)))
    (i32.store8 (i32.add (local.get $msg) (i32.const 6)) (i32.add (i32.const 48) (i32.div_u (local.get $n) (i32.const 10))))
    (i32.store8 (i32.add (local.get $msg) (i32.const 7)) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
    (i32.store (i32.const 64) (local.get $msg))
    (i32.store (i32.const 68) (select (i32.const 13) (i32.const 14) (local.get $ok)))
    (drop (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 72))))
  (func $efault (param $n i32) (param $rc i32) (call $report (local.get $n) (i32.eq (local.get $rc) (i32.const 21))))

  (func (export "_start")
    ;; an iovec pointing past the end (buf 65530, len 100)
    (i32.store (i32.const 200) (i32.const 65530))
    (i32.store (i32.const 204) (i32.const 100))
    (call $efault (i32.const 1) (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 300)))
    (call $efault (i32.const 2) (call $fd_read (i32.const 0) (i32.const 200) (i32.const 1) (i32.const 300)))
    ;; the iovec array itself out of bounds, and a huge count
    (call $efault (i32.const 3) (call $fd_write (i32.const 1) (i32.const 65532) (i32.const 1) (i32.const 300)))
    (call $efault (i32.const 4) (call $fd_write (i32.const 1) (i32.const 200) (i32.const 0x10000000) (i32.const 300)))
    ;; the result pointer out of bounds
    (call $efault (i32.const 5) (call $fd_write (i32.const 1) (i32.const 200) (i32.const 0) (i32.const 0xfffffffe)))
    (call $efault (i32.const 6) (call $args_get (i32.const 0xfffffff0) (i32.const 0)))
    (call $efault (i32.const 7) (call $environ_sizes_get (i32.const 65534) (i32.const 0)))
    (call $efault (i32.const 8) (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 65530)))
    (call $efault (i32.const 9) (call $random_get (i32.const 65000) (i32.const 1000)))
    ;; path string and result out of bounds
    (call $efault (i32.const 10) (call $path_open (i32.const 3) (i32.const 0) (i32.const 65535) (i32.const 10)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 400)))
    (call $efault (i32.const 11) (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 3)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 65534)))
    ;; poll_oneoff: subscriptions past the end
    (call $efault (i32.const 12) (call $poll_oneoff (i32.const 65500) (i32.const 1000) (i32.const 1) (i32.const 300)))
    (call $efault (i32.const 13) (call $poll_oneoff (i32.const 1000) (i32.const 1000) (i32.const 100000) (i32.const 300)))
    (call $efault (i32.const 14) (call $fd_readdir (i32.const 3) (i32.const 65000) (i32.const 1000) (i64.const 0) (i32.const 300)))
    (call $efault (i32.const 15) (call $fd_prestat_dir_name (i32.const 3) (i32.const 65536) (i32.const 1)))
    ;; and the memory is still fine: a good call works
    (i32.store (i32.const 200) (i32.const 16))
    (i32.store (i32.const 204) (i32.const 0))
    (call $report (i32.const 16) (i32.eqz (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 300))))
  )
)
