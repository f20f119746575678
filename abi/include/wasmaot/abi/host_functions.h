// The host functions the runtime provides natively, declared once: module,
// name and wasm signature. The runtime checks a module's imports against
// this list and binds them to native entry points of the form
// `int32_t fn(VMContext* caller, params...)`; the compiler may use it to
// know which imports are host calls.
//
// Signature strings are "params:results", one letter per value:
// i = i32, I = i64, f = f32, F = f64. Example: fd_write is "iiii:i".
#pragma once

#include <array>
#include <string_view>

namespace wasmaot::abi {

struct HostFunctionDecl {
  std::string_view module;
  std::string_view name;
  std::string_view signature;
};

constexpr std::string_view kWasiModule = "wasi_snapshot_preview1";
// Older toolchains name the same functions under this module.
constexpr std::string_view kWasiUnstableModule = "wasi_unstable";

// WASI preview 1, in the order of its witx definition.
constexpr std::array kWasiFunctions = {
    HostFunctionDecl{kWasiModule, "args_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "args_sizes_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "environ_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "environ_sizes_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "clock_res_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "clock_time_get", "iIi:i"},
    HostFunctionDecl{kWasiModule, "fd_advise", "iIIi:i"},
    HostFunctionDecl{kWasiModule, "fd_allocate", "iII:i"},
    HostFunctionDecl{kWasiModule, "fd_close", "i:i"},
    HostFunctionDecl{kWasiModule, "fd_datasync", "i:i"},
    HostFunctionDecl{kWasiModule, "fd_fdstat_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_fdstat_set_flags", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_fdstat_set_rights", "iII:i"},
    HostFunctionDecl{kWasiModule, "fd_filestat_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_filestat_set_size", "iI:i"},
    HostFunctionDecl{kWasiModule, "fd_filestat_set_times", "iIIi:i"},
    HostFunctionDecl{kWasiModule, "fd_pread", "iiiIi:i"},
    HostFunctionDecl{kWasiModule, "fd_prestat_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_prestat_dir_name", "iii:i"},
    HostFunctionDecl{kWasiModule, "fd_pwrite", "iiiIi:i"},
    HostFunctionDecl{kWasiModule, "fd_read", "iiii:i"},
    HostFunctionDecl{kWasiModule, "fd_readdir", "iiiIi:i"},
    HostFunctionDecl{kWasiModule, "fd_renumber", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_seek", "iIii:i"},
    HostFunctionDecl{kWasiModule, "fd_sync", "i:i"},
    HostFunctionDecl{kWasiModule, "fd_tell", "ii:i"},
    HostFunctionDecl{kWasiModule, "fd_write", "iiii:i"},
    HostFunctionDecl{kWasiModule, "path_create_directory", "iii:i"},
    HostFunctionDecl{kWasiModule, "path_filestat_get", "iiiii:i"},
    HostFunctionDecl{kWasiModule, "path_filestat_set_times", "iiiiIIi:i"},
    HostFunctionDecl{kWasiModule, "path_link", "iiiiiii:i"},
    HostFunctionDecl{kWasiModule, "path_open", "iiiiiIIii:i"},
    HostFunctionDecl{kWasiModule, "path_readlink", "iiiiii:i"},
    HostFunctionDecl{kWasiModule, "path_remove_directory", "iii:i"},
    HostFunctionDecl{kWasiModule, "path_rename", "iiiiii:i"},
    HostFunctionDecl{kWasiModule, "path_symlink", "iiiii:i"},
    HostFunctionDecl{kWasiModule, "path_unlink_file", "iii:i"},
    HostFunctionDecl{kWasiModule, "poll_oneoff", "iiii:i"},
    HostFunctionDecl{kWasiModule, "proc_exit", "i:"},
    HostFunctionDecl{kWasiModule, "proc_raise", "i:i"},
    HostFunctionDecl{kWasiModule, "sched_yield", ":i"},
    HostFunctionDecl{kWasiModule, "random_get", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_accept", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_recv", "iiiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_send", "iiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_shutdown", "ii:i"},
};

// WAMR's socket extension, in module wasi_snapshot_preview1 (and served under
// wasi_unstable too, as WAMR does). Names, signatures and layouts are WAMR's
// exactly, so a .wasm built against WAMR's wasi_socket_ext.h runs unchanged.
// Every parameter is an i32 (pointers are linear-memory offsets) except the
// two timeout setters' i64 microseconds; every call returns a WASI errno.
// docs/SOCKETS.md has the table with each call's behaviour.
constexpr std::array kSocketFunctions = {
    HostFunctionDecl{kWasiModule, "sock_open", "iiii:i"},      // poolfd, af, socktype, *fd
    HostFunctionDecl{kWasiModule, "sock_bind", "ii:i"},        // fd, *addr
    HostFunctionDecl{kWasiModule, "sock_connect", "ii:i"},     // fd, *addr
    HostFunctionDecl{kWasiModule, "sock_listen", "ii:i"},      // fd, backlog
    HostFunctionDecl{kWasiModule, "sock_recv_from", "iiiiii:i"},  // fd, *iovs, n, riflags, *addr, *len
    HostFunctionDecl{kWasiModule, "sock_send_to", "iiiiii:i"},    // fd, *iovs, n, siflags, *addr, *len
    HostFunctionDecl{kWasiModule, "sock_close", "i:i"},
    HostFunctionDecl{kWasiModule, "sock_addr_local", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_addr_remote", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_addr_resolve", "iiiiii:i"},  // *host, *service, *hints, *info, n, *max
    HostFunctionDecl{kWasiModule, "sock_get_recv_buf_size", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_recv_buf_size", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_send_buf_size", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_send_buf_size", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_recv_timeout", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_recv_timeout", "iI:i"},
    HostFunctionDecl{kWasiModule, "sock_get_send_timeout", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_send_timeout", "iI:i"},
    HostFunctionDecl{kWasiModule, "sock_get_reuse_addr", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_reuse_addr", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_reuse_port", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_reuse_port", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_keep_alive", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_keep_alive", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_broadcast", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_broadcast", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_linger", "iii:i"},  // fd, *bool on, *i32 secs
    HostFunctionDecl{kWasiModule, "sock_set_linger", "iii:i"},  // fd, on, secs
    HostFunctionDecl{kWasiModule, "sock_get_tcp_no_delay", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_tcp_no_delay", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_tcp_quick_ack", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_tcp_quick_ack", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_tcp_keep_idle", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_tcp_keep_idle", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_tcp_keep_intvl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_tcp_keep_intvl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_tcp_fastopen_connect", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_tcp_fastopen_connect", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_ip_multicast_loop", "iii:i"},  // fd, ipv6, *bool
    HostFunctionDecl{kWasiModule, "sock_set_ip_multicast_loop", "iii:i"},  // fd, ipv6, on
    HostFunctionDecl{kWasiModule, "sock_set_ip_add_membership", "iii:i"},   // fd, *addr_ip, iface
    HostFunctionDecl{kWasiModule, "sock_set_ip_drop_membership", "iii:i"},  // fd, *addr_ip, iface
    HostFunctionDecl{kWasiModule, "sock_get_ip_ttl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_ip_ttl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_ip_multicast_ttl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_ip_multicast_ttl", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_get_ipv6_only", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_set_ipv6_only", "ii:i"},
};

// WasmEdge's socket extension, also in module wasi_snapshot_preview1.
// Several of its names are WAMR's too with other signatures (sock_open,
// sock_bind, sock_connect, sock_recv_from, sock_send_to), so the runtime
// picks an implementation per import by its wasm function type: WASI
// preview 1 or WAMR first, then WasmEdge V1, then V2 (WasmEdge's own order).
// Where V1 and V2 share a type they mean the same. Addresses are WasmEdge's
// (`__wasi_address_t{u8* buf, u32 buf_len}`, the port a separate argument)
// and so are the enums (INET4 = 1, INET6 = 2; DGRAM = 1, STREAM = 2).
// docs/SOCKETS.md has the ABI table.
constexpr std::array kWasmEdgeV1SocketFunctions = {
    HostFunctionDecl{kWasiModule, "sock_open", "iii:i"},           // af, socktype, *fd
    HostFunctionDecl{kWasiModule, "sock_bind", "iii:i"},           // fd, *addr, port
    HostFunctionDecl{kWasiModule, "sock_connect", "iii:i"},        // fd, *addr, port
    HostFunctionDecl{kWasiModule, "sock_accept", "ii:i"},          // fd, *fd
    HostFunctionDecl{kWasiModule, "sock_recv_from", "iiiiiii:i"},  // fd, *iovs, n, *addr, riflags, *len, *roflags
    HostFunctionDecl{kWasiModule, "sock_send_to", "iiiiiii:i"},    // fd, *iovs, n, *addr, port, siflags, *len
    HostFunctionDecl{kWasiModule, "sock_getsockopt", "iiiii:i"},   // fd, level, name, *value, *size
    HostFunctionDecl{kWasiModule, "sock_setsockopt", "iiiii:i"},   // fd, level, name, *value, size
    HostFunctionDecl{kWasiModule, "sock_getlocaladdr", "iiii:i"},  // fd, *addr, *addr_type, *port
    HostFunctionDecl{kWasiModule, "sock_getpeeraddr", "iiii:i"},   // fd, *addr, *addr_type, *port
    HostFunctionDecl{kWasiModule, "sock_getaddrinfo", "iiiiiiii:i"},  // *node, n, *service, n, *hints, *res, max, *len
    HostFunctionDecl{kWasiModule, "epoll_oneoff", "iiii:i"},       // as poll_oneoff, edge-triggered
};

// WasmEdge V2 (0.12 on): the calls whose signature changed (sock_accept's
// is WASI preview 1's and WAMR's, found before this table), and the `_v2`
// names WasmEdge also exports, for guests that import those by name.
constexpr std::array kWasmEdgeV2SocketFunctions = {
    HostFunctionDecl{kWasiModule, "sock_recv_from", "iiiiiiii:i"},  // fd, *iovs, n, *addr, riflags, *port, *len, *roflags
    HostFunctionDecl{kWasiModule, "sock_getlocaladdr", "iii:i"},    // fd, *addr, *port
    HostFunctionDecl{kWasiModule, "sock_getpeeraddr", "iii:i"},     // fd, *addr, *port
    HostFunctionDecl{kWasiModule, "sock_open_v2", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_bind_v2", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_connect_v2", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_listen_v2", "ii:i"},
    HostFunctionDecl{kWasiModule, "sock_accept_v2", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_recv_v2", "iiiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_recv_from_v2", "iiiiiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_send_v2", "iiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_send_to_v2", "iiiiiii:i"},
    HostFunctionDecl{kWasiModule, "sock_getlocaladdr_v2", "iii:i"},
    HostFunctionDecl{kWasiModule, "sock_getpeeraddr_v2", "iii:i"},
};

// The declaration of `name` in `table`, or null.
template <size_t N>
constexpr const HostFunctionDecl* findHostFunction(const std::array<HostFunctionDecl, N>& table,
                                                   std::string_view name) {
  for (const auto& decl : table) {
    if (decl.name == name) return &decl;
  }
  return nullptr;
}

}  // namespace wasmaot::abi
