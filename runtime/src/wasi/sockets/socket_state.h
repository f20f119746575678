// Per-instance network state: the compiled policy, the names this run
// resolved (for dns: connect rules), and --trace-policy output. Every
// policy decision of the socket calls goes through here, so each one can be
// traced with the rule that made it.
#pragma once

#include <sys/socket.h>

#include <string>

#include "wasi/network_policy.h"

namespace wasmaot::runtime::wasi::sockets {

struct NetState {
  NetworkPolicy policy;
  DnsMemory dns;
  bool trace = false;

  // kSuccess or kAcces. `op` names the call in the trace ("connect",
  // "send_to", "bind", "listen").
  int32_t checkConnect(const char* op, NetProto proto, const sockaddr* to);
  int32_t checkBind(const char* op, NetProto proto, const sockaddr* at);
  // Numeric hosts need no rule (no lookup happens); names need a resolve rule.
  int32_t checkResolve(const std::string& host, bool numeric);
};

}  // namespace wasmaot::runtime::wasi::sockets
