// Per-instance WASI state: the guest's fd table (host fd, type, rights,
// read-only mark, preopen name, directory stream), arguments, environment,
// limits and the instance's libuv loop; plus the bounds-checked guest memory
// accessors every host function uses. Host functions reach this through
// WasiHost::of(ctx).
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
#include "wasi/wasi_layouts.h"

struct uv_loop_s;
struct uv_timer_s;

namespace wasmaot::runtime::wasi {

struct FdEntry {
  bool open = false;
  int host = -1;
  bool owns_host = true;  // false for the host's stdio
  uint8_t filetype = kFiletypeUnknown;
  bool readonly = false;  // beneath a read-only preopen
  bool preopen = false;
  uint64_t rights_base = 0;
  uint64_t rights_inheriting = 0;
  std::string preopen_name;  // guest name of a preopen
  // fd_readdir: a stream on a separate open of the directory, and the cookie
  // its position corresponds to.
  DIR* dir = nullptr;
  uint64_t dir_cookie = 0;
  // Sockets (filetype socket_stream = TCP, socket_dgram = UDP). The host
  // socket is created non-blocking; `nonblock` is the guest's O_NONBLOCK.
  // Timeouts are SO_RCVTIMEO/SO_SNDTIMEO in microseconds, 0 = none.
  // The data path (sockets/socket_io.cpp) puts the host socket of a
  // guest-blocking fd into blocking mode with the guest's timeouts set on it,
  // so that a blocking receive sleeps in the kernel as a native one does;
  // `host_blocking` and the host_*_timeout_us fields say what the host
  // socket is set to now. Every other call wants it non-blocking
  // (sockets::hostNonblocking).
  bool nonblock = false;
  bool host_blocking = false;
  uint64_t host_recv_timeout_us = 0, host_send_timeout_us = 0;
  bool sock_v6 = false;
  bool sock_bound = false;  // bound through sock_bind (listen needs it, or a bind check)
  uint64_t recv_timeout_us = 0, send_timeout_us = 0;
  bool isSocket() const { return filetype == kFiletypeSocketStream || filetype == kFiletypeSocketDgram; }
};

namespace sockets {
struct NetState;
}
class FdWatchers;
struct PollScratch;

class WasiContext {
 public:
  WasiContext();
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // Opens the preopens and sets up stdio. False with *error on failure.
  bool init(const WasiConfig& config, std::string* error);

  // The entry for an open guest fd, or null (EBADF).
  FdEntry* get(uint32_t fd) {
    if (fd >= fds_.size() || !fds_[fd].open) return nullptr;
    return &fds_[fd];
  }
  // Installs an entry at the lowest free guest fd. EMFILE past the limit
  // (the host fd is then closed).
  int32_t install(FdEntry entry, uint32_t* guest_fd);
  // Closes a guest fd (and its host fd unless it is the host's stdio).
  int32_t close(uint32_t fd);
  // fd_renumber: `to` takes `from`'s entry; `from` becomes free.
  int32_t renumber(uint32_t from, uint32_t to);
  // The loop serving poll_oneoff and name resolution (created on first use).
  uv_loop_s* loop();
  // poll_oneoff's state on that loop, kept between calls: the sockets'
  // persistent registrations (fd_watchers.h), one timer for clock
  // subscriptions, and buffers reused by every call. Null if the loop
  // cannot be made.
  FdWatchers* watchers();
  uv_timer_s* pollTimer();
  PollScratch& pollScratch();
  // Network policy, resolved names and tracing (sockets/socket_state.h).
  sockets::NetState& net() { return *net_; }

  std::vector<std::string> args, env;

 private:
  void release(FdEntry& entry);
  std::vector<FdEntry> fds_;
  uint32_t open_count_ = 0;
  uint32_t open_limit_ = 1024;
  std::unique_ptr<sockets::NetState> net_;
  std::unique_ptr<uv_loop_s> loop_;
  bool loop_ready_ = false;
  std::unique_ptr<FdWatchers> watchers_;
  std::unique_ptr<uv_timer_s> poll_timer_;
  std::unique_ptr<PollScratch> poll_scratch_;
};

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
  static abi::VMContext* context(Instance* inst) { return &inst->ctx_; }
};
}  // namespace wasmaot::runtime
