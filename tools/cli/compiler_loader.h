// Finds and loads the compiler library (abi/compiler_library.h) on first
// use, so that `wasmaot` maps LLVM only when it really compiles or decodes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "run_command.h"

namespace wasmaot::cli {

// Where the library is looked for: $WASMAOT_COMPILER_LIBRARY if set, else
// ../lib/wasmaot/libwasmaot-compiler.so relative to the running executable.
std::string compilerLibraryPath();

// The compile callback of `wasmaot run` and the body of `wasmaot compile`:
// nullopt on success, else the one-line message to print.
std::optional<std::string> compileThroughLibrary(const CompileRequest& request);

// nullopt if `target_cpu` can be compiled for; else one line saying why.
std::optional<std::string> checkTargetCpuThroughLibrary(const std::string& target_cpu);

// Decodes a .wasm. On success returns the abi::encodeModuleInfo() bytes; on
// failure nullopt and *error is the one-line message ("offset 0xNN: ..."
// when the input is at fault), *input_at_fault says whether it is.
std::optional<std::vector<uint8_t>> describeThroughLibrary(std::span<const uint8_t> wasm, std::string* error,
                                                           bool* input_at_fault);

}  // namespace wasmaot::cli
