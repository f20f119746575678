// The network policy rule parser and matcher
// (runtime/src/wasi/network_policy.h): every kind of rule allowing and
// denying, --addr-pool entries, name patterns, dns: rules, malformed rules,
// and the JSON-path / flag errors. Doctest suite `network_policy` (ctest
// label policy).
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <string>

#include "../../../runtime/src/wasi/network_policy.h"
#include "wasmaot/runtime/policy.h"

using namespace wasmaot::runtime;
using namespace wasmaot::runtime::wasi;

namespace {

NetAddress addr(const std::string& ip, uint16_t port) {
  NetAddress a;
  a.v6 = ip.find(':') != std::string::npos;
  REQUIRE(inet_pton(a.v6 ? AF_INET6 : AF_INET, ip.c_str(), a.bytes.data()) == 1);
  a.port = port;
  return a;
}

NetRule rule(const std::string& text, bool dns = true) {
  std::string error;
  auto r = parseNetRule(text, dns, &error);
  INFO(text << ": " << error);
  REQUIRE(r.has_value());
  return *r;
}

std::string ruleError(const std::string& text, bool dns = true) {
  std::string error;
  CHECK_FALSE(parseNetRule(text, dns, &error).has_value());
  return error;
}

bool allows(const std::string& text, NetProto proto, const std::string& ip, uint16_t port) {
  return ruleMatchesAddress(rule(text), proto, addr(ip, port));
}

NetworkPolicy compile(const WasiNetwork& n) {
  std::string error;
  auto p = NetworkPolicy::compile(n, &error);
  INFO(error);
  REQUIRE(p.has_value());
  return *p;
}

}  // namespace

TEST_SUITE("network_policy") {
  TEST_CASE("IPv4 CIDR rules") {
    CHECK(allows("127.0.0.0/8", NetProto::Tcp, "127.1.2.3", 80));
    CHECK_FALSE(allows("127.0.0.0/8", NetProto::Tcp, "128.0.0.1", 80));
    CHECK(allows("10.1.2.3", NetProto::Udp, "10.1.2.3", 53));
    CHECK_FALSE(allows("10.1.2.3", NetProto::Udp, "10.1.2.4", 53));
    CHECK(allows("0.0.0.0/0", NetProto::Tcp, "8.8.8.8", 1));
    CHECK(allows("192.168.0.0/23", NetProto::Tcp, "192.168.1.255", 1));
    CHECK_FALSE(allows("192.168.0.0/23", NetProto::Tcp, "192.168.2.0", 1));
    // An IPv4 rule never matches an IPv6 address.
    CHECK_FALSE(allows("0.0.0.0/0", NetProto::Tcp, "::1", 80));
  }

  TEST_CASE("IPv6 CIDR rules") {
    CHECK(allows("[::1]", NetProto::Tcp, "::1", 8080));
    CHECK(allows("[::1]/128:8080", NetProto::Tcp, "::1", 8080));
    CHECK_FALSE(allows("[::1]/128:8080", NetProto::Tcp, "::1", 8081));
    CHECK(allows("[fd00::]/8", NetProto::Udp, "fd12:3456::1", 9));
    CHECK_FALSE(allows("[fd00::]/8", NetProto::Udp, "fe80::1", 9));
    CHECK(allows("[::]/0", NetProto::Tcp, "2001:db8::1", 443));
    CHECK_FALSE(allows("[::]/0", NetProto::Tcp, "127.0.0.1", 443));
  }

  TEST_CASE("ports and port ranges") {
    CHECK(allows("127.0.0.1:1024-65535", NetProto::Tcp, "127.0.0.1", 1024));
    CHECK(allows("127.0.0.1:1024-65535", NetProto::Tcp, "127.0.0.1", 65535));
    CHECK_FALSE(allows("127.0.0.1:1024-65535", NetProto::Tcp, "127.0.0.1", 1023));
    CHECK(allows("127.0.0.1:80", NetProto::Tcp, "127.0.0.1", 80));
    CHECK_FALSE(allows("127.0.0.1:80", NetProto::Tcp, "127.0.0.1", 0));
    CHECK(allows("127.0.0.1", NetProto::Tcp, "127.0.0.1", 0));  // no port = any, 0 included
  }

  TEST_CASE("tcp: and udp: prefixes") {
    CHECK(allows("tcp:127.0.0.1:80", NetProto::Tcp, "127.0.0.1", 80));
    CHECK_FALSE(allows("tcp:127.0.0.1:80", NetProto::Udp, "127.0.0.1", 80));
    CHECK(allows("udp:[::1]:5353", NetProto::Udp, "::1", 5353));
    CHECK_FALSE(allows("udp:[::1]:5353", NetProto::Tcp, "::1", 5353));
    CHECK(allows("127.0.0.1", NetProto::Udp, "127.0.0.1", 9));
  }

  TEST_CASE("malformed rules") {
    CHECK(ruleError("127.0.0.1:80-70") == "bad port range \"80-70\" (expected LOW-HIGH, 0-65535, LOW <= HIGH)");
    CHECK(ruleError("127.0.0.1:65536").rfind("bad port \"65536\"", 0) == 0);
    CHECK(ruleError("127.0.0.1:").rfind("bad port \"\"", 0) == 0);
    CHECK(ruleError("127.0.0.1:http").rfind("bad port", 0) == 0);
    CHECK(ruleError("127.0.0.1/33").rfind("bad prefix length \"33\"", 0) == 0);
    CHECK(ruleError("[::1]/129").rfind("bad prefix length \"129\"", 0) == 0);
    CHECK(ruleError("256.0.0.1").rfind("bad IPv4 address", 0) == 0);
    CHECK(ruleError("localhost:80").rfind("bad IPv4 address", 0) == 0);
    CHECK(ruleError("::1").rfind("IPv6 address must be in brackets", 0) == 0);
    CHECK(ruleError("[::1").rfind("missing ']'", 0) == 0);
    CHECK(ruleError("[::1]x").rfind("unexpected", 0) == 0);
    CHECK(ruleError("[1.2.3.4]").rfind("bad IPv6 address", 0) == 0);
    CHECK(ruleError("sctp:127.0.0.1").rfind("bad IPv4 address", 0) == 0);
    CHECK(ruleError("") == "empty rule");
    CHECK(ruleError("tcp:") == "empty rule");
    CHECK(ruleError("dns:localhost", false) == "dns: rules are for connect only");
    CHECK(ruleError("dns:bad name").rfind("bad name pattern", 0) == 0);
    CHECK(ruleError("dns:a.*.com").rfind("bad name pattern", 0) == 0);
    CHECK(ruleError("dns:localhost:99999").rfind("bad port", 0) == 0);
  }

  TEST_CASE("resolve patterns") {
    CHECK(resolvePatternMatches("localhost", "localhost"));
    CHECK(resolvePatternMatches("localhost", "LocalHost."));
    CHECK_FALSE(resolvePatternMatches("localhost", "localhost2"));
    CHECK(resolvePatternMatches("*.example.com", "a.b.example.com"));
    CHECK_FALSE(resolvePatternMatches("*.example.com", "example.com"));
    CHECK_FALSE(resolvePatternMatches("*.example.com", "badexample.com"));
    CHECK(resolvePatternMatches("*", "anything.at.all"));
    std::string error;
    CHECK(checkResolvePattern("*", &error));
    CHECK(checkResolvePattern("*.example.com", &error));
    CHECK_FALSE(checkResolvePattern("", &error));
    CHECK_FALSE(checkResolvePattern("*example.com", &error));
    CHECK_FALSE(checkResolvePattern("a b", &error));
    CHECK_FALSE(checkResolvePattern("*.", &error));
  }

  TEST_CASE("--addr-pool entries") {
    std::string error;
    auto r = parseAddrPoolEntry("127.0.0.1/32", &error);
    REQUIRE(r);
    CHECK(ruleMatchesAddress(*r, NetProto::Tcp, addr("127.0.0.1", 1)));
    CHECK(ruleMatchesAddress(*r, NetProto::Udp, addr("127.0.0.1", 65535)));
    CHECK_FALSE(ruleMatchesAddress(*r, NetProto::Tcp, addr("127.0.0.2", 1)));
    auto v6 = parseAddrPoolEntry("::1/128", &error);
    REQUIRE(v6);
    CHECK(ruleMatchesAddress(*v6, NetProto::Tcp, addr("::1", 80)));
    // As in iwasm: the zero address means the whole family whatever the mask.
    auto any = parseAddrPoolEntry("0.0.0.0/32", &error);
    REQUIRE(any);
    CHECK(ruleMatchesAddress(*any, NetProto::Tcp, addr("1.2.3.4", 80)));
    CHECK_FALSE(parseAddrPoolEntry("127.0.0.1", &error));
    CHECK(error == "must be in the format ADDRESS/MASK");
    CHECK_FALSE(parseAddrPoolEntry("127.0.0.1:80/32", &error));
    CHECK_FALSE(parseAddrPoolEntry("localhost/32", &error));
  }

  TEST_CASE("direction: connect and bind lists are separate; the pool is both") {
    WasiNetwork n;
    n.connect = {{"127.0.0.0/8:1024-65535", "network.connect[0]"}};
    n.bind = {{"tcp:[::1]:8080", "network.bind[0]"}};
    NetworkPolicy p = compile(n);
    DnsMemory dns;
    const NetRule* r = p.connect(NetProto::Tcp, addr("127.0.0.1", 8080), dns);
    REQUIRE(r);
    CHECK(r->origin == "network.connect[0]");
    CHECK(r->text == "127.0.0.0/8:1024-65535");
    CHECK_FALSE(p.bind(NetProto::Tcp, addr("127.0.0.1", 8080)));
    CHECK(p.bind(NetProto::Tcp, addr("::1", 8080)));
    CHECK_FALSE(p.connect(NetProto::Tcp, addr("::1", 8080), dns));
    CHECK_FALSE(p.bind(NetProto::Udp, addr("::1", 8080)));

    WasiNetwork pool;
    pool.addr_pool = {{"127.0.0.1/32", "--addr-pool"}};
    NetworkPolicy q = compile(pool);
    CHECK(q.connect(NetProto::Udp, addr("127.0.0.1", 9), dns));
    CHECK(q.bind(NetProto::Tcp, addr("127.0.0.1", 0)));
    CHECK_FALSE(q.bind(NetProto::Tcp, addr("127.0.0.2", 0)));
  }

  TEST_CASE("nothing by default") {
    NetworkPolicy p = compile(WasiNetwork{});
    DnsMemory dns;
    CHECK_FALSE(p.connect(NetProto::Tcp, addr("127.0.0.1", 80), dns));
    CHECK_FALSE(p.bind(NetProto::Tcp, addr("127.0.0.1", 80)));
    CHECK_FALSE(p.resolve("localhost"));
    CHECK_FALSE(p.anyNetwork());
  }

  TEST_CASE("resolve rules") {
    WasiNetwork n;
    n.resolve = {{"localhost", "network.resolve[0]"}, {"*.example.com", "--allow-resolve"}};
    NetworkPolicy p = compile(n);
    REQUIRE(p.resolve("localhost"));
    CHECK(p.resolve("localhost")->origin == "network.resolve[0]");
    CHECK(p.resolve("www.example.com")->origin == "--allow-resolve");
    CHECK_FALSE(p.resolve("example.com"));
    CHECK_FALSE(p.resolve("example.org"));
  }

  TEST_CASE("dns: rules allow what the run resolved for a matching name") {
    WasiNetwork n;
    n.connect = {{"dns:*.example.com:443", "network.connect[0]"}, {"udp:dns:localhost", "network.connect[1]"}};
    NetworkPolicy p = compile(n);
    DnsMemory dns;
    NetAddress a = addr("192.0.2.7", 443);
    CHECK_FALSE(p.connect(NetProto::Tcp, a, dns));  // not resolved yet
    dns.learn(a, "www.example.com");
    CHECK(p.connect(NetProto::Tcp, a, dns));
    CHECK(p.connect(NetProto::Udp, a, dns));
    CHECK_FALSE(p.connect(NetProto::Tcp, addr("192.0.2.7", 80), dns));  // port outside
    CHECK_FALSE(p.connect(NetProto::Tcp, addr("192.0.2.8", 443), dns));  // other address
    NetAddress lo = addr("127.0.0.1", 9999);
    dns.learn(lo, "localhost");
    CHECK(p.connect(NetProto::Udp, lo, dns));
    CHECK_FALSE(p.connect(NetProto::Tcp, lo, dns));  // udp: only
    NetAddress other = addr("198.51.100.1", 443);
    dns.learn(other, "example.org");
    CHECK_FALSE(p.connect(NetProto::Tcp, other, dns));  // name does not match
  }

  TEST_CASE("compile errors name the origin") {
    WasiNetwork n;
    n.connect = {{"127.0.0.1", "network.connect[0]"}, {"127.0.0.1:80-70", "network.connect[1]"}};
    std::string error;
    CHECK_FALSE(NetworkPolicy::compile(n, &error));
    CHECK(error.rfind("network.connect[1]: bad port range \"80-70\"", 0) == 0);
  }

  TEST_CASE("manifest errors carry the JSON path") {
    auto err = [](const std::string& json) {
      PolicyResult r = parsePolicyText(json, ".");
      CHECK_FALSE(r.policy.has_value());
      return r.error;
    };
    CHECK(err(R"({"version":1,"network":{"connect":["127.0.0.1","::1","127.0.0.1:80-70"]}})")
              .rfind("network.connect[1]: IPv6 address must be in brackets", 0) == 0);
    CHECK(err(R"({"version":1,"network":{"connect":["127.0.0.1","[::1]","127.0.0.1:80-70"]}})")
              .rfind("network.connect[2]: bad port range \"80-70\"", 0) == 0);
    CHECK(err(R"({"version":1,"network":{"bind":["dns:localhost"]}})") ==
          "network.bind[0]: dns: rules are for connect only");
    CHECK(err(R"({"version":1,"network":{"resolve":["ok", "*bad"]}})").rfind("network.resolve[1]: bad name pattern", 0) ==
          0);
    CHECK(err(R"({"version":1,"network":{"listen":[]}})").rfind("network.listen: unknown key", 0) == 0);
    PolicyResult ok = parsePolicyText(
        R"({"version":1,"network":{"connect":["127.0.0.0/8:1024-65535","[::1]:8080","udp:127.0.0.1:5353","dns:*.example.com:443"],
            "bind":["tcp:127.0.0.1:8080","0.0.0.0/0:9000-9010"],"resolve":["localhost","*.example.com"]}})",
        ".");
    CHECK(ok.policy.has_value());
  }

  TEST_CASE("network flags") {
    WasiConfig config;
    NetworkFlags flags;
    flags.addr_pool = {"127.0.0.1/32,::1/128", "10.0.0.0/8"};
    flags.allow_resolve = {"localhost"};
    flags.trace_policy = true;
    CHECK_FALSE(applyNetworkFlags(flags, &config).has_value());
    CHECK(config.network.addr_pool.size() == 3);
    CHECK(config.network.resolve.size() == 1);
    CHECK(config.network.trace);
    // No limit of 8 entries.
    NetworkFlags many;
    for (int i = 0; i < 20; ++i) many.addr_pool.push_back("10.0.0." + std::to_string(i) + "/32");
    WasiConfig c2;
    CHECK_FALSE(applyNetworkFlags(many, &c2).has_value());
    CHECK(c2.network.addr_pool.size() == 20);

    NetworkFlags bad;
    bad.addr_pool = {"127.0.0.1"};
    auto e = applyNetworkFlags(bad, &c2);
    REQUIRE(e);
    CHECK(*e == "--addr-pool '127.0.0.1': '127.0.0.1': must be in the format ADDRESS/MASK");
    NetworkFlags bad2;
    bad2.allow_resolve = {"a b"};
    REQUIRE(applyNetworkFlags(bad2, &c2));
  }

  TEST_CASE("address formatting for traces") {
    CHECK(formatNetAddress(addr("127.0.0.1", 8080)) == "127.0.0.1:8080");
    CHECK(formatNetAddress(addr("::1", 80)) == "[::1]:80");
  }
}
