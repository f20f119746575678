// Persistent readiness registrations of sockets with the instance's libuv
// loop, for poll_oneoff calls over more fds than one ppoll should walk
// (poll_loop.cpp; kDirectPollMaxFds in poll_internal.h).
//
// A socket gets one uv_poll_t the first time such a call subscribes it,
// kept until the guest closes the fd (closeGuestFd calls forget). With
// several guest threads each has its own loop and watchers; a thread that
// did not close the fd notices when the host fd number comes back for
// another entry (its serial differs) and drops the stale watcher then.
// Each such call is a *round*: it says which events it wants on which
// sockets (want), then applyInterest changes the loop's interest set only
// for the sockets whose wanted events differ from what is registered; a
// steady server loop (the same sockets, the same events, call after call)
// costs no registration syscall at all, just the loop's one epoll_wait.
// A socket registered earlier but not wanted in this round is left alone
// until it fires; then it is stopped (lazily, so a socket that a server
// skips for one call costs nothing unless it becomes ready meanwhile).
//
// uv_poll_init makes the host socket non-blocking once, when the watcher
// is made; the data path's syncHostMode switches a guest-blocking socket
// back once if needed, and nothing toggles it per call afterwards (epoll
// does not care about the blocking mode).
#pragma once

#include <uv.h>

#include <cstdint>
#include <vector>

namespace wasmaot::runtime::wasi {

struct FdEntry;
class FdWatchers;

struct FdWatcher {
  uv_poll_t handle;
  FdWatchers* owner = nullptr;
  int host = -1;
  uint64_t serial = 0;        // the FdEntry it was made for (fd_entry.h)
  int registered = 0;         // UV_READABLE/WRITABLE/DISCONNECT the loop watches now; 0 = stopped
  uint64_t wanted_round = 0;  // the last round that subscribed this socket
  int wanted = 0;             // the events that round wants
  uint32_t first_sub = 0;     // that round's first subscription on it (PollScratch::sockets index)
  bool queued = false;        // in that round's list of interest changes
  uint64_t fired_round = 0;   // the last round whose wait reported this socket
  int status = 0;             // that report: a libuv error (< 0) or 0
  int events = 0;             //   and the events seen
};

class FdWatchers {
 public:
  explicit FdWatchers(uv_loop_t* loop) : loop_(loop) {}
  // Frees nothing: the context forgets every open socket before the loop is
  // closed, and a forgotten watcher frees itself when the loop finishes its
  // close (onClosed).
  ~FdWatchers() = default;
  FdWatchers(const FdWatchers&) = delete;
  FdWatchers& operator=(const FdWatchers&) = delete;

  // The watcher of a socket, made on first use; null if epoll refuses the fd.
  FdWatcher* get(FdEntry& e);
  // The guest is closing this host fd: unregister it (before the close).
  void forget(int host);
  // Unregisters every socket (before the loop is closed).
  void forgetAll();

  // Starts a poll_oneoff round.
  void beginRound();
  // This round wants `events` (UV_* flags) on `w`; accumulates. True on
  // the round's first want of `w` (the caller then records its first
  // subscription in w->first_sub).
  bool want(FdWatcher* w, int events);
  // Registers the changed interest sets with the loop: only the sockets
  // whose wanted events differ from what is registered are visited, and
  // each costs a syscall inside the next uv_run.
  void applyInterest();
  // This round's sockets reported ready so far, in the order reported: the
  // work after a wait follows the ready sockets, not all subscribed ones.
  const std::vector<FdWatcher*>& firedThisRound() const { return fired_; }
  // How many sockets have a watcher (for tests).
  size_t count() const;

 private:
  static void onPoll(uv_poll_t* handle, int status, int events);
  static void onClosed(uv_handle_t* handle);
  void start(FdWatcher* w, int events);

  uv_loop_t* loop_;
  std::vector<FdWatcher*> by_host_;  // indexed by host fd
  std::vector<FdWatcher*> changed_;  // wanted in this round with an interest change
  std::vector<FdWatcher*> fired_;    // reported ready in this round
  uint64_t round_ = 0;
};

}  // namespace wasmaot::runtime::wasi
