// poll_oneoff's parts (wasi_poll.cpp reads the subscriptions and chooses
// how to wait; poll_direct.cpp and poll_loop.cpp are the two ways) and the
// buffers every call reuses (owned by the WasiContext), so that a steady
// server loop allocates nothing.
#pragma once

#include <time.h>
#include <poll.h>
#include <sys/epoll.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "wasi/fd_table.h"
#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi {

struct FdEntry;
class PollState;
class WasiContext;

// Up to this many fd subscriptions (sockets, pipes, ttys) a call waits with
// one ppoll(2) (poll_direct.cpp): nothing is registered, and the kernel's
// walk over a few hundred fds costs less than epoll's level-triggered
// bookkeeping per ready socket. Above it, on the libuv loop with persistent
// socket registrations (poll_loop.cpp), whose cost per call follows the
// ready sockets, not all of them. Measured in docs/SOCKETS.md.
constexpr size_t kDirectPollMaxFds = 512;

struct PollClockSub {
  uint64_t userdata;
  clockid_t clock;
  uint64_t deadline;     // absolute, nanoseconds on `clock`
  bool reported = false;  // its event is in PollScratch::events already
};

// What an fd is, for what its events mean.
enum class FdKind : uint8_t { StreamSocket, DatagramSocket, PipeOrTty };

// A read or write subscription on a socket, pipe or tty.
struct PollFdSub {
  uint64_t userdata;
  uint8_t type;  // kEventFdRead / kEventFdWrite
  FdRef entry;  // held for the call: the host fd stays open while polled
};

// Loop path: a socket subscription, answered from its watcher.
struct PollSocketSub {
  uint64_t userdata;
  uint8_t type;
  FdKind kind;
  uint32_t next;  // the next subscription on the same socket, or kNoSub
};
constexpr uint32_t kNoSub = UINT32_MAX;

// Loop path: pipes and ttys (stdio, mostly) are watched for one call only:
// a persistent watcher would leave an fd the host process shares with
// others non-blocking. One per host fd, with the subscriptions on it.
struct PollTransientFd {
  uv_poll_t handle;
  int host = -1;
  int saved_flags = -1;  // uv_poll_init makes the fd non-blocking: restored after
  bool initialised = false;
  bool fired = false;
  int status = 0;
  int events = 0;
  std::vector<std::pair<uint64_t, uint8_t>> subs;  // userdata, type
};

struct PollScratch {
  std::vector<Event> events;  // copied to the guest at the end (its arrays may overlap)
  std::vector<PollClockSub> clocks;
  std::vector<PollFdSub> fds;
  std::vector<pollfd> pollfds;          // direct path: one per entry of `fds`
  std::vector<PollSocketSub> sockets;   // loop path
  std::vector<std::unique_ptr<PollTransientFd>> transient;
  void clear() {
    events.clear();
    clocks.clear();
    fds.clear();
    pollfds.clear();
    sockets.clear();
    transient.clear();
  }
};

// ---- shared by both paths (wasi_poll.cpp) ----
uint64_t clockNow(clockid_t clock);
Event fdEvent(uint64_t userdata, uint8_t type, int32_t error, uint64_t nbytes, uint16_t flags);
// Bytes readable now on a pipe/tty/socket, or on a regular file from its offset.
uint64_t readableBytes(int fd, bool regular);
// A stream socket whose peer has shut down (or reset): the hang-up flag only
// once nothing is left to read, so a half-closed peer's data is read first.
uint16_t streamHangup(int host, uint64_t nbytes);
// Clock subscriptions due now become events; returns the nanoseconds until
// the earliest one not due (UINT64_MAX if none).
uint64_t emitDueClocks(PollScratch& s);
FdKind fdKindOf(const FdEntry& e);
// The event of one fd subscription, if it is ready, from what a wait
// reported for its fd in poll(2) terms: POLLIN, POLLOUT, POLLRDHUP (the peer
// shut down), POLLHUP, POLLERR (an error pending), POLLNVAL. Both ways to
// wait report through this one function, so their events mean the same.
void addReadyEvent(uint64_t userdata, uint8_t type, int host, FdKind kind, short revents,
                   std::vector<Event>& events);

// ---- the ways to wait; each adds its events to s.events ----
// One ppoll(2) over s.fds (and the clocks' earliest deadline).
void waitDirect(PollScratch& s);
// The instance's libuv loop; false if the loop cannot be made (ENOMEM).
bool waitOnLoop(PollState& p, PollScratch& s);

// epoll_oneoff's edge-triggered wait (poll_edge.cpp): one epoll instance per
// PollState, the subscribed fds registered with EPOLLET.
class EdgePoller {
 public:
  EdgePoller();
  ~EdgePoller();
  EdgePoller(const EdgePoller&) = delete;
  EdgePoller& operator=(const EdgePoller&) = delete;
  bool usable() const { return epfd_ >= 0; }
  void wait(PollScratch& s);
  // The guest closed this fd.
  void forget(int host);

 private:
  struct Registration {
    uint64_t serial = 0;    // the FdEntry registered (a reused host fd number differs)
    uint64_t round = 0;     // the last call that subscribed it
    uint32_t pending = 0;   // epoll events not yet reported
    uint32_t consumed = 0;  // reported in this call
    bool unpollable = false;
  };
  void subscribe(PollScratch& s);
  // Adds the edges epoll reports within timeout_ms to the pending bits;
  // false on an epoll_wait error other than EINTR.
  bool collect(int timeout_ms);
  void report(PollScratch& s);

  int epfd_;
  uint64_t round_ = 0;
  std::unordered_map<int, Registration> regs_;
  std::vector<Registration*> sub_regs_;  // this call's subscriptions' registrations, in order
  std::vector<epoll_event> batch_;
};

}  // namespace wasmaot::runtime::wasi
