// libFuzzer target (d): the guest <-> host socket address conversions (WAMR's
// __wasi_addr_t and WasmEdge's raw and 128-byte forms), on
// arbitrary guest bytes and arbitrary host sockaddrs. Checks, beyond "no
// crash": a converted guest address converts back to the same host address,
// and the policy view of it (netAddressOf) is well formed.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "wasi/network_policy.h"
#include "wasi/sockets/socket_address.h"
#include "wasi/sockets/wasmedge_address.h"

using namespace wasmaot::runtime::wasi;
using namespace wasmaot::runtime::wasi::sockets;

namespace {

bool sameHostAddr(const HostAddr& a, const HostAddr& b) {
  if (a.len != b.len || a.ss.ss_family != b.ss.ss_family) return false;
  if (a.ss.ss_family == AF_INET) {
    auto* x = reinterpret_cast<const sockaddr_in*>(&a.ss);
    auto* y = reinterpret_cast<const sockaddr_in*>(&b.ss);
    return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
  }
  auto* x = reinterpret_cast<const sockaddr_in6*>(&a.ss);
  auto* y = reinterpret_cast<const sockaddr_in6*>(&b.ss);
  return x->sin6_port == y->sin6_port && std::memcmp(&x->sin6_addr, &y->sin6_addr, 16) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Guest direction: the first 24 bytes (zero padded) as a __wasi_addr_t.
  uint8_t guest[kGuestAddrSize] = {};
  std::memcpy(guest, data, size < kGuestAddrSize ? size : kGuestAddrSize);
  for (bool v6_socket : {false, true}) {
    HostAddr host;
    if (guestToHost(std::span<const uint8_t, kGuestAddrSize>(guest), v6_socket, &host) != 0) continue;
    if (host.len == 0 || host.len > sizeof(host.ss)) std::abort();
    NetAddress net = netAddressOf(host.sa());
    (void)formatNetAddress(net);
    uint8_t back[kGuestAddrSize];
    if (hostToGuest(host.sa(), host.len, std::span<uint8_t, kGuestAddrSize>(back)) != 0) std::abort();
    HostAddr again;
    if (guestToHost(std::span<const uint8_t, kGuestAddrSize>(back), v6_socket, &again) != 0) std::abort();
    if (!sameHostAddr(host, again)) std::abort();  // round trip
  }

  // WasmEdge's forms: the input's first 4, 16 or 128 bytes (zero padded)
  // with a port; an accepted address converts back to the same bytes.
  uint8_t we[wasmedge::kStorageSize] = {};
  std::memcpy(we, data, size < sizeof we ? size : sizeof we);
  uint32_t port = size >= 2 ? uint32_t(data[0]) << 8 | data[1] : 0;
  for (size_t len : {size_t{4}, size_t{16}, size_t{wasmedge::kStorageSize}}) {
    for (bool v6_socket : {false, true}) {
      HostAddr host;
      if (wasmedge::toHost(std::span<const uint8_t>(we, len), port, v6_socket, &host) != 0) continue;
      wasmedge::IpParts parts = wasmedge::partsOf(host.sa(), host.len);
      if (parts.version == 0 || parts.port != uint16_t(port)) std::abort();
      uint8_t storage[wasmedge::kStorageSize];
      wasmedge::writeStorage(parts, std::span<uint8_t, wasmedge::kStorageSize>(storage));
      HostAddr again;
      if (wasmedge::toHost(std::span<const uint8_t>(storage), port, v6_socket, &again) != 0) std::abort();
      if (!sameHostAddr(host, again)) std::abort();  // round trip through V2's storage
    }
  }

  // __wasi_addr_ip_t (multicast membership).
  uint8_t ip[kGuestAddrIpSize] = {};
  std::memcpy(ip, data, size < kGuestAddrIpSize ? size : kGuestAddrIpSize);
  int family = 0;
  uint8_t raw[16];
  if (guestIpToHost(std::span<const uint8_t, kGuestAddrIpSize>(ip), &family, raw) == 0 && family != AF_INET &&
      family != AF_INET6)
    std::abort();

  // Host direction: the rest of the input as a sockaddr of a given length
  // (what accept/recvfrom/getpeername hand back), in a sockaddr_storage as
  // the runtime always passes.
  if (size > 1) {
    sockaddr_storage ss{};
    size_t n = size - 1 < sizeof ss ? size - 1 : sizeof ss;
    std::memcpy(&ss, data + 1, n);
    socklen_t len = static_cast<socklen_t>(data[0] % (sizeof ss + 1));
    uint8_t out[kGuestAddrSize];
    std::memset(out, 0xAA, sizeof out);
    int32_t err = hostToGuest(reinterpret_cast<const sockaddr*>(&ss), len, std::span<uint8_t, kGuestAddrSize>(out));
    if (err != 0) {
      for (uint8_t b : out)
        if (b != 0) std::abort();  // refused: all zero, as documented
    }
    if (ss.ss_family == AF_INET || ss.ss_family == AF_INET6) (void)netAddressOf(reinterpret_cast<const sockaddr*>(&ss));
  }
  return 0;
}
