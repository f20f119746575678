// args/environ, clocks, random bytes, sched_yield and the process face
// (proc_exit ends the guest's call with its status; proc_raise of a signal
// whose default action ends a process ends the guest with 128 + the signal
// number, the status a shell reports for a signal death; the rest are
// ignored, as their default actions are). The host process is never signalled.
#include <sched.h>
#include <signal.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>

#include "wasi/wasi_context.h"
#include "wasi/wasi_functions.h"

namespace wasmaot::runtime::wasi {
namespace {

int32_t getStrings(Ctx ctx, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  if (!inBounds(ctx, ptrs, uint64_t{4} * list.size())) return kFault;
  uint64_t offset = buf;
  for (size_t i = 0; i < list.size(); ++i) {
    uint64_t len = list[i].size() + 1;
    if (offset + len > UINT32_MAX || !inBounds(ctx, static_cast<uint32_t>(offset), len)) return kFault;
    std::memcpy(at(ctx, static_cast<uint32_t>(offset)), list[i].c_str(), len);
    store32(ctx, ptrs + static_cast<uint32_t>(4 * i), static_cast<uint32_t>(offset));
    offset += len;
  }
  return kSuccess;
}

int32_t getSizes(Ctx ctx, const std::vector<std::string>& list, uint32_t count_ptr, uint32_t size_ptr) {
  if (!inBounds(ctx, count_ptr, 4) || !inBounds(ctx, size_ptr, 4)) return kFault;
  uint64_t total = 0;
  for (const std::string& s : list) total += s.size() + 1;
  if (total > UINT32_MAX) return kNoMem;
  store32(ctx, count_ptr, static_cast<uint32_t>(list.size()));
  store32(ctx, size_ptr, static_cast<uint32_t>(total));
  return kSuccess;
}

bool hostClock(uint32_t id, clockid_t* out) {
  switch (id) {
    case kClockRealtime: *out = CLOCK_REALTIME; return true;
    case kClockMonotonic: *out = CLOCK_MONOTONIC; return true;
    case kClockProcessCputime: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case kClockThreadCputime: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t nanos(const timespec& ts) { return uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec); }

}  // namespace

int32_t args_get(Ctx ctx, uint32_t argv, uint32_t buf) { return getStrings(ctx, WasiHost::of(ctx)->args, argv, buf); }
int32_t args_sizes_get(Ctx ctx, uint32_t argc, uint32_t size) {
  return getSizes(ctx, WasiHost::of(ctx)->args, argc, size);
}
int32_t environ_get(Ctx ctx, uint32_t environ, uint32_t buf) {
  return getStrings(ctx, WasiHost::of(ctx)->env, environ, buf);
}
int32_t environ_sizes_get(Ctx ctx, uint32_t count, uint32_t size) {
  return getSizes(ctx, WasiHost::of(ctx)->env, count, size);
}

int32_t clock_res_get(Ctx ctx, uint32_t id, uint32_t res_ptr) {
  clockid_t clock;
  if (!hostClock(id, &clock)) return kInval;
  if (!inBounds(ctx, res_ptr, 8)) return kFault;
  timespec ts{};
  if (clock_getres(clock, &ts) != 0) return fromHostErrno(errno);
  store64(ctx, res_ptr, nanos(ts));
  return kSuccess;
}

int32_t clock_time_get(Ctx ctx, uint32_t id, uint64_t, uint32_t time_ptr) {
  clockid_t clock;
  if (!hostClock(id, &clock)) return kInval;
  if (!inBounds(ctx, time_ptr, 8)) return kFault;
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) return fromHostErrno(errno);
  store64(ctx, time_ptr, nanos(ts));
  return kSuccess;
}

void proc_exit(Ctx, uint32_t status) { raiseExit(static_cast<int>(status)); }

int32_t proc_raise(Ctx, uint32_t sig) {
  // WASI signal numbers 1..30 in witx order, with their Linux numbers.
  static constexpr int kHost[] = {0,       SIGHUP,  SIGINT,  SIGQUIT, SIGILL,    SIGTRAP, SIGABRT, SIGBUS,
                                  SIGFPE,  SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2,   SIGPIPE, SIGALRM, SIGTERM,
                                  SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN,   SIGTTOU, SIGURG,  SIGXCPU,
                                  SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGPOLL, SIGPWR, SIGSYS};
  if (sig == 0 || sig >= std::size(kHost)) return kInval;
  int host = kHost[sig];
  switch (host) {
    case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:  // default: ignored
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:  // default: stop; nothing to stop
      return kSuccess;
    default:
      raiseExit(128 + host);
  }
}

int32_t sched_yield(Ctx) {
  ::sched_yield();
  return kSuccess;
}

int32_t random_get(Ctx ctx, uint32_t buf, uint32_t len) {
  if (!inBounds(ctx, buf, len)) return kFault;
  uint32_t done = 0;
  while (done < len) {
    ssize_t n = getrandom(at(ctx, buf + done), len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return kIo;
    }
    done += static_cast<uint32_t>(n);
  }
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi
