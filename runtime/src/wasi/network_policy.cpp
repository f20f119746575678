// Network policy rules: parsing (policy syntax and iwasm's --addr-pool),
// name patterns, and matching (see network_policy.h).
#include "wasi/network_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace wasmaot::runtime::wasi {
namespace {

std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

bool parseDecimal(std::string_view s, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max) return false;
  *out = v;
  return true;
}

bool parsePorts(std::string_view s, NetRule* r, std::string* error) {
  size_t dash = s.find('-');
  unsigned lo = 0, hi = 0;
  if (dash == std::string_view::npos) {
    if (!parseDecimal(s, 65535, &lo)) {
      *error = "bad port " + quoted(s) + " (expected 0-65535)";
      return false;
    }
    hi = lo;
  } else {
    if (!parseDecimal(s.substr(0, dash), 65535, &lo) || !parseDecimal(s.substr(dash + 1), 65535, &hi) || lo > hi) {
      *error = "bad port range " + quoted(s) + " (expected LOW-HIGH, 0-65535, LOW <= HIGH)";
      return false;
    }
  }
  r->port_lo = static_cast<uint16_t>(lo);
  r->port_hi = static_cast<uint16_t>(hi);
  return true;
}

// ADDR[/PREFIX] with ADDR of the given family (v6 without brackets).
bool parseAddrPrefix(std::string_view s, bool v6, NetRule* r, std::string* error) {
  size_t slash = s.find('/');
  std::string addr(s.substr(0, slash));
  if (inet_pton(v6 ? AF_INET6 : AF_INET, addr.c_str(), r->addr.data()) != 1) {
    *error = std::string("bad ") + (v6 ? "IPv6" : "IPv4") + " address " + quoted(addr);
    return false;
  }
  r->v6 = v6;
  unsigned max = v6 ? 128 : 32;
  r->prefix = max;
  if (slash != std::string_view::npos && !parseDecimal(s.substr(slash + 1), max, &r->prefix)) {
    *error = "bad prefix length " + quoted(s.substr(slash + 1)) + " (expected 0-" + std::to_string(max) + ")";
    return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

bool checkResolvePattern(std::string_view p, std::string* error) {
  if (p.empty()) {
    *error = "empty name pattern";
    return false;
  }
  if (p == "*") return true;
  std::string_view body = p;
  if (p.rfind("*.", 0) == 0) body = p.substr(2);
  bool ok = !body.empty();
  for (char c : body) {
    ok &= std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  }
  if (!ok) {
    *error = "bad name pattern " + quoted(p) + " (expected NAME, *.SUFFIX or *)";
    return false;
  }
  return true;
}

bool resolvePatternMatches(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string n = lower(name);
  if (pattern.rfind("*.", 0) == 0) {
    std::string suffix = lower(pattern.substr(1));  // ".example.com"
    return n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
  }
  return n == lower(pattern);
}

std::optional<NetRule> parseNetRule(std::string_view text, bool allow_dns, std::string* error) {
  NetRule r;
  r.text = std::string(text);
  std::string_view s = text;
  if (s.rfind("tcp:", 0) == 0) {
    r.proto = NetProto::Tcp;
    s.remove_prefix(4);
  } else if (s.rfind("udp:", 0) == 0) {
    r.proto = NetProto::Udp;
    s.remove_prefix(4);
  }
  if (s.empty()) {
    *error = "empty rule";
    return std::nullopt;
  }
  std::string_view ports;
  bool has_ports = false;
  if (s.rfind("dns:", 0) == 0) {
    if (!allow_dns) {
      *error = "dns: rules are for connect only";
      return std::nullopt;
    }
    s.remove_prefix(4);
    size_t colon = s.find(':');
    r.dns = true;
    r.pattern = std::string(s.substr(0, colon));
    if (!checkResolvePattern(r.pattern, error)) return std::nullopt;
    if (colon != std::string_view::npos) {
      has_ports = true;
      ports = s.substr(colon + 1);
    }
  } else if (s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) {
      *error = "missing ']' after IPv6 address in " + quoted(text);
      return std::nullopt;
    }
    std::string addr(s.substr(1, close - 1));
    std::string_view rest = s.substr(close + 1);
    std::string_view prefix;
    if (!rest.empty() && rest.front() == '/') {
      size_t colon = rest.find(':');
      prefix = rest.substr(0, colon);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon);
    }
    if (!rest.empty()) {
      if (rest.front() != ':') {
        *error = "unexpected " + quoted(rest) + " after IPv6 address (expected [ADDR]/PREFIX:PORT)";
        return std::nullopt;
      }
      has_ports = true;
      ports = rest.substr(1);
    }
    if (!parseAddrPrefix(addr + std::string(prefix), true, &r, error)) return std::nullopt;
  } else {
    if (std::count(s.begin(), s.end(), ':') > 1) {
      *error = "IPv6 address must be in brackets in " + quoted(text) + " (e.g. \"[::1]:8080\")";
      return std::nullopt;
    }
    size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      has_ports = true;
      ports = s.substr(colon + 1);
    }
    if (!parseAddrPrefix(s.substr(0, colon), false, &r, error)) return std::nullopt;
  }
  if (has_ports && !parsePorts(ports, &r, error)) return std::nullopt;
  return r;
}

std::optional<NetRule> parseAddrPoolEntry(std::string_view text, std::string* error) {
  NetRule r;
  r.text = std::string(text);
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) {
    *error = "must be in the format ADDRESS/MASK";
    return std::nullopt;
  }
  bool v6 = text.substr(0, slash).find(':') != std::string_view::npos;
  if (!parseAddrPrefix(text, v6, &r, error)) return std::nullopt;
  // As in iwasm: the all-zero address means the whole family, whatever the mask.
  if (std::all_of(r.addr.begin(), r.addr.end(), [](uint8_t b) { return b == 0; })) r.prefix = 0;
  return r;
}

bool ruleMatchesAddress(const NetRule& rule, NetProto proto, const NetAddress& a) {
  if (rule.proto != NetProto::Any && rule.proto != proto) return false;
  if (a.port < rule.port_lo || a.port > rule.port_hi) return false;
  if (rule.dns || rule.v6 != a.v6) return false;
  unsigned full = rule.prefix / 8, rest = rule.prefix % 8;
  if (std::memcmp(rule.addr.data(), a.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (rule.addr[full] & mask) == (a.bytes[full] & mask);
}

std::string formatNetAddress(const NetAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf);
  std::string out;
  if (a.v6) out.push_back('[');
  out.append(buf);
  if (a.v6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(a.port));
  return out;
}

void DnsMemory::learn(const NetAddress& a, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto& names = names_[{a.v6, a.bytes}];
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

bool DnsMemory::anyNameMatches(const NetAddress& a, std::string_view pattern) const {
  std::lock_guard lock(mutex_);
  auto it = names_.find({a.v6, a.bytes});
  if (it == names_.end()) return false;
  for (const std::string& n : it->second) {
    if (resolvePatternMatches(pattern, n)) return true;
  }
  return false;
}

std::optional<NetworkPolicy> NetworkPolicy::compile(const WasiNetwork& config, std::string* error) {
  NetworkPolicy p;
  auto fail = [&](const WasiNetRule& r, const std::string& what) {
    *error = r.origin + ": " + what;
    return std::nullopt;
  };
  std::string why;
  for (const WasiNetRule& r : config.addr_pool) {
    auto rule = parseAddrPoolEntry(r.rule, &why);
    if (!rule) return fail(r, why + " in " + quoted(r.rule));
    rule->origin = r.origin;
    p.connect_.push_back(*rule);
    p.bind_.push_back(std::move(*rule));
  }
  for (const WasiNetRule& r : config.connect) {
    auto rule = parseNetRule(r.rule, true, &why);
    if (!rule) return fail(r, why);
    rule->origin = r.origin;
    p.connect_.push_back(std::move(*rule));
  }
  for (const WasiNetRule& r : config.bind) {
    auto rule = parseNetRule(r.rule, false, &why);
    if (!rule) return fail(r, why);
    rule->origin = r.origin;
    p.bind_.push_back(std::move(*rule));
  }
  for (const WasiNetRule& r : config.resolve) {
    if (!checkResolvePattern(r.rule, &why)) return fail(r, why);
    p.resolve_.push_back({r.rule, r.origin});
  }
  return p;
}

const NetRule* NetworkPolicy::connect(NetProto proto, const NetAddress& a, const DnsMemory& dns) const {
  for (const NetRule& r : connect_) {
    if (!r.dns) {
      if (ruleMatchesAddress(r, proto, a)) return &r;
      continue;
    }
    if (r.proto != NetProto::Any && r.proto != proto) continue;
    if (a.port < r.port_lo || a.port > r.port_hi) continue;
    if (dns.anyNameMatches(a, r.pattern)) return &r;
  }
  return nullptr;
}

const NetRule* NetworkPolicy::bind(NetProto proto, const NetAddress& a) const {
  for (const NetRule& r : bind_) {
    if (ruleMatchesAddress(r, proto, a)) return &r;
  }
  return nullptr;
}

const ResolveRule* NetworkPolicy::resolve(std::string_view name) const {
  for (const ResolveRule& r : resolve_) {
    if (resolvePatternMatches(r.pattern, name)) return &r;
  }
  return nullptr;
}

bool parseListenAddress(std::string_view text, struct sockaddr_storage* out, std::string* error) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == text.size()) {
    *error = "expected ADDR:PORT (IPv6 as [ADDR]:PORT)";
    return false;
  }
  std::string host(text.substr(0, colon));
  const std::string port_text(text.substr(colon + 1));
  const bool v6 = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (v6) host = host.substr(1, host.size() - 2);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      std::stoul(port_text) > 65535) {
    *error = "bad port '" + port_text + "'";
    return false;
  }
  struct sockaddr_storage address {};
  const uint16_t port = htons(static_cast<uint16_t>(std::stoul(port_text)));
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&address);
    a->sin6_family = AF_INET6;
    a->sin6_port = port;
    if (inet_pton(AF_INET6, host.c_str(), &a->sin6_addr) != 1) {
      *error = "bad IPv6 address '" + host + "'";
      return false;
    }
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&address);
    a->sin_family = AF_INET;
    a->sin_port = port;
    if (inet_pton(AF_INET, host.c_str(), &a->sin_addr) != 1) {
      *error = "bad IPv4 address '" + host + "' (write IPv6 as [ADDR]:PORT)";
      return false;
    }
  }
  if (out) *out = address;
  return true;
}

}  // namespace wasmaot::runtime::wasi
