// Policy decisions for the socket calls, with --trace-policy lines such as
//   policy: connect tcp 127.0.0.1:8080 allowed by network.connect[0] "127.0.0.0/8:1024-65535"
//   policy: bind udp [::1]:0 denied: no rule in network.bind or --addr-pool matches
#include "wasi/sockets/socket_state.h"

#include <cstdio>

#include "wasi/sockets/socket_address.h"
#include "wasi/wasi_layouts.h"

namespace wasmaot::runtime::wasi::sockets {
namespace {

const char* protoName(NetProto p) { return p == NetProto::Udp ? "udp" : "tcp"; }

void traceLine(const std::string& what, const std::string* origin, const std::string* text,
               const char* denied_hint) {
  if (origin) {
    std::fprintf(stderr, "policy: %s allowed by %s \"%s\"\n", what.c_str(), origin->c_str(), text->c_str());
  } else {
    std::fprintf(stderr, "policy: %s denied: %s\n", what.c_str(), denied_hint);
  }
}

}  // namespace

int32_t NetState::checkConnect(const char* op, NetProto proto, const sockaddr* to) {
  NetAddress a = netAddressOf(to);
  const NetRule* rule = policy.connect(proto, a, dns);
  if (trace) {
    traceLine(std::string(op) + " " + protoName(proto) + " " + formatNetAddress(a), rule ? &rule->origin : nullptr,
              rule ? &rule->text : nullptr, "no rule in network.connect or --addr-pool matches");
  }
  return rule ? kSuccess : kAcces;
}

int32_t NetState::checkBind(const char* op, NetProto proto, const sockaddr* at) {
  NetAddress a = netAddressOf(at);
  const NetRule* rule = policy.bind(proto, a);
  if (trace) {
    traceLine(std::string(op) + " " + protoName(proto) + " " + formatNetAddress(a), rule ? &rule->origin : nullptr,
              rule ? &rule->text : nullptr, "no rule in network.bind or --addr-pool matches");
  }
  return rule ? kSuccess : kAcces;
}

int32_t NetState::checkResolve(const std::string& host, bool numeric) {
  if (numeric) {
    if (trace) std::fprintf(stderr, "policy: resolve \"%s\" allowed: numeric address, no lookup\n", host.c_str());
    return kSuccess;
  }
  const ResolveRule* rule = policy.resolve(host);
  if (trace) {
    traceLine("resolve \"" + host + "\"", rule ? &rule->origin : nullptr, rule ? &rule->pattern : nullptr,
              "no rule in network.resolve or --allow-resolve matches");
  }
  return rule ? kSuccess : kAcces;
}

}  // namespace wasmaot::runtime::wasi::sockets
