// Guest socket addresses <-> host sockaddrs, as pure functions on byte
// spans (a fuzz target). Guest layouts (WAMR's, docs/SOCKETS.md):
//   __wasi_addr_t    24 bytes: u32 kind (0 = IPv4, 1 = IPv6); IPv4: n0..n3 at
//                    4..7 (dotted quad in order), u16 port at 8 (host order);
//                    IPv6: eight u16 groups at 4..19 (each in host order), u16
//                    port at 20; the rest is padding.
//   __wasi_addr_ip_t 20 bytes: u32 kind, then the 4 or 16 address bytes laid
//                    out as above (for multicast membership).
// Little-endian host assumed (the wasm memory is little-endian too).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <span>

#include "wasi/network_policy.h"

namespace wasmaot::runtime::wasi::sockets {

constexpr size_t kGuestAddrSize = 24;
constexpr size_t kGuestAddrIpSize = 20;
constexpr uint32_t kAddrKindV4 = 0, kAddrKindV6 = 1;

struct HostAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
  sockaddr* sa() { return reinterpret_cast<sockaddr*>(&ss); }
};

// Guest address -> host sockaddr. For an IPv6 socket (`v6_socket`) an IPv4
// address becomes the IPv4-mapped IPv6 address. Returns a WASI errno:
// EINVAL for an unknown kind, EAFNOSUPPORT for IPv6 on an IPv4 socket.
int32_t guestToHost(std::span<const uint8_t, kGuestAddrSize> in, bool v6_socket, HostAddr* out);

// Host sockaddr -> all 24 guest bytes (padding zeroed). An unknown family or
// a short length writes an all-zero IPv4 0.0.0.0:0 and returns EAFNOSUPPORT.
int32_t hostToGuest(const sockaddr* sa, socklen_t len, std::span<uint8_t, kGuestAddrSize> out);

// __wasi_addr_ip_t -> family (AF_INET/AF_INET6) and the address in network
// order (4 or 16 bytes written to out). EINVAL for an unknown kind.
int32_t guestIpToHost(std::span<const uint8_t, kGuestAddrIpSize> in, int* family, uint8_t out[16]);

// The address as the policy matcher sees it: IPv4-mapped IPv6 addresses are
// the IPv4 address they carry.
NetAddress netAddressOf(const sockaddr* sa);

}  // namespace wasmaot::runtime::wasi::sockets
