// poll_oneoff (preview 1 and wasi_unstable; their layouts differ only in
// the clock subscription, wasi_layouts.h), and WasmEdge's edge-triggered
// epoll_oneoff, which waits in poll_edge.cpp.
//
// Reads the subscriptions, answers at once what needs no wait (a bad fd,
// missing rights, regular files and directories, which are always ready,
// an unknown clock), then waits for the rest in one of two ways:
//  - up to kDirectPollMaxFds sockets/pipes/ttys (and clocks): one ppoll(2)
//    (poll_direct.cpp), nothing registered, no flags touched;
//  - more: the instance's libuv loop, where sockets stay registered for the
//    life of the fd and a call's cost follows the ready ones (poll_loop.cpp).
// A steady server loop makes one wait syscall per call either way, plus only
// the registrations that changed; docs/SOCKETS.md has the measurements.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/poll_internal.h"
#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"
#include "wasi/sockets/wasmedge_functions.h"

namespace wasmaot::runtime::wasi {

uint64_t clockNow(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec);
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

uint64_t readableBytes(int fd, bool regular) {
  if (regular) {
    struct stat st{};
    off_t pos = lseek(fd, 0, SEEK_CUR);
    if (fstat(fd, &st) == 0 && pos >= 0 && st.st_size > pos) return uint64_t(st.st_size - pos);
    return 0;
  }
  int n = 0;
  return ioctl(fd, FIONREAD, &n) == 0 && n > 0 ? uint64_t(n) : 0;
}

uint16_t streamHangup(int host, uint64_t nbytes) {
  if (nbytes > 0) return 0;
  char byte;
  ssize_t r = recv(host, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (r == 0) return kEventFdReadwriteHangup;
  if (r < 0 && (errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT)) return kEventFdReadwriteHangup;
  return 0;
}

uint64_t emitDueClocks(PollScratch& s) {
  uint64_t wait_ns = UINT64_MAX;
  for (PollClockSub& c : s.clocks) {
    if (c.reported) continue;
    uint64_t t = clockNow(c.clock);
    if (t >= c.deadline) {
      s.events.push_back(fdEvent(c.userdata, kEventClock, kSuccess, 0, 0));
      c.reported = true;
    } else {
      wait_ns = std::min(wait_ns, c.deadline - t);
    }
  }
  return wait_ns;
}

FdKind fdKindOf(const FdEntry& e) {
  if (e.filetype == kFiletypeSocketStream) return FdKind::StreamSocket;
  if (e.filetype == kFiletypeSocketDgram) return FdKind::DatagramSocket;
  return FdKind::PipeOrTty;
}

void addReadyEvent(uint64_t userdata, uint8_t type, int host, FdKind kind, short revents,
                   std::vector<Event>& events) {
  const bool want_read = type == kEventFdRead;
  if (revents & POLLNVAL) {
    events.push_back(fdEvent(userdata, type, kBadf, 0, 0));
    return;
  }
  if (revents & POLLERR) {
    // An error pending (a peer's reset, a refused connect, a pipe whose
    // reader is gone): ready and hung up, as poll(2) says, the error left
    // for the recv/send/connect that follows. (Once reported as an error,
    // which the guest saw as POLLNVAL: a server never dropped a reset
    // client and spun on it; found by tests/load.)
    uint64_t nbytes = want_read ? readableBytes(host, false) : 0;
    events.push_back(fdEvent(userdata, type, kSuccess, nbytes, kEventFdReadwriteHangup));
    return;
  }
  const bool peer_done = revents & (POLLRDHUP | POLLHUP);
  if (want_read && !(revents & POLLIN) && !peer_done) return;
  if (!want_read && !(revents & (POLLOUT | POLLHUP))) return;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
  switch (kind) {
    case FdKind::StreamSocket:
      // nbytes stays 0 (an exact count would cost an ioctl per event), but
      // at the end of the stream: hang-up once nothing is left to read.
      if (want_read && peer_done) {
        nbytes = readableBytes(host, false);
        flags = streamHangup(host, nbytes);
      }
      break;
    case FdKind::DatagramSocket:
      break;
    case FdKind::PipeOrTty:
      nbytes = want_read ? readableBytes(host, false) : 0;
      if (peer_done || (want_read && nbytes == 0)) flags = kEventFdReadwriteHangup;
      break;
  }
  events.push_back(fdEvent(userdata, type, kSuccess, nbytes, flags));
}

namespace {

constexpr uint32_t kMaxSubscriptions = 1u << 20;

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

// Reads the subscriptions: answers what can be answered at once, collects
// clocks and fd subscriptions that need a wait.
int32_t readSubscriptions(Ctx ctx, WasiContext* w, uint32_t in, uint32_t n, const SubscriptionLayout& L,
                          PollScratch& s) {
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
        uint64_t t = clockNow(clock);
        deadline = timeout > UINT64_MAX - t ? UINT64_MAX : t + timeout;
      }
      s.clocks.push_back({userdata, clock, deadline});
    } else if (tag == kEventFdRead || tag == kEventFdWrite) {
      uint32_t fd = load32(ctx, base + kSubscriptionFd);
      FdRef e = w->get(fd);
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
        uint64_t nbytes = tag == kEventFdRead ? readableBytes(e->host, e->filetype == kFiletypeRegularFile) : 0;
        s.events.push_back(fdEvent(userdata, tag, kSuccess, nbytes, 0));
        continue;
      }
      // What the direct path asks ppoll for (built here: one pass over the subscriptions).
      short events = tag == kEventFdWrite                          ? short(POLLOUT)
                     : fdKindOf(*e) == FdKind::StreamSocket ? short(POLLIN | POLLRDHUP)
                                                            : short(POLLIN);
      s.pollfds.push_back({e->host, events, 0});
      s.fds.push_back({userdata, tag, std::move(e)});
    } else {
      return kInval;
    }
  }
  return kSuccess;
}

enum class Trigger { Level, Edge };

int32_t pollImpl(Ctx ctx, uint32_t in, uint32_t out, uint32_t n, uint32_t nevents_ptr, const SubscriptionLayout& L,
                 Trigger trigger = Trigger::Level) {
  if (n == 0 || n > kMaxSubscriptions) return kInval;
  if (!inBounds(ctx, in, uint64_t{L.size} * n) || !inBounds(ctx, out, uint64_t{sizeof(Event)} * n) ||
      !inBounds(ctx, nevents_ptr, 4)) {
    return kFault;
  }
  WasiContext* w = WasiHost::of(ctx);
  PollState& p = WasiHost::poll(ctx);
  PollScratch& s = p.pollScratch();
  s.clear();
  if (int32_t err = readSubscriptions(ctx, w, in, n, L, s); err != kSuccess) {
    s.fds.clear();
    return err;
  }
  EdgePoller* edge = trigger == Trigger::Edge ? p.edgePoller() : nullptr;
  if (trigger == Trigger::Edge && !edge) return kNoMem;
  if (edge) {
    if (!s.fds.empty() || !s.clocks.empty()) edge->wait(s);
  } else if (s.fds.size() > kDirectPollMaxFds) {
    if (!waitOnLoop(p, s)) return kNoMem;
  } else if (!s.fds.empty() || !s.clocks.empty()) {
    waitDirect(s);
  }
  s.fds.clear();  // drops the references: a closed fd's host fd may close now
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
int32_t wasmedge::epoll_oneoff(Ctx ctx, uint32_t in, uint32_t out, uint32_t nsubscriptions, uint32_t nevents) {
  return pollImpl(ctx, in, out, nsubscriptions, nevents, kSubscriptionPreview1, Trigger::Edge);
}

}  // namespace wasmaot::runtime::wasi
