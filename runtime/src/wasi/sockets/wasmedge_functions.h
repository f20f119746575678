// The native entry points of WasmEdge's socket extension (V1 and V2; module
// wasi_snapshot_preview1, abi/host_functions.h declares their wasm
// signatures and wasi_bind.cpp picks among them by an import's type). Each
// converts WasmEdge's argument and address layouts and calls the same cores
// as the WAMR calls (socket_functions.h), so policy, tracing, waits and
// errnos do not depend on the ABI. Where WasmEdge's own host has a bug the
// guest can see, these do what WasmEdge documents instead; docs/SOCKETS.md
// lists each difference.
#pragma once

#include <cstdint>

#include "wasi/wasi_context.h"

namespace wasmaot::runtime::wasi::wasmedge {

// ---- wasmedge_calls.cpp --------------------------------------------------------
int32_t sock_open(Ctx, uint32_t af, uint32_t socktype, uint32_t fd_out);
// Both also take V2's 128-byte address storage (WasmEdge: only as *_v2).
int32_t sock_bind(Ctx, uint32_t fd, uint32_t addr, uint32_t port);
int32_t sock_connect(Ctx, uint32_t fd, uint32_t addr, uint32_t port);
int32_t sock_accept_v1(Ctx, uint32_t fd, uint32_t fd_out);
int32_t sock_recv_from_v1(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t riflags,
                          uint32_t ro_datalen, uint32_t ro_flags);
int32_t sock_recv_from_v2(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t riflags,
                          uint32_t port_out, uint32_t ro_datalen, uint32_t ro_flags);
int32_t sock_send_to(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t addr, uint32_t port,
                     uint32_t siflags, uint32_t so_datalen);
int32_t sock_getlocaladdr_v1(Ctx, uint32_t fd, uint32_t addr, uint32_t addr_type_out, uint32_t port_out);
int32_t sock_getpeeraddr_v1(Ctx, uint32_t fd, uint32_t addr, uint32_t addr_type_out, uint32_t port_out);
int32_t sock_getlocaladdr_v2(Ctx, uint32_t fd, uint32_t addr, uint32_t port_out);
int32_t sock_getpeeraddr_v2(Ctx, uint32_t fd, uint32_t addr, uint32_t port_out);

// ---- wasmedge_options.cpp ------------------------------------------------------
int32_t sock_getsockopt(Ctx, uint32_t fd, uint32_t level, uint32_t name, uint32_t value, uint32_t size);
int32_t sock_setsockopt(Ctx, uint32_t fd, uint32_t level, uint32_t name, uint32_t value, uint32_t size);

// ---- wasmedge_resolve.cpp ------------------------------------------------------
int32_t sock_getaddrinfo(Ctx, uint32_t node, uint32_t node_len, uint32_t service, uint32_t service_len,
                         uint32_t hints, uint32_t res, uint32_t max_res_len, uint32_t res_len);

// ---- wasi_poll.cpp ---------------------------------------------------------------
// poll_oneoff's ABI, edge-triggered: a readiness is reported once, and
// again only after the fd became not ready and ready again (poll_edge.cpp).
int32_t epoll_oneoff(Ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents);

}  // namespace wasmaot::runtime::wasi::wasmedge
