// Persistent socket registrations for poll_oneoff (see fd_watchers.h).
#include "wasi/fd_watchers.h"

#include <algorithm>

#include "wasi/wasi_context.h"

namespace wasmaot::runtime::wasi {

size_t FdWatchers::count() const {
  return static_cast<size_t>(std::count_if(by_host_.begin(), by_host_.end(), [](FdWatcher* w) { return w; }));
}

FdWatcher* FdWatchers::get(FdEntry& e) {
  const int host = e.host;
  if (host < 0) return nullptr;
  if (static_cast<size_t>(host) < by_host_.size() && by_host_[host]) {
    if (by_host_[host]->serial == e.serial) return by_host_[host];
    forget(host);  // another thread closed the socket this watcher was for
  }
  auto* w = new FdWatcher;
  if (uv_poll_init(loop_, &w->handle, host) != 0) {
    delete w;  // not initialised: nothing for the loop to close
    return nullptr;
  }
  // uv_poll_init made the host socket non-blocking: record it, so that the
  // data path puts a guest-blocking socket back into blocking mode once.
  e.host_blocking = false;
  w->handle.data = w;
  w->owner = this;
  w->host = host;
  w->serial = e.serial;
  if (static_cast<size_t>(host) >= by_host_.size()) by_host_.resize(static_cast<size_t>(host) + 1, nullptr);
  by_host_[host] = w;
  return w;
}

void FdWatchers::forget(int host) {
  if (host < 0 || static_cast<size_t>(host) >= by_host_.size() || !by_host_[host]) return;
  FdWatcher* w = by_host_[host];
  by_host_[host] = nullptr;
  // Closing stops the watcher now (epoll forgets the fd before it is
  // closed); the memory goes when the loop has finished the close.
  w->owner = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&w->handle), onClosed);
}

void FdWatchers::forgetAll() {
  for (size_t host = 0; host < by_host_.size(); ++host) forget(static_cast<int>(host));
}

void FdWatchers::onClosed(uv_handle_t* handle) { delete static_cast<FdWatcher*>(handle->data); }

void FdWatchers::beginRound() {
  ++round_;
  fired_.clear();
  changed_.clear();
}

bool FdWatchers::want(FdWatcher* w, int events) {
  bool first = w->wanted_round != round_;
  if (first) {
    w->wanted_round = round_;
    w->wanted = 0;
    w->queued = false;
  }
  w->wanted |= events;
  if (w->wanted != w->registered && !w->queued) {
    w->queued = true;
    changed_.push_back(w);
  }
  return first;
}

void FdWatchers::start(FdWatcher* w, int events) {
  int rc = uv_poll_start(&w->handle, events, onPoll);
  if (rc == 0) {
    w->registered = events;
    return;
  }
  // Cannot watch it: report the error to this round's subscriptions.
  w->registered = 0;
  w->fired_round = round_;
  w->status = rc;
  w->events = 0;
  fired_.push_back(w);
}

void FdWatchers::applyInterest() {
  for (FdWatcher* w : changed_) {
    if (w->registered != w->wanted) start(w, w->wanted);  // a later want may have matched it again
  }
}

void FdWatchers::onPoll(uv_poll_t* handle, int status, int events) {
  auto* w = static_cast<FdWatcher*>(handle->data);
  FdWatchers* self = w->owner;
  if (!self) return;
  if (status < 0) w->registered = 0;  // libuv stops a watcher that reported an error
  if (w->wanted_round != self->round_) {
    // Registered by an earlier round, not wanted now, and ready: stop it, or
    // level-triggered readiness would wake every wait until it is wanted again.
    if (w->registered) uv_poll_stop(handle);
    w->registered = 0;
    return;
  }
  if (w->fired_round != self->round_) {
    w->fired_round = self->round_;
    w->status = 0;
    w->events = 0;
    self->fired_.push_back(w);
  }
  w->events |= events;
  if (status < 0) w->status = status;
}

}  // namespace wasmaot::runtime::wasi
