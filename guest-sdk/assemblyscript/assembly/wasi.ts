// The raw imports: WAMR's socket extension and the WASI preview 1 calls
// the SDK needs (signatures: abi/include/wasmaot/abi/host_functions.h).
// Every call returns a WASI errno (0 = success).

@external("wasi_snapshot_preview1", "sock_open")
export declare function sock_open(poolfd: i32, af: i32, socktype: i32, fd_out: usize): i32;
@external("wasi_snapshot_preview1", "sock_bind")
export declare function sock_bind(fd: i32, addr: usize): i32;
@external("wasi_snapshot_preview1", "sock_connect")
export declare function sock_connect(fd: i32, addr: usize): i32;
@external("wasi_snapshot_preview1", "sock_listen")
export declare function sock_listen(fd: i32, backlog: i32): i32;
@external("wasi_snapshot_preview1", "sock_accept")
export declare function sock_accept(fd: i32, flags: i32, fd_out: usize): i32;
@external("wasi_snapshot_preview1", "sock_recv")
export declare function sock_recv(fd: i32, iovs: usize, n: i32, riflags: i32, ro_len: usize, ro_flags: usize): i32;
@external("wasi_snapshot_preview1", "sock_send")
export declare function sock_send(fd: i32, iovs: usize, n: i32, siflags: i32, so_len: usize): i32;
@external("wasi_snapshot_preview1", "sock_shutdown")
export declare function sock_shutdown(fd: i32, how: i32): i32;
@external("wasi_snapshot_preview1", "sock_addr_remote")
export declare function sock_addr_remote(fd: i32, addr: usize): i32;
@external("wasi_snapshot_preview1", "sock_addr_local")
export declare function sock_addr_local(fd: i32, addr: usize): i32;
@external("wasi_snapshot_preview1", "sock_addr_resolve")
export declare function sock_addr_resolve(host: usize, service: usize, hints: usize, info: usize, n: i32,
                                          max: usize): i32;
@external("wasi_snapshot_preview1", "sock_set_reuse_addr")
export declare function sock_set_reuse_addr(fd: i32, on: i32): i32;
@external("wasi_snapshot_preview1", "fd_close")
export declare function fd_close(fd: i32): i32;
@external("wasi_snapshot_preview1", "fd_write")
export declare function fd_write(fd: i32, iovs: usize, n: i32, written: usize): i32;
@external("wasi_snapshot_preview1", "args_sizes_get")
export declare function args_sizes_get(argc: usize, buf_size: usize): i32;
@external("wasi_snapshot_preview1", "args_get")
export declare function args_get(argv: usize, buf: usize): i32;
@external("wasi_snapshot_preview1", "proc_exit")
export declare function proc_exit(status: i32): void;

// __wasi_addr_t: u32 kind (0 IPv4, 1 IPv6) then, at 4, the address (4
// bytes, or eight host-order u16 groups) and a host-order u16 port. 24 bytes.
export const ADDR_SIZE: i32 = 24;
// __wasi_addr_info_t: an address, then an i32 socket type. 28 bytes.
export const ADDR_INFO_SIZE: i32 = 28;
