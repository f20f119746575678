// WasmEdge's sock_getsockopt/sock_setsockopt(fd, level, name, *value, size):
// level 0 (SOL_SOCKET) only, names 0..14 in WasmEdge's numbering, values in
// Linux's layouts (an i32; struct linger, 8 bytes; struct timeval, 16 bytes
// {i64 sec, i64 usec}, which is wasm32 wasi-libc's layout too). As in
// WasmEdge, SO_ERROR reads as a WASI errno and SO_TYPE as WasmEdge's
// sock_type. The timeouts live in the fd entry (as the WAMR calls keep
// them), where the data path's waits apply them. SO_BINDTODEVICE cannot be
// set: the policy has no rule for interfaces (ENOTSUP).
//
// For get, `size` points to a u32 that holds the buffer's size and receives
// the value's (WasmEdge's ABI). The Go shim dispatchrun/net passes the size
// itself instead; a value below 1024 cannot be a pointer from a C, Rust or
// Go toolchain (their data and stacks start above it), so it is taken as
// the size and nothing is written back.
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/wasmedge_address.h"
#include "wasi/sockets/wasmedge_functions.h"

namespace wasmaot::runtime::wasi::wasmedge {
namespace {

constexpr uint32_t kSolSocket = 0;
constexpr uint32_t kSizeByValueBelow = 1024;

enum WasmEdgeOption : uint32_t {
  kReuseAddr = 0, kType = 1, kError = 2, kDontRoute = 3, kBroadcast = 4, kSndBuf = 5, kRcvBuf = 6,
  kKeepAlive = 7, kOobInline = 8, kLinger = 9, kRcvLowat = 10, kRcvTimeo = 11, kSndTimeo = 12,
  kAcceptConn = 13, kBindToDevice = 14,
};

// The Linux option for a WasmEdge option name, or -1.
int nativeOption(uint32_t name) {
  static constexpr int kNative[] = {SO_REUSEADDR, SO_TYPE,   SO_ERROR,   SO_DONTROUTE, SO_BROADCAST,
                                    SO_SNDBUF,    SO_RCVBUF, SO_KEEPALIVE, SO_OOBINLINE, SO_LINGER,
                                    SO_RCVLOWAT,  SO_RCVTIMEO, SO_SNDTIMEO, SO_ACCEPTCONN, SO_BINDTODEVICE};
  return name < std::size(kNative) ? kNative[name] : -1;
}

struct GuestTimeval {
  int64_t sec, usec;
};

// The socket and the Linux option a get/set call names: EBADF/ENOTSOCK, or
// EINVAL for a level other than SOL_SOCKET or an unknown name.
FdRef optionTarget(Ctx ctx, uint32_t fd, uint32_t level, uint32_t name, int* opt, int32_t* err) {
  FdRef e = socketEntry(ctx, fd, err);
  if (!e) return e;
  *opt = nativeOption(name);
  if (level != kSolSocket || *opt < 0) {
    *err = kInval;
    return FdRef();
  }
  return e;
}

}  // namespace

int32_t sock_getsockopt(Ctx ctx, uint32_t fd, uint32_t level, uint32_t name, uint32_t value, uint32_t size) {
  int32_t err = kSuccess;
  int opt = -1;
  FdRef e = optionTarget(ctx, fd, level, name, &opt, &err);
  if (!e) return err;
  const bool size_by_value = size < kSizeByValueBelow;
  uint32_t capacity = size;
  if (!size_by_value) {
    if (!inBounds(ctx, size, 4)) return kFault;
    capacity = load32(ctx, size);
  }
  if (!inBounds(ctx, value, capacity)) return kFault;
  uint8_t native[64] = {};
  socklen_t len = sizeof native;
  if (name == kRcvTimeo || name == kSndTimeo) {
    uint64_t us = name == kRcvTimeo ? e->recv_timeout_us : e->send_timeout_us;
    GuestTimeval tv{static_cast<int64_t>(us / 1'000'000), static_cast<int64_t>(us % 1'000'000)};
    std::memcpy(native, &tv, sizeof tv);
    len = sizeof tv;
  } else {
    if (getsockopt(e->host, SOL_SOCKET, opt, native, &len) != 0) return fromHostErrno(errno);
    int32_t v;
    std::memcpy(&v, native, 4);
    if (name == kError && v != 0) v = fromHostErrno(v);
    if (name == kType) v = v == SOCK_STREAM ? sockets::wasmedge::kTypeStream : sockets::wasmedge::kTypeDgram;
    if (name == kError || name == kType) std::memcpy(native, &v, 4);
  }
  if (capacity < len) return kInval;
  std::memcpy(at(ctx, value), native, len);
  if (!size_by_value) store32(ctx, size, len);
  return kSuccess;
}

int32_t sock_setsockopt(Ctx ctx, uint32_t fd, uint32_t level, uint32_t name, uint32_t value, uint32_t size) {
  int32_t err = kSuccess;
  int opt = -1;
  FdRef e = optionTarget(ctx, fd, level, name, &opt, &err);
  if (!e) return err;
  if (name == kBindToDevice) return kNotSup;
  if (!inBounds(ctx, value, size)) return kFault;
  if (name == kRcvTimeo || name == kSndTimeo) {
    GuestTimeval tv;
    if (size < sizeof tv) return kInval;
    std::memcpy(&tv, at(ctx, value), sizeof tv);
    if (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1'000'000 || tv.sec > INT64_MAX / 1'000'000 - 1) return kInval;
    (name == kRcvTimeo ? e->recv_timeout_us : e->send_timeout_us) = uint64_t(tv.sec) * 1'000'000 + uint64_t(tv.usec);
    return kSuccess;
  }
  socklen_t len = name == kLinger ? sizeof(linger) : sizeof(int);
  if (size < len) return kInval;
  return setsockopt(e->host, SOL_SOCKET, opt, at(ctx, value), len) == 0 ? kSuccess : fromHostErrno(errno);
}

}  // namespace wasmaot::runtime::wasi::wasmedge
