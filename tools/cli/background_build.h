// `wasmaot run`'s quick start (docs/STARTUP.md, "First run"): on a cache
// miss the module runs at once from a fast -O0 build while the optimised
// build it asked for is made for the cache by a detached background
// process; later runs find the optimised entry. While that build runs, a
// copy of the module's bytes sits next to the entry as `<entry>.pending.wasm`:
// it is what the background process compiles (the .wasm the user named may
// change meanwhile, the hash must match what is compiled), and its presence
// tells other runs that a build is under way.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace wasmaot::cli {

struct OptimizedBuild {
  std::string entry;  // the cache entry to make
  unsigned opt_level = 2;
  std::string target_cpu = "native";
  bool exact_trap_state = false;
};

// The bytes the background build of `entry` compiles.
std::string pendingSourcePath(const std::string& entry);

// True while a background build of `entry` is under way: its pending source
// exists and is younger than an hour (an older one was left by a build that
// died, and may be replaced).
bool optimizedBuildPending(const std::string& entry);

// Writes `wasm` to the pending source and starts `wasmaot
// __background-compile` from this executable, detached from the terminal's
// session, with its output discarded. Waits only for the launcher process
// (it forks the compiler and exits at once). False if a build is under way
// already or none could be started; the run goes on either way.
bool startOptimizedBuild(std::span<const uint8_t> wasm, const OptimizedBuild& build);

}  // namespace wasmaot::cli
