// poll_oneoff with few fds: one ppoll(2) over the subscribed sockets, pipes
// and ttys, with the earliest clock deadline as its timeout (nanosecond
// precision; with clocks only, a plain sleep). Nothing is registered and no
// fd's flags are touched, so a steady server loop makes exactly the
// syscalls a native poll() loop makes.
// Events are made by addReadyEvent, as the loop path's are.
#include <cerrno>

#include "wasi/poll_internal.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
void waitDirect(PollScratch& s) {
  uint64_t wait_ns = emitDueClocks(s);
  for (;;) {
    // Something to report already (an immediate answer, a clock due): only
    // gather what is ready now.
    if (!s.events.empty()) wait_ns = 0;
    timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000u), static_cast<long>(wait_ns % 1'000'000'000u)};
    int ready = ppoll(s.pollfds.data(), s.pollfds.size(), wait_ns == UINT64_MAX ? nullptr : &ts, nullptr);
    if (ready < 0 && errno != EINTR) {
      int32_t err = fromHostErrno(errno);
      for (const PollFdSub& sub : s.fds) s.events.push_back(fdEvent(sub.userdata, sub.type, err, 0, 0));
      return;
    }
    for (size_t i = 0; ready > 0 && i < s.fds.size(); ++i) {
      if (!s.pollfds[i].revents) continue;
      const PollFdSub& sub = s.fds[i];
      addReadyEvent(sub.userdata, sub.type, sub.entry->host, fdKindOf(*sub.entry), s.pollfds[i].revents, s.events);
      --ready;  // the rest are not ready: stop at the last one
    }
    if (!s.events.empty()) return;
    // A timeout or a signal: clocks due by their own clock now (ppoll counts
    // CLOCK_MONOTONIC), or wait the rest.
    wait_ns = emitDueClocks(s);
    if (!s.events.empty()) return;
  }
}

}  // namespace wasmaot::runtime::wasi
