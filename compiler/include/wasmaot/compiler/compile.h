// The compiler's public entry point: .wasm bytes in, a loadable .so out.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace wasmaot::compiler {

struct CompileOptions {
  unsigned opt_level = 2;  // 0..3, as -O0..-O3
  unsigned threads = 0;    // 0 = all cores
  bool native_cpu = false; // tune for and require the host CPU's features (default: portable x86-64)
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

// Decode and validate only (no code generation).
std::optional<CompileFailure> validateWasm(std::span<const uint8_t> wasm);

}  // namespace wasmaot::compiler
