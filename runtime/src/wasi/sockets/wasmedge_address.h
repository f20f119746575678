// WasmEdge's guest socket addresses <-> host sockaddrs, as pure functions on
// byte spans (docs/SOCKETS.md, "WasmEdge"). A WasmEdge call passes an
// address as `__wasi_address_t{u32 buf, u32 buf_len}` plus, where it needs
// one, the port as a separate argument in host byte order. The buffer holds
//   4 bytes   an IPv4 address in network order (a.b.c.d),
//   16 bytes  an IPv6 address in network order,
//   128 bytes WasmEdge V2's storage: u16 family at 0 (INET4 = 1, INET6 = 2,
//             AF_UNIX = 3), the address bytes from offset 2.
#pragma once

#include <cstdint>
#include <span>

#include "wasi/sockets/socket_address.h"

namespace wasmaot::runtime::wasi::sockets::wasmedge {

constexpr uint32_t kAddressStructSize = 8;  // __wasi_address_t
constexpr uint32_t kStorageSize = 128;
// WasmEdge's address_family and sock_type enums.
constexpr uint32_t kFamilyUnspec = 0, kFamilyInet4 = 1, kFamilyInet6 = 2, kFamilyUnix = 3;
constexpr uint32_t kTypeAny = 0, kTypeDgram = 1, kTypeStream = 2;

// An IP address and port taken apart.
struct IpParts {
  int version = 0;  // 4 or 6; 0: not an IP address
  uint8_t bytes[16]{};
  uint16_t port = 0;  // host order
};

// A guest buffer (4, 16 or 128 bytes, see above) and host-order port ->
// sockaddr. On an IPv6 socket an IPv4 address becomes the IPv4-mapped IPv6
// address. EINVAL for another length or an unknown storage family,
// EAFNOSUPPORT for IPv6 on an IPv4 socket and for AF_UNIX.
int32_t toHost(std::span<const uint8_t> buf, uint32_t port, bool v6_socket, HostAddr* out);

IpParts partsOf(const sockaddr* sa, socklen_t len);

// The 128-byte storage form of `ip`: the family, and the address in the 16
// bytes after it (zero-padded); bytes 18..127 are not touched.
void writeStorage(const IpParts& ip, std::span<uint8_t, kStorageSize> out);

}  // namespace wasmaot::runtime::wasi::sockets::wasmedge
