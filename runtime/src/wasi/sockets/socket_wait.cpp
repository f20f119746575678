// How a guest's blocking socket call waits: the host socket is non-blocking,
// so after a syscall says EAGAIN the call waits here for readiness of that
// one fd, bounded by SO_RCVTIMEO/SO_SNDTIMEO. One ppoll(2) per wait: the
// cheapest correct wait for a single fd (poll_oneoff, which waits on many
// fds and clocks, runs on the instance's libuv loop instead).
#include <poll.h>
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
