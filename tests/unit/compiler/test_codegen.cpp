// Module code generation end to end: compile tiny modules to a .so, dlopen
// it, check the descriptor and call functions through the entry trampolines
// and host adapters, as the runtime would.
#include <dlfcn.h>
#include <stdlib.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/descriptor.h"
#include "wasmaot/abi/module_info.h"
#include "wasmaot/abi/vm_context.h"
#include "wasmaot/compiler/compile.h"

using namespace wasmaot;
namespace fs = std::filesystem;

namespace {

// (module
//   (func $add (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
//   (func $swap (export "swap") (param i32 i64 f64) (result f64 i64 i32)
//     local.get 2 local.get 1 local.get 0)
//   (func $call_add (export "call_add") (param i32) (result i32) local.get 0 i32.const 5 call $add)
//   (func $noop (export "noop")))
const std::vector<uint8_t> kBasicModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x18, 0x04, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x60, 0x03, 0x7f, 0x7e, 0x7c, 0x03, 0x7c, 0x7e, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60,
    0x00, 0x00, 0x03, 0x05, 0x04, 0x00, 0x01, 0x02, 0x03, 0x07, 0x20, 0x04, 0x03, 0x61, 0x64, 0x64,
    0x00, 0x00, 0x04, 0x73, 0x77, 0x61, 0x70, 0x00, 0x01, 0x08, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x61,
    0x64, 0x64, 0x00, 0x02, 0x04, 0x6e, 0x6f, 0x6f, 0x70, 0x00, 0x03, 0x0a, 0x1e, 0x04, 0x07, 0x00,
    0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x08, 0x00, 0x20, 0x02, 0x20, 0x01, 0x20, 0x00, 0x0b, 0x08,
    0x00, 0x20, 0x00, 0x41, 0x05, 0x10, 0x00, 0x0b, 0x02, 0x00, 0x0b};
constexpr uint32_t kAddType = 0, kSwapType = 1, kCallAddType = 2;

// Five () -> i32 functions; the 2nd (`i32.add` on an empty stack, at byte
// offset 33) and the 5th (`i64.const 1` for an i32 result) are invalid.
const std::vector<uint8_t> kInvalidModule = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
    0x06, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x19, 0x05, 0x04, 0x00, 0x41, 0x01, 0x0b, 0x03,
    0x00, 0x6a, 0x0b, 0x04, 0x00, 0x41, 0x02, 0x0b, 0x04, 0x00, 0x41, 0x03, 0x0b, 0x04, 0x00, 0x42,
    0x01, 0x0b};
constexpr size_t kFirstInvalidInstructionOffset = 33;

const std::vector<uint8_t> kEmptyModule = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "wasmaot-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

class LoadedModule {
 public:
  explicit LoadedModule(const fs::path& path) {
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    REQUIRE_MESSAGE(handle_ != nullptr, dlerror());
    descriptor = static_cast<const abi::CompiledModuleDescriptor*>(dlsym(handle_, abi::kDescriptorSymbol));
    REQUIRE(descriptor != nullptr);
  }
  ~LoadedModule() { dlclose(handle_); }
  LoadedModule(const LoadedModule&) = delete;
  LoadedModule& operator=(const LoadedModule&) = delete;

  const abi::CompiledModuleDescriptor* descriptor = nullptr;

 private:
  void* handle_ = nullptr;
};

[[noreturn]] void trapAborts(abi::VMContext*, uint32_t code) {
  std::fprintf(stderr, "unexpected trap %u (%s)\n", code, abi::trapMessage(static_cast<abi::TrapCode>(code)));
  std::abort();
}

// A VM context good enough for functions that touch no memory, table or global.
struct TestInstance {
  explicit TestInstance(const abi::CompiledModuleDescriptor& d) {
    runtime.trap = trapAborts;
    functions.resize(d.num_defined_functions);
    type_ids.resize(d.num_types);
    for (uint32_t t = 0; t < d.num_types; ++t) type_ids[t] = t;
    context.stack_limit = 0;
    context.runtime = &runtime;
    context.functions = functions.data();
    context.type_ids = type_ids.data();
  }
  void bind(const abi::CompiledModuleDescriptor& d, const abi::ModuleInfo& info) {
    for (uint32_t i = 0; i < d.num_defined_functions; ++i) {
      functions[i] = abi::FuncRef{d.function_code[i], &context, info.function_types[i], 0, nullptr};
    }
  }
  abi::RuntimeFunctions runtime{};
  std::vector<abi::FuncRef> functions;
  std::vector<uint32_t> type_ids;
  abi::VMContext context{};
};

std::optional<compiler::CompileFailure> compile(const std::vector<uint8_t>& wasm, const fs::path& out,
                                                unsigned opt_level = 2, unsigned threads = 0) {
  compiler::CompileOptions options;
  options.opt_level = opt_level;
  options.threads = threads;
  return compiler::compileToSharedObject(wasm, options, out.string());
}

abi::ModuleInfo decodeInfo(const abi::CompiledModuleDescriptor& d) {
  std::string error;
  auto info = abi::decodeModuleInfo({d.module_info, static_cast<size_t>(d.module_info_size)}, &error);
  REQUIRE_MESSAGE(info.has_value(), error);
  return *info;
}

// A host function of type (i32 i64 f64) -> (f64 i64 i32) that reverses its arguments.
struct ReversingHost : abi::HostClosure {
  int calls = 0;
  ReversingHost() {
    callback = [](abi::HostClosure* self, uint64_t* slots) {
      ++static_cast<ReversingHost*>(self)->calls;
      std::swap(slots[0], slots[2]);
    };
  }
};

// A host function of type (i32 i32) -> i32 that subtracts.
struct SubtractingHost : abi::HostClosure {
  SubtractingHost() {
    callback = [](abi::HostClosure*, uint64_t* slots) {
      slots[0] = static_cast<uint32_t>(static_cast<uint32_t>(slots[0]) - static_cast<uint32_t>(slots[1]));
    };
  }
};

bool noTemporaryFilesLeft(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("compiled module exports a descriptor and runs through entry trampolines") {
  for (unsigned opt_level : {0u, 2u, 3u}) {
    for (unsigned threads : {1u, 4u}) {
      CAPTURE(opt_level);
      CAPTURE(threads);
      TempDir dir;
      const fs::path so = dir.path() / "basic.so";
      auto failure = compile(kBasicModule, so, opt_level, threads);
      REQUIRE_MESSAGE(!failure.has_value(), (failure ? failure->message : ""));
      CHECK(noTemporaryFilesLeft(dir.path()));

      LoadedModule loaded(so);
      const abi::CompiledModuleDescriptor& d = *loaded.descriptor;
      CHECK(d.magic == abi::kDescriptorMagic);
      CHECK(d.abi_version == abi::kAbiVersion);
      CHECK(std::string(d.compiler_build_id) == abi::kBuildId);
      CHECK(d.num_defined_functions == 4);
      CHECK(d.num_types == 4);
      REQUIRE(d.target_cpu != nullptr);
      REQUIRE(d.target_features != nullptr);
#if defined(__x86_64__)
      // The default is the host CPU, with its features listed.
      CHECK(std::string(d.target_cpu) != "x86-64");
      CHECK(std::string(d.target_features).find("+sse2") != std::string::npos);
#endif
      abi::ModuleInfo info = decodeInfo(d);
      CHECK(info.types.size() == 4);
      CHECK(info.exports.size() == 4);

      TestInstance instance(d);
      instance.bind(d, info);
      abi::VMContext* ctx = &instance.context;

      uint64_t add_slots[2] = {7, 35};
      d.entry_trampolines[kAddType](d.function_code[0], ctx, add_slots);
      CHECK(add_slots[0] == 42);

      // i32 wraps, and the result is zero-extended into its slot.
      uint64_t wrap_slots[2] = {0xFFFFFFFFu, 2};
      d.entry_trampolines[kAddType](d.function_code[0], ctx, wrap_slots);
      CHECK(wrap_slots[0] == 1);

      uint64_t call_slots[1] = {10};
      d.entry_trampolines[kCallAddType](d.function_code[2], ctx, call_slots);
      CHECK(call_slots[0] == 15);

      uint64_t swap_slots[3] = {0xFFFFFFFEu, 0x1122334455667788u, std::bit_cast<uint64_t>(2.5)};
      d.entry_trampolines[kSwapType](d.function_code[1], ctx, swap_slots);
      CHECK(swap_slots[0] == std::bit_cast<uint64_t>(2.5));
      CHECK(swap_slots[1] == 0x1122334455667788u);
      CHECK(swap_slots[2] == 0xFFFFFFFEu);
    }
  }
}

TEST_CASE("host adapters call the closure with argument slots and return its results") {
  TempDir dir;
  const fs::path so = dir.path() / "basic.so";
  auto failure = compile(kBasicModule, so);
  REQUIRE_MESSAGE(!failure.has_value(), (failure ? failure->message : ""));
  LoadedModule loaded(so);
  const abi::CompiledModuleDescriptor& d = *loaded.descriptor;
  REQUIRE(d.host_adapters != nullptr);

  // Single result: call the adapter directly with its native signature.
  SubtractingHost subtract;
  auto* subtract_adapter =
      reinterpret_cast<int32_t (*)(abi::VMContext*, int32_t, int32_t)>(d.host_adapters[kAddType]);
  CHECK(subtract_adapter(reinterpret_cast<abi::VMContext*>(&subtract), 50, 8) == 42);

  // Multiple results: the adapter's native return is an LLVM aggregate, so
  // reach it through the entry trampoline of the same type, as wasm code would.
  ReversingHost reverse;
  uint64_t slots[3] = {7, 0x8000000000000001u, std::bit_cast<uint64_t>(-0.0)};
  d.entry_trampolines[kSwapType](d.host_adapters[kSwapType], reinterpret_cast<abi::VMContext*>(&reverse), slots);
  CHECK(reverse.calls == 1);
  CHECK(slots[0] == std::bit_cast<uint64_t>(-0.0));
  CHECK(slots[1] == 0x8000000000000001u);
  CHECK(slots[2] == 7);
}

TEST_CASE("a module without functions still gets a descriptor") {
  TempDir dir;
  const fs::path so = dir.path() / "empty.so";
  auto failure = compile(kEmptyModule, so);
  REQUIRE_MESSAGE(!failure.has_value(), (failure ? failure->message : ""));
  LoadedModule loaded(so);
  CHECK(loaded.descriptor->magic == abi::kDescriptorMagic);
  CHECK(loaded.descriptor->num_defined_functions == 0);
  CHECK(loaded.descriptor->num_types == 0);
  CHECK(loaded.descriptor->function_code == nullptr);
}

TEST_CASE("the wasm hash identifies the source module") {
  TempDir dir;
  REQUIRE_FALSE(compile(kBasicModule, dir.path() / "a.so").has_value());
  REQUIRE_FALSE(compile(kBasicModule, dir.path() / "b.so", 0, 1).has_value());
  REQUIRE_FALSE(compile(kEmptyModule, dir.path() / "c.so").has_value());
  LoadedModule a(dir.path() / "a.so");
  LoadedModule b(dir.path() / "b.so");
  LoadedModule c(dir.path() / "c.so");
  CHECK(std::memcmp(a.descriptor->wasm_sha256, b.descriptor->wasm_sha256, 32) == 0);
  CHECK(std::memcmp(a.descriptor->wasm_sha256, c.descriptor->wasm_sha256, 32) != 0);
}

TEST_CASE("an invalid function is reported at its offset, whatever the thread count, with no output") {
  for (unsigned threads : {1u, 2u, 5u}) {
    CAPTURE(threads);
    TempDir dir;
    const fs::path so = dir.path() / "invalid.so";
    auto failure = compile(kInvalidModule, so, 2, threads);
    REQUIRE(failure.has_value());
    CHECK(failure->has_offset);
    CHECK(failure->offset == kFirstInvalidInstructionOffset);
    CHECK_FALSE(fs::exists(so));
    CHECK(fs::is_empty(dir.path()));
  }
  auto failure = compiler::validateWasm(kInvalidModule);
  REQUIRE(failure.has_value());
  CHECK(failure->offset == kFirstInvalidInstructionOffset);
  CHECK_FALSE(compiler::validateWasm(kBasicModule).has_value());
}

TEST_CASE("a link failure leaves nothing behind") {
  TempDir dir;
  const fs::path so = dir.path() / "missing-dir" / "out.so";
  auto failure = compile(kBasicModule, so);
  REQUIRE(failure.has_value());
  CHECK_FALSE(failure->has_offset);
  CHECK_FALSE(fs::exists(so));
}

TEST_CASE("compiles run concurrently in one process") {
  TempDir dir;
  auto output = [&](int i) { return dir.path() / std::to_string(i).append(".so"); };
  std::optional<compiler::CompileFailure> failures[3];
  {
    std::vector<std::jthread> threads;
    for (int i = 0; i < 3; ++i) {
      threads.emplace_back([&, i] {
        failures[i] = compile(kBasicModule, output(i), 1, 2);
      });
    }
  }
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    REQUIRE_MESSAGE(!failures[i].has_value(), (failures[i] ? failures[i]->message : ""));
    LoadedModule loaded(output(i));
    CHECK(loaded.descriptor->num_defined_functions == 4);
  }
}

TEST_CASE("the target CPU is recorded: native, portable or a named CPU") {
  struct Case {
    const char* target_cpu;
    const char* expected_cpu;    // nullptr: the host's name, whatever it is
    const char* needs;           // a feature the list must require
    const char* must_not_need;   // a feature it must not require, or nullptr
  };
  const Case cases[] = {
      {"native", nullptr, "+sse2", nullptr},
      {"portable", "x86-64", "+sse", "+avx"},
      {"x86-64-v3", "x86-64-v3", "+avx2", "+avx512f"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.target_cpu);
    TempDir dir;
    compiler::CompileOptions options;
    options.target_cpu = c.target_cpu;
    const fs::path so = dir.path() / "cpu.so";
    auto failure = compiler::compileToSharedObject(kBasicModule, options, so.string());
    REQUIRE_MESSAGE(!failure.has_value(), (failure ? failure->message : ""));
    LoadedModule loaded(so);
    const std::string cpu = loaded.descriptor->target_cpu;
    const std::string features = std::string(",") + loaded.descriptor->target_features + ",";
    if (c.expected_cpu) CHECK(cpu == c.expected_cpu);
    else CHECK(!cpu.empty());
    CHECK(features.find(std::string(",") + c.needs + ",") != std::string::npos);
    if (c.must_not_need) CHECK(features.find(std::string(",") + c.must_not_need + ",") == std::string::npos);
    if (std::string(c.target_cpu) == "x86-64-v3" && !__builtin_cpu_supports("avx2")) continue;
    TestInstance instance(*loaded.descriptor);
    instance.bind(*loaded.descriptor, decodeInfo(*loaded.descriptor));
    uint64_t slots[2] = {40, 2};
    loaded.descriptor->entry_trampolines[kAddType](loaded.descriptor->function_code[0], &instance.context, slots);
    CHECK(slots[0] == 42);
  }
}

TEST_CASE("an unknown target CPU is refused with one line") {
  CHECK_FALSE(compiler::checkTargetCpu("native").has_value());
  CHECK_FALSE(compiler::checkTargetCpu("portable").has_value());
  CHECK_FALSE(compiler::checkTargetCpu("x86-64-v2").has_value());
  auto problem = compiler::checkTargetCpu("pentium-9000");
  REQUIRE(problem.has_value());
  CHECK(problem->find("unknown target CPU 'pentium-9000'") != std::string::npos);
  TempDir dir;
  compiler::CompileOptions options;
  options.target_cpu = "pentium-9000";
  auto failure = compiler::compileToSharedObject(kBasicModule, options, (dir.path() / "x.so").string());
  REQUIRE(failure.has_value());
  CHECK(failure->message.find("unknown target CPU") != std::string::npos);
}
