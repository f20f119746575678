// A shared object that is not what `wasmaot compile` makes: built with
// `c++ -shared -fPIC -DVARIANT=N` by run_security_test.py, each variant
// breaks one thing the loader checks. None may crash the loader; each must be
// refused with one line (exit 2 from `wasmaot run`).
//   0  no descriptor symbol at all (a plain library)
//   1  bad magic            2  ABI version 99        3  another build id
//   4  module_info_size far larger than the bytes behind module_info
//   5  module_info a wild pointer                    6  garbage module info
//   7  target_cpu a wild pointer (not a string inside the object)
//   8  valid module info, function_code[0] pointing at data, not code
//   9  valid module info, entry trampoline a wild pointer
//   10 the descriptor symbol is a 4-byte object holding only the magic
#include <cstdint>

#include "forged_info.h"  // kForgedInfo, from forge_info
#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/descriptor.h"

using wasmaot::abi::CompiledModuleDescriptor;

extern "C" int forged_function(int x) { return x + 1; }
extern "C" void forged_trampoline(void*, wasmaot::abi::VMContext*, uint64_t*) {}
static void* const kCode[1] = {reinterpret_cast<void*>(&forged_function)};
static const wasmaot::abi::EntryTrampoline kTrampolines[1] = {&forged_trampoline};
static const wasmaot::abi::EntryTrampoline kWildTrampolines[1] = {
    reinterpret_cast<wasmaot::abi::EntryTrampoline>(uintptr_t{0x1000})};
static const unsigned char kGarbage[64] = {'W', 'M', 'I', 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x42, 0x13};
static const uint64_t kData[4] = {1, 2, 3, 4};
static void* const kDataAsCode[1] = {const_cast<uint64_t*>(kData)};

#if VARIANT == 10
extern "C" const uint32_t wasmaot_module_descriptor_v1 = wasmaot::abi::kDescriptorMagic;
#elif VARIANT != 0
static CompiledModuleDescriptor make() {
  CompiledModuleDescriptor d{};
  d.magic = VARIANT == 1 ? 0x46464f57u : wasmaot::abi::kDescriptorMagic;
  d.abi_version = VARIANT == 2 ? 99 : wasmaot::abi::kAbiVersion;
  const char* id = VARIANT == 3 ? "0123456789abcdef0123456789abcdef" : wasmaot::abi::kBuildId;
  for (int i = 0; id[i] && i < 47; ++i) d.compiler_build_id[i] = id[i];
  d.module_info = kForgedInfo;
  d.module_info_size = sizeof kForgedInfo;
  d.num_defined_functions = 1;
  d.num_types = 1;
  d.function_code = kCode;
  d.entry_trampolines = kTrampolines;
  d.host_adapters = kCode;
  d.target_cpu = "x86-64";
  d.target_features = "";
  if (VARIANT == 4) d.module_info_size = uint64_t{1} << 40;
  if (VARIANT == 5) d.module_info = reinterpret_cast<const uint8_t*>(uintptr_t{0x1000});
  if (VARIANT == 6) {
    d.module_info = kGarbage;
    d.module_info_size = sizeof kGarbage;
  }
  if (VARIANT == 7) d.target_cpu = reinterpret_cast<const char*>(uintptr_t{0x10});
  if (VARIANT == 8) d.function_code = kDataAsCode;
  if (VARIANT == 9) d.entry_trampolines = kWildTrampolines;
  return d;
}
// Initialised when the object is loaded (dlopen runs it before dlsym).
extern "C" const CompiledModuleDescriptor wasmaot_module_descriptor_v1 = make();
#endif
