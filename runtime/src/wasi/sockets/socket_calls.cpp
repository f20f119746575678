// Socket lifecycle calls: sock_open, sock_bind, sock_connect, sock_listen,
// sock_accept, sock_shutdown, sock_close, sock_addr_local/remote. Host
// sockets are SOCK_NONBLOCK|SOCK_CLOEXEC guest fd-table entries; bind,
// connect and (for a socket the guest never bound) listen ask the policy.
// Unlike WAMR: no SO_LINGER{1,0} on bind (close sends FIN), shutdown honours
// `how`, sock_close closes, the accepted fd honours the NONBLOCK fdflag.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/sockets/socket_address.h"
#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/socket_state.h"

namespace wasmaot::runtime::wasi {
namespace {

using sockets::HostAddr;
constexpr uint32_t kSdRd = 1, kSdWr = 2;

NetProto protoOf(const FdEntry* e) { return e->filetype == kFiletypeSocketStream ? NetProto::Tcp : NetProto::Udp; }

int32_t readGuestAddr(Ctx ctx, const FdEntry* e, uint32_t ptr, HostAddr* out) {
  if (!inBounds(ctx, ptr, sockets::kGuestAddrSize)) return kFault;
  return sockets::guestToHost(std::span<const uint8_t, sockets::kGuestAddrSize>(at(ctx, ptr), 24), e->sock_v6, out);
}

int32_t writeGuestAddr(Ctx ctx, uint32_t ptr, const HostAddr& a) {
  sockets::hostToGuest(a.sa(), a.len, std::span<uint8_t, sockets::kGuestAddrSize>(at(ctx, ptr), 24));
  return kSuccess;
}

}  // namespace

FdEntry socketEntryFor(int host, bool stream, bool v6) {
  FdEntry e;
  e.host = host;
  e.filetype = stream ? kFiletypeSocketStream : kFiletypeSocketDgram;
  e.rights_base = kSocketRights;
  e.rights_inheriting = kSocketRights;
  e.sock_v6 = v6;
  return e;
}

int32_t sockets::openSocket(Ctx ctx, bool v6, bool stream, uint32_t fd_out) {
  if (!inBounds(ctx, fd_out, 4)) return kFault;
  int host = ::socket(v6 ? AF_INET6 : AF_INET, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC,
                      0);
  if (host < 0) return fromHostErrno(errno);
  uint32_t guest = 0;
  if (int32_t err = WasiHost::of(ctx)->install(socketEntryFor(host, stream, v6), &guest)) return err;
  store32(ctx, fd_out, guest);
  return kSuccess;
}

int32_t sock_open(Ctx ctx, uint32_t /*poolfd*/, uint32_t af, uint32_t socktype, uint32_t fd_out) {
  // As WAMR: af 1 is IPv6, anything else IPv4; socktype 0 is UDP, anything else TCP.
  return sockets::openSocket(ctx, af == 1, socktype != 0, fd_out);
}

int32_t sockets::bindTo(Ctx ctx, FdEntry* e, const HostAddr& a) {
  if (int32_t err = WasiHost::of(ctx)->net().checkBind("bind", protoOf(e), a.sa())) return err;
  if (::bind(e->host, a.sa(), a.len) != 0) return fromHostErrno(errno);
  e->sock_bound = true;
  return kSuccess;
}

int32_t sockets::connectTo(Ctx ctx, FdEntry* e, const HostAddr& a) {
  if (int32_t err = WasiHost::of(ctx)->net().checkConnect("connect", protoOf(e), a.sa())) return err;
  sockets::hostNonblocking(e);  // the data path may have made it blocking
  if (::connect(e->host, a.sa(), a.len) == 0) return kSuccess;
  // A second connect while one is pending passes the host's answer through
  // (EALREADY, EISCONN, 0 or the failure): the guest library's SO_ERROR.
  if (errno != EINPROGRESS && errno != EINTR) return fromHostErrno(errno);
  if (e->nonblock) return kInProgress;
  // Blocking: wait for the outcome, bounded by the send timeout (expiry
  // leaves the connect in progress, as Linux reports it: EINPROGRESS).
  if (sockets::waitReady(e->host, POLLOUT, sockets::deadlineAfter(e->send_timeout_us)) != kSuccess) {
    return kInProgress;
  }
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (getsockopt(e->host, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0) return fromHostErrno(errno);
  return so_error == 0 ? kSuccess : fromHostErrno(so_error);
}

namespace {
// bind or connect (`core`) to the __wasi_addr_t at `addr`.
int32_t toGuestAddr(Ctx ctx, uint32_t fd, uint32_t addr, sockets::AddressCall core) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  HostAddr a;
  if ((err = readGuestAddr(ctx, e, addr, &a))) return err;
  return core(ctx, e, a);
}
}  // namespace

int32_t sock_bind(Ctx ctx, uint32_t fd, uint32_t addr) { return toGuestAddr(ctx, fd, addr, sockets::bindTo); }
int32_t sock_connect(Ctx ctx, uint32_t fd, uint32_t addr) { return toGuestAddr(ctx, fd, addr, sockets::connectTo); }

int32_t sock_listen(Ctx ctx, uint32_t fd, uint32_t backlog) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!e->sock_bound) {
    // listen() on an unbound socket binds the wildcard address and an
    // ephemeral port: that is a bind, and the policy must allow it.
    HostAddr any;
    any.len = e->sock_v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    any.ss.ss_family = e->sock_v6 ? AF_INET6 : AF_INET;
    if ((err = WasiHost::of(ctx)->net().checkBind("listen", protoOf(e), any.sa()))) return err;
  }
  int n = backlog > 4096 ? 4096 : static_cast<int>(backlog);
  return ::listen(e->host, n) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t sock_accept(Ctx ctx, uint32_t fd, uint32_t flags, uint32_t fd_out) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!(e->rights_base & kRightSockAccept)) return kNotCapable;
  if (!inBounds(ctx, fd_out, 4)) return kFault;
  if (flags & ~uint32_t{kFdflagNonblock}) return kInval;
  uint64_t deadline = 0;
  bool have_deadline = false;
  int host;
  sockets::hostNonblocking(e);  // the data path may have made it blocking
  for (;;) {
    host = ::accept4(e->host, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (host >= 0) break;
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return fromHostErrno(errno);
    if (e->nonblock) return kAgain;
    if (!have_deadline) {
      deadline = sockets::deadlineAfter(e->recv_timeout_us);
      have_deadline = true;
    }
    if ((err = sockets::waitReady(e->host, POLLIN, deadline))) return err;
  }
  FdEntry accepted = socketEntryFor(host, true, e->sock_v6);
  accepted.nonblock = (flags & kFdflagNonblock) != 0;
  accepted.sock_bound = true;
  // Linux copies the timeouts to the accepted socket; so do we.
  accepted.recv_timeout_us = e->recv_timeout_us;
  accepted.send_timeout_us = e->send_timeout_us;
  uint32_t guest = 0;
  if ((err = WasiHost::of(ctx)->install(std::move(accepted), &guest))) return err;
  store32(ctx, fd_out, guest);
  return kSuccess;
}

int32_t sock_shutdown(Ctx ctx, uint32_t fd, uint32_t how) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!(e->rights_base & kRightSockShutdown)) return kNotCapable;
  int host_how;
  switch (how) {
    case kSdRd: host_how = SHUT_RD; break;
    case kSdWr: host_how = SHUT_WR; break;
    case kSdRd | kSdWr: host_how = SHUT_RDWR; break;
    default: return kInval;
  }
  return ::shutdown(e->host, host_how) == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t sock_close(Ctx ctx, uint32_t fd) {
  int32_t err = kSuccess;
  if (!socketEntry(ctx, fd, &err)) return err;
  return closeGuestFd(ctx, fd);
}

int32_t sockets::socketName(Ctx ctx, uint32_t fd, bool peer, HostAddr* a) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  a->len = sizeof(a->ss);
  int rc = peer ? getpeername(e->host, a->sa(), &a->len) : getsockname(e->host, a->sa(), &a->len);
  return rc == 0 ? kSuccess : fromHostErrno(errno);
}

int32_t sock_addr_local(Ctx ctx, uint32_t fd, uint32_t addr) {
  HostAddr a;
  if (int32_t err = sockets::socketName(ctx, fd, false, &a)) return err;
  if (!inBounds(ctx, addr, sockets::kGuestAddrSize)) return kFault;
  return writeGuestAddr(ctx, addr, a);
}

int32_t sock_addr_remote(Ctx ctx, uint32_t fd, uint32_t addr) {
  HostAddr a;
  if (int32_t err = sockets::socketName(ctx, fd, true, &a)) return err;
  if (!inBounds(ctx, addr, sockets::kGuestAddrSize)) return kFault;
  return writeGuestAddr(ctx, addr, a);
}

}  // namespace wasmaot::runtime::wasi
