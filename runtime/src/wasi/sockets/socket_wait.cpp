// How a guest's blocking socket call waits.
//
// The data path (send/recv, socket_io.cpp): the host socket of a
// guest-blocking fd is switched to blocking mode with the guest's
// SO_RCVTIMEO/SO_SNDTIMEO set on it (syncHostMode, once per change of the
// guest's mode or timeouts), so a blocking recvmsg/sendmsg sleeps in the
// kernel exactly as the native call does: one syscall instead of a failed
// non-blocking attempt, a ppoll and a retry.
//
// Everything else (connect, accept, and the data path when the switch
// failed) keeps the host socket non-blocking and, after a syscall says
// EAGAIN, waits here for readiness of that one fd, bounded by the timeout.
// One ppoll(2) per wait: the cheapest correct wait for a single fd
// (poll_oneoff, which waits on many fds and clocks, runs on the instance's
// libuv loop instead and restores the fd's flags afterwards).
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <cerrno>

#include "wasi/sockets/socket_functions.h"

namespace wasmaot::runtime::wasi::sockets {
namespace {
uint64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}
}  // namespace

uint64_t deadlineAfter(uint64_t timeout_us) {
  if (timeout_us == 0) return 0;
  uint64_t now = monotonicNs();
  uint64_t ns = timeout_us > UINT64_MAX / 1000 ? UINT64_MAX : timeout_us * 1000;
  return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

namespace {
timeval toTimeval(uint64_t us) {
  // 0 = no timeout, for WASI and for the kernel alike. Beyond what fits the
  // kernel treats it as no timeout too.
  constexpr uint64_t kMaxSeconds = uint64_t{1} << 40;
  timeval tv{};
  uint64_t seconds = us / 1'000'000u;
  if (seconds > kMaxSeconds) return tv;
  tv.tv_sec = static_cast<time_t>(seconds);
  tv.tv_usec = static_cast<suseconds_t>(us % 1'000'000u);
  return tv;
}

bool setHostTimeout(int host, int option, uint64_t us) {
  timeval tv = toTimeval(us);
  return setsockopt(host, SOL_SOCKET, option, &tv, sizeof tv) == 0;
}

bool setHostNonblocking(int host, bool on) {
  int flags = fcntl(host, F_GETFL);
  if (flags < 0) return false;
  int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  return wanted == flags || fcntl(host, F_SETFL, wanted) == 0;
}
}  // namespace

bool syncHostMode(FdEntry* e) {
  if (hostModeInSync(e)) return e->host_blocking;
  if (e->nonblock) {
    hostNonblocking(e);
    return false;
  }
  // Timeouts first: the socket must never block without them.
  if (e->host_recv_timeout_us != e->recv_timeout_us || !e->host_blocking) {
    if (!setHostTimeout(e->host, SO_RCVTIMEO, e->recv_timeout_us)) return false;
    e->host_recv_timeout_us = e->recv_timeout_us;
  }
  if (e->host_send_timeout_us != e->send_timeout_us || !e->host_blocking) {
    if (!setHostTimeout(e->host, SO_SNDTIMEO, e->send_timeout_us)) return false;
    e->host_send_timeout_us = e->send_timeout_us;
  }
  if (!e->host_blocking) {
    if (!setHostNonblocking(e->host, false)) return false;  // stays non-blocking: ppoll path
    e->host_blocking = true;
  }
  return true;
}

void hostNonblocking(FdEntry* e) {
  if (!e->host_blocking) return;
  // If this fails the socket stays blocking and says so; the callers'
  // syscalls then block in the kernel, bounded by the same timeouts.
  if (setHostNonblocking(e->host, true)) e->host_blocking = false;
}

int32_t waitReady(int host, short events, uint64_t deadline_ns) {
  pollfd p{host, events, 0};
  for (;;) {
    timespec ts{}, *tsp = nullptr;
    if (deadline_ns != 0) {
      uint64_t now = monotonicNs();
      if (now >= deadline_ns) return kAgain;
      uint64_t left = deadline_ns - now;
      ts.tv_sec = static_cast<time_t>(left / 1'000'000'000u);
      ts.tv_nsec = static_cast<long>(left % 1'000'000'000u);
      tsp = &ts;
    }
    int rc = ppoll(&p, 1, tsp, nullptr);
    if (rc > 0) return kSuccess;  // ready, or POLLERR/POLLHUP: the retried syscall says which
    if (rc == 0) return kAgain;
    if (errno != EINTR) return fromHostErrno(errno);
  }
}

}  // namespace wasmaot::runtime::wasi::sockets
