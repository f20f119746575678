// LoadedModule::load: dlopen a compiled .so, check its descriptor (magic,
// ABI version, build id, counts) and decode its ModuleInfo, refusing with
// one line that says what is wrong and what to do. Registers the module's
// executable segments with the fault registry and keeps the sorted function
// start addresses that backtraces are symbolised with.
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "runtime_private.h"
#include "wasmaot/abi/build_id.h"

namespace wasmaot::runtime {
namespace {

// True if the file starts with the ELF magic (so dlopen errors can be told
// apart from "this is not a shared object at all").
bool looksLikeElf(const std::string& path, std::string* why) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  unsigned char magic[4] = {};
  ssize_t n = ::read(fd, magic, sizeof magic);
  ::close(fd);
  if (n != 4 || std::memcmp(magic, ELFMAG, SELFMAG) != 0) {
    *why = "not a shared object";
    return false;
  }
  return true;
}

struct SegmentSearch {
  uintptr_t probe;  // an address inside the module
  std::vector<std::pair<uintptr_t, uintptr_t>> executable;
  bool found = false;
};

int collectSegments(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<SegmentSearch*>(data);
  bool contains = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    if (search->probe >= begin && search->probe < begin + ph.p_memsz) contains = true;
  }
  if (!contains) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
      uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
      search->executable.emplace_back(begin, begin + ph.p_memsz);
    }
  }
  search->found = true;
  return 1;
}

std::string fail(std::string* error, const std::string& path, const std::string& what) {
  if (error) *error = path + ": " + what;
  return {};
}

}  // namespace

std::shared_ptr<LoadedModule> LoadedModule::load(const std::string& path, std::string* error) {
  return ModuleLoader::load(path, error);
}

LoadedModule::~LoadedModule() {
  unregisterCodeRanges(this);
  if (handle_) dlclose(handle_);
}

std::shared_ptr<LoadedModule> ModuleLoader::load(const std::string& path, std::string* error) {
  std::string why;
  if (!looksLikeElf(path, &why)) {
    fail(error, path, why == "not a shared object" ? "not a wasmaot module (not a shared object)"
                                                   : "cannot open: " + why);
    return nullptr;
  }
  // dlopen resolves a name without a slash through the library path; a
  // module path is always a file path.
  std::string open_path = path.find('/') == std::string::npos ? "./" + path : path;
  std::shared_ptr<LoadedModule> module(new LoadedModule());
  module->path_ = path;
  module->handle_ = dlopen(open_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!module->handle_) {
    const char* msg = dlerror();
    fail(error, path, std::string("not a wasmaot module (cannot load it: ") + (msg ? msg : "unknown error") + ")");
    return nullptr;
  }
  const auto* desc =
      static_cast<const abi::CompiledModuleDescriptor*>(dlsym(module->handle_, abi::kDescriptorSymbol));
  if (!desc) {
    fail(error, path, std::string("not a wasmaot module (no ") + abi::kDescriptorSymbol + " symbol)");
    return nullptr;
  }
  if (desc->magic != abi::kDescriptorMagic) {
    fail(error, path, "not a wasmaot module (bad descriptor magic)");
    return nullptr;
  }
  if (desc->abi_version != abi::kAbiVersion) {
    fail(error, path,
         "compiled for wasmaot ABI version " + std::to_string(desc->abi_version) + ", this runtime uses " +
             std::to_string(abi::kAbiVersion) + ": recompile it with `wasmaot compile`");
    return nullptr;
  }
  std::string build_id(desc->compiler_build_id, strnlen(desc->compiler_build_id, sizeof desc->compiler_build_id));
  if (build_id != abi::kBuildId) {
    fail(error, path,
         "compiled by a different wasmaot build (build id " + build_id + ", this runtime is " + abi::kBuildId +
             "): recompile it with `wasmaot compile`");
    return nullptr;
  }
  module->descriptor_ = desc;
  if (!desc->module_info && desc->module_info_size != 0) {
    fail(error, path, "corrupt module: module info missing: recompile it with `wasmaot compile`");
    return nullptr;
  }
  std::string decode_error;
  auto info = abi::decodeModuleInfo(std::span<const uint8_t>(desc->module_info, desc->module_info_size), &decode_error);
  if (!info) {
    fail(error, path, "corrupt module info (" + decode_error + "): recompile it with `wasmaot compile`");
    return nullptr;
  }
  module->info_ = std::move(*info);
  const abi::ModuleInfo& mi = module->info_;
  if (desc->num_defined_functions != mi.numDefinedFunctions() || desc->num_types != mi.types.size()) {
    fail(error, path,
         "corrupt module: descriptor has " + std::to_string(desc->num_defined_functions) + " functions and " +
             std::to_string(desc->num_types) + " types, module info " + std::to_string(mi.numDefinedFunctions()) +
             " and " + std::to_string(mi.types.size()) + ": recompile it with `wasmaot compile`");
    return nullptr;
  }
  if ((mi.numDefinedFunctions() > 0 && !desc->function_code) ||
      (!mi.types.empty() && (!desc->entry_trampolines || !desc->host_adapters))) {
    fail(error, path, "corrupt module: descriptor tables missing: recompile it with `wasmaot compile`");
    return nullptr;
  }
  for (uint32_t t : mi.function_types) {
    if (t >= mi.types.size()) {
      fail(error, path, "corrupt module: function type index out of range: recompile it with `wasmaot compile`");
      return nullptr;
    }
  }

  // Executable segments of this object, found via the descriptor's address.
  SegmentSearch search{reinterpret_cast<uintptr_t>(desc), {}, false};
  dl_iterate_phdr(collectSegments, &search);
  for (auto [begin, end] : search.executable) {
    if (!registerCodeRange(begin, end, module.get())) {
      fail(error, path, "too many modules loaded (fault registry full)");
      return nullptr;
    }
  }
  for (uint32_t i = 0; i < desc->num_defined_functions; ++i) {
    module->function_starts_.emplace_back(reinterpret_cast<uintptr_t>(desc->function_code[i]),
                                          mi.num_imported_functions + i);
  }
  std::sort(module->function_starts_.begin(), module->function_starts_.end());
  ensureSignalHandlersInstalled();
  return module;
}

std::string ModuleLoader::describePc(const LoadedModule& module, uintptr_t pc) {
  const auto& starts = module.function_starts_;
  auto it = std::upper_bound(starts.begin(), starts.end(), std::make_pair(pc, UINT32_MAX));
  // Before the first function: trampolines and adapters, not wasm frames.
  if (it == starts.begin()) return {};
  uint32_t index = std::prev(it)->second;
  std::string_view name = module.info_.functionName(index);
  std::string text = "func " + std::to_string(index);
  if (!name.empty()) return std::string(name) + " (" + text + ")";
  return text;
}

}  // namespace wasmaot::runtime
