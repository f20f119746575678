// The contract between the `wasmaot` CLI and the compiler library
// (libwasmaot-compiler.so), which `wasmaot` loads with dlopen() only when it
// must compile or decode a .wasm. Running a .so or a cached .wasm therefore
// never maps LLVM or LLD.
//
// Plain C types only: the CLI links libstdc++ statically (for start-up
// speed) while the library uses the shared one that libLLVM needs, so no C++
// object may cross this boundary. Strings the library returns are allocated
// with malloc() and freed by the caller with free().
#pragma once

#include <stddef.h>
#include <stdint.h>

extern "C" {

// Bumped whenever a struct below or a function's meaning changes.
constexpr uint32_t kCompilerLibraryInterface = 2;

// The one symbol the library exports.
constexpr const char* kCompilerLibraryEntry = "wasmaot_compiler_library";

// How far a compile is: functions translated to LLVM IR, through the
// optimiser, and turned into machine code, each out of `total`. The
// compiler's threads advance the counters with atomic adds while it runs;
// another thread may read them (atomically) to show progress.
struct WasmaotCompileProgress {
  uint32_t total;
  uint32_t translated;
  uint32_t optimised;
  uint32_t emitted;
};

struct WasmaotCompileOptions {
  unsigned opt_level;       // 0..3
  unsigned threads;         // 0 = all cores
  const char* target_cpu;   // "native", "portable" or an LLVM CPU name
  int exact_trap_state;     // CompileOptions::exact_trap_state
  WasmaotCompileProgress* progress;  // may be null
};

// What went wrong: a one-line message, and the byte offset in the .wasm when
// the input is at fault.
struct WasmaotFailure {
  char* message;  // malloc'd; null on success
  size_t offset;
  int has_offset;
};

struct WasmaotCompilerLibrary {
  uint32_t interface_version;  // kCompilerLibraryInterface
  const char* build_id;        // abi::kBuildId of the build the library came from

  // Each returns 0 on success; otherwise non-zero with *failure filled in.
  int (*compile)(const uint8_t* wasm, size_t size, const WasmaotCompileOptions* options,
                 const char* output_path, WasmaotFailure* failure);
  int (*check_target_cpu)(const char* target_cpu, WasmaotFailure* failure);
  // Decodes and validates; on success *info (malloc'd, *info_size bytes) is
  // the module's abi::encodeModuleInfo() encoding.
  int (*describe)(const uint8_t* wasm, size_t size, uint8_t** info, size_t* info_size,
                  WasmaotFailure* failure);
};

using WasmaotCompilerLibraryEntry = const WasmaotCompilerLibrary* (*)();

}  // extern "C"
