// The compiled-module descriptor: the single symbol a compiled .so exports.
// The loader finds it with dlsym(kDescriptorSymbol), checks magic, ABI
// version and compiler build id, then decodes module_info.
#pragma once

#include <cstdint>

#include "wasmaot/abi/vm_context.h"

namespace wasmaot::abi {

// Bump whenever VMContext, RuntimeFunctions, the descriptor or the
// ModuleInfo encoding changes.
constexpr uint32_t kAbiVersion = 3;
constexpr uint32_t kDescriptorMagic = 0x544f4157;  // "WAOT" little-endian
constexpr const char* kDescriptorSymbol = "wasmaot_module_descriptor_v1";

struct CompiledModuleDescriptor {
  uint32_t magic;                 // kDescriptorMagic
  uint32_t abi_version;           // kAbiVersion
  char compiler_build_id[48];     // NUL-terminated, must equal the runtime's kBuildId
  uint8_t wasm_sha256[32];        // hash of the source .wasm
  const uint8_t* module_info;     // encodeModuleInfo() bytes
  uint64_t module_info_size;
  uint32_t num_defined_functions;
  uint32_t num_types;
  void* const* function_code;     // [num_defined_functions], index = function index - imported
  const EntryTrampoline* entry_trampolines;  // [num_types]
  void* const* host_adapters;     // [num_types], see HostClosure
  const char* target_cpu;         // CPU the code was generated for, e.g. "x86-64"
  const char* target_features;    // LLVM feature string, may be empty
  // [num_defined_functions] `tailcc` bodies when the module uses tail calls
  // (function_code then holds their C-convention entries), else null.
  void* const* function_tail_code;
  // Where the loader stores the C++ personality routine (the .so's own
  // personality forwards to it, so that the .so needs no libstdc++ symbol);
  // null when the module has no landing pads.
  void** personality_target;
};

}  // namespace wasmaot::abi
