// epoll_oneoff (WasmEdge's extension): poll_oneoff's subscriptions and
// events, edge-triggered. A socket's readiness is reported once; the next
// report needs a new edge (more data, room freed, a hang-up), so a guest
// built for it (tokio through WasmEdge's mio, which passes every registered
// socket on every call) does not spin on a socket whose data it leaves
// unread for a while.
//
// Each instance (thread) has one epoll instance. A socket, pipe or tty is
// added the first time a call subscribes it, for reading and writing at
// once with EPOLLET, and stays until a call no longer subscribes it or the
// guest closes it (as WasmEdge does: a socket subscribed again later is
// added again, which reports its readiness at that moment). Edges the
// kernel reports are kept per fd until a subscription consumes them, so an
// edge that arrives while a call reports something else is not lost. An fd
// epoll cannot watch (a character device such as /dev/null) is always ready.
// Events are made by addReadyEvent, as poll_oneoff's are.
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/poll_internal.h"
#include "wasi/wasi_context.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr uint32_t kReadBits = EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
constexpr uint32_t kWriteBits = EPOLLOUT | EPOLLHUP | EPOLLERR;
constexpr int kBatch = 256;

}  // namespace

EdgePoller::EdgePoller() : epfd_(epoll_create1(EPOLL_CLOEXEC)), batch_(kBatch) {}

EdgePoller::~EdgePoller() {
  if (epfd_ >= 0) close(epfd_);
}

void EdgePoller::forget(int host) {
  auto it = regs_.find(host);
  if (it == regs_.end()) return;
  if (!it->second.unpollable) epoll_ctl(epfd_, EPOLL_CTL_DEL, host, nullptr);
  regs_.erase(it);
}

void EdgePoller::subscribe(PollScratch& s) {
  ++round_;
  size_t in_round = 0;
  sub_regs_.clear();
  for (const PollFdSub& sub : s.fds) {
    const int host = sub.entry->host;
    auto [it, added] = regs_.try_emplace(host);
    Registration& r = it->second;
    if (added || r.serial != sub.entry->serial) {
      r = Registration{};
      r.serial = sub.entry->serial;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
      ev.data.fd = host;
      int rc = epoll_ctl(epfd_, EPOLL_CTL_ADD, host, &ev);
      if (rc != 0 && errno == EEXIST) rc = epoll_ctl(epfd_, EPOLL_CTL_MOD, host, &ev);
      if (rc != 0) r.unpollable = true;  // EPERM: a file or device epoll cannot watch
    }
    if (r.round != round_) {
      r.round = round_;
      ++in_round;
    }
    sub_regs_.push_back(&r);  // stable: the sweep below erases only other rounds' entries
  }
  if (regs_.size() == in_round) return;
  // Sockets this call does not subscribe leave the epoll set (see above).
  for (auto it = regs_.begin(); it != regs_.end();) {
    if (it->second.round == round_) {
      ++it;
      continue;
    }
    if (!it->second.unpollable) epoll_ctl(epfd_, EPOLL_CTL_DEL, it->first, nullptr);
    it = regs_.erase(it);
  }
}

bool EdgePoller::collect(int timeout_ms) {
  int n = epoll_wait(epfd_, batch_.data(), static_cast<int>(batch_.size()), timeout_ms);
  if (n < 0) return errno == EINTR;
  for (int i = 0; i < n; ++i) {
    auto it = regs_.find(batch_[i].data.fd);
    if (it != regs_.end()) it->second.pending |= batch_[i].events;
  }
  return true;
}

void EdgePoller::report(PollScratch& s) {
  for (size_t i = 0; i < s.fds.size(); ++i) {
    const PollFdSub& sub = s.fds[i];
    Registration& r = *sub_regs_[i];
    const uint32_t bits = r.unpollable ? uint32_t{EPOLLIN | EPOLLOUT} : r.pending;
    const uint32_t mask = sub.type == kEventFdRead ? kReadBits : kWriteBits;
    if (!(bits & mask)) continue;
    size_t before = s.events.size();
    addReadyEvent(sub.userdata, sub.type, sub.entry->host, fdKindOf(*sub.entry), static_cast<short>(bits), s.events);
    if (s.events.size() > before) r.consumed |= mask;
  }
  // An edge is used up once reported (after the pass: two subscriptions on
  // one fd both see it).
  for (Registration* r : sub_regs_) {
    r->pending &= ~r->consumed;
    r->consumed = 0;
  }
}

void EdgePoller::wait(PollScratch& s) {
  subscribe(s);
  uint64_t wait_ns = emitDueClocks(s);
  int timeout_ms = 0;  // first only gather the edges that came in since the last call
  for (;;) {
    if (!collect(timeout_ms)) {
      int32_t err = fromHostErrno(errno);
      for (const PollFdSub& sub : s.fds) s.events.push_back(fdEvent(sub.userdata, sub.type, err, 0, 0));
      return;
    }
    report(s);
    if (!s.events.empty()) return;
    wait_ns = emitDueClocks(s);
    if (!s.events.empty()) return;
    // Round up: waking a little late is fine, early would spin.
    timeout_ms = wait_ns == UINT64_MAX ? -1 : static_cast<int>(std::min<uint64_t>((wait_ns + 999'999) / 1'000'000, INT32_MAX));
  }
}

}  // namespace wasmaot::runtime::wasi
