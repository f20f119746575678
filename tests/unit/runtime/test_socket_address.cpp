// Guest <-> host socket address conversion
// (runtime/src/wasi/sockets/socket_address.h): the byte layouts of WAMR's
// __wasi_addr_t / __wasi_addr_ip_t, round trips, IPv4-mapped addresses and
// bad input. Doctest suite `socket_address`.
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <array>
#include <cstring>

#include "../../../runtime/src/wasi/sockets/socket_address.h"
#include "../../../runtime/src/wasi/wasi_layouts.h"

using namespace wasmaot::runtime::wasi;
using namespace wasmaot::runtime::wasi::sockets;

namespace {
using Guest = std::array<uint8_t, 24>;
}

TEST_SUITE("socket_address") {
  TEST_CASE("IPv4: n0..n3 in order, port in host order") {
    Guest g{};
    g[0] = 0;
    g[4] = 127; g[5] = 0; g[6] = 0; g[7] = 1;
    g[8] = 0x50; g[9] = 0;  // port 80
    HostAddr h;
    REQUIRE(guestToHost(g, false, &h) == kSuccess);
    auto* s4 = reinterpret_cast<const sockaddr_in*>(&h.ss);
    CHECK(s4->sin_family == AF_INET);
    CHECK(ntohs(s4->sin_port) == 80);
    CHECK(ntohl(s4->sin_addr.s_addr) == 0x7f000001);
    CHECK(h.len == sizeof(sockaddr_in));
    Guest back;
    back.fill(0xAA);
    REQUIRE(hostToGuest(h.sa(), h.len, back) == kSuccess);
    CHECK(back == g);  // padding zeroed too
  }

  TEST_CASE("IPv6: eight host-order groups, port in host order") {
    Guest g{};
    g[0] = 1;
    g[18] = 1; g[19] = 0;          // h3 = 1 -> ::1
    g[20] = 0xbb; g[21] = 0x01;    // port 443
    HostAddr h;
    REQUIRE(guestToHost(g, true, &h) == kSuccess);
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&h.ss);
    CHECK(s6->sin6_family == AF_INET6);
    CHECK(ntohs(s6->sin6_port) == 443);
    CHECK(std::memcmp(&s6->sin6_addr, &in6addr_loopback, 16) == 0);
    Guest back;
    back.fill(0xAA);
    REQUIRE(hostToGuest(h.sa(), h.len, back) == kSuccess);
    CHECK(back == g);

    Guest fe{};
    fe[0] = 1;
    fe[4] = 0x80; fe[5] = 0xfe;  // fe80::
    REQUIRE(guestToHost(fe, true, &h) == kSuccess);
    CHECK(s6->sin6_addr.s6_addr[0] == 0xfe);
    CHECK(s6->sin6_addr.s6_addr[1] == 0x80);
  }

  TEST_CASE("IPv4 on an IPv6 socket becomes IPv4-mapped; the policy sees IPv4") {
    Guest g{};
    g[4] = 10; g[5] = 1; g[6] = 2; g[7] = 3;
    g[8] = 0x35;  // 53
    HostAddr h;
    REQUIRE(guestToHost(g, true, &h) == kSuccess);
    auto* s6 = reinterpret_cast<const sockaddr_in6*>(&h.ss);
    CHECK(s6->sin6_family == AF_INET6);
    CHECK(s6->sin6_addr.s6_addr[10] == 0xff);
    CHECK(s6->sin6_addr.s6_addr[12] == 10);
    NetAddress a = netAddressOf(h.sa());
    CHECK_FALSE(a.v6);
    CHECK(a.bytes[0] == 10);
    CHECK(a.bytes[3] == 3);
    CHECK(a.port == 53);
  }

  TEST_CASE("bad input") {
    Guest g{};
    g[0] = 2;
    HostAddr h;
    CHECK(guestToHost(g, false, &h) == kInval);
    g.fill(0xff);
    CHECK(guestToHost(g, true, &h) == kInval);
    g = Guest{};
    g[0] = 1;
    CHECK(guestToHost(g, false, &h) == kAfNoSupport);  // IPv6 address on an IPv4 socket
    sockaddr_in s4{};
    s4.sin_family = AF_INET;
    Guest out;
    CHECK(hostToGuest(reinterpret_cast<sockaddr*>(&s4), 4, out) == kAfNoSupport);  // short
    sockaddr sa{};
    sa.sa_family = AF_UNIX;
    out.fill(0xAA);
    CHECK(hostToGuest(&sa, sizeof sa, out) == kAfNoSupport);
    CHECK(out == Guest{});
    CHECK(hostToGuest(nullptr, 0, out) == kAfNoSupport);
  }

  TEST_CASE("__wasi_addr_ip_t for multicast groups") {
    std::array<uint8_t, 20> ip{};
    ip[4] = 239; ip[5] = 255; ip[6] = 0; ip[7] = 1;
    int family = 0;
    uint8_t out[16];
    REQUIRE(guestIpToHost(ip, &family, out) == kSuccess);
    CHECK(family == AF_INET);
    CHECK(out[0] == 239);
    CHECK(out[3] == 1);
    ip = {};
    ip[0] = 1;
    ip[4] = 0x15; ip[5] = 0xff;    // ff15::
    ip[18] = 0x34; ip[19] = 0x12;  // ::1234
    REQUIRE(guestIpToHost(ip, &family, out) == kSuccess);
    CHECK(family == AF_INET6);
    CHECK(out[0] == 0xff);
    CHECK(out[1] == 0x15);
    CHECK(out[14] == 0x12);
    CHECK(out[15] == 0x34);
    ip[0] = 7;
    CHECK(guestIpToHost(ip, &family, out) == kInval);
  }
}
