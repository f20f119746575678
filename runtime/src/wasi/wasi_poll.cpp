// poll_oneoff on the instance's libuv loop.
//
// Sockets keep one registration with the loop for the life of the fd
// (fd_watchers.h): a call only changes the interest of sockets whose
// wanted events changed since the last call, never touches a socket's
// blocking mode, and waits with one epoll_wait (libuv's uv_run), which
// returns every ready socket at once. A steady poll() server loop thus
// costs one wait syscall per call plus its own recv/send: fewer syscalls
// than native poll(2), whose kernel side walks every fd on every call. The
// per-call work in user space is one pass over the subscriptions.
// Socket events report nbytes = 0 (as WAMR does; an exact count would cost
// an ioctl per event) except at end of stream, where the hang-up flag is
// set only once nothing is left to read (one FIONREAD and one peek, then).
//
// Clock subscriptions become the one persistent uv timer armed for the
// earliest deadline (re-armed until a deadline has really passed on the
// subscription's own clock: uv timers count whole milliseconds; the last
// sub-millisecond of a clock-only wait is slept with nanosleep so that
// sleeps are neither early nor a millisecond late). Clocks and fds share
// the same single wait. Pipes and ttys get a uv_poll for one call only (a
// persistent one would leave fds shared with other processes, such as
// stdin, non-blocking); regular files and directories (and anything epoll
// refuses, /dev/null) are always ready. Layouts differ between preview 1
// and wasi_unstable only in the clock subscription (wasi_layouts.h).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <algorithm>
#include <memory>

#include "wasi/fd_watchers.h"
#include "wasi/poll_scratch.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr uint32_t kMaxSubscriptions = 1u << 20;

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

// A stream socket whose peer has shut down (or reset): hang-up only once
// nothing is left to read, so a half-closed peer's data is still read first.
uint16_t streamHangup(int host, uint64_t nbytes) {
  if (nbytes > 0) return 0;
  char byte;
  ssize_t r = recv(host, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (r == 0) return kEventFdReadwriteHangup;
  if (r < 0 && (errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT)) return kEventFdReadwriteHangup;
  return 0;
}

// The event for one socket subscription whose watcher fired this round, if any.
void socketEvent(const PollSocketSub& sub, const FdWatcher& w, std::vector<Event>& events) {
  const bool want_read = sub.type == kEventFdRead;
  if (w.status == UV_EBADF) {
    // libuv reports EPOLLERR (a peer reset, a refused connect) as UV_EBADF,
    // but the fd is open. As poll(2) does, report it ready and hung up,
    // leaving the socket's error pending for the recv/send/connect that
    // follows. (EBADF here became POLLNVAL in the guest: a server never
    // dropped a reset client and spun on it; found by tests/load.)
    uint64_t nbytes = want_read ? readable(w.host, false) : 0;
    events.push_back(fdEvent(sub.userdata, sub.type, kSuccess, nbytes, kEventFdReadwriteHangup));
    return;
  }
  if (w.status < 0) {
    events.push_back(fdEvent(sub.userdata, sub.type, fromHostErrno(-w.status), 0, 0));
    return;
  }
  if (want_read && !(w.events & (UV_READABLE | UV_DISCONNECT))) return;
  if (!want_read && !(w.events & UV_WRITABLE)) return;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
  if (want_read && sub.stream && (w.events & UV_DISCONNECT)) {
    nbytes = readable(w.host, false);
    flags = streamHangup(w.host, nbytes);
  }
  events.push_back(fdEvent(sub.userdata, sub.type, kSuccess, nbytes, flags));
}

// ---- pipes and ttys: watched for one call ----

void onTransientPoll(uv_poll_t* handle, int status, int events) {
  auto* t = static_cast<PollTransientFd*>(handle->data);
  t->fired = true;
  t->status = status;
  t->events = events;
  uv_poll_stop(handle);
}

PollTransientFd& transientFor(PollScratch& s, int host) {
  for (auto& t : s.transient) {
    if (t->host == host) return *t;
  }
  s.transient.push_back(std::make_unique<PollTransientFd>());
  s.transient.back()->host = host;
  return *s.transient.back();
}

void startTransient(uv_loop_t* loop, PollTransientFd& t) {
  t.saved_flags = fcntl(t.host, F_GETFL);
  if (uv_poll_init(loop, &t.handle, t.host) != 0) {
    // epoll refuses it (e.g. /dev/null): always ready, like a regular file.
    t.fired = true;
    t.events = UV_READABLE | UV_WRITABLE;
    return;
  }
  t.initialised = true;
  t.handle.data = &t;
  int mask = 0;
  for (const auto& [userdata, type] : t.subs) mask |= type == kEventFdRead ? (UV_READABLE | UV_DISCONNECT) : UV_WRITABLE;
  int rc = uv_poll_start(&t.handle, mask, onTransientPoll);
  if (rc != 0) {
    t.fired = true;
    t.status = rc;
  }
}

// Closes the call's pipe/tty watchers, restores their flags, and reports them.
void finishTransient(uv_loop_t* loop, PollScratch& s) {
  if (s.transient.empty()) return;
  for (auto& t : s.transient) {
    if (t->initialised) uv_close(reinterpret_cast<uv_handle_t*>(&t->handle), nullptr);
  }
  uv_run(loop, UV_RUN_NOWAIT);  // completes the closes
  for (auto& t : s.transient) {
    if (t->saved_flags >= 0) fcntl(t->host, F_SETFL, t->saved_flags);
    if (!t->fired) continue;
    for (const auto& [userdata, type] : t->subs) {
      if (t->status < 0) {
        s.events.push_back(fdEvent(userdata, type, fromHostErrno(-t->status), 0, 0));
        continue;
      }
      bool want_read = type == kEventFdRead;
      if (want_read && !(t->events & (UV_READABLE | UV_DISCONNECT))) continue;
      if (!want_read && !(t->events & UV_WRITABLE)) continue;
      uint64_t nbytes = want_read ? readable(t->host, false) : 0;
      uint16_t flags = (t->events & UV_DISCONNECT) || (want_read && nbytes == 0) ? kEventFdReadwriteHangup : 0;
      s.events.push_back(fdEvent(userdata, type, kSuccess, nbytes, flags));
    }
  }
}

void onTimer(uv_timer_t*) {}

// Reads the subscriptions: answers what can be answered at once (bad fds,
// missing rights, files, unknown clocks), sorts the rest into clocks,
// sockets (registered with their watcher) and pipes/ttys.
int32_t readSubscriptions(Ctx ctx, WasiContext* w, uint32_t in, uint32_t n, const SubscriptionLayout& L,
                          FdWatchers& watchers, PollScratch& s) {
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
        s.events.push_back(fdEvent(userdata, kEventClock, kInval, 0, 0));
        continue;
      }
      uint64_t deadline = timeout;
      if (!(flags & kSubclockAbstime)) {
        uint64_t t = now(clock);
        deadline = timeout > UINT64_MAX - t ? UINT64_MAX : t + timeout;
      }
      s.clocks.push_back({userdata, clock, deadline});
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = load32(ctx, base + kSubscriptionFd);
      FdEntry* e = w->get(fd);
      if (!e) {
        s.events.push_back(fdEvent(userdata, tag, kBadf, 0, 0));
        continue;
      }
      uint64_t need = kRightPollFdReadwrite | (tag == kEventFdRead ? kRightFdRead : kRightFdWrite);
      if ((e->rights_base & need) != need) {
        s.events.push_back(fdEvent(userdata, tag, kNotCapable, 0, 0));
        continue;
      }
      if (e->filetype == kFiletypeRegularFile || e->filetype == kFiletypeDirectory) {
        uint64_t nbytes = tag == kEventFdRead ? readable(e->host, e->filetype == kFiletypeRegularFile) : 0;
        s.events.push_back(fdEvent(userdata, tag, kSuccess, nbytes, 0));
        continue;
      }
      if (e->isSocket()) {
        FdWatcher* watcher = watchers.get(*e);
        bool stream = e->filetype == kFiletypeSocketStream;
        if (!watcher) {
          s.events.push_back(fdEvent(userdata, tag, kSuccess, 0, 0));  // epoll refuses it: always ready
          continue;
        }
        // Subscriptions on one socket are chained from its watcher, so that
        // the events are made from the ready sockets alone after the wait.
        uint32_t index = static_cast<uint32_t>(s.sockets.size());
        if (watchers.want(watcher, tag == kEventFdRead ? (UV_READABLE | (stream ? UV_DISCONNECT : 0)) : UV_WRITABLE)) {
          s.sockets.push_back({userdata, tag, stream, kNoSub});
        } else {
          s.sockets.push_back({userdata, tag, stream, watcher->first_sub});
        }
        watcher->first_sub = index;
        continue;
      }
      transientFor(s, e->host).subs.emplace_back(userdata, tag);
    } else {
      return kInval;
    }
  }
  return kSuccess;
}

// Waits until an event is due: a clock deadline, a ready socket or pipe.
// With events already answered (or a clock already due), only gathers what
// is ready now, without waiting.
void waitForEvents(uv_loop_t* loop, uv_timer_t* timer, FdWatchers& watchers, PollScratch& s) {
  const bool have_fds = !s.sockets.empty() || !s.transient.empty();
  for (;;) {
    uint64_t wait_ns = UINT64_MAX;
    for (const PollClockSub& c : s.clocks) {
      uint64_t t = now(c.clock);
      if (t >= c.deadline) {
        s.events.push_back(fdEvent(c.userdata, kEventClock, kSuccess, 0, 0));
      } else {
        wait_ns = std::min(wait_ns, c.deadline - t);
      }
    }
    bool fd_ready = !watchers.firedThisRound().empty();
    for (const auto& t : s.transient) fd_ready |= t->fired;
    if (!s.events.empty() || fd_ready) {
      // poll with a zero timeout, or a deadline that passed: what is ready now.
      if (!fd_ready && have_fds) uv_run(loop, UV_RUN_NOWAIT);
      return;
    }
    if (!have_fds && wait_ns < 1'000'000) {
      // Less than a timer tick left on a clock-only wait: sleep it exactly.
      timespec ts{static_cast<time_t>(wait_ns / 1'000'000'000u), static_cast<long>(wait_ns % 1'000'000'000u)};
      while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
      }
      continue;
    }
    if (timer && wait_ns != UINT64_MAX) {
      uint64_t ms = have_fds ? (wait_ns + 999'999) / 1'000'000 : wait_ns / 1'000'000;
      uv_update_time(loop);
      uv_timer_start(timer, onTimer, ms, 0);
    }
    uv_run(loop, UV_RUN_ONCE);
  }
}

int32_t pollImpl(Ctx ctx, uint32_t in, uint32_t out, uint32_t n, uint32_t nevents_ptr, const SubscriptionLayout& L) {
  if (n == 0 || n > kMaxSubscriptions) return kInval;
  if (!inBounds(ctx, in, uint64_t{L.size} * n) || !inBounds(ctx, out, uint64_t{sizeof(Event)} * n) ||
      !inBounds(ctx, nevents_ptr, 4)) {
    return kFault;
  }
  WasiContext* w = WasiHost::of(ctx);
  FdWatchers* watchers = w->watchers();
  if (!watchers) return kNoMem;
  PollScratch& s = w->pollScratch();
  s.clear();
  watchers->beginRound();
  if (int32_t err = readSubscriptions(ctx, w, in, n, L, *watchers, s); err != kSuccess) return err;

  if (!s.sockets.empty() || !s.transient.empty() || !s.clocks.empty()) {
    uv_loop_t* loop = w->loop();
    uv_timer_t* timer = s.clocks.empty() ? nullptr : w->pollTimer();
    if (!s.clocks.empty() && !timer) return kNoMem;
    watchers->applyInterest();
    for (auto& t : s.transient) startTransient(loop, *t);
    waitForEvents(loop, timer, *watchers, s);
    if (timer) uv_timer_stop(timer);
    for (const FdWatcher* fired : watchers->firedThisRound()) {
      for (uint32_t i = fired->first_sub; i != kNoSub; i = s.sockets[i].next) socketEvent(s.sockets[i], *fired, s.events);
    }
    finishTransient(loop, s);
  }
  uint32_t count = static_cast<uint32_t>(std::min<size_t>(s.events.size(), n));
  std::memcpy(at(ctx, out), s.events.data(), count * sizeof(Event));
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
