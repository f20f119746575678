// The WASI state: the guest's fd table (fd_table.h), arguments, environment
// and network policy, shared by all the guest's threads; each thread's own
// poll loop (PollState); and the bounds-checked guest memory accessors every
// host function uses. Host functions reach these through WasiHost.
#pragma once

#include <dirent.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_private.h"
#include "wasi/fd_table.h"
#include "wasi/wasi_layouts.h"

struct uv_loop_s;
struct uv_timer_s;

namespace wasmaot::runtime::wasi {


namespace sockets {
struct NetState;
}
class FdWatchers;
struct PollScratch;
class EdgePoller;

// The WASI state every thread of a guest shares: the fd table, arguments,
// environment and network policy. Safe to use from several threads.
class WasiContext {
 public:
  WasiContext();
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // Opens the preopens and sets up stdio. False with *error on failure.
  bool init(const WasiConfig& config, std::string* error);

  // The entry for an open guest fd, or a null reference (EBADF). The
  // reference keeps the host fd open while the caller uses it.
  FdRef get(uint32_t fd) const { return fds_.get(fd); }
  // Installs an entry at the lowest free guest fd. EMFILE past the limit
  // (the host fd is then closed).
  int32_t install(FdEntry entry, uint32_t* guest_fd) { return fds_.install(std::move(entry), guest_fd); }
  FdTable& fds() { return fds_; }
  // Network policy, resolved names and tracing (sockets/socket_state.h).
  sockets::NetState& net() { return *net_; }

  std::vector<std::string> args, env;

 private:
  FdTable fds_;
  std::unique_ptr<sockets::NetState> net_;
};

// What one guest thread (one instance) needs for itself: the libuv loop
// serving its poll_oneoff and name resolution, made on first use; the
// sockets' persistent registrations with it (fd_watchers.h), one timer for
// clock subscriptions, and buffers reused by every call. A libuv loop is not
// thread-safe, so each thread has its own.
class PollState {
 public:
  PollState();
  ~PollState();
  PollState(const PollState&) = delete;
  PollState& operator=(const PollState&) = delete;
  // Null if the loop cannot be made.
  uv_loop_s* loop();
  FdWatchers* watchers();
  uv_timer_s* pollTimer();
  PollScratch& pollScratch();
  // epoll_oneoff's; null if no epoll instance can be made.
  EdgePoller* edgePoller();
  // The guest closed this socket: unregister it (before its host fd can close).
  void forget(const FdEntry& e);

 private:
  std::unique_ptr<uv_loop_s> loop_;
  bool loop_ready_ = false;
  std::unique_ptr<FdWatchers> watchers_;
  std::unique_ptr<uv_timer_s> poll_timer_;
  std::unique_ptr<PollScratch> poll_scratch_;
  std::unique_ptr<EdgePoller> edge_poller_;
};

// fd_close / sock_close / fd_renumber for the calling thread: the fd leaves
// the table and this thread's poll loop.
int32_t closeGuestFd(abi::VMContext* ctx, uint32_t fd);
int32_t renumberGuestFd(abi::VMContext* ctx, uint32_t from, uint32_t to);

// ---- guest memory -----------------------------------------------------------
// Every pointer and length the guest passes is checked against memory 0's
// current size; a failed check is EFAULT, never a trap or a host fault.
inline bool inBounds(abi::VMContext* ctx, uint32_t ptr, uint64_t len) {
  uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  return uint64_t{ptr} + len <= size;
}
inline uint8_t* at(abi::VMContext* ctx, uint32_t ptr) { return ctx->memory_base + ptr; }
inline uint32_t load32(abi::VMContext* ctx, uint32_t ptr) {
  uint32_t v;
  std::memcpy(&v, at(ctx, ptr), 4);
  return v;
}
inline void store32(abi::VMContext* ctx, uint32_t ptr, uint32_t v) { std::memcpy(at(ctx, ptr), &v, 4); }
inline void store64(abi::VMContext* ctx, uint32_t ptr, uint64_t v) { std::memcpy(at(ctx, ptr), &v, 8); }
template <typename T>
inline void storeStruct(abi::VMContext* ctx, uint32_t ptr, const T& v) {
  std::memcpy(at(ctx, ptr), &v, sizeof(T));
}
// A guest string (not NUL-terminated) copied out, or EFAULT / EINVAL for an
// embedded NUL / ENAMETOOLONG.
int32_t guestPath(abi::VMContext* ctx, uint32_t ptr, uint32_t len, std::string* out);

// Host stat -> WASI filetype; writes a filestat in either layout.
uint8_t filetypeOfMode(unsigned mode);
int32_t storeFilestat(abi::VMContext* ctx, uint32_t ptr, const struct stat& st, bool unstable);

}  // namespace wasmaot::runtime::wasi

namespace wasmaot::runtime {
// Friend of Instance: the WASI state of the instance a host function was
// called from.
struct WasiHost {
  static wasi::WasiContext* of(abi::VMContext* ctx) {
    return static_cast<wasi::WasiContext*>(static_cast<Instance*>(ctx->instance)->wasi_state_.get());
  }
  // The calling thread's (instance's) poll state, made on first use.
  static wasi::PollState& poll(abi::VMContext* ctx) {
    auto* inst = static_cast<Instance*>(ctx->instance);
    if (!inst->wasi_poll_state_) inst->wasi_poll_state_ = std::make_shared<wasi::PollState>();
    return *static_cast<wasi::PollState*>(inst->wasi_poll_state_.get());
  }
  // The same, or null if this instance never polled.
  static wasi::PollState* pollIfMade(abi::VMContext* ctx) {
    return static_cast<wasi::PollState*>(static_cast<Instance*>(ctx->instance)->wasi_poll_state_.get());
  }
  static abi::VMContext* context(Instance* inst) { return &inst->ctx_; }
  // The WASI state a new wasi-threads thread of `inst` shares.
  static std::shared_ptr<void> sharedState(Instance* inst) { return inst->wasi_state_; }
};
}  // namespace wasmaot::runtime
