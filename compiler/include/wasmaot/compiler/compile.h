// The compiler's public entry point: .wasm bytes in, a loadable .so out.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "wasmaot/abi/compiler_library.h"

namespace wasmaot::compiler {

// The progress counters (abi/compiler_library.h), advanced atomically.
using CompileProgress = WasmaotCompileProgress;

struct CompileOptions {
  unsigned opt_level = 2;  // 0..3, as -O0..-O3
  unsigned threads = 0;    // 0 = all cores
  // Which CPU to generate code for: "native" (the host CPU and all its
  // features; the default), "portable" (the x86-64 baseline, SSE2) or an LLVM
  // CPU name ("x86-64-v3", "znver3", ...). The .so records the CPU and the
  // features it needs; the loader refuses it on a CPU that lacks them.
  std::string target_cpu = "native";
  // Every out-of-bounds access traps either way. With this set, the memory a
  // trap leaves behind is also exactly the spec's (every store before the
  // trap, none after) inside loops the vectorizers would otherwise widen:
  // loops that store to linear memory stay scalar (docs/HARDENING.md).
  bool exact_trap_state = false;
  // Advanced as the compile goes, if set (a progress display reads it).
  CompileProgress* progress = nullptr;
};

struct CompileFailure {
  size_t offset = 0;  // byte offset in the .wasm, when the input is at fault
  bool has_offset = false;
  std::string message;
};

// Decodes, validates, generates code for every function in parallel, and
// links a shared object at output_path. The file appears only if everything
// succeeded (it is written to a temporary name and renamed).
std::optional<CompileFailure> compileToSharedObject(std::span<const uint8_t> wasm,
                                                    const CompileOptions& options,
                                                    const std::string& output_path);

// nullopt if `target_cpu` is usable for CompileOptions::target_cpu here;
// otherwise one line saying what is wrong.
std::optional<std::string> checkTargetCpu(const std::string& target_cpu);

// Decode and validate only (no code generation).
std::optional<CompileFailure> validateWasm(std::span<const uint8_t> wasm);

}  // namespace wasmaot::compiler
