// poll_oneoff with many fds, on the instance's libuv loop.
//
// Sockets keep one registration with the loop for the life of the fd
// (fd_watchers.h): a call only changes the interest of sockets whose
// wanted events changed since the last such call, never touches a socket's
// blocking mode, and waits with one epoll_wait (inside uv_run), which
// returns every ready socket at once; the events are then made from the
// ready sockets alone. So a call's cost follows the ready sockets, plus one
// pass over the subscriptions to read them: a server with 10,000 open
// connections of which a few are active pays for the few. Clock
// subscriptions arm the one persistent uv timer for the earliest deadline
// in the same wait. Pipes and ttys get a uv_poll for this call only.
// Events are made by addReadyEvent, as the direct path's are.
#include <fcntl.h>
#include <uv.h>

#include <algorithm>
#include <cerrno>

#include "wasi/fd_watchers.h"
#include "wasi/poll_internal.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

// The event of one subscription from what libuv reported for its fd: an
// error (UV_EBADF is EPOLLERR, an error pending on an open fd: poll(2)'s
// POLLERR) or events, put in poll(2) terms for addReadyEvent.
void addLoopEvent(uint64_t userdata, uint8_t type, int host, FdKind kind, int status, int uv_events,
                  std::vector<Event>& events) {
  if (status < 0 && status != UV_EBADF) {
    events.push_back(fdEvent(userdata, type, fromHostErrno(-status), 0, 0));
    return;
  }
  short revents = status == UV_EBADF ? POLLERR
                                     : short((uv_events & UV_READABLE ? POLLIN : 0) |
                                             (uv_events & UV_WRITABLE ? POLLOUT : 0) |
                                             (uv_events & UV_DISCONNECT ? POLLRDHUP : 0));
  addReadyEvent(userdata, type, host, kind, revents, events);
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
      addLoopEvent(userdata, type, t->host, FdKind::PipeOrTty, t->status, t->events, s.events);
    }
  }
}

void onTimer(uv_timer_t*) {}

// Registers this call's interest: sockets with their watcher (their
// subscriptions chained from it), pipes and ttys as transient watchers.
void subscribe(FdWatchers& watchers, PollScratch& s) {
  for (const PollFdSub& sub : s.fds) {
    FdEntry& e = *sub.entry;
    if (!e.isSocket()) {
      transientFor(s, e.host).subs.emplace_back(sub.userdata, sub.type);
      continue;
    }
    FdWatcher* watcher = watchers.get(e);
    if (!watcher) {
      s.events.push_back(fdEvent(sub.userdata, sub.type, kSuccess, 0, 0));  // epoll refuses it: always ready
      continue;
    }
    const FdKind kind = fdKindOf(e);
    const int wanted =
        sub.type == kEventFdRead ? (UV_READABLE | (kind == FdKind::StreamSocket ? UV_DISCONNECT : 0)) : UV_WRITABLE;
    uint32_t index = static_cast<uint32_t>(s.sockets.size());
    bool first = watchers.want(watcher, wanted);
    s.sockets.push_back({sub.userdata, sub.type, kind, first ? kNoSub : watcher->first_sub});
    watcher->first_sub = index;
  }
}

// Waits until an event is due: a clock deadline, a ready socket or pipe.
// With events already answered (or a clock already due), only gathers what
// is ready now, without waiting.
void waitForEvents(uv_loop_t* loop, uv_timer_t* timer, FdWatchers& watchers, PollScratch& s) {
  for (;;) {
    uint64_t wait_ns = emitDueClocks(s);
    bool fd_ready = !watchers.firedThisRound().empty();
    for (const auto& t : s.transient) fd_ready |= t->fired;
    if (!s.events.empty() || fd_ready) {
      if (!fd_ready) uv_run(loop, UV_RUN_NOWAIT);  // what is ready now
      return;
    }
    if (timer && wait_ns != UINT64_MAX) {
      uv_update_time(loop);
      uv_timer_start(timer, onTimer, (wait_ns + 999'999) / 1'000'000, 0);  // never early
    }
    uv_run(loop, UV_RUN_ONCE);
  }
}

}  // namespace

bool waitOnLoop(PollState& p, PollScratch& s) {
  FdWatchers* watchers = p.watchers();
  uv_loop_t* loop = p.loop();
  uv_timer_t* timer = s.clocks.empty() ? nullptr : p.pollTimer();
  if (!watchers || !loop || (!s.clocks.empty() && !timer)) return false;
  watchers->beginRound();
  subscribe(*watchers, s);
  watchers->applyInterest();
  for (auto& t : s.transient) startTransient(loop, *t);
  waitForEvents(loop, timer, *watchers, s);
  if (timer) uv_timer_stop(timer);
  for (const FdWatcher* fired : watchers->firedThisRound()) {
    for (uint32_t i = fired->first_sub; i != kNoSub; i = s.sockets[i].next) {
      const PollSocketSub& sub = s.sockets[i];
      addLoopEvent(sub.userdata, sub.type, fired->host, sub.kind, fired->status, fired->events, s.events);
    }
  }
  finishTransient(loop, s);
  return true;
}

}  // namespace wasmaot::runtime::wasi
