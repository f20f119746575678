#include "wasi/sockets/wasmedge_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi::sockets::wasmedge {

int32_t toHost(std::span<const uint8_t> buf, uint32_t port, bool v6_socket, HostAddr* out) {
  const uint8_t* ip = buf.data();
  int version;
  if (buf.size() == 4) {
    version = 4;
  } else if (buf.size() == 16) {
    version = 6;
  } else if (buf.size() == kStorageSize) {
    uint16_t family;
    std::memcpy(&family, buf.data(), 2);
    if (family == kFamilyInet4) version = 4;
    else if (family == kFamilyInet6) version = 6;
    else if (family == kFamilyUnix) return kAfNoSupport;
    else return kInval;
    ip += 2;
  } else {
    return kInval;
  }
  *out = HostAddr{};
  uint16_t net_port = htons(static_cast<uint16_t>(port));
  if (version == 4 && !v6_socket) {
    auto* s4 = reinterpret_cast<sockaddr_in*>(&out->ss);
    s4->sin_family = AF_INET;
    s4->sin_port = net_port;
    std::memcpy(&s4->sin_addr, ip, 4);
    out->len = sizeof(sockaddr_in);
    return kSuccess;
  }
  if (!v6_socket) return kAfNoSupport;
  auto* s6 = reinterpret_cast<sockaddr_in6*>(&out->ss);
  s6->sin6_family = AF_INET6;
  s6->sin6_port = net_port;
  if (version == 4) {  // ::ffff:a.b.c.d
    s6->sin6_addr.s6_addr[10] = 0xff;
    s6->sin6_addr.s6_addr[11] = 0xff;
    std::memcpy(&s6->sin6_addr.s6_addr[12], ip, 4);
  } else {
    std::memcpy(&s6->sin6_addr, ip, 16);
  }
  out->len = sizeof(sockaddr_in6);
  return kSuccess;
}

IpParts partsOf(const sockaddr* sa, socklen_t len) {
  IpParts p;
  if (sa && sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* s4 = reinterpret_cast<const sockaddr_in*>(sa);
    p.version = 4;
    std::memcpy(p.bytes, &s4->sin_addr, 4);
    p.port = ntohs(s4->sin_port);
  } else if (sa && sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* s6 = reinterpret_cast<const sockaddr_in6*>(sa);
    p.version = 6;
    std::memcpy(p.bytes, &s6->sin6_addr, 16);
    p.port = ntohs(s6->sin6_port);
  }
  return p;
}

void writeStorage(const IpParts& ip, std::span<uint8_t, kStorageSize> out) {
  // Family and the 16 bytes an address can take; the rest of the 128 bytes
  // is left as the guest had it (as WasmEdge does; the data path writes
  // this on every datagram).
  uint16_t family = ip.version == 4 ? kFamilyInet4 : ip.version == 6 ? kFamilyInet6 : kFamilyUnspec;
  std::memcpy(out.data(), &family, 2);
  std::memset(out.data() + 2, 0, 16);
  std::memcpy(out.data() + 2, ip.bytes, ip.version == 4 ? 4 : ip.version == 6 ? 16 : 0);
}

}  // namespace wasmaot::runtime::wasi::sockets::wasmedge
