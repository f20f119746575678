// The WASI state: stdio, preopens and listeners at start-up, closing and
// renumbering fds, each thread's lazily created libuv loop (PollState), and
// the helpers shared by the fd_* and path_* functions (guest paths, filestat
// layouts).
#include "wasi/wasi_context.h"
#include "wasi/sockets/socket_functions.h"

#include "wasi/fd_watchers.h"
#include "wasi/poll_internal.h"

#include "wasi/network_policy.h"
#include "wasi/sockets/socket_state.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>

namespace wasmaot::runtime {

std::optional<std::string> checkWasiConfig(const WasiConfig& config) {
  for (const WasiPreopen& p : config.preopens) {
    if (p.host.empty()) return std::string("preopen with an empty host directory");
    if (p.guest.empty()) return "preopen " + p.host + ": empty guest name";
    struct stat st{};
    if (::stat(p.host.c_str(), &st) != 0) return p.host + ": no such directory";
    if (!S_ISDIR(st.st_mode)) return p.host + ": not a directory";
  }
  std::string why;
  if (!wasi::NetworkPolicy::compile(config.network, &why)) return why;
  for (const WasiListener& listener : config.network.tcplisten) {
    if (!wasi::parseListenAddress(listener.address, nullptr, &why)) return listener.origin + " '" + listener.address + "': " + why;
  }
  if (config.limits.open_fds < 3 + config.preopens.size()) {
    return "open_fds limit " + std::to_string(config.limits.open_fds) + " is below stdio plus " +
           std::to_string(config.preopens.size()) + " preopen(s)";
  }
  return std::nullopt;
}

namespace wasi {

WasiContext::WasiContext() = default;
WasiContext::~WasiContext() = default;

uint8_t filetypeOfMode(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return kFiletypeRegularFile;
    case S_IFDIR: return kFiletypeDirectory;
    case S_IFCHR: return kFiletypeCharacterDevice;
    case S_IFBLK: return kFiletypeBlockDevice;
    case S_IFLNK: return kFiletypeSymbolicLink;
    case S_IFSOCK: return kFiletypeSocketStream;
    default: return kFiletypeUnknown;  // FIFOs have no WASI type of their own
  }
}

bool WasiContext::init(const WasiConfig& config, std::string* error) {
  if (auto problem = checkWasiConfig(config)) {
    *error = *problem;
    return false;
  }
  // A write to a closed pipe must reach the guest as EPIPE, not kill the
  // host: ignore SIGPIPE unless the embedder installed its own handler.
  struct sigaction current{};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
  std::string why;
  auto policy = NetworkPolicy::compile(config.network, &why);
  if (!policy) {
    *error = why;
    return false;
  }
  net_ = std::make_unique<sockets::NetState>();
  net_->policy = std::move(*policy);
  net_->trace = config.network.trace;
  args = config.args;
  env = config.env;
  fds_.setLimit(config.limits.open_fds);
  const int stdio[3] = {config.stdin_fd, config.stdout_fd, config.stderr_fd};
  for (int i = 0; i < 3; ++i) {
    FdEntry e;
    e.host = stdio[i];
    e.owns_host = false;
    struct stat st{};
    e.filetype = fstat(stdio[i], &st) == 0 ? filetypeOfMode(st.st_mode) : kFiletypeUnknown;
    e.rights_base = kRightsAll & ~(kRightSockAccept | kRightSockShutdown);
    // wasi-libc's isatty(): a character device without seek/tell rights.
    if (e.filetype == kFiletypeCharacterDevice || S_ISFIFO(st.st_mode)) {
      e.rights_base &= ~(kRightFdSeek | kRightFdTell);
    }
    e.rights_inheriting = 0;
    fds_.append(std::move(e));
  }
  for (const WasiPreopen& p : config.preopens) {
    int fd = ::open(p.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      *error = p.host + ": cannot open directory: " + std::strerror(errno);
      return false;
    }
    FdEntry e;
    e.host = fd;
    e.filetype = kFiletypeDirectory;
    e.readonly = p.readonly;
    e.preopen = true;
    e.preopen_name = p.guest;
    e.rights_base = kRightsDirectoryBase;
    e.rights_inheriting = kRightsAll;
    fds_.append(std::move(e));
  }
  // Pre-opened listeners (--tcplisten): bound and listening before the
  // guest runs, as wasmtime does; accept blocks unless the guest asks
  // otherwise (the host socket is nonblocking underneath, like every socket).
  for (const WasiListener& listener : config.network.tcplisten) {
    struct sockaddr_storage address {};
    std::string why;
    wasi::parseListenAddress(listener.address, &address, &why);  // checked by checkWasiConfig
    const bool v6 = address.ss_family == AF_INET6;
    const socklen_t length = v6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
    int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 || ::listen(fd, 128) != 0) {
      *error = listener.origin + " " + listener.address + ": cannot listen: " + std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return false;
    }
    FdEntry e = socketEntryFor(fd, true, v6);
    e.sock_bound = true;
    fds_.append(std::move(e));
  }
  return true;
}

int32_t closeGuestFd(abi::VMContext* ctx, uint32_t fd) {
  FdRef closed;
  if (int32_t err = WasiHost::of(ctx)->fds().close(fd, &closed)) return err;
  if (closed->isSocket()) {
    if (PollState* poll = WasiHost::pollIfMade(ctx)) poll->forget(*closed);
  }
  return kSuccess;  // the host fd closes with the last reference
}

int32_t renumberGuestFd(abi::VMContext* ctx, uint32_t from, uint32_t to) {
  WasiContext* w = WasiHost::of(ctx);
  FdRef target = w->get(to);
  if (!target || !w->get(from)) return kBadf;
  if (from == to) return kSuccess;
  if (target->isSocket()) {
    if (PollState* poll = WasiHost::pollIfMade(ctx)) poll->forget(*target);
  }
  return w->fds().renumber(from, to);
}

PollState::PollState() = default;

PollState::~PollState() {
  if (!loop_ready_) return;
  if (watchers_) watchers_->forgetAll();
  if (poll_timer_) uv_close(reinterpret_cast<uv_handle_t*>(poll_timer_.get()), nullptr);
  uv_run(loop_.get(), UV_RUN_NOWAIT);  // finishes the closes (socket watchers free themselves)
  uv_loop_close(loop_.get());
}

void PollState::forget(const FdEntry& e) {
  if (watchers_) watchers_->forget(e.host);
  if (edge_poller_) edge_poller_->forget(e.host);
}

EdgePoller* PollState::edgePoller() {
  if (!edge_poller_) {
    auto p = std::make_unique<EdgePoller>();
    if (!p->usable()) return nullptr;
    edge_poller_ = std::move(p);
  }
  return edge_poller_.get();
}

uv_loop_s* PollState::loop() {
  if (!loop_ready_) {
    loop_ = std::make_unique<uv_loop_t>();
    if (uv_loop_init(loop_.get()) != 0) {
      loop_.reset();
      return nullptr;
    }
    loop_ready_ = true;
  }
  return loop_.get();
}

FdWatchers* PollState::watchers() {
  if (!watchers_) {
    uv_loop_t* l = loop();
    if (!l) return nullptr;
    watchers_ = std::make_unique<FdWatchers>(l);
  }
  return watchers_.get();
}

uv_timer_t* PollState::pollTimer() {
  if (!poll_timer_) {
    uv_loop_t* l = loop();
    if (!l) return nullptr;
    auto timer = std::make_unique<uv_timer_t>();
    if (uv_timer_init(l, timer.get()) != 0) return nullptr;
    poll_timer_ = std::move(timer);
  }
  return poll_timer_.get();
}

PollScratch& PollState::pollScratch() {
  if (!poll_scratch_) poll_scratch_ = std::make_unique<PollScratch>();
  return *poll_scratch_;
}

int32_t guestPath(abi::VMContext* ctx, uint32_t ptr, uint32_t len, std::string* out) {
  if (!inBounds(ctx, ptr, len)) return kFault;
  if (len >= 4096) return kNameTooLong;
  const char* p = reinterpret_cast<const char*>(at(ctx, ptr));
  if (std::memchr(p, 0, len)) return kInval;
  out->assign(p, len);
  return kSuccess;
}

namespace {
uint64_t nanos(const struct timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
}
}  // namespace

int32_t storeFilestat(abi::VMContext* ctx, uint32_t ptr, const struct stat& st, bool unstable) {
  if (unstable) {
    if (!inBounds(ctx, ptr, sizeof(FilestatUnstable))) return kFault;
    FilestatUnstable f{};
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    f.filetype = filetypeOfMode(st.st_mode);
    f.nlink = static_cast<uint32_t>(st.st_nlink);
    f.size = static_cast<uint64_t>(st.st_size);
    f.atim = nanos(st.st_atim);
    f.mtim = nanos(st.st_mtim);
    f.ctim = nanos(st.st_ctim);
    storeStruct(ctx, ptr, f);
  } else {
    if (!inBounds(ctx, ptr, sizeof(Filestat))) return kFault;
    Filestat f{};
    f.dev = st.st_dev;
    f.ino = st.st_ino;
    f.filetype = filetypeOfMode(st.st_mode);
    f.nlink = st.st_nlink;
    f.size = static_cast<uint64_t>(st.st_size);
    f.atim = nanos(st.st_atim);
    f.mtim = nanos(st.st_mtim);
    f.ctim = nanos(st.st_ctim);
    storeStruct(ctx, ptr, f);
  }
  return kSuccess;
}

}  // namespace wasi
}  // namespace wasmaot::runtime
