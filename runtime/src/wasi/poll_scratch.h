// Buffers poll_oneoff reuses from call to call (owned by the WasiContext),
// so that a steady server loop allocates nothing.
#pragma once

#include <time.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi {

struct FdWatcher;

struct PollClockSub {
  uint64_t userdata;
  clockid_t clock;
  uint64_t deadline;  // absolute, nanoseconds on `clock`
};

// A read or write subscription on a socket: answered from its watcher.
struct PollSocketSub {
  uint64_t userdata;
  uint8_t type;  // kEventFdRead / kEventFdWrite
  bool stream;   // TCP: hang-up is reported at end of stream
  uint32_t next; // the next subscription on the same socket, or kNoSub
};
constexpr uint32_t kNoSub = UINT32_MAX;

// Pipes and ttys (stdio, mostly) are watched for one call only: a
// persistent watcher would leave an fd the host process shares with others
// non-blocking. One per host fd, with the subscriptions on it.
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
  std::vector<PollSocketSub> sockets;
  std::vector<std::unique_ptr<PollTransientFd>> transient;
  void clear() {
    events.clear();
    clocks.clear();
    sockets.clear();
    transient.clear();
  }
};

}  // namespace wasmaot::runtime::wasi
