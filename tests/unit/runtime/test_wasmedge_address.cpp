// WasmEdge's guest addresses <-> host sockaddrs
// (runtime/src/wasi/sockets/wasmedge_address.h): raw 4- and 16-byte
// addresses with a separate host-order port, V2's 128-byte storage, IPv4 on
// IPv6 sockets, and the lengths and families that are refused. Doctest
// suite `wasmedge_address`.
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <array>
#include <cstring>

#include "../../../runtime/src/wasi/sockets/wasmedge_address.h"
#include "../../../runtime/src/wasi/wasi_layouts.h"

using namespace wasmaot::runtime::wasi;
using namespace wasmaot::runtime::wasi::sockets;
using namespace wasmaot::runtime::wasi::sockets::wasmedge;

TEST_SUITE("wasmedge_address") {
  TEST_CASE("4 raw bytes in network order, the port from its own argument") {
    const uint8_t ip[4] = {192, 168, 1, 20};
    HostAddr h;
    REQUIRE(toHost(ip, 8080, false, &h) == kSuccess);
    auto* s4 = reinterpret_cast<const sockaddr_in*>(&h.ss);
    CHECK(h.len == sizeof(sockaddr_in));
    CHECK(s4->sin_family == AF_INET);
    CHECK(ntohs(s4->sin_port) == 8080);
    CHECK(s4->sin_addr.s_addr == htonl(0xC0A80114));
    IpParts p = partsOf(h.sa(), h.len);
    CHECK(p.version == 4);
    CHECK(p.port == 8080);
    CHECK(std::memcmp(p.bytes, ip, 4) == 0);
  }

  TEST_CASE("16 raw bytes are IPv6; on an IPv4 socket EAFNOSUPPORT") {
    uint8_t ip[16] = {};
    ip[15] = 1;  // ::1
    HostAddr h;
    CHECK(toHost(ip, 443, false, &h) == kAfNoSupport);
    REQUIRE(toHost(ip, 443, true, &h) == kSuccess);
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&h.ss);
    CHECK(s6->sin6_family == AF_INET6);
    CHECK(ntohs(s6->sin6_port) == 443);
    CHECK(std::memcmp(&s6->sin6_addr, &in6addr_loopback, 16) == 0);
  }

  TEST_CASE("IPv4 on an IPv6 socket becomes the IPv4-mapped address") {
    const uint8_t ip[4] = {127, 0, 0, 1};
    HostAddr h;
    REQUIRE(toHost(ip, 1, true, &h) == kSuccess);
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&h.ss);
    CHECK(IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr));
    CHECK(std::memcmp(&s6->sin6_addr.s6_addr[12], ip, 4) == 0);
  }

  TEST_CASE("V2's 128-byte storage: family at 0, the address from 2") {
    std::array<uint8_t, kStorageSize> st{};
    st[0] = kFamilyInet4;
    st[2] = 10; st[3] = 0; st[4] = 0; st[5] = 7;
    HostAddr h;
    REQUIRE(toHost(st, 53, false, &h) == kSuccess);
    CHECK(reinterpret_cast<const sockaddr_in*>(&h.ss)->sin_addr.s_addr == htonl(0x0A000007));

    std::array<uint8_t, kStorageSize> back;
    back.fill(0xAA);
    writeStorage(partsOf(h.sa(), h.len), back);
    CHECK(back[0] == kFamilyInet4);
    CHECK(back[1] == 0);
    CHECK(std::memcmp(&back[2], &st[2], 4) == 0);
    for (size_t i = 6; i < 18; ++i) CHECK(back[i] == 0);  // the address field zero-padded
    for (size_t i = 18; i < back.size(); ++i) CHECK(back[i] == 0xAA);  // the rest untouched

    st[0] = kFamilyUnix;
    CHECK(toHost(st, 0, false, &h) == kAfNoSupport);
    st[0] = 9;
    CHECK(toHost(st, 0, false, &h) == kInval);
  }

  TEST_CASE("other lengths are EINVAL; ports are truncated to 16 bits as WasmEdge does") {
    uint8_t buf[128] = {127, 0, 0, 1};
    HostAddr h;
    for (size_t n : {0u, 3u, 5u, 15u, 17u, 127u}) CHECK(toHost(std::span<const uint8_t>(buf, n), 1, false, &h) == kInval);
    REQUIRE(toHost(std::span<const uint8_t>(buf, 4), 0x10050, false, &h) == kSuccess);
    CHECK(ntohs(reinterpret_cast<const sockaddr_in*>(&h.ss)->sin_port) == 0x0050);
  }

  TEST_CASE("a non-IP sockaddr has no parts") {
    sockaddr_storage ss{};
    ss.ss_family = AF_UNIX;
    CHECK(partsOf(reinterpret_cast<const sockaddr*>(&ss), sizeof ss).version == 0);
    CHECK(partsOf(nullptr, 0).version == 0);
    ss.ss_family = AF_INET;
    CHECK(partsOf(reinterpret_cast<const sockaddr*>(&ss), 4).version == 0);  // too short
  }
}
