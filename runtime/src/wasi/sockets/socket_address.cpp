// Guest <-> host socket address conversion (see socket_address.h).
#include "wasi/sockets/socket_address.h"

#include <cstring>

#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi::sockets {
namespace {

uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t get32(const uint8_t* p) { return uint32_t{get16(p)} | (uint32_t{get16(p + 2)} << 16); }
void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}

// Eight host-order u16 groups -> the 16-byte network-order address.
void groupsToBytes(const uint8_t* groups, uint8_t* bytes) {
  for (int i = 0; i < 8; ++i) {
    uint16_t g = get16(groups + 2 * i);
    bytes[2 * i] = static_cast<uint8_t>(g >> 8);
    bytes[2 * i + 1] = static_cast<uint8_t>(g);
  }
}
void bytesToGroups(const uint8_t* bytes, uint8_t* groups) {
  for (int i = 0; i < 8; ++i) put16(groups + 2 * i, static_cast<uint16_t>((bytes[2 * i] << 8) | bytes[2 * i + 1]));
}

bool isV4Mapped(const uint8_t* b) {
  static constexpr uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(b, kPrefix, 12) == 0;
}

}  // namespace

int32_t guestToHost(std::span<const uint8_t, kGuestAddrSize> in, bool v6_socket, HostAddr* out) {
  const uint8_t* p = in.data();
  uint32_t kind = get32(p);
  *out = HostAddr{};
  if (kind == kAddrKindV4) {
    uint16_t port = get16(p + 8);
    if (v6_socket) {
      auto* s6 = reinterpret_cast<sockaddr_in6*>(&out->ss);
      s6->sin6_family = AF_INET6;
      s6->sin6_port = htons(port);
      s6->sin6_addr.s6_addr[10] = 0xff;
      s6->sin6_addr.s6_addr[11] = 0xff;
      std::memcpy(&s6->sin6_addr.s6_addr[12], p + 4, 4);
      out->len = sizeof(sockaddr_in6);
    } else {
      auto* s4 = reinterpret_cast<sockaddr_in*>(&out->ss);
      s4->sin_family = AF_INET;
      s4->sin_port = htons(port);
      std::memcpy(&s4->sin_addr.s_addr, p + 4, 4);  // n0..n3 are already network order
      out->len = sizeof(sockaddr_in);
    }
    return kSuccess;
  }
  if (kind == kAddrKindV6) {
    if (!v6_socket) return kAfNoSupport;
    auto* s6 = reinterpret_cast<sockaddr_in6*>(&out->ss);
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons(get16(p + 20));
    groupsToBytes(p + 4, s6->sin6_addr.s6_addr);
    out->len = sizeof(sockaddr_in6);
    return kSuccess;
  }
  return kInval;
}

int32_t hostToGuest(const sockaddr* sa, socklen_t len, std::span<uint8_t, kGuestAddrSize> out) {
  uint8_t* p = out.data();
  std::memset(p, 0, kGuestAddrSize);
  if (sa && sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* s4 = reinterpret_cast<const sockaddr_in*>(sa);
    put16(p, static_cast<uint16_t>(kAddrKindV4));
    std::memcpy(p + 4, &s4->sin_addr.s_addr, 4);
    put16(p + 8, ntohs(s4->sin_port));
    return kSuccess;
  }
  if (sa && sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* s6 = reinterpret_cast<const sockaddr_in6*>(sa);
    put16(p, static_cast<uint16_t>(kAddrKindV6));
    bytesToGroups(s6->sin6_addr.s6_addr, p + 4);
    put16(p + 20, ntohs(s6->sin6_port));
    return kSuccess;
  }
  return kAfNoSupport;
}

int32_t guestIpToHost(std::span<const uint8_t, kGuestAddrIpSize> in, int* family, uint8_t out[16]) {
  const uint8_t* p = in.data();
  uint32_t kind = get32(p);
  if (kind == kAddrKindV4) {
    *family = AF_INET;
    std::memcpy(out, p + 4, 4);
    return kSuccess;
  }
  if (kind == kAddrKindV6) {
    *family = AF_INET6;
    groupsToBytes(p + 4, out);
    return kSuccess;
  }
  return kInval;
}

NetAddress netAddressOf(const sockaddr* sa) {
  NetAddress a{};
  if (sa->sa_family == AF_INET) {
    const auto* s4 = reinterpret_cast<const sockaddr_in*>(sa);
    std::memcpy(a.bytes.data(), &s4->sin_addr.s_addr, 4);
    a.port = ntohs(s4->sin_port);
  } else if (sa->sa_family == AF_INET6) {
    const auto* s6 = reinterpret_cast<const sockaddr_in6*>(sa);
    a.port = ntohs(s6->sin6_port);
    if (isV4Mapped(s6->sin6_addr.s6_addr)) {
      std::memcpy(a.bytes.data(), &s6->sin6_addr.s6_addr[12], 4);
    } else {
      a.v6 = true;
      std::memcpy(a.bytes.data(), s6->sin6_addr.s6_addr, 16);
    }
  }
  return a;
}

}  // namespace wasmaot::runtime::wasi::sockets
