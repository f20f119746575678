// The socket data path: sock_recv, sock_recv_from, sock_send, sock_send_to,
// and fd_read/fd_write on a socket. The hot path: the guest's iovec array
// becomes host iovecs on the stack pointing straight into linear memory
// (each bounds-checked), then ONE recvmsg/sendmsg (for a single buffer
// recv/send or recvfrom/sendto, which the kernel handles more cheaply). For a guest-blocking fd
// the host socket is in blocking mode with the guest's timeouts set on it
// (syncHostMode, socket_wait.cpp), so that call sleeps in the kernel as the
// native call does and EAGAIN from it is the guest's timeout. If the host
// socket could not be switched, EAGAIN makes the call wait with ppoll
// (socket_wait.cpp) and retry. No allocation for up to kStackIovecs
// non-empty buffers, no copy. Every send uses MSG_NOSIGNAL: a closed peer
// is EPIPE, never SIGPIPE.
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <poll.h>
#include <vector>

#include "wasi/sockets/socket_address.h"
#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/socket_state.h"

namespace wasmaot::runtime::wasi {
namespace sockets {
namespace {

constexpr int kStackIovecs = 64;
constexpr uint32_t kMaxIovecs = 1024;  // IOV_MAX
constexpr uint16_t kRiPeek = 1, kRiWaitall = 2;
constexpr uint16_t kRoDataTruncated = 1;

// Host iovecs for a guest iovec array: on the stack up to kStackIovecs,
// beyond that (rare) on the heap. Zero-length buffers are dropped.
struct HostIovecs {
  iovec stack[kStackIovecs];
  std::vector<iovec> heap;
  iovec* v = stack;
  int n = 0;
  size_t bytes = 0;

  int32_t build(Ctx ctx, uint32_t iovs, uint32_t count) {
    if (count > kMaxIovecs) return kInval;
    if (!inBounds(ctx, iovs, uint64_t{8} * count)) return kFault;
    const uint8_t* p = at(ctx, iovs);
    for (uint32_t i = 0; i < count; ++i) {
      Iovec g;
      std::memcpy(&g, p + 8 * i, 8);
      if (!inBounds(ctx, g.buf, g.len)) return kFault;
      if (g.len == 0) continue;
      if (n == kStackIovecs) {
        heap.assign(stack, stack + n);
        heap.reserve(count);
      }
      iovec h{at(ctx, g.buf), g.len};
      if (n >= kStackIovecs) heap.push_back(h);
      else stack[n] = h;
      ++n;
      bytes += g.len;
    }
    if (n > kStackIovecs) v = heap.data();
    return kSuccess;
  }

  // Drops the first `done` bytes (after a short transfer).
  void advance(size_t done) {
    bytes -= done;
    while (n > 0 && done >= v->iov_len) {
      done -= v->iov_len;
      ++v;
      --n;
    }
    if (n > 0 && done > 0) {
      v->iov_base = static_cast<uint8_t*>(v->iov_base) + done;
      v->iov_len -= done;
    }
  }
};

// The wait deadline of one blocking call, computed on its first wait only.
struct CallDeadline {
  uint64_t at = 0;
  bool set = false;
};

constexpr int32_t kRetryTransfer = -1;     // interrupted, or the socket became ready
constexpr int32_t kStopWithProgress = -2;  // report the bytes moved so far

// Decides what a send/recv loop does after its syscall failed with `err`:
// retry, stop and report the progress made, or return a WASI errno. Only
// reached when the syscall could not complete, so the fast path never pays
// for it. A guest-blocking socket whose host fd is non-blocking waits here
// for `events` until the guest's timeout.
int32_t afterFailedTransfer(FdEntry* e, int err, bool host_blocks, bool progressed, short events,
                            uint64_t timeout_us, CallDeadline& deadline) {
  if (err == EINTR) return kRetryTransfer;
  int32_t result;
  if (err != EAGAIN && err != EWOULDBLOCK) {
    result = fromHostErrno(err);
  } else if (e->nonblock || host_blocks) {  // would block, or the kernel's timeout expired
    result = kAgain;
  } else {
    if (!deadline.set) {
      deadline.at = deadlineAfter(timeout_us);
      deadline.set = true;
    }
    result = waitReady(e->host, events, deadline.at);
    if (result == kSuccess) return kRetryTransfer;
  }
  return progressed ? kStopWithProgress : result;
}

// One receive syscall into `io`. One buffer takes the call a native
// program makes for it, which costs the kernel less than recvmsg (no
// msghdr or iovec array to copy in): recv on a stream socket without a
// source address, else recvfrom -- on a datagram socket with MSG_TRUNC, so
// it returns the datagram's real length and a truncation shows. Anything
// else is one recvmsg.
ssize_t receiveOnce(int host, bool stream, const HostIovecs& io, int flags, HostAddr* from, uint16_t* roflags) {
  if (io.n == 1) {
    if (stream && !from) return recv(host, io.v[0].iov_base, io.v[0].iov_len, flags);
    socklen_t len = from ? socklen_t{sizeof(from->ss)} : 0;
    ssize_t r = recvfrom(host, io.v[0].iov_base, io.v[0].iov_len, flags | (stream ? 0 : MSG_TRUNC),
                         from ? from->sa() : nullptr, from ? &len : nullptr);
    if (r < 0) return r;
    if (from) from->len = len;
    if (!stream && static_cast<size_t>(r) > io.v[0].iov_len) {
      *roflags |= kRoDataTruncated;
      r = static_cast<ssize_t>(io.v[0].iov_len);
    }
    return r;
  }
  msghdr m{};
  m.msg_iov = io.v;
  m.msg_iovlen = static_cast<size_t>(io.n);
  if (from) {
    m.msg_name = &from->ss;
    m.msg_namelen = sizeof(from->ss);
  }
  ssize_t r = recvmsg(host, &m, flags);
  if (r >= 0) {
    if (from) from->len = m.msg_namelen;
    if (m.msg_flags & MSG_TRUNC) *roflags |= kRoDataTruncated;
  }
  return r;
}

// One send syscall of `io` (to `to` when given): for one buffer the call a
// native program makes (send, or sendto with an address; cheaper than
// sendmsg), else one sendmsg. MSG_NOSIGNAL: a closed peer is EPIPE, never
// SIGPIPE.
ssize_t sendOnce(int host, const HostIovecs& io, const HostAddr* to) {
  if (io.n == 1) {
    if (!to) return send(host, io.v[0].iov_base, io.v[0].iov_len, MSG_NOSIGNAL);
    return sendto(host, io.v[0].iov_base, io.v[0].iov_len, MSG_NOSIGNAL, to->sa(), to->len);
  }
  msghdr m{};
  m.msg_iov = io.v;
  m.msg_iovlen = static_cast<size_t>(io.n);
  if (to) {
    m.msg_name = const_cast<sockaddr_storage*>(&to->ss);
    m.msg_namelen = to->len;
  }
  return sendmsg(host, &m, MSG_NOSIGNAL);
}

// Receives into `io`. `from` (optional) gets the source address.
int32_t receive(FdEntry* e, HostIovecs& io, uint16_t riflags, HostAddr* from, uint64_t* total_out,
                uint16_t* roflags) {
  const bool stream = e->filetype == kFiletypeSocketStream;
  const bool waitall = stream && (riflags & kRiWaitall) && !(riflags & kRiPeek);
  const bool host_blocks = syncHostMode(e);
  // A blocking host socket does MSG_WAITALL itself, under one timeout.
  const int flags = ((riflags & kRiPeek) ? MSG_PEEK : 0) | (waitall && host_blocks ? MSG_WAITALL : 0);
  uint64_t total = 0;
  CallDeadline deadline;
  for (;;) {
    ssize_t r = receiveOnce(e->host, stream, io, flags, from, roflags);
    if (r >= 0) {
      total += static_cast<uint64_t>(r);
      // A blocking host socket returns short only on timeout, EOF or a signal.
      if (!waitall || host_blocks || r == 0 || static_cast<size_t>(r) >= io.bytes) break;
      io.advance(static_cast<size_t>(r));
      continue;
    }
    int32_t next = afterFailedTransfer(e, errno, host_blocks, total > 0, POLLIN, e->recv_timeout_us, deadline);
    if (next == kRetryTransfer) continue;
    if (next == kStopWithProgress) break;
    return next;
  }
  *total_out = total;
  return kSuccess;
}

// Sends `io` (to `to` when given). A blocking stream send goes on until all
// is sent, as a blocking send(2) does; a timeout after some progress
// reports the progress.
int32_t transmit(FdEntry* e, HostIovecs& io, const HostAddr* to, uint64_t* total_out) {
  const bool stream = e->filetype == kFiletypeSocketStream;
  const bool host_blocks = syncHostMode(e);
  uint64_t total = 0;
  CallDeadline deadline;
  for (;;) {
    ssize_t r = sendOnce(e->host, io, to);
    if (r >= 0) {
      total += static_cast<uint64_t>(r);
      // A blocking host socket returns short only on timeout or a signal.
      if (!stream || static_cast<size_t>(r) >= io.bytes || e->nonblock || host_blocks) break;
      io.advance(static_cast<size_t>(r));
      continue;
    }
    int32_t next = afterFailedTransfer(e, errno, host_blocks, total > 0, POLLOUT, e->send_timeout_us, deadline);
    if (next == kRetryTransfer) continue;
    if (next == kStopWithProgress) break;
    return next;
  }
  *total_out = total;
  return kSuccess;
}

inline void store16(Ctx ctx, uint32_t ptr, uint16_t v) { std::memcpy(at(ctx, ptr), &v, 2); }

}  // namespace

int32_t socketRead(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t count, uint32_t result_ptr) {
  HostIovecs io;
  if (int32_t err = io.build(ctx, iovs, count)) return err;
  uint64_t n = 0;
  uint16_t roflags = 0;
  if (int32_t err = receive(e, io, 0, nullptr, &n, &roflags)) return err;
  store32(ctx, result_ptr, clamp32(n));
  return kSuccess;
}

int32_t socketWrite(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t count, uint32_t result_ptr) {
  HostIovecs io;
  if (int32_t err = io.build(ctx, iovs, count)) return err;
  uint64_t n = 0;
  if (int32_t err = transmit(e, io, nullptr, &n)) return err;
  store32(ctx, result_ptr, clamp32(n));
  return kSuccess;
}

}  // namespace sockets

using sockets::HostAddr;

int32_t sock_recv(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, uint32_t ro_datalen,
                  uint32_t ro_flags) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!(e->rights_base & kRightFdRead)) return kNotCapable;
  if (!inBounds(ctx, ro_datalen, 4) || !inBounds(ctx, ro_flags, 2)) return kFault;
  if (riflags & ~uint32_t{sockets::kRiPeek | sockets::kRiWaitall}) return kInval;
  sockets::HostIovecs io;
  if ((err = io.build(ctx, iovs, iovs_len))) return err;
  uint64_t n = 0;
  uint16_t roflags = 0;
  if ((err = sockets::receive(e, io, static_cast<uint16_t>(riflags), nullptr, &n, &roflags))) return err;
  store32(ctx, ro_datalen, sockets::clamp32(n));
  sockets::store16(ctx, ro_flags, roflags);
  return kSuccess;
}

int32_t sockets::receiveFrom(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t iovs_len, uint32_t riflags,
                             HostAddr* from, uint64_t* n, uint16_t* roflags) {
  if (!(e->rights_base & kRightFdRead)) return kNotCapable;
  if (riflags & ~uint32_t{kRiPeek | kRiWaitall}) return kInval;
  HostIovecs io;
  if (int32_t err = io.build(ctx, iovs, iovs_len)) return err;
  *roflags = 0;
  if (int32_t err = receive(e, io, static_cast<uint16_t>(riflags), from, n, roflags)) return err;
  // A connected stream socket reports no source: give the peer (WAMR gives 0.0.0.0:0).
  if (from->len == 0) {
    from->len = sizeof(from->ss);
    if (getpeername(e->host, from->sa(), &from->len) != 0) from->len = 0;
  }
  return kSuccess;
}

int32_t sock_recv_from(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t riflags, uint32_t src_addr,
                       uint32_t ro_datalen) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, src_addr, sockets::kGuestAddrSize) || !inBounds(ctx, ro_datalen, 4)) return kFault;
  uint64_t n = 0;
  uint16_t roflags = 0;
  HostAddr from;
  if ((err = sockets::receiveFrom(ctx, e, iovs, iovs_len, riflags, &from, &n, &roflags))) return err;
  sockets::hostToGuest(from.sa(), from.len, std::span<uint8_t, sockets::kGuestAddrSize>(at(ctx, src_addr), 24));
  store32(ctx, ro_datalen, sockets::clamp32(n));
  return kSuccess;
}

int32_t sock_send(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t siflags, uint32_t so_datalen) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!(e->rights_base & kRightFdWrite)) return kNotCapable;
  if (!inBounds(ctx, so_datalen, 4)) return kFault;
  sockets::HostIovecs io;
  if ((err = io.build(ctx, iovs, iovs_len))) return err;
  uint64_t n = 0;
  if ((err = sockets::transmit(e, io, nullptr, &n))) return err;
  store32(ctx, so_datalen, sockets::clamp32(n));
  return kSuccess;
}

int32_t sockets::sendTo(Ctx ctx, FdEntry* e, uint32_t iovs, uint32_t iovs_len, const HostAddr& to, uint64_t* n) {
  if (!(e->rights_base & kRightFdWrite)) return kNotCapable;
  NetProto proto = e->filetype == kFiletypeSocketStream ? NetProto::Tcp : NetProto::Udp;
  if (int32_t err = WasiHost::of(ctx)->net().checkConnect("send_to", proto, to.sa())) return err;
  HostIovecs io;
  if (int32_t err = io.build(ctx, iovs, iovs_len)) return err;
  // A stream socket is connected already: the address is not passed on.
  return transmit(e, io, proto == NetProto::Udp ? &to : nullptr, n);
}

int32_t sock_send_to(Ctx ctx, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t /*siflags*/, uint32_t dest_addr,
                     uint32_t so_datalen) {
  int32_t err = kSuccess;
  FdRef e = socketEntry(ctx, fd, &err);
  if (!e) return err;
  if (!inBounds(ctx, dest_addr, sockets::kGuestAddrSize) || !inBounds(ctx, so_datalen, 4)) return kFault;
  HostAddr to;
  err = sockets::guestToHost(std::span<const uint8_t, sockets::kGuestAddrSize>(at(ctx, dest_addr), 24), e->sock_v6,
                             &to);
  if (err) return err;
  uint64_t n = 0;
  if ((err = sockets::sendTo(ctx, e, iovs, iovs_len, to, &n))) return err;
  store32(ctx, so_datalen, sockets::clamp32(n));
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi
