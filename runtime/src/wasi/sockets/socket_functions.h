// The native entry points of the socket calls (WAMR's ABI, module
// wasi_snapshot_preview1; abi/host_functions.h declares their wasm
// signatures) and the helpers the socket files share. Each entry point is
// `int32_t fn(VMContext*, params...)` returning a WASI errno, like the rest
// of the WASI host (wasi_functions.h); wasi_bind.cpp binds them by name.
#pragma once

#include <netdb.h>

#include <cstdint>
#include <string>

#include "wasi/sockets/socket_address.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {

// ---- shared helpers -----------------------------------------------------------
// Rights of every socket fd.
constexpr uint64_t kSocketRights = kRightFdRead | kRightFdWrite | kRightFdFdstatSetFlags | kRightFdFilestatGet |
                                   kRightPollFdReadwrite | kRightSockShutdown | kRightSockAccept;

// The fd-table entry for a host socket (sock_open, sock_accept and the
// pre-opened --tcplisten listeners).
FdEntry socketEntryFor(int host, bool stream, bool v6);

// The socket entry for a guest fd: EBADF when not open, ENOTSOCK when not a socket.
inline FdRef socketEntry(Ctx ctx, uint32_t fd, int32_t* err) {
  FdRef e = WasiHost::of(ctx)->get(fd);
  if (!e) {
    *err = kBadf;
    return FdRef();
  }
  if (!e->isSocket()) {
    *err = kNotSock;
    return FdRef();
  }
  return e;
}

namespace sockets {
// An absolute CLOCK_MONOTONIC deadline in ns for a timeout in µs (0 = none -> 0).
uint64_t deadlineAfter(uint64_t timeout_us);
// Waits until `host` is ready for `events` (POLLIN/POLLOUT; errors and
// hang-ups count as ready, the next syscall reports them) or `deadline_ns`
// passes (0 = never). kSuccess, or kAgain on expiry.
int32_t waitReady(int host, short events, uint64_t deadline_ns);

// The data path's host mode: for a guest-blocking fd, the host socket is
// made blocking with SO_RCVTIMEO/SO_SNDTIMEO = the guest's timeouts, so a
// blocking recvmsg/sendmsg sleeps in the kernel (one syscall, as native);
// for a guest-non-blocking fd it is non-blocking. Changes the host only
// when the guest's mode or timeouts changed since the last call (never per
// call in a steady state). Returns true if the host socket now blocks for
// the guest (so EAGAIN from it means the guest's timeout expired).
bool syncHostMode(FdEntry* e);
// Puts the host socket back into non-blocking mode (connect, accept and
// anything else that waits with waitReady call this first).
void hostNonblocking(FdEntry* e);
inline bool hostModeInSync(const FdEntry* e) {
  return e->nonblock ? !e->host_blocking
                     : e->host_blocking && e->host_recv_timeout_us == e->recv_timeout_us &&
                           e->host_send_timeout_us == e->send_timeout_us;
}

// fd_read / fd_write on a socket (called by wasi_fd.cpp after its rights
// check): one recvmsg/sendmsg on host iovecs pointing into linear memory.
int32_t socketRead(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t count, uint32_t result_ptr);
int32_t socketWrite(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t count, uint32_t result_ptr);

// The ABI-neutral cores of the socket calls. The WAMR entry points below
// and the WasmEdge ones (wasmedge_*.cpp) differ only in how they lay out
// arguments and addresses; each converts its guest address to a HostAddr
// and calls one of these, so the policy checks, their --trace-policy lines,
// the waits and the errnos are the same whichever ABI a guest uses.
int32_t openSocket(Ctx ctx, bool v6, bool stream, uint32_t fd_out);
int32_t bindTo(Ctx ctx, FdEntry* e, const HostAddr& a);
int32_t connectTo(Ctx ctx, FdEntry* e, const HostAddr& a);
using AddressCall = int32_t (*)(Ctx, FdEntry*, const HostAddr&);  // bindTo or connectTo
// getsockname (peer = false) or getpeername.
int32_t socketName(Ctx ctx, uint32_t fd, bool peer, HostAddr* out);
// One receive into the guest iovecs; `from` gets the source (a connected
// stream: the peer). riflags: RECV_PEEK = 1, RECV_WAITALL = 2.
int32_t receiveFrom(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, HostAddr* from,
                    uint64_t* n, uint16_t* roflags);
// A send to `to` (checked against the policy as "send_to"; a stream socket
// sends on its connection).
int32_t sendTo(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t iovs_len, const HostAddr& to, uint64_t* n);
// A name lookup on the instance's libuv loop, after the policy's resolve
// check (kAcces; numeric hosts need no rule); the names of usable results
// are remembered for dns: connect rules. A failed lookup returns kIo with
// libuv's UV_EAI_* status in *lookup_status (each ABI maps it its own way).
struct Resolved {
  addrinfo* list = nullptr;
  ~Resolved();
};
int32_t resolve(Ctx ctx, const std::string& host, const std::string& service, const addrinfo& hints,
                Resolved* out, int* lookup_status);
// An IPv4 or IPv6 stream or datagram result (what the guest ABIs can express).
bool isUsable(const addrinfo* ai);
inline uint32_t clamp32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v); }
}  // namespace sockets

// ---- socket_calls.cpp ---------------------------------------------------------
int32_t sock_open(Ctx, uint32_t poolfd, uint32_t af, uint32_t socktype, uint32_t fd_out);
int32_t sock_bind(Ctx, uint32_t fd, uint32_t addr);
int32_t sock_connect(Ctx, uint32_t fd, uint32_t addr);
int32_t sock_listen(Ctx, uint32_t fd, uint32_t backlog);
int32_t sock_accept(Ctx, uint32_t fd, uint32_t flags, uint32_t fd_out);
int32_t sock_shutdown(Ctx, uint32_t fd, uint32_t how);
int32_t sock_close(Ctx, uint32_t fd);
int32_t sock_addr_local(Ctx, uint32_t fd, uint32_t addr);
int32_t sock_addr_remote(Ctx, uint32_t fd, uint32_t addr);

// ---- socket_io.cpp --------------------------------------------------------------
int32_t sock_recv(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, uint32_t ro_datalen,
                  uint32_t ro_flags);
int32_t sock_recv_from(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, uint32_t src_addr,
                       uint32_t ro_datalen);
int32_t sock_send(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t siflags, uint32_t so_datalen);
int32_t sock_send_to(Ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t siflags, uint32_t dest_addr,
                     uint32_t so_datalen);

// ---- socket_resolve.cpp ---------------------------------------------------------
int32_t sock_addr_resolve(Ctx, uint32_t host, uint32_t service, uint32_t hints, uint32_t info, uint32_t info_len,
                          uint32_t max_info);

// ---- socket_options.cpp ---------------------------------------------------------
#define WASMAOT_SOCK_OPTION(name)                                 \
  int32_t sock_get_##name(Ctx, uint32_t fd, uint32_t out);        \
  int32_t sock_set_##name(Ctx, uint32_t fd, uint32_t value);
WASMAOT_SOCK_OPTION(recv_buf_size)
WASMAOT_SOCK_OPTION(send_buf_size)
WASMAOT_SOCK_OPTION(reuse_addr)
WASMAOT_SOCK_OPTION(reuse_port)
WASMAOT_SOCK_OPTION(keep_alive)
WASMAOT_SOCK_OPTION(broadcast)
WASMAOT_SOCK_OPTION(tcp_no_delay)
WASMAOT_SOCK_OPTION(tcp_quick_ack)
WASMAOT_SOCK_OPTION(tcp_fastopen_connect)
WASMAOT_SOCK_OPTION(tcp_keep_idle)
WASMAOT_SOCK_OPTION(tcp_keep_intvl)
WASMAOT_SOCK_OPTION(ip_ttl)
WASMAOT_SOCK_OPTION(ip_multicast_ttl)
WASMAOT_SOCK_OPTION(ipv6_only)
#undef WASMAOT_SOCK_OPTION
int32_t sock_get_recv_timeout(Ctx, uint32_t fd, uint32_t out_us);
int32_t sock_set_recv_timeout(Ctx, uint32_t fd, uint64_t us);
int32_t sock_get_send_timeout(Ctx, uint32_t fd, uint32_t out_us);
int32_t sock_set_send_timeout(Ctx, uint32_t fd, uint64_t us);
int32_t sock_get_linger(Ctx, uint32_t fd, uint32_t on_out, uint32_t secs_out);
int32_t sock_set_linger(Ctx, uint32_t fd, uint32_t on, uint32_t secs);
int32_t sock_get_ip_multicast_loop(Ctx, uint32_t fd, uint32_t ipv6, uint32_t out);
int32_t sock_set_ip_multicast_loop(Ctx, uint32_t fd, uint32_t ipv6, uint32_t on);
int32_t sock_set_ip_add_membership(Ctx, uint32_t fd, uint32_t group, uint32_t iface);
int32_t sock_set_ip_drop_membership(Ctx, uint32_t fd, uint32_t group, uint32_t iface);

}  // namespace wasmaot::runtime::wasi
