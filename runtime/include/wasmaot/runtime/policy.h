// The capability policy manifest (JSON) and the command-line flags that add
// to it. Schema (docs/WASI.md has the full description):
//
//   { "version": 1,
//     "filesystem": { "preopens": [ {"host": "./data", "guest": "/data", "readonly": true} ] },
//     "env":        { "inherit": false, "set": { "LOG": "1" } },
//     "limits":     { "memory_pages": 16384, "open_fds": 1024 },
//     "network":    { "connect": [..], "bind": [..], "resolve": [..] } }
//
// Unknown keys and bad values are refused with the JSON path of the field,
// e.g. "filesystem.preopens[1].host: no such directory" or
// `network.connect[2]: bad port range "80-70"` (rule syntax: docs/SOCKETS.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasmaot/runtime/wasi.h"

namespace wasmaot::runtime {

struct Policy {
  int version = 1;
  std::vector<WasiPreopen> preopens;  // host paths already made absolute
  bool env_inherit = false;
  std::vector<std::pair<std::string, std::string>> env_set;  // in manifest order
  std::optional<uint64_t> memory_pages;
  std::optional<uint32_t> open_fds;
  std::optional<uint32_t> threads;       // limits.threads
  std::optional<uint64_t> thread_stack;  // limits.thread_stack, bytes
  struct Network {
    std::vector<std::string> connect, bind, resolve;  // rules as written, each checked
    std::vector<std::string> tcplisten;                // pre-opened listeners, "ADDR:PORT"
  } network;
};

// Either a policy or one line of error ("FILE: PATH: what is wrong").
struct PolicyResult {
  std::optional<Policy> policy;
  std::string error;
};

// Parses a manifest. Relative host paths are taken relative to `base_dir`
// (parsePolicyFile passes the manifest's own directory).
PolicyResult parsePolicyText(std::string_view json_text, const std::string& base_dir);
PolicyResult parsePolicyFile(const std::string& path);

// `--dir HOST[::GUEST]`: GUEST defaults to HOST. Errors name the flag.
std::optional<WasiPreopen> parseDirFlag(const std::string& spelling, std::string* error);

// Builds the WASI configuration for `run`: the manifest (if any) first, then
// the flags add to it (`--dir` preopens after the manifest's, `--env K=V`
// overriding the manifest's values). `args` is the guest's argv. Checks the
// preopen directories. On failure returns one line for stderr (exit 2).
std::optional<std::string> buildWasiConfig(const std::optional<std::string>& policy_file,
                                           const std::vector<std::string>& dir_flags,
                                           const std::vector<std::string>& env_flags,
                                           std::vector<std::string> args, WasiConfig* out);

// Applies an already parsed policy and flags (what buildWasiConfig does after
// parsing the file). `host_environ` is used when the policy inherits the
// environment (null: the process's own).
std::optional<std::string> applyPolicy(const Policy& policy, const std::vector<std::string>& dir_flags,
                                       const std::vector<std::string>& env_flags, std::vector<std::string> args,
                                       WasiConfig* out, char** host_environ = nullptr);

// The network flags of `run`, as iwasm spells them where it has them:
// --addr-pool=ADDR/MASK[,ADDR/MASK...] (repeatable, no limit; each entry
// allows connect and bind on any port), --allow-resolve=PATTERN (repeatable),
// --trace-policy; and wasmtime's --tcplisten=ADDR:PORT (repeatable).
struct NetworkFlags {
  std::vector<std::string> addr_pool;
  std::vector<std::string> allow_resolve;
  bool trace_policy = false;
  std::vector<std::string> tcplisten;
};

// Adds the flags to `config` (after applyPolicy). On a bad entry returns one
// line naming the flag (exit 2).
std::optional<std::string> applyNetworkFlags(const NetworkFlags& flags, WasiConfig* config);

}  // namespace wasmaot::runtime
