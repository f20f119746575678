// Module-level code generation: turns a decoded, module-validated wasm module
// into relocatable ELF objects in memory, ready for the linker.
//
// The defined functions are split into partitions balanced by body size;
// each partition is validated, emitted, optimised and compiled on its own
// thread with its own LLVMContext. A separate "glue" object holds the
// exported descriptor (abi/descriptor.h), the per-type entry trampolines and
// host adapters; every other symbol is hidden or internal.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wasmaot/compiler/compile.h"
#include "wasmaot/compiler/decoded_module.h"

namespace wasmaot::compiler {

struct CodegenOptions {
  unsigned opt_level = 2;     // 0..3
  unsigned threads = 0;       // 0 = std::thread::hardware_concurrency()
  std::string target_cpu = "native";  // "native", "portable" or an LLVM CPU name
  bool bounds_checks = false; // explicit linear-memory bounds checks
  bool exact_trap_state = false;  // see CompileOptions::exact_trap_state
  CompileProgress* progress = nullptr;  // see CompileOptions::progress
};

struct ObjectCode {
  std::string name;  // a file name for the object, e.g. "part0.o"
  std::vector<char> bytes;
};

// Throws CompileError if a function body is invalid (the one with the
// smallest offset, whatever the thread count) and std::runtime_error for
// failures inside code generation.
std::vector<ObjectCode> generateObjects(const DecodedModule& module,
                                        std::span<const uint8_t> wasm_bytes,
                                        const CodegenOptions& options);

// nullopt if `target_cpu` is "native", "portable" or a CPU name LLVM knows
// for this host's architecture; otherwise one line saying what is wrong.
std::optional<std::string> checkCodegenTargetCpu(const std::string& target_cpu);

// Registers LLVM's native target, asm printer and parser; safe to call from
// any thread, any number of times.
void initializeNativeTargetOnce();

}  // namespace wasmaot::compiler
