// libwasmaot-compiler.so: the compiler behind the C interface of
// abi/compiler_library.h, for the `wasmaot` CLI to dlopen() when it has to
// compile or decode a module. Nothing C++ leaves this file: every exception
// becomes a WasmaotFailure.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/compiler_library.h"
#include "wasmaot/abi/module_info.h"
#include "wasmaot/compiler/compile.h"
#include "wasmaot/compiler/compile_error.h"
#include "wasmaot/compiler/decoder.h"

namespace {

char* copyMessage(const std::string& text) {
  char* copy = static_cast<char*>(std::malloc(text.size() + 1));
  if (copy) std::memcpy(copy, text.c_str(), text.size() + 1);
  return copy;
}

int fail(WasmaotFailure* failure, const std::string& message, size_t offset = 0, bool has_offset = false) {
  failure->message = copyMessage(message);
  failure->offset = offset;
  failure->has_offset = has_offset;
  return 1;
}

int fail(WasmaotFailure* failure, const wasmaot::compiler::CompileFailure& f) {
  return fail(failure, f.message, f.offset, f.has_offset);
}

int compile(const uint8_t* wasm, size_t size, const WasmaotCompileOptions* options, const char* output_path,
            WasmaotFailure* failure) {
  try {
    wasmaot::compiler::CompileOptions o;
    o.opt_level = options->opt_level;
    o.threads = options->threads;
    o.target_cpu = options->target_cpu;
    o.exact_trap_state = options->exact_trap_state != 0;
    o.progress = options->progress;
    auto result = wasmaot::compiler::compileToSharedObject({wasm, size}, o, output_path);
    return result ? fail(failure, *result) : 0;
  } catch (const std::exception& e) {
    return fail(failure, std::string("internal compiler error: ") + e.what());
  }
}

int checkTargetCpu(const char* target_cpu, WasmaotFailure* failure) {
  try {
    auto problem = wasmaot::compiler::checkTargetCpu(target_cpu);
    return problem ? fail(failure, *problem) : 0;
  } catch (const std::exception& e) {
    return fail(failure, e.what());
  }
}

int describe(const uint8_t* wasm, size_t size, uint8_t** info, size_t* info_size, WasmaotFailure* failure) {
  try {
    wasmaot::compiler::DecodedModule decoded = wasmaot::compiler::decodeModule({wasm, size});
    std::vector<uint8_t> encoded = wasmaot::abi::encodeModuleInfo(decoded.info);
    *info = static_cast<uint8_t*>(std::malloc(encoded.size() ? encoded.size() : 1));
    if (!*info) return fail(failure, "out of memory");
    std::memcpy(*info, encoded.data(), encoded.size());
    *info_size = encoded.size();
    return 0;
  } catch (const wasmaot::compiler::CompileError& e) {
    return fail(failure, e.what(), e.offset(), true);
  } catch (const std::exception& e) {
    return fail(failure, e.what());
  }
}

const WasmaotCompilerLibrary kLibrary = {
    kCompilerLibraryInterface, wasmaot::abi::kBuildId, compile, checkTargetCpu, describe,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const WasmaotCompilerLibrary* wasmaot_compiler_library() {
  return &kLibrary;
}
