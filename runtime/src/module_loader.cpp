// LoadedModule::load: dlopen a compiled .so, check its descriptor (magic,
// ABI version, build id, the CPU features it needs, counts) and decode its ModuleInfo, refusing with
// one line that says what is wrong and what to do. Registers the module's
// executable segments with the fault registry and keeps the sorted function
// start addresses that backtraces are symbolised with.
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "cpu_features.h"
#include "runtime_private.h"
#include "wasmaot/abi/build_id.h"

namespace wasmaot::runtime {
namespace {

// The loaded object's PT_LOAD segments, to check that every pointer the
// descriptor holds points into the object itself (a forged or corrupt
// descriptor must not make the loader read arbitrary memory).
struct ObjectSegments {
  uintptr_t base = 0;
  const char* name = nullptr;
  struct Range {
    uintptr_t begin, end;
    uint32_t flags;
  };
  std::vector<Range> ranges;

  // [p, p + len) lies inside one segment with `flag` (PF_R or PF_X).
  bool holds(const void* p, uint64_t len, uint32_t flag) const {
    auto a = reinterpret_cast<uintptr_t>(p);
    for (const Range& r : ranges) {
      if ((r.flags & flag) && a >= r.begin && a < r.end && len <= r.end - a) return true;
    }
    return false;
  }
  // A NUL-terminated string inside one readable segment (or null).
  bool holdsString(const char* s) const {
    if (!s) return true;
    auto a = reinterpret_cast<uintptr_t>(s);
    for (const Range& r : ranges) {
      if ((r.flags & PF_R) && a >= r.begin && a < r.end) return std::memchr(s, 0, r.end - a) != nullptr;
    }
    return false;
  }
};

int collectObjectSegments(dl_phdr_info* info, size_t, void* data) {
  auto* object = static_cast<ObjectSegments*>(data);
  if (info->dlpi_addr != object->base || !info->dlpi_name || std::strcmp(info->dlpi_name, object->name) != 0) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
    object->ranges.push_back({begin, begin + ph.p_memsz, ph.p_flags});
  }
  return 1;
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

// The PT_LOAD segments of the object a dlopen() handle refers to.
ObjectSegments segmentsOf(void* handle) {
  ObjectSegments object;
  if (link_map* lm = nullptr; dlinfo(handle, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
    object.base = lm->l_addr;
    object.name = lm->l_name;
    dl_iterate_phdr(collectObjectSegments, &object);
  }
  return object;
}

// The descriptor's own pointers that are read before its tables: the target
// strings and the module info.
bool descriptorStringsAndInfoInside(const ObjectSegments& object, const abi::CompiledModuleDescriptor& desc) {
  return object.holdsString(desc.target_cpu) && object.holdsString(desc.target_features) &&
         (!desc.module_info || object.holds(desc.module_info, desc.module_info_size, PF_R));
}

std::string fail(std::string* error, const std::string& path, const std::string& what) {
  if (error) *error = path + ": " + what;
  return {};
}

}  // namespace

// Checks the file before dlopen sees it: a 64-bit little-endian ELF shared
// object for this machine whose program headers and loadable segments lie
// inside the file. dlopen maps a truncated file without complaint and then
// dies of SIGBUS touching the missing pages, and for another architecture
// it says "No such file or directory"; both get a clear line here.
std::string checkSharedObjectFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  Elf64_Ehdr eh{};
  ssize_t n = ::fstat(fd, &st) == 0 ? ::pread(fd, &eh, sizeof eh, 0) : -1;
  auto done = [&](const std::string& what) {
    ::close(fd);
    return what;
  };
  if (n < SELFMAG || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return done("not a shared object");
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (n != static_cast<ssize_t>(sizeof eh)) return done("truncated ELF file (" + std::to_string(size) + " bytes)");
#if defined(__x86_64__)
  constexpr uint16_t kMachine = EM_X86_64;
  constexpr const char* kMachineName = "x86-64";
#elif defined(__aarch64__)
  constexpr uint16_t kMachine = EM_AARCH64;
  constexpr const char* kMachineName = "aarch64";
#endif
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != kMachine) {
    return done("built for another architecture (ELF class " + std::to_string(eh.e_ident[EI_CLASS]) +
                ", machine " + std::to_string(eh.e_machine) + "; this runtime runs " + kMachineName +
                " code): compile the .wasm on this machine");
  }
  if (eh.e_type != ET_DYN) return done("an ELF file but not a shared object (ELF type " + std::to_string(eh.e_type) + ")");
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > size ||
      uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr) > size - eh.e_phoff) {
    return done("truncated or corrupt ELF file (program headers outside the file)");
  }
  std::vector<Elf64_Phdr> phdrs(eh.e_phnum);
  const ssize_t want = static_cast<ssize_t>(phdrs.size() * sizeof(Elf64_Phdr));
  if (::pread(fd, phdrs.data(), static_cast<size_t>(want), static_cast<off_t>(eh.e_phoff)) != want) {
    return done("cannot read the ELF program headers");
  }
  for (const Elf64_Phdr& ph : phdrs) {
    if ((ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC) && (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)) {
      return done("truncated ELF file (a segment ends at byte " + std::to_string(ph.p_offset + ph.p_filesz) +
                  ", the file has " + std::to_string(size) + ")");
    }
  }
  return done("");
}

std::string checkDescriptorPlacement(void* handle, const abi::CompiledModuleDescriptor* descriptor) {
  ObjectSegments object = segmentsOf(handle);
  if (descriptor == nullptr || !object.holds(descriptor, sizeof *descriptor, PF_R)) {
    return std::string(abi::kDescriptorSymbol) + " is not a descriptor inside the file";
  }
  if (descriptor->magic != abi::kDescriptorMagic) return "bad descriptor magic";
  if (descriptor->abi_version != abi::kAbiVersion) return "";  // another layout: only its leading fields are read
  if (!descriptorStringsAndInfoInside(object, *descriptor)) return "descriptor points outside the file";
  return "";
}

std::shared_ptr<LoadedModule> LoadedModule::load(const std::string& path, std::string* error) {
  return ModuleLoader::load(path, error);
}

LoadedModule::~LoadedModule() {
  unregisterCodeRanges(this);
  if (handle_) dlclose(handle_);
}

std::shared_ptr<LoadedModule> ModuleLoader::load(const std::string& path, std::string* error) {
  if (std::string why = checkSharedObjectFile(path); !why.empty()) {
    fail(error, path, why.rfind("cannot open: ", 0) == 0 ? why : "not a wasmaot module (" + why + ")");
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
  ObjectSegments object = segmentsOf(module->handle_);
  if (!object.holds(desc, sizeof *desc, PF_R)) {
    fail(error, path, std::string("not a wasmaot module (") + abi::kDescriptorSymbol + " is not a descriptor inside the file)");
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
  if (!descriptorStringsAndInfoInside(object, *desc)) {
    fail(error, path, "corrupt module: descriptor points outside the file: recompile it with `wasmaot compile`");
    return nullptr;
  }
  // Code built for CPU features this machine lacks would die of SIGILL
  // somewhere in the guest: refuse it now, naming the features.
  if (auto problem = cpuFeatureProblem(desc->target_cpu ? desc->target_cpu : "",
                                       desc->target_features ? desc->target_features : "", CpuFeatures::host())) {
    fail(error, path, *problem);
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
  const uint64_t nfun = desc->num_defined_functions, ntypes = desc->num_types;
  bool tables_ok = (nfun == 0 || object.holds(desc->function_code, nfun * sizeof(void*), PF_R)) &&
                   (ntypes == 0 || (object.holds(desc->entry_trampolines, ntypes * sizeof(void*), PF_R) &&
                                    object.holds(desc->host_adapters, ntypes * sizeof(void*), PF_R)));
  // Entries may be null (never read here; a fixture leaves unused adapters
  // out), but any other entry must point into the object's code.
  auto code_ok = [&](const void* p) { return !p || object.holds(p, 1, PF_X); };
  for (uint64_t i = 0; tables_ok && i < nfun; ++i) tables_ok = code_ok(desc->function_code[i]);
  if (tables_ok && desc->function_tail_code) {
    tables_ok = nfun == 0 || object.holds(desc->function_tail_code, nfun * sizeof(void*), PF_R);
    for (uint64_t i = 0; tables_ok && i < nfun; ++i) tables_ok = code_ok(desc->function_tail_code[i]);
  }
  for (uint64_t t = 0; tables_ok && t < ntypes; ++t) {
    tables_ok = code_ok(reinterpret_cast<const void*>(desc->entry_trampolines[t])) && code_ok(desc->host_adapters[t]);
  }
  if (!tables_ok) {
    fail(error, path, "corrupt module: descriptor code tables point outside the file: recompile it with `wasmaot compile`");
    return nullptr;
  }
  // Landing pads: the .so's personality forwards to the C++ one.
  if (desc->personality_target) {
    if (!object.holds(desc->personality_target, sizeof(void*), PF_W)) {
      fail(error, path, "corrupt module: personality slot outside the file's data: recompile it with `wasmaot compile`");
      return nullptr;
    }
    *desc->personality_target = exceptionPersonality();
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
    // A tail-calling module's tailcc bodies (where its frames are) too.
    if (desc->function_tail_code) {
      module->function_starts_.emplace_back(reinterpret_cast<uintptr_t>(desc->function_tail_code[i]),
                                            mi.num_imported_functions + i);
    }
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
