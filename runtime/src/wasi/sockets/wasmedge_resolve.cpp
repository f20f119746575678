// WasmEdge's sock_getaddrinfo(*node, node_len, *service, service_len, *hints,
// *res, max_res_len, *res_len). The guest allocates and links the result
// list itself: *res holds the address of the first 28-byte addrinfo
//   @0 u16 flags  @2 u8 family  @3 u8 socktype  @4 u8 protocol
//   @8 u32 addrlen  @12 *sockaddr  @16 *canonname  @20 canonname_len  @24 *next
// whose sockaddr is {u8 family @0, u32 data_len @4, *data @8}; the host
// walks `next` for up to max_res_len nodes and fills them in: family and
// socktype in WasmEdge's enums, addrlen the native one (16 or 28) and the
// sockaddr's data the native sockaddr after its family (a big-endian port,
// then the address: 14 bytes for IPv4, 26 for IPv6). data_len receives the
// native size, and only as many bytes as the guest's data_len said fit are
// written (WasmEdge writes all of them whatever it says). The same policy
// as every lookup applies (sockets::resolve); a denied name is EACCES.
// Lookup failures are WasmEdge's own errnos 77..87 (EAI_*).
#include <sys/socket.h>
#include <uv.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "wasi/sockets/socket_functions.h"
#include "wasi/sockets/wasmedge_address.h"
#include "wasi/sockets/wasmedge_functions.h"

namespace wasmaot::runtime::wasi::wasmedge {
namespace {

using namespace sockets::wasmedge;

constexpr uint32_t kAddrInfoSize = 28, kSockaddrSize = 12;
constexpr uint32_t kMaxNameLength = 1024;
// WasmEdge's errnos for getaddrinfo failures.
constexpr int32_t kAiAddrFamily = 77, kAiAgain = 78, kAiBadFlag = 79, kAiFail = 80, kAiFamily = 81, kAiMemory = 82,
                  kAiNoData = 83, kAiNoName = 84, kAiService = 85, kAiSockType = 86;
// aiflags, in WasmEdge's bits and the host's.
constexpr struct {
  uint16_t guest;
  int host;
} kFlags[] = {{1, AI_PASSIVE},  {2, AI_CANONNAME}, {4, AI_NUMERICHOST}, {8, AI_NUMERICSERV},
              {0x10, AI_V4MAPPED}, {0x20, AI_ALL},   {0x40, AI_ADDRCONFIG}};
constexpr uint16_t kAllFlags = 0x7f, kFlagCanonName = 2;

int32_t fromLookupStatus(int status) {
  switch (status) {
    case UV_EAI_ADDRFAMILY: return kAiAddrFamily;
    case UV_EAI_AGAIN: return kAiAgain;
    case UV_EAI_BADFLAGS: return kAiBadFlag;
    case UV_EAI_FAMILY: return kAiFamily;
    case UV_EAI_MEMORY: return kAiMemory;
    case UV_EAI_NODATA: return kAiNoData;
    case UV_EAI_NONAME: return kAiNoName;
    case UV_EAI_SERVICE: return kAiService;
    case UV_EAI_SOCKTYPE: return kAiSockType;
    default: return kAiFail;
  }
}

// A (ptr, len) guest string up to its first NUL (guests often count one).
int32_t guestString(Ctx ctx, uint32_t ptr, uint32_t len, std::string* out) {
  if (len > kMaxNameLength) return kNameTooLong;
  if (!inBounds(ctx, ptr, len)) return kFault;
  const char* p = reinterpret_cast<const char*>(at(ctx, ptr));
  out->assign(p, std::find(p, p + len, '\0'));
  return kSuccess;
}

// The hints, checked in WasmEdge's order and errnos.
int32_t readHints(Ctx ctx, uint32_t ptr, bool have_node, addrinfo* hints) {
  if (!inBounds(ctx, ptr, kAddrInfoSize)) return kFault;
  uint16_t flags;
  std::memcpy(&flags, at(ctx, ptr), 2);
  uint8_t family = *at(ctx, ptr + 2), socktype = *at(ctx, ptr + 3), protocol = *at(ctx, ptr + 4);
  if ((flags & ~kAllFlags) || ((flags & kFlagCanonName) && !have_node)) return kAiBadFlag;
  if (family > kFamilyInet6) return kAiFamily;
  if (protocol > 2 || socktype > kTypeStream) return kNoSys;
  *hints = addrinfo{};
  for (const auto& f : kFlags) {
    if (flags & f.guest) hints->ai_flags |= f.host;
  }
  hints->ai_family = family == kFamilyInet4 ? AF_INET : family == kFamilyInet6 ? AF_INET6 : AF_UNSPEC;
  hints->ai_socktype = socktype == kTypeDgram ? SOCK_DGRAM : socktype == kTypeStream ? SOCK_STREAM : 0;
  hints->ai_protocol = protocol == 1 ? IPPROTO_TCP : protocol == 2 ? IPPROTO_UDP : 0;
  return kSuccess;
}

// Fills in the guest's addrinfo node at `node` from `ai`.
int32_t writeResult(Ctx ctx, uint32_t node, const addrinfo* ai) {
  if (!inBounds(ctx, node, kAddrInfoSize)) return kFault;
  uint16_t flags = 0;
  for (const auto& f : kFlags) {
    if (ai->ai_flags & f.host) flags |= f.guest;
  }
  const bool v4 = ai->ai_family == AF_INET;
  std::memcpy(at(ctx, node), &flags, 2);
  *at(ctx, node + 2) = static_cast<uint8_t>(v4 ? kFamilyInet4 : kFamilyInet6);
  *at(ctx, node + 3) = static_cast<uint8_t>(ai->ai_socktype == SOCK_STREAM ? kTypeStream : kTypeDgram);
  *at(ctx, node + 4) =
      static_cast<uint8_t>(ai->ai_protocol == IPPROTO_TCP ? 1 : ai->ai_protocol == IPPROTO_UDP ? 2 : 0);
  store32(ctx, node + 8, ai->ai_addrlen);

  uint32_t sockaddr_ptr = load32(ctx, node + 12);
  if (!inBounds(ctx, sockaddr_ptr, kSockaddrSize)) return kFault;
  // The native sockaddr after its 2-byte family: port (network order), address...
  const uint32_t data_size = static_cast<uint32_t>(ai->ai_addrlen) - 2;
  uint32_t data_ptr = load32(ctx, sockaddr_ptr + 8);
  uint32_t room = std::min(load32(ctx, sockaddr_ptr + 4), data_size);
  if (!inBounds(ctx, data_ptr, room)) return kFault;
  std::memcpy(at(ctx, data_ptr), reinterpret_cast<const uint8_t*>(ai->ai_addr) + 2, room);
  *at(ctx, sockaddr_ptr) = static_cast<uint8_t>(v4 ? kFamilyInet4 : kFamilyInet6);
  store32(ctx, sockaddr_ptr + 4, data_size);

  uint32_t canon_ptr = load32(ctx, node + 16);
  uint32_t canon_room = load32(ctx, node + 20);
  uint32_t canon_len = 0;
  if (ai->ai_canonname && canon_ptr != 0) {
    canon_len = static_cast<uint32_t>(std::strlen(ai->ai_canonname));
    uint32_t n = std::min(canon_len + 1, canon_room);
    if (!inBounds(ctx, canon_ptr, n)) return kFault;
    std::memcpy(at(ctx, canon_ptr), ai->ai_canonname, n);
  }
  store32(ctx, node + 20, canon_len);
  return kSuccess;
}

}  // namespace

int32_t sock_getaddrinfo(Ctx ctx, uint32_t node_ptr, uint32_t node_len, uint32_t service_ptr, uint32_t service_len,
                         uint32_t hints_ptr, uint32_t res, uint32_t max_res_len, uint32_t res_len) {
  std::string node, service;
  if (int32_t err = guestString(ctx, node_ptr, node_len, &node)) return err;
  if (int32_t err = guestString(ctx, service_ptr, service_len, &service)) return err;
  if (!inBounds(ctx, res, 4) || !inBounds(ctx, res_len, 4)) return kFault;
  // getaddrinfo(NULL, service) would answer with this host's own addresses:
  // the guest names what it looks up here.
  if (node.empty()) return kAiNoName;
  if (max_res_len < 1) return kAiMemory;
  addrinfo hints{};
  if (int32_t err = readHints(ctx, hints_ptr, !node.empty(), &hints)) return err;
  sockets::Resolved found;
  int status = 0;
  if (int32_t err = sockets::resolve(ctx, node, service, hints, &found, &status)) {
    return status != 0 ? fromLookupStatus(status) : err;
  }
  uint32_t count = 0;
  uint32_t guest_node = load32(ctx, res);
  for (const addrinfo* ai = found.list; ai && count < max_res_len && guest_node != 0; ai = ai->ai_next) {
    if (!sockets::isUsable(ai)) continue;
    if (int32_t err = writeResult(ctx, guest_node, ai)) return err;
    ++count;
    guest_node = load32(ctx, guest_node + 24);
  }
  store32(ctx, res_len, count);
  return kSuccess;
}

}  // namespace wasmaot::runtime::wasi::wasmedge
