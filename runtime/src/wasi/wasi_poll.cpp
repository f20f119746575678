// poll_oneoff on the instance's libuv loop. Clock subscriptions become one uv
// timer armed for the earliest deadline (re-armed until a deadline has really
// passed on the subscription's own clock: uv timers count whole
// milliseconds; the last sub-millisecond of a clock-only wait is slept with
// clock_nanosleep so that sleeps are neither early nor a millisecond late).
// fd subscriptions on pipes, ttys and sockets become one uv_poll per host fd
// (for sockets: nbytes from FIONREAD, hang-up only at end of stream);
// regular files and directories (and anything epoll refuses, /dev/null) are
// always ready. Layouts differ between preview 1 and wasi_unstable only in
// the clock subscription (wasi_layouts.h).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <map>
#include <memory>

#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr uint32_t kMaxSubscriptions = 1u << 20;

struct ClockSub {
  uint64_t userdata;
  clockid_t clock;
  uint64_t deadline;  // absolute, nanoseconds on `clock`
};

struct FdSub {
  uint64_t userdata;
  uint8_t type;  // kEventFdRead / kEventFdWrite
};

// One uv_poll per host fd, shared by the subscriptions on it.
struct FdGroup {
  uv_poll_t handle;
  int host = -1;
  bool socket = false, stream = false;  // a socket fd (stream: TCP)
  int saved_flags = -1;  // uv_poll_init makes the fd non-blocking: restored after
  bool initialised = false;
  bool fired = false;
  int status = 0;
  int events = 0;
  std::vector<FdSub> subs;
};

uint64_t now(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
}

uint16_t load16(Ctx ctx, uint32_t p) {
  uint16_t v;
  std::memcpy(&v, at(ctx, p), 2);
  return v;
}
uint64_t load64(Ctx ctx, uint32_t p) {
  uint64_t v;
  std::memcpy(&v, at(ctx, p), 8);
  return v;
}

Event fdEvent(uint64_t userdata, uint8_t type, int32_t error, uint64_t nbytes, uint16_t flags) {
  Event ev{};
  ev.userdata = userdata;
  ev.type = type;
  ev.error = static_cast<uint16_t>(error);
  ev.nbytes = nbytes;
  ev.flags = flags;
  return ev;
}

// Bytes readable now on a pipe/tty/socket, or on a regular file from its offset.
uint64_t readable(int fd, bool regular) {
  if (regular) {
    struct stat st{};
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (fstat(fd, &st) == 0 && pos >= 0 && st.st_size > pos) return uint64_t(st.st_size - pos);
    return 0;
  }
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? uint64_t(n) : 0;
}

// Sockets: hang-up only once nothing is left to read and the stream has
// ended (EOF or reset), so a half-closed peer's data is still read first; a
// listening socket with a pending connection (FIONREAD says 0) is not a
// hang-up, nor is an empty datagram.
uint16_t socketHangup(const FdGroup& g, uint64_t nbytes) {
  if (!g.stream || nbytes > 0) return 0;
  char byte;
  ssize_t r = recv(g.host, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (r == 0) return kEventFdReadwriteHangup;
  if (r < 0 && (errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT)) return kEventFdReadwriteHangup;
  return 0;
}

void onPoll(uv_poll_t* handle, int status, int events) {
  auto* g = static_cast<FdGroup*>(handle->data);
  g->fired = true;
  g->status = status;
  g->events = events;
  uv_poll_stop(handle);
}

void onTimer(uv_timer_t*) {}

int32_t pollImpl(Ctx ctx, uint32_t in, uint32_t out, uint32_t n, uint32_t nevents_ptr, const SubscriptionLayout& L) {
  if (n == 0 || n > kMaxSubscriptions) return kInval;
  if (!inBounds(ctx, in, uint64_t{L.size} * n) || !inBounds(ctx, out, uint64_t{sizeof(Event)} * n) ||
      !inBounds(ctx, nevents_ptr, 4)) {
    return kFault;
  }
  WasiContext* w = WasiHost::of(ctx);
  std::vector<Event> events;
  std::vector<ClockSub> clocks;
  std::map<int, std::unique_ptr<FdGroup>> groups;

  for (uint32_t i = 0; i < n; ++i) {
    uint32_t base = in + i * L.size;
    uint64_t userdata = load64(ctx, base);
    uint8_t tag = *at(ctx, base + kSubscriptionTag);
    if (tag == kEventClock) {
      uint32_t id = load32(ctx, base + L.clock_id);
      uint64_t timeout = load64(ctx, base + L.clock_timeout);
      uint16_t flags = load16(ctx, base + L.clock_flags);
      clockid_t clock;
      if (id == kClockRealtime) clock = CLOCK_REALTIME;
      else if (id == kClockMonotonic) clock = CLOCK_MONOTONIC;
      else {
        events.push_back(fdEvent(userdata, kEventClock, kInval, 0, 0));
        continue;
      }
      uint64_t deadline = timeout;
      if (!(flags & kSubclockAbstime)) {
        uint64_t t = now(clock);
        deadline = timeout > UINT64_MAX - t ? UINT64_MAX : t + timeout;
      }
      clocks.push_back({userdata, clock, deadline});
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = load32(ctx, base + kSubscriptionFd);
      FdEntry* e = w->get(fd);
      if (!e) {
        events.push_back(fdEvent(userdata, tag, kBadf, 0, 0));
        continue;
      }
      uint64_t need = kRightPollFdReadwrite | (tag == kEventFdRead ? kRightFdRead : kRightFdWrite);
      if ((e->rights_base & need) != need) {
        events.push_back(fdEvent(userdata, tag, kNotCapable, 0, 0));
        continue;
      }
      if (e->filetype == kFiletypeRegularFile || e->filetype == kFiletypeDirectory) {
        uint64_t nbytes = tag == kEventFdRead ? readable(e->host, e->filetype == kFiletypeRegularFile) : 0;
        events.push_back(fdEvent(userdata, tag, kSuccess, nbytes, 0));
        continue;
      }
      auto& g = groups[e->host];
      if (!g) {
        g = std::make_unique<FdGroup>();
        g->host = e->host;
        g->socket = e->isSocket();
        g->stream = e->filetype == kFiletypeSocketStream;
      }
      g->subs.push_back({userdata, tag});
    } else {
      return kInval;
    }
  }

  uv_loop_t* loop = (groups.empty() && clocks.empty()) ? nullptr : w->loop();
  if (!loop && !events.empty()) {
    // Only immediate events (or nothing that needs the loop).
  } else if (!loop) {
    return kNoMem;
  } else {
    uv_timer_t timer;
    bool timer_ready = !clocks.empty() && uv_timer_init(loop, &timer) == 0;
    if (timer_ready) timer.data = nullptr;
    for (auto& [host, g] : groups) {
      g->saved_flags = fcntl(host, F_GETFL);
      if (uv_poll_init(loop, &g->handle, host) != 0) {
        // epoll refuses it (e.g. /dev/null): always ready, like a regular file.
        g->fired = true;
        g->events = UV_READABLE | UV_WRITABLE;
        continue;
      }
      g->initialised = true;
      g->handle.data = g.get();
      int mask = 0;
      for (const FdSub& s : g->subs) mask |= s.type == kEventFdRead ? (UV_READABLE | UV_DISCONNECT) : UV_WRITABLE;
      int rc = uv_poll_start(&g->handle, mask, onPoll);
      if (rc != 0) {
        g->fired = true;
        g->status = rc;
      }
    }
    bool have_fd_events = false;
    for (;;) {
      // Clocks due by their own clock.
      uint64_t wait_ns = UINT64_MAX;
      for (const ClockSub& c : clocks) {
        uint64_t t = now(c.clock);
        if (t >= c.deadline) {
          events.push_back(fdEvent(c.userdata, kEventClock, kSuccess, 0, 0));
        } else {
          wait_ns = std::min(wait_ns, c.deadline - t);
        }
      }
      for (auto& [host, g] : groups) have_fd_events |= g->fired;
      if (!events.empty() || have_fd_events) {
        if (!groups.empty()) uv_run(loop, UV_RUN_NOWAIT);  // gather whatever else is ready
        break;
      }
      if (groups.empty() && wait_ns < 1'000'000) {
        // Less than a timer tick left on a clock-only wait: sleep it exactly.
        timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000u), static_cast<long>(wait_ns % 1'000'000'000u)};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        continue;
      }
      if (timer_ready && wait_ns != UINT64_MAX) {
        uint64_t ms = groups.empty() ? wait_ns / 1'000'000 : (wait_ns + 999'999) / 1'000'000;
        uv_update_time(loop);
        uv_timer_start(&timer, onTimer, ms, 0);
      }
      uv_run(loop, UV_RUN_ONCE);
    }
    // Tear down: close the handles and let the loop finish closing them.
    if (timer_ready) uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    for (auto& [host, g] : groups) {
      if (g->initialised) uv_close(reinterpret_cast<uv_handle_t*>(&g->handle), nullptr);
    }
    uv_run(loop, UV_RUN_NOWAIT);
    for (auto& [host, g] : groups) {
      if (g->saved_flags >= 0) fcntl(host, F_SETFL, g->saved_flags);
      if (!g->fired) continue;
      for (const FdSub& s : g->subs) {
        if (g->status == UV_EBADF) {
          // libuv reports EPOLLERR (a peer reset, a refused connect, a pipe
          // whose reader is gone) as UV_EBADF, but the fd is open (checked
          // above). As poll(2) does, report it ready and hung up, leaving the
          // socket's error pending for the recv/send/connect that follows.
          // (EBADF here became POLLNVAL in the guest: a server never dropped
          // a reset client and spun on it; found by tests/load.)
          uint64_t nbytes = s.type == kEventFdRead ? readable(host, false) : 0;
          events.push_back(fdEvent(s.userdata, s.type, kSuccess, nbytes, kEventFdReadwriteHangup));
          continue;
        }
        if (g->status < 0) {
          events.push_back(fdEvent(s.userdata, s.type, fromHostErrno(-g->status), 0, 0));
          continue;
        }
        bool want_read = s.type == kEventFdRead;
        if (want_read && !(g->events & (UV_READABLE | UV_DISCONNECT))) continue;
        if (!want_read && !(g->events & UV_WRITABLE)) continue;
        uint64_t nbytes = want_read ? readable(host, false) : 0;
        uint16_t flags = g->socket ? socketHangup(*g, nbytes)
                         : (g->events & UV_DISCONNECT) || (want_read && nbytes == 0) ? kEventFdReadwriteHangup
                                                                                      : 0;
        events.push_back(fdEvent(s.userdata, s.type, kSuccess, nbytes, flags));
      }
    }
  }
  uint32_t count = static_cast<uint32_t>(std::min<size_t>(events.size(), n));
  std::memcpy(at(ctx, out), events.data(), count * sizeof(Event));
  store32(ctx, nevents_ptr, count);
  return kSuccess;
}

}  // namespace

int32_t poll_oneoff(Ctx ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents) {
  return pollImpl(ctx, in, out, nsubscriptions, nevents, kSubscriptionPreview1);
}
int32_t poll_oneoff_unstable(Ctx ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents) {
  return pollImpl(ctx, in, out, nsubscriptions, nevents, kSubscriptionUnstable);
}

}  // namespace wasmaot::runtime::wasi
