// libFuzzer target (d): the network rule parser and matcher. The input is
// "RULE\0NAME\0ADDRESS-BYTES": the rule is parsed in every mode, and when it
// parses, matched against the address and the name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "wasi/network_policy.h"

using namespace wasmaot::runtime::wasi;

namespace {

void checkRule(const NetRule& rule) {
  if (rule.port_lo > rule.port_hi) std::abort();
  if (!rule.dns && rule.prefix > (rule.v6 ? 128u : 32u)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t z1 = all.find('\0');
  std::string_view rule_text = all.substr(0, z1);
  std::string_view rest = z1 == std::string_view::npos ? std::string_view{} : all.substr(z1 + 1);
  size_t z2 = rest.find('\0');
  std::string_view name = rest.substr(0, z2);
  std::string_view addr_bytes = z2 == std::string_view::npos ? std::string_view{} : rest.substr(z2 + 1);

  NetAddress address;
  if (!addr_bytes.empty()) {
    address.v6 = addr_bytes[0] & 1;
    size_t n = addr_bytes.size() - 1 < 18 ? addr_bytes.size() - 1 : 18;
    uint8_t raw[18] = {};
    std::memcpy(raw, addr_bytes.data() + 1, n);
    std::memcpy(address.bytes.data(), raw, 16);
    address.port = static_cast<uint16_t>(raw[16] | (raw[17] << 8));
  }
  (void)formatNetAddress(address);

  for (bool allow_dns : {false, true}) {
    std::string error;
    std::optional<NetRule> rule = parseNetRule(rule_text, allow_dns, &error);
    if (!rule) {
      if (error.empty()) std::abort();  // refusals say why
      continue;
    }
    if (rule->dns && !allow_dns) std::abort();
    checkRule(*rule);
    for (NetProto proto : {NetProto::Any, NetProto::Tcp, NetProto::Udp}) (void)ruleMatchesAddress(*rule, proto, address);
    if (rule->dns) (void)resolvePatternMatches(rule->pattern, name);
  }
  std::string error;
  if (std::optional<NetRule> pool = parseAddrPoolEntry(rule_text, &error)) {
    checkRule(*pool);
    (void)ruleMatchesAddress(*pool, NetProto::Tcp, address);
  } else if (error.empty()) {
    std::abort();
  }
  if (checkResolvePattern(rule_text, &error)) (void)resolvePatternMatches(rule_text, name);
  (void)resolvePatternMatches(name, rule_text);

  // Through the policy compiler too: the rule as a connect, bind and resolve entry.
  wasmaot::runtime::WasiNetwork config;
  std::string rule_string(rule_text);
  config.connect.push_back({rule_string, "connect"});
  config.bind.push_back({rule_string, "bind"});
  config.resolve.push_back({rule_string, "resolve"});
  if (std::optional<NetworkPolicy> policy = NetworkPolicy::compile(config, &error)) {
    DnsMemory dns;
    dns.learn(address, std::string(name));
    (void)policy->connect(NetProto::Tcp, address, dns);
    (void)policy->bind(NetProto::Udp, address);
    (void)policy->resolve(name);
  }
  return 0;
}
