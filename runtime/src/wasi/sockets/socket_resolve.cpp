// sock_addr_resolve: name resolution through uv_getaddrinfo on the
// instance's libuv loop (the guest's call waits until it is done). The name
// must match a resolve rule (numeric addresses need none: no lookup
// happens); results are filtered to IPv4/IPv6 with stream/datagram types,
// the first `info_len` written as 28-byte __wasi_addr_info_t entries and the
// total count stored in *max_info. Every address resolved for a name is
// remembered for dns: connect rules. A name that does not exist is ENOENT
// (44) -- WAMR returns EINVAL for it.
#include <arpa/inet.h>
#include <netdb.h>
#include <uv.h>

#include <cstring>
#include <string>

#include "wasi/sockets/socket_address.h"
#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/socket_state.h"

namespace wasmaot::runtime::wasi {
namespace {

constexpr uint32_t kMaxNameLength = 1024;
constexpr uint32_t kAddrInfoSize = 28, kHintsSize = 12;

// A NUL-terminated guest string of at most `max` bytes.
int32_t guestCString(Ctx ctx, uint32_t ptr, uint32_t max, std::string* out) {
  uint64_t size = ctx->memory ? ctx->memory->size_bytes : 0;
  if (ptr >= size) return kFault;
  uint64_t avail = size - ptr;
  const char* p = reinterpret_cast<const char*>(at(ctx, ptr));
  const void* nul = std::memchr(p, 0, avail < uint64_t{max} + 1 ? avail : uint64_t{max} + 1);
  if (!nul) return avail <= max ? kFault : kNameTooLong;
  out->assign(p, static_cast<const char*>(nul) - p);
  return kSuccess;
}

int32_t fromGaiStatus(int status) {
  switch (status) {
    case UV_EAI_NONAME:
    case UV_EAI_NODATA:
    case UV_EAI_ADDRFAMILY: return kNoEnt;
    case UV_EAI_AGAIN: return kAgain;
    case UV_EAI_MEMORY: return kNoMem;
    case UV_EAI_FAMILY: return kAfNoSupport;
    case UV_EAI_SOCKTYPE: return kProtoNoSupport;
    case UV_EAI_SERVICE:
    case UV_EAI_BADFLAGS:
    case UV_EAI_BADHINTS: return kInval;
    case UV_EAI_OVERFLOW: return kOverflow;
    case UV_EAI_CANCELED: return kCanceled;
    default: return status < 0 && status > -4096 ? fromHostErrno(-status) : kIo;
  }
}

struct Lookup {
  bool done = false;
  int status = 0;
  addrinfo* result = nullptr;
};

void onResolved(uv_getaddrinfo_t* req, int status, addrinfo* res) {
  auto* l = static_cast<Lookup*>(req->data);
  l->done = true;
  l->status = status;
  l->result = res;
}

bool isNumeric(const std::string& host) {
  uint8_t buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

int32_t sockets::resolve(Ctx ctx, const std::string& host, const std::string& service, const addrinfo& hints,
                         Resolved* out, int* lookup_status) {
  *lookup_status = 0;
  WasiContext* w = WasiHost::of(ctx);
  bool numeric = isNumeric(host);
  if (int32_t err = w->net().checkResolve(host, numeric)) return err;
  uv_loop_t* loop = WasiHost::poll(ctx).loop();
  if (!loop) return kNoMem;
  Lookup lookup;
  uv_getaddrinfo_t req{};
  req.data = &lookup;
  int rc = uv_getaddrinfo(loop, &req, onResolved, host.c_str(), service.empty() ? nullptr : service.c_str(), &hints);
  if (rc != 0) {
    *lookup_status = rc;
    return kIo;
  }
  while (!lookup.done) uv_run(loop, UV_RUN_ONCE);
  out->list = lookup.result;
  if (lookup.status != 0) {
    *lookup_status = lookup.status;
    return kIo;
  }
  for (addrinfo* ai = lookup.result; ai; ai = ai->ai_next) {
    if (!numeric && isUsable(ai)) w->net().dns.learn(sockets::netAddressOf(ai->ai_addr), host);
  }
  return kSuccess;
}

bool sockets::isUsable(const addrinfo* ai) {
  return (ai->ai_family == AF_INET || ai->ai_family == AF_INET6) &&
         (ai->ai_socktype == SOCK_STREAM || ai->ai_socktype == SOCK_DGRAM);
}

sockets::Resolved::~Resolved() {
  if (list) uv_freeaddrinfo(list);
}

int32_t sock_addr_resolve(Ctx ctx, uint32_t host_ptr, uint32_t service_ptr, uint32_t hints_ptr, uint32_t info,
                          uint32_t info_len, uint32_t max_info) {
  std::string host, service;
  if (int32_t err = guestCString(ctx, host_ptr, kMaxNameLength, &host)) return err;
  if (int32_t err = guestCString(ctx, service_ptr, kMaxNameLength, &service)) return err;
  if (!inBounds(ctx, hints_ptr, kHintsSize) || !inBounds(ctx, info, uint64_t{kAddrInfoSize} * info_len) ||
      !inBounds(ctx, max_info, 4)) {
    return kFault;
  }
  if (host.empty()) return kInval;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  if (*at(ctx, hints_ptr + 8)) {  // hints_enabled
    int32_t type = static_cast<int32_t>(load32(ctx, hints_ptr));
    int32_t family = static_cast<int32_t>(load32(ctx, hints_ptr + 4));
    switch (type) {
      case -1: break;
      case 0: hints.ai_socktype = SOCK_DGRAM; break;
      case 1: hints.ai_socktype = SOCK_STREAM; break;
      default: return kInval;
    }
    switch (family) {
      case 0: hints.ai_family = AF_INET; break;
      case 1: hints.ai_family = AF_INET6; break;
      case 2: break;
      default: return kInval;
    }
  }
  sockets::Resolved found;
  int status = 0;
  if (int32_t err = sockets::resolve(ctx, host, service, hints, &found, &status)) {
    return status != 0 ? fromGaiStatus(status) : err;
  }
  uint32_t count = 0;
  for (addrinfo* ai = found.list; ai; ai = ai->ai_next) {
    if (!sockets::isUsable(ai)) continue;
    if (count < info_len) {
      uint8_t* entry = at(ctx, info + count * kAddrInfoSize);
      sockets::hostToGuest(ai->ai_addr, ai->ai_addrlen, std::span<uint8_t, sockets::kGuestAddrSize>(entry, 24));
      uint32_t type = ai->ai_socktype == SOCK_STREAM ? 1 : 0;
      std::memcpy(entry + 24, &type, 4);
    }
    ++count;
  }
  store32(ctx, max_info, count);
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi
