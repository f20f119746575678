// A minimal WASI preview 1 host: enough for wasi-libc programs to print,
// read stdin, see their arguments and environment, read clocks, get random
// bytes and exit. Each function is native, `int32_t fn(VMContext* caller,
// params...)`, bound directly into the importing instance's function table.
// Every guest pointer and length is checked against the caller's memory
// (EFAULT, never a trap). Other preview 1 functions that abi/host_functions.h
// declares are bound to a stub returning ENOSYS so that such modules link.
#include <fcntl.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "runtime_private.h"
#include "wasmaot/abi/host_functions.h"

namespace wasmaot::runtime {
namespace {

// WASI errno values.
constexpr int32_t kSuccess = 0, kEAgain = 6, kEBadf = 8, kEFault = 21, kEIntr = 27, kEInval = 28, kEIo = 29,
                  kENoSpc = 51, kENoSys = 52, kEPipe = 64, kESpipe = 70;

// WASI file types.
constexpr uint8_t kFiletypeUnknown = 0, kFiletypeBlockDevice = 1, kFiletypeCharacterDevice = 2,
                  kFiletypeDirectory = 3, kFiletypeRegularFile = 4, kFiletypeSocketStream = 6;
constexpr uint64_t kRightsAll = (uint64_t{1} << 29) - 1;
constexpr uint64_t kRightFdSeek = uint64_t{1} << 2, kRightFdTell = uint64_t{1} << 5;

struct WasiState {
  std::vector<std::string> args;
  std::vector<std::string> env;
};

int32_t wasiErrno(int host_errno) {
  switch (host_errno) {
    case EAGAIN: return kEAgain;
    case EBADF: return kEBadf;
    case EFAULT: return kEFault;
    case EINTR: return kEIntr;
    case EINVAL: return kEInval;
    case ENOSPC: return kENoSpc;
    case EPIPE: return kEPipe;
    case ESPIPE: return kESpipe;
    default: return kEIo;
  }
}

// Guest memory access, bounds-checked against the caller's memory 0.
bool inMemory(abi::VMContext* ctx, uint32_t ptr, uint64_t len) {
  uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  return uint64_t{ptr} + len <= size;
}
uint8_t* at(abi::VMContext* ctx, uint32_t ptr) { return ctx->memory_base + ptr; }
uint32_t load32(abi::VMContext* ctx, uint32_t ptr) {
  uint32_t v;
  std::memcpy(&v, at(ctx, ptr), 4);
  return v;
}
void store32(abi::VMContext* ctx, uint32_t ptr, uint32_t v) { std::memcpy(at(ctx, ptr), &v, 4); }
void store64(abi::VMContext* ctx, uint32_t ptr, uint64_t v) { std::memcpy(at(ctx, ptr), &v, 8); }

bool isStdio(uint32_t fd) { return fd <= 2; }

}  // namespace

// Friend of Instance: reaches the per-instance WASI state and VM context.
struct WasiHost {
  static WasiState* state(abi::VMContext* ctx) {
    return static_cast<WasiState*>(static_cast<Instance*>(ctx->instance)->wasi_state_.get());
  }
  static abi::VMContext* context(Instance* inst) { return &inst->ctx_; }

  // Writes a list of strings the way args_get/environ_get do.
  static int32_t getStrings(abi::VMContext* ctx, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
    if (!inMemory(ctx, ptrs, uint64_t{4} * list.size())) return kEFault;
    uint64_t offset = buf;
    for (size_t i = 0; i < list.size(); ++i) {
      uint64_t len = list[i].size() + 1;
      if (offset + len > UINT32_MAX || !inMemory(ctx, static_cast<uint32_t>(offset), len)) return kEFault;
      std::memcpy(at(ctx, static_cast<uint32_t>(offset)), list[i].c_str(), len);
      store32(ctx, ptrs + static_cast<uint32_t>(4 * i), static_cast<uint32_t>(offset));
      offset += len;
    }
    return kSuccess;
  }
  static int32_t getSizes(abi::VMContext* ctx, const std::vector<std::string>& list, uint32_t count_ptr,
                          uint32_t size_ptr) {
    if (!inMemory(ctx, count_ptr, 4) || !inMemory(ctx, size_ptr, 4)) return kEFault;
    uint64_t total = 0;
    for (const std::string& s : list) total += s.size() + 1;
    store32(ctx, count_ptr, static_cast<uint32_t>(list.size()));
    store32(ctx, size_ptr, static_cast<uint32_t>(total));
    return kSuccess;
  }

  static int32_t argsGet(abi::VMContext* ctx, uint32_t argv, uint32_t buf) {
    return getStrings(ctx, state(ctx)->args, argv, buf);
  }
  static int32_t argsSizesGet(abi::VMContext* ctx, uint32_t argc, uint32_t size) {
    return getSizes(ctx, state(ctx)->args, argc, size);
  }
  static int32_t environGet(abi::VMContext* ctx, uint32_t environ, uint32_t buf) {
    return getStrings(ctx, state(ctx)->env, environ, buf);
  }
  static int32_t environSizesGet(abi::VMContext* ctx, uint32_t count, uint32_t size) {
    return getSizes(ctx, state(ctx)->env, count, size);
  }

  static bool hostClock(uint32_t id, clockid_t* out) {
    switch (id) {
      case 0: *out = CLOCK_REALTIME; return true;
      case 1: *out = CLOCK_MONOTONIC; return true;
      case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
      case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
      default: return false;
    }
  }
  static int32_t clockResGet(abi::VMContext* ctx, uint32_t id, uint32_t res_ptr) {
    clockid_t clock;
    if (!hostClock(id, &clock)) return kEInval;
    if (!inMemory(ctx, res_ptr, 8)) return kEFault;
    timespec ts{};
    if (clock_getres(clock, &ts) != 0) return wasiErrno(errno);
    store64(ctx, res_ptr, uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec));
    return kSuccess;
  }
  static int32_t clockTimeGet(abi::VMContext* ctx, uint32_t id, uint64_t precision, uint32_t time_ptr) {
    clockid_t clock;
    if (!hostClock(id, &clock)) return kEInval;
    if (!inMemory(ctx, time_ptr, 8)) return kEFault;
    timespec ts{};
    if (clock_gettime(clock, &ts) != 0) return wasiErrno(errno);
    store64(ctx, time_ptr, uint64_t(ts.tv_sec) * 1'000'000'000u + uint64_t(ts.tv_nsec));
    return kSuccess;
  }

  // Translates a guest iovec array into host iovecs, all bounds-checked.
  static int32_t hostIovecs(abi::VMContext* ctx, uint32_t iovs, uint32_t count, std::vector<iovec>* out) {
    if (!inMemory(ctx, iovs, uint64_t{8} * count)) return kEFault;
    out->reserve(count);
    for (uint32_t i = 0; i < count; ++i) {
      uint32_t buf = load32(ctx, iovs + 8 * i);
      uint32_t len = load32(ctx, iovs + 8 * i + 4);
      if (!inMemory(ctx, buf, len)) return kEFault;
      if (len) out->push_back(iovec{at(ctx, buf), len});
    }
    return kSuccess;
  }
  static int32_t fdWrite(abi::VMContext* ctx, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t nwritten) {
    if (fd != 1 && fd != 2) return kEBadf;
    if (!inMemory(ctx, nwritten, 4)) return kEFault;
    std::vector<iovec> host;
    if (int32_t err = hostIovecs(ctx, iovs, count, &host)) return err;
    uint64_t total = 0;
    size_t next = 0;
    while (next < host.size()) {
      int n = static_cast<int>(std::min<size_t>(host.size() - next, 1024));
      ssize_t written;
      do {
        written = writev(static_cast<int>(fd), host.data() + next, n);
      } while (written < 0 && errno == EINTR);
      if (written < 0) {
        if (total) break;
        return wasiErrno(errno);
      }
      total += static_cast<uint64_t>(written);
      // Skip the iovecs written entirely; stop on a short write.
      size_t wanted = 0;
      for (int i = 0; i < n; ++i) wanted += host[next + i].iov_len;
      if (static_cast<size_t>(written) < wanted) break;
      next += static_cast<size_t>(n);
    }
    store32(ctx, nwritten, static_cast<uint32_t>(total));
    return kSuccess;
  }
  static int32_t fdRead(abi::VMContext* ctx, uint32_t fd, uint32_t iovs, uint32_t count, uint32_t nread) {
    if (fd != 0) return kEBadf;
    if (!inMemory(ctx, nread, 4)) return kEFault;
    std::vector<iovec> host;
    if (int32_t err = hostIovecs(ctx, iovs, count, &host)) return err;
    ssize_t got = 0;
    if (!host.empty()) {
      do {
        got = readv(0, host.data(), static_cast<int>(std::min<size_t>(host.size(), 1024)));
      } while (got < 0 && errno == EINTR);
      if (got < 0) return wasiErrno(errno);
    }
    store32(ctx, nread, static_cast<uint32_t>(got));
    return kSuccess;
  }
  static int32_t seek(abi::VMContext* ctx, uint32_t fd, uint64_t offset, int whence, uint32_t result_ptr) {
    if (!isStdio(fd)) return kEBadf;
    if (!inMemory(ctx, result_ptr, 8)) return kEFault;
    off_t pos = lseek(static_cast<int>(fd), static_cast<off_t>(offset), whence);
    if (pos < 0) return wasiErrno(errno);
    store64(ctx, result_ptr, static_cast<uint64_t>(pos));
    return kSuccess;
  }
  // preview 1 whence: 0 set, 1 cur, 2 end.
  static int32_t fdSeek(abi::VMContext* ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t result) {
    static constexpr int kWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
    if (whence > 2) return kEInval;
    return seek(ctx, fd, offset, kWhence[whence], result);
  }
  // wasi_unstable whence: 0 cur, 1 end, 2 set.
  static int32_t fdSeekUnstable(abi::VMContext* ctx, uint32_t fd, uint64_t offset, uint32_t whence, uint32_t result) {
    static constexpr int kWhence[] = {SEEK_CUR, SEEK_END, SEEK_SET};
    if (whence > 2) return kEInval;
    return seek(ctx, fd, offset, kWhence[whence], result);
  }
  static int32_t fdTell(abi::VMContext* ctx, uint32_t fd, uint32_t result) {
    return seek(ctx, fd, 0, SEEK_CUR, result);
  }
  static int32_t fdClose(abi::VMContext*, uint32_t fd) {
    // The host's stdio stays open: the guest only loses nothing it owned.
    return isStdio(fd) ? kSuccess : kEBadf;
  }
  static int32_t fdFdstatGet(abi::VMContext* ctx, uint32_t fd, uint32_t buf) {
    if (!isStdio(fd)) return kEBadf;
    if (!inMemory(ctx, buf, 24)) return kEFault;
    struct stat st{};
    if (fstat(static_cast<int>(fd), &st) != 0) return wasiErrno(errno);
    uint8_t filetype = kFiletypeUnknown;
    if (S_ISCHR(st.st_mode)) filetype = kFiletypeCharacterDevice;
    else if (S_ISREG(st.st_mode)) filetype = kFiletypeRegularFile;
    else if (S_ISDIR(st.st_mode)) filetype = kFiletypeDirectory;
    else if (S_ISBLK(st.st_mode)) filetype = kFiletypeBlockDevice;
    else if (S_ISSOCK(st.st_mode)) filetype = kFiletypeSocketStream;
    int flags = fcntl(static_cast<int>(fd), F_GETFL);
    uint16_t fdflags = 0;
    if (flags >= 0 && (flags & O_APPEND)) fdflags |= 1;
    if (flags >= 0 && (flags & O_NONBLOCK)) fdflags |= 4;
    uint64_t rights = kRightsAll;
    // wasi-libc's isatty() wants a character device without seek/tell.
    if (filetype == kFiletypeCharacterDevice) rights &= ~(kRightFdSeek | kRightFdTell);
    uint8_t* p = at(ctx, buf);
    std::memset(p, 0, 24);
    p[0] = filetype;
    std::memcpy(p + 2, &fdflags, 2);
    std::memcpy(p + 8, &rights, 8);
    std::memcpy(p + 16, &rights, 8);
    return kSuccess;
  }
  static int32_t fdPrestatGet(abi::VMContext*, uint32_t, uint32_t) { return kEBadf; }  // no preopens yet
  static int32_t fdPrestatDirName(abi::VMContext*, uint32_t, uint32_t, uint32_t) { return kEBadf; }
  static void procExit(abi::VMContext*, uint32_t status) { raiseExit(static_cast<int>(status)); }
  static int32_t schedYield(abi::VMContext*) {
    sched_yield();
    return kSuccess;
  }
  static int32_t randomGet(abi::VMContext* ctx, uint32_t buf, uint32_t len) {
    if (!inMemory(ctx, buf, len)) return kEFault;
    uint32_t done = 0;
    while (done < len) {
      ssize_t n = getrandom(at(ctx, buf + done), len - done, 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        return kEIo;
      }
      done += static_cast<uint32_t>(n);
    }
    return kSuccess;
  }
};

namespace {

struct NativeWasiFunction {
  std::string_view name;
  void* code;
};

template <typename F>
void* native(F f) {
  return reinterpret_cast<void*>(f);
}

const NativeWasiFunction kImplemented[] = {
    {"args_get", native(&WasiHost::argsGet)},
    {"args_sizes_get", native(&WasiHost::argsSizesGet)},
    {"environ_get", native(&WasiHost::environGet)},
    {"environ_sizes_get", native(&WasiHost::environSizesGet)},
    {"clock_res_get", native(&WasiHost::clockResGet)},
    {"clock_time_get", native(&WasiHost::clockTimeGet)},
    {"fd_close", native(&WasiHost::fdClose)},
    {"fd_fdstat_get", native(&WasiHost::fdFdstatGet)},
    {"fd_prestat_get", native(&WasiHost::fdPrestatGet)},
    {"fd_prestat_dir_name", native(&WasiHost::fdPrestatDirName)},
    {"fd_read", native(&WasiHost::fdRead)},
    {"fd_seek", native(&WasiHost::fdSeek)},
    {"fd_tell", native(&WasiHost::fdTell)},
    {"fd_write", native(&WasiHost::fdWrite)},
    {"proc_exit", native(&WasiHost::procExit)},
    {"random_get", native(&WasiHost::randomGet)},
    {"sched_yield", native(&WasiHost::schedYield)},
};

bool parseSignature(std::string_view sig, abi::FuncType* out) {
  bool results = false;
  for (char c : sig) {
    ValType t;
    switch (c) {
      case ':': results = true; continue;
      case 'i': t = ValType::I32; break;
      case 'I': t = ValType::I64; break;
      case 'f': t = ValType::F32; break;
      case 'F': t = ValType::F64; break;
      default: return false;
    }
    (results ? out->results : out->params).push_back(t);
  }
  return true;
}

}  // namespace

bool isWasiModuleName(const std::string& module) {
  return module == abi::kWasiModule || module == abi::kWasiUnstableModule;
}

std::shared_ptr<void> makeWasiState(const Imports& imports) {
  auto state = std::make_shared<WasiState>();
  state->args = imports.wasiArgs();
  state->env = imports.wasiEnv();
  return state;
}

bool resolveWasiImport(const std::string& module, const std::string& name, const abi::FuncType& type,
                       Instance* caller, void* adapter, abi::FuncRef* out, std::shared_ptr<void>* owner,
                       std::string* error) {
  const abi::HostFunctionDecl* decl = abi::findHostFunction(abi::kWasiFunctions, name);
  if (!decl) {
    *error = "unknown import";
    return false;
  }
  abi::FuncType declared;
  if (!parseSignature(decl->signature, &declared) || declared != type) {
    *error = "incompatible import type";
    return false;
  }
  for (const NativeWasiFunction& f : kImplemented) {
    if (f.name != name) continue;
    out->code = f.code;
    if (name == "fd_seek" && module == abi::kWasiUnstableModule) out->code = native(&WasiHost::fdSeekUnstable);
    out->ctx = WasiHost::context(caller);
    out->type_id = canonicalTypeId(type);
    out->reserved = 0;
    return true;
  }
  // Declared but not implemented here: link to a stub returning ENOSYS.
  size_t results = type.results.size();
  Function stub = makeHostFunction(type, [results](Instance*, std::span<uint64_t> slots) -> std::optional<Trap> {
    for (size_t i = 0; i < results; ++i) slots[i] = 0;
    if (results > 0) slots[0] = static_cast<uint64_t>(kENoSys);
    return std::nullopt;
  });
  return bindHostFunction(stub, caller, adapter, out, owner);
}

}  // namespace wasmaot::runtime
