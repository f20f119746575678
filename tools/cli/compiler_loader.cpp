// Loading of libwasmaot-compiler.so (see compiler_loader.h).
#include "compiler_loader.h"
#include "progress_display.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/compiler_library.h"

namespace wasmaot::cli {

std::string compilerLibraryPath() {
  if (const char* path = std::getenv("WASMAOT_COMPILER_LIBRARY"); path && *path) return path;
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "libwasmaot-compiler.so";
  return (self.parent_path().parent_path() / "lib" / "wasmaot" / "libwasmaot-compiler.so").string();
}

namespace {

// The loaded library, or the reason it could not be loaded. Loaded once; the
// handle is never closed (LLVM does not support being unloaded).
const WasmaotCompilerLibrary* loadLibrary(std::string* error) {
  static std::string load_error;
  static const WasmaotCompilerLibrary* library = [] () -> const WasmaotCompilerLibrary* {
    const std::string path = compilerLibraryPath();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      load_error = "cannot load the compiler: " + std::string(why ? why : path);
      return nullptr;
    }
    auto entry = reinterpret_cast<WasmaotCompilerLibraryEntry>(dlsym(handle, kCompilerLibraryEntry));
    const WasmaotCompilerLibrary* lib = entry ? entry() : nullptr;
    if (!lib || lib->interface_version != kCompilerLibraryInterface) {
      load_error = "cannot load the compiler: " + path + " is not a wasmaot compiler library of this version";
      return nullptr;
    }
    // The cache is keyed by the build id: a compiler from another build
    // would file its output under the wrong name.
    if (std::string(lib->build_id) != abi::kBuildId) {
      load_error = "cannot load the compiler: " + path + " is from another build (build id " + lib->build_id +
                   ", this CLI is " + abi::kBuildId + ")";
      return nullptr;
    }
    return lib;
  }();
  if (!library) *error = load_error;
  return library;
}

// Takes ownership of the failure's message.
std::string failureText(WasmaotFailure& failure) {
  std::ostringstream out;
  if (failure.has_offset) out << "offset 0x" << std::hex << failure.offset << std::dec << ": ";
  out << (failure.message ? failure.message : "unknown failure");
  std::free(failure.message);
  failure.message = nullptr;
  return oneLine(out.str());
}

}  // namespace

std::optional<std::string> compileThroughLibrary(const CompileRequest& request) {
  std::string error;
  const WasmaotCompilerLibrary* lib = loadLibrary(&error);
  if (!lib) return "error: " + error;
  WasmaotCompileProgress progress{};
  WasmaotCompileOptions options{request.opt_level, request.threads, request.target_cpu.c_str(),
                                request.exact_trap_state ? 1 : 0, &progress};
  WasmaotFailure failure{};
  int status;
  {
    ProgressDisplay display(request.display_name, &progress);
    status = lib->compile(request.wasm.data(), request.wasm.size(), &options, request.output_path.c_str(), &failure);
  }
  if (status == 0) return std::nullopt;
  return "error: " + request.display_name + ": " + failureText(failure);
}

std::optional<std::string> checkTargetCpuThroughLibrary(const std::string& target_cpu) {
  std::string error;
  const WasmaotCompilerLibrary* lib = loadLibrary(&error);
  if (!lib) return error;
  WasmaotFailure failure{};
  if (lib->check_target_cpu(target_cpu.c_str(), &failure) == 0) return std::nullopt;
  return failureText(failure);
}

std::optional<std::vector<uint8_t>> describeThroughLibrary(std::span<const uint8_t> wasm, std::string* error,
                                                           bool* input_at_fault) {
  *input_at_fault = false;
  const WasmaotCompilerLibrary* lib = loadLibrary(error);
  if (!lib) return std::nullopt;
  uint8_t* info = nullptr;
  size_t info_size = 0;
  WasmaotFailure failure{};
  if (lib->describe(wasm.data(), wasm.size(), &info, &info_size, &failure) != 0) {
    *input_at_fault = failure.has_offset != 0;
    *error = failureText(failure);
    return std::nullopt;
  }
  std::vector<uint8_t> bytes(info, info + info_size);
  std::free(info);
  return bytes;
}

}  // namespace wasmaot::cli
