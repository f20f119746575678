// The WASI preview 1 host's configuration: what the guest sees (arguments,
// environment, preopened directories) and what it may use (limits). Build it
// by hand or from a policy manifest plus command-line flags (policy.h), then
// hand it to Imports::enableWasi().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wasmaot::runtime {

// A host directory the guest may use under the name `guest`. Paths resolve
// inside it only (see docs/WASI.md). A read-only preopen refuses every change
// (create, write, truncate, rename, unlink, link, symlink, mkdir, rmdir,
// set times) with EROFS.
struct WasiPreopen {
  std::string host;
  std::string guest;
  bool readonly = false;
};

struct WasiLimits {
  // Upper bound for the instance's linear memory, in 64 KiB pages:
  // memory.grow past it returns -1. Unset = the wasm32 maximum (65536).
  std::optional<uint64_t> memory_pages;
  // Most guest file descriptors open at once (stdio and preopens included);
  // opening one more gives the guest EMFILE.
  uint32_t open_fds = 1024;
  // wasi-threads: threads running at once, the main one included (more
  // thread-spawns fail), and each spawned thread's native stack in bytes.
  uint32_t threads = 64;
  uint64_t thread_stack_bytes = 8u << 20;
};
// Bounds for those two (the manifest and --max-threads are checked against them).
constexpr uint32_t kMaxGuestThreads = 4096;
constexpr uint64_t kMinThreadStack = 64u << 10;
constexpr uint64_t kMaxThreadStack = 1u << 30;

// Network capabilities (docs/SOCKETS.md). Nothing by default. Rules are
// kept as written, with where they came from, and compiled when the instance
// is created; checkWasiConfig() reports a bad one naming its origin.
struct WasiNetRule {
  std::string rule;    // "[tcp:|udp:]ADDR[/PREFIX][:PORT[-PORT]]", "dns:PATTERN[:PORTS]", or a name pattern
  std::string origin;  // "network.connect[0]", "--allow-resolve", ...
};
// A listening TCP socket the host opens before the guest starts and hands
// it as a file descriptor after the preopened directories (wasmtime's
// `--tcplisten`): "IPv4:PORT" or "[IPv6]:PORT".
struct WasiListener {
  std::string address;
  std::string origin;  // "--tcplisten", "network.tcplisten[0]"
};
struct WasiNetwork {
  std::vector<WasiNetRule> connect;  // TCP connect, UDP connect and send_to
  std::vector<WasiNetRule> bind;     // bind (listen and accept follow from it)
  std::vector<WasiNetRule> resolve;  // names for sock_addr_resolve: "name", "*.suffix", "*"
  std::vector<WasiNetRule> addr_pool;  // iwasm's ADDR/MASK: connect and bind, any port
  bool trace = false;  // print each decision and the rule that made it on stderr
  // Pre-opened listeners, guest fds after the preopens in this order. They
  // are the operator's grant: their address needs no bind rule.
  std::vector<WasiListener> tcplisten;
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] first
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<WasiPreopen> preopens;  // guest fds 3, 4, … in this order
  WasiLimits limits;
  WasiNetwork network;
  // Host descriptors behind the guest's fds 0, 1, 2 (never closed by the host).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
};

// Checks what can be checked before instantiation (every preopen's host
// directory exists and is a directory, guest names are non-empty, every
// network rule parses). Returns
// one line naming the offending entry, or nullopt.
std::optional<std::string> checkWasiConfig(const WasiConfig& config);

}  // namespace wasmaot::runtime
