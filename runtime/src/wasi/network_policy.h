// The network part of the capability policy: the rule parser and the matcher
// (pure code, no sockets). No network by default; a call is allowed when a
// rule of its direction matches, and the rule that did it can be traced.
//
//   rule     [tcp:|udp:]ADDR[/PREFIX][:PORT[-PORT]]   (IPv6 in brackets:
//            "[::1]/128:8080"; no prefix = the one address; no port = any)
//   dns rule [tcp:|udp:]dns:PATTERN[:PORT[-PORT]]     (connect only: addresses
//            the runtime itself resolved, in this run, for a matching name)
//   pattern  "name" (exact), "*.suffix" (any name under suffix), "*"
//   pool     ADDR/MASK as iwasm's --addr-pool spells it: both directions, any
//            port, any protocol; 0.0.0.0/x and ::/x mean the whole family
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are matched as the IPv4
// address they carry, so an IPv6 socket cannot reach IPv4 past the rules.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasmaot/runtime/wasi.h"

namespace wasmaot::runtime::wasi {

// An endpoint: IPv4 in bytes[0..3] (network order) or IPv6 in bytes[0..15].
struct NetAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  uint16_t port = 0;
};

enum class NetProto : uint8_t { Any, Tcp, Udp };

struct NetRule {
  std::string text;    // as written
  std::string origin;  // "network.connect[0]", "--addr-pool", ...
  NetProto proto = NetProto::Any;
  bool dns = false;     // a dns: rule: `pattern` instead of an address range
  std::string pattern;
  bool v6 = false;
  std::array<uint8_t, 16> addr{};
  unsigned prefix = 0;
  uint16_t port_lo = 0, port_hi = 65535;
};

struct ResolveRule {
  std::string pattern, origin;
};

// Rule syntax. On failure *error says what is wrong with the text
// (`bad port range "80-70"`), without the JSON path or flag name.
std::optional<NetRule> parseNetRule(std::string_view text, bool allow_dns, std::string* error);
std::optional<NetRule> parseAddrPoolEntry(std::string_view text, std::string* error);
bool checkResolvePattern(std::string_view pattern, std::string* error);
// A listener address "IPv4:PORT" or "[IPv6]:PORT" (port 0..65535, 0 = any
// free port). Fills *out (if not null) and returns true, or sets *error.
bool parseListenAddress(std::string_view text, struct sockaddr_storage* out, std::string* error);

// Matching (case-insensitive for names; one trailing dot of a name ignored).
bool resolvePatternMatches(std::string_view pattern, std::string_view name);
bool ruleMatchesAddress(const NetRule& rule, NetProto proto, const NetAddress& a);

// "127.0.0.1:80", "[::1]:80".
std::string formatNetAddress(const NetAddress& a);

// The names this run resolved, by address (port ignored), for dns: rules.
// Guest threads resolve and connect concurrently: guarded by a mutex.
class DnsMemory {
 public:
  void learn(const NetAddress& a, const std::string& name);
  // Whether a name resolved to `a` matches a dns: rule's pattern.
  bool anyNameMatches(const NetAddress& a, std::string_view pattern) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<bool, std::array<uint8_t, 16>>, std::vector<std::string>> names_;
};

class NetworkPolicy {
 public:
  // Compiles the configuration's rules; nullopt with *error naming the rule's
  // origin ("network.connect[2]: bad port range \"80-70\"").
  static std::optional<NetworkPolicy> compile(const WasiNetwork& config, std::string* error);

  // The rule that allows the call, or null (denied).
  const NetRule* connect(NetProto proto, const NetAddress& a, const DnsMemory& dns) const;
  const NetRule* bind(NetProto proto, const NetAddress& a) const;
  const ResolveRule* resolve(std::string_view name) const;
  bool anyNetwork() const { return !connect_.empty() || !bind_.empty(); }

 private:
  std::vector<NetRule> connect_, bind_;
  std::vector<ResolveRule> resolve_;
};

}  // namespace wasmaot::runtime::wasi
