// Loading and instantiating hand-written fake modules (fixtures/
// fake_module.cpp, compiled here with the host C++ compiler): the loader's
// one-line refusals, import linking and type checks, segments, calls, traps
// from the runtime table and from the signal handler, backtraces, stack
// exhaustion, host functions and the WASI stubs.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "../../../runtime/src/runtime_private.h"
#include "wasmaot/abi/build_id.h"

using namespace wasmaot;
using namespace wasmaot::runtime;
using abi::ValType;

namespace {

std::string sourceRoot() {
  std::string file = __FILE__;
  return file.substr(0, file.rfind("/tests/unit/runtime/"));
}

std::string scratchDir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/wasmaot-rt-test-XXXXXX";
    const char* made = mkdtemp(tmpl);
    return std::string(made ? made : "/tmp");
  }();
  return dir;
}

// The ModuleInfo matching fixtures/fake_module.cpp's functions.
abi::ModuleInfo fakeInfo(abi::Import import) {
  abi::ModuleInfo info;
  info.types = {{{ValType::I32, ValType::I32}, {ValType::I32}},
                {{}, {ValType::I32}},
                {{ValType::I32}, {ValType::I32}},
                {{ValType::I32}, {}}};
  import.kind = abi::ExternKind::Function;
  import.index = 0;
  info.imports = {import};
  info.num_imported_functions = 1;
  uint32_t import_type = import.name == "sched_yield" ? 1 : import.name == "proc_exit" ? 3 : 2;
  info.function_types = {import_type, 0, 1, 2, 2, 2};
  info.memories = {abi::MemoryType{abi::Limits{1, 2}}};
  info.exports = {{"add", abi::ExternKind::Function, 1},    {"trap", abi::ExternKind::Function, 2},
                  {"load", abi::ExternKind::Function, 3},   {"recurse", abi::ExternKind::Function, 4},
                  {"call_import", abi::ExternKind::Function, 5}, {"mem", abi::ExternKind::Memory, 0}};
  info.function_names = {{1, "add"}, {2, "trap_here"}, {3, "load"}, {5, "call_import"}};
  return info;
}

abi::Import hostImport() { return {"env", "host", abi::ExternKind::Function, 0}; }

// Builds fake_module.cpp into a .so; returns its path or "" (and a message).
std::string buildFake(const std::string& name, const abi::ModuleInfo& info, const std::string& defines = "") {
  std::string dir = scratchDir();
  std::string inc = dir + "/" + name + ".inc";
  std::vector<uint8_t> bytes = abi::encodeModuleInfo(info);
  {
    std::ofstream out(inc);
    out << "static const unsigned char kInfo[] = {";
    for (uint8_t b : bytes) out << unsigned(b) << ",";
    out << "};\n";
  }
  std::string so = dir + "/" + name + ".so";
  std::string cmd = "c++ -std=c++20 -O0 -fno-omit-frame-pointer -shared -fPIC -I" + sourceRoot() +
                    "/abi/include -DFAKE_INFO_FILE='\"" + inc + "\"' -DFAKE_BUILD_ID='\"" +
                    std::string(abi::kBuildId) + "\"' " + defines + " " + sourceRoot() +
                    "/tests/unit/runtime/fixtures/fake_module.cpp -o " + so + " 2>" + dir + "/" + name + ".log";
  if (std::system(cmd.c_str()) != 0) {
    MESSAGE("fixture build failed: " << cmd);
    return "";
  }
  return so;
}

std::shared_ptr<LoadedModule> loadOk(const std::string& path) {
  std::string error;
  auto m = LoadedModule::load(path, &error);
  INFO(error);
  REQUIRE(m);
  return m;
}

std::string loadError(const std::string& path) {
  std::string error;
  auto m = LoadedModule::load(path, &error);
  CHECK_FALSE(m);
  CHECK(error.find('\n') == std::string::npos);
  return error;
}

Imports hostImports(int* calls) {
  Imports imports;
  Extern ext;
  ext.kind = abi::ExternKind::Function;
  ext.function = makeHostFunction({{ValType::I32}, {ValType::I32}},
                                  [calls](Instance* caller, std::span<uint64_t> slots) -> std::optional<Trap> {
                                    ++*calls;
                                    if (slots[0] == 99) return Trap{abi::TrapCode::HostTrap, "host says no", {}};
                                    CHECK(caller != nullptr);
                                    slots[0] = slots[0] * 10;
                                    return std::nullopt;
                                  });
  imports.define("env", "host", ext);
  return imports;
}

}  // namespace

TEST_CASE("loader: refuses what is not a wasmaot module, one line each") {
  std::string dir = scratchDir();
  std::string text = dir + "/not_elf.so";
  std::ofstream(text) << "hello";
  CHECK(loadError(text).find("not a wasmaot module") != std::string::npos);
  CHECK(loadError(dir + "/missing.so").find("cannot open") != std::string::npos);

  abi::ModuleInfo info = fakeInfo(hostImport());
  std::string none = buildFake("no_descriptor", info, "-DFAKE_NO_DESCRIPTOR");
  REQUIRE(!none.empty());
  CHECK(loadError(none).find("not a wasmaot module (no wasmaot_module_descriptor_v1") != std::string::npos);

  std::string magic = buildFake("bad_magic", info, "-DFAKE_MAGIC=0x1234");
  CHECK(loadError(magic).find("bad descriptor magic") != std::string::npos);

  std::string abi_version = buildFake("bad_abi", info, "-DFAKE_ABI_VERSION=999");
  std::string abi_error = loadError(abi_version);
  CHECK(abi_error.find("ABI version 999") != std::string::npos);
  CHECK(abi_error.find("recompile it with `wasmaot compile`") != std::string::npos);

  std::string build = buildFake("bad_build", info, "-UFAKE_BUILD_ID -DFAKE_BUILD_ID='\"0123abcd\"'");
  std::string build_error = loadError(build);
  CHECK(build_error.find("compiled by a different wasmaot build (build id 0123abcd, this runtime is " +
                         std::string(abi::kBuildId) + "): recompile it with `wasmaot compile`") !=
        std::string::npos);

  std::string counts = buildFake("bad_counts", info, "-DFAKE_NUM_FUNCTIONS=4");
  CHECK(loadError(counts).find("corrupt module") != std::string::npos);

  // Code that needs a CPU feature this machine lacks (here one no CPU has)
  // is refused before anything in it runs.
  std::string cpu = buildFake("bad_cpu", info, "-DFAKE_TARGET_FEATURES='\"+sse2,+frobnicate\"'");
  std::string cpu_error = loadError(cpu);
  CHECK(cpu_error.find("needs CPU feature frobnicate (unknown to this runtime) that this CPU lacks") !=
        std::string::npos);
  CHECK(cpu_error.find("recompile with --target-cpu=portable or on this machine") != std::string::npos);
}

TEST_CASE("instance: imports, calls, traps, backtraces, stack exhaustion") {
  std::string path = buildFake("good", fakeInfo(hostImport()));
  REQUIRE(!path.empty());
  auto module = loadOk(path);
  CHECK(module->info().exports.size() == 6);

  SUBCASE("unknown and incompatible imports") {
    Imports empty;
    auto r = Instance::instantiate(module, empty);
    CHECK(r.kind == InstantiateResult::Kind::LinkError);
    CHECK(r.message.rfind("unknown import", 0) == 0);
    Imports wrong;
    Extern ext;
    ext.function = makeHostFunction({{ValType::I64}, {ValType::I32}}, [](Instance*, std::span<uint64_t>) {
      return std::optional<Trap>{};
    });
    wrong.define("env", "host", ext);
    r = Instance::instantiate(module, wrong);
    CHECK(r.message.rfind("incompatible import type", 0) == 0);
    Imports kind;
    Extern g;
    g.kind = abi::ExternKind::Global;
    g.global = Global::create({ValType::I32, false}, Value::i32(0));
    kind.define("env", "host", g);
    CHECK(Instance::instantiate(module, kind).message.rfind("incompatible import type", 0) == 0);
  }

  int calls = 0;
  Imports imports = hostImports(&calls);
  auto r = Instance::instantiate(module, imports);
  INFO(r.message);
  REQUIRE(r.kind == InstantiateResult::Kind::Ok);
  auto inst = r.instance;

  SUBCASE("calls and argument checks") {
    Value args[] = {Value::i32(40), Value::i32(2)};
    CallOutcome out = inst->call("add", args);
    REQUIRE(out.kind == CallOutcome::Kind::Returned);
    CHECK(out.results.size() == 1);
    CHECK(out.results[0].bits == 42);
    Value wrong[] = {Value::i64(1), Value::i32(2)};
    CHECK(inst->call("add", wrong).kind == CallOutcome::Kind::Trapped);
    CHECK(inst->call("nope", {}).trap.message.find("no export") != std::string::npos);
    auto mem = inst->exportNamed("mem");
    REQUIRE(mem);
    CHECK(mem->memory->sizePages() == 1);
    auto fn = inst->exportNamed("add");
    REQUIRE(fn);
    CHECK(fn->function.ref.type_id == canonicalTypeId({{ValType::I32, ValType::I32}, {ValType::I32}}));
  }

  SUBCASE("trap through the runtime table, with a named backtrace") {
    CallOutcome out = inst->call("trap", {});
    REQUIRE(out.kind == CallOutcome::Kind::Trapped);
    CHECK(out.trap.code == abi::TrapCode::Unreachable);
    CHECK(out.trap.message == "unreachable");
    REQUIRE(!out.trap.backtrace.empty());
    CHECK(out.trap.backtrace[0] == "trap_here (func 2)");
  }

  SUBCASE("out-of-bounds load via the signal handler, then the host carries on") {
    inst->memory()->data()[100] = 5;
    Value in_bounds[] = {Value::i32(100)};
    CHECK(inst->call("load", in_bounds).results.at(0).bits == 5);
    for (uint32_t addr : {65536u, 65533u, 0xfffffff0u}) {
      Value a[] = {Value::i32(addr)};
      CallOutcome out = inst->call("load", a);
      REQUIRE(out.kind == CallOutcome::Kind::Trapped);
      CHECK(out.trap.code == abi::TrapCode::OutOfBoundsMemoryAccess);
      CHECK(out.trap.message == "out of bounds memory access");
      REQUIRE(!out.trap.backtrace.empty());
      CHECK(out.trap.backtrace[0] == "load (func 3)");
    }
    CHECK(inst->call("load", in_bounds).results.at(0).bits == 5);
  }

  SUBCASE("deep recursion is a trap, and the instance stays usable") {
    Value n[] = {Value::i32(100000000)};
    CallOutcome out = inst->call("recurse", n);
    REQUIRE(out.kind == CallOutcome::Kind::Trapped);
    CHECK(out.trap.code == abi::TrapCode::CallStackExhausted);
    CHECK(out.trap.backtrace.size() >= 60);
    CHECK(out.trap.backtrace[0] == "func 4");
    Value small[] = {Value::i32(10)};
    CHECK(inst->call("recurse", small).results.at(0).bits == 10);
  }

  SUBCASE("host functions: results, traps after their frame is gone") {
    Value a[] = {Value::i32(4)};
    CallOutcome out = inst->call("call_import", a);
    REQUIRE(out.kind == CallOutcome::Kind::Returned);
    CHECK(out.results[0].bits == 41);
    Value bad[] = {Value::i32(99)};
    out = inst->call("call_import", bad);
    REQUIRE(out.kind == CallOutcome::Kind::Trapped);
    CHECK(out.trap.message == "host says no");
    bool named = false;
    for (const std::string& frame : out.trap.backtrace) named |= frame == "call_import (func 5)";
    CHECK(named);
    CHECK(calls == 2);
  }

  SUBCASE("re-exported functions link into another instance") {
    auto add = inst->exportNamed("add");
    REQUIRE(add);
    CHECK(add->function.owner);
  }
}

TEST_CASE("instance: data segments and 2.0 partial initialisation") {
  abi::ModuleInfo info = fakeInfo(hostImport());
  abi::DataSegment first;
  first.offset.bits = 10;
  first.bytes = {1, 2, 3};
  abi::DataSegment overflow;
  overflow.offset.bits = 65535;
  overflow.bytes = {4, 5};
  abi::DataSegment passive;
  passive.mode = abi::SegmentMode::Passive;
  passive.bytes = {9};
  info.data = {first, passive};
  std::string ok_path = buildFake("data_ok", info);
  info.data = {first, overflow};
  std::string bad_path = buildFake("data_bad", info);
  REQUIRE(!ok_path.empty());
  REQUIRE(!bad_path.empty());
  int calls = 0;

  auto ok = Instance::instantiate(loadOk(ok_path), hostImports(&calls));
  REQUIRE(ok.kind == InstantiateResult::Kind::Ok);
  CHECK(ok.instance->memory()->data()[11] == 2);

  // The memory is imported so the first segment's effect is observable.
  abi::ModuleInfo importing = info;
  importing.imports.push_back({"env", "mem", abi::ExternKind::Memory, 0});
  importing.num_imported_memories = 1;
  std::string imp_path = buildFake("data_import", importing);
  std::string error;
  auto mem = Memory::create(abi::MemoryType{abi::Limits{1, 2}}, &error);
  Imports imports = hostImports(&calls);
  Extern m;
  m.kind = abi::ExternKind::Memory;
  m.memory = mem;
  imports.define("env", "mem", m);
  auto trapped = Instance::instantiate(loadOk(imp_path), imports);
  CHECK(trapped.kind == InstantiateResult::Kind::Trapped);
  CHECK(trapped.trap.message == "out of bounds memory access");
  CHECK(mem->data()[12] == 3);
  CHECK(mem->data()[65535] == 0);

  // Memory import limits: a larger maximum than declared is incompatible.
  auto big = Memory::create(abi::MemoryType{abi::Limits{1, 5}}, &error);
  Imports too_big = hostImports(&calls);
  Extern b;
  b.kind = abi::ExternKind::Memory;
  b.memory = big;
  too_big.define("env", "mem", b);
  CHECK(Instance::instantiate(loadOk(imp_path), too_big).message.rfind("incompatible import type", 0) == 0);
}

TEST_CASE("wasi: native functions, ENOSYS stubs and type checks") {
  auto instantiateWith = [](const std::string& name, const std::string& module_name) {
    abi::Import imp{module_name, name, abi::ExternKind::Function, 0};
    std::string path = buildFake("wasi_" + name + "_" + std::to_string(module_name.size()), fakeInfo(imp));
    REQUIRE(!path.empty());
    Imports imports;
    imports.enableWasi({"prog", "arg"}, {"A=1"});
    return Instance::instantiate(loadOk(path), imports);
  };
  auto yield = instantiateWith("sched_yield", "wasi_snapshot_preview1");
  REQUIRE(yield.kind == InstantiateResult::Kind::Ok);
  Value x[] = {Value::i32(0)};
  CHECK(yield.instance->call("call_import", x).results.at(0).bits == 1);

  // proc_raise(0): signal "none" is not a signal one can raise.
  auto raise = instantiateWith("proc_raise", "wasi_unstable");
  REQUIRE(raise.kind == InstantiateResult::Kind::Ok);
  CHECK(raise.instance->call("call_import", x).results.at(0).bits == 29);  // EINVAL + 1

  auto exits = instantiateWith("proc_exit", "wasi_snapshot_preview1");
  REQUIRE(exits.kind == InstantiateResult::Kind::Ok);
  Value seven[] = {Value::i32(7)};
  CallOutcome out = exits.instance->call("call_import", seven);
  CHECK(out.kind == CallOutcome::Kind::Exited);
  CHECK(out.exit_status == 7);

  CHECK(instantiateWith("fd_write", "wasi_snapshot_preview1").message.rfind("incompatible import type", 0) == 0);
  CHECK(instantiateWith("no_such_call", "wasi_snapshot_preview1").message.rfind("unknown import", 0) == 0);
}
