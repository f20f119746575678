// Compiles, instantiates and runs wasm modules and prints what every exported
// function did, in a canonical text form that tests/differential/reference.mjs
// (Node's V8) prints too:
//
//   module NAME
//   call EXPORT -> i32:-5 f32:0x3f800000 f64:nan ref:null
//   log i32:7                 (a fuzzing-support import called by the guest)
//   call EXPORT -> trap:memory
//
// Every exported function is called once, in export order, with every
// parameter zero (0, 0.0, null): functions with parameters are called, not
// skipped. Each call gets a fresh instance (the module is compiled once), so
// the state a trap leaves behind is never observed: at -O1 and above LLVM
// may move a store to a global or to memory past a load that faults (it does
// not know that loads trap), so that state can differ from the spec's (a
// known limitation, see tests/differential/README.md).
// --shared-instance calls them all on one instance instead. Floats are printed as bit patterns; every NaN prints
// as `nan`. Traps print as a category (see trapCategory), since V8 words them
// differently and merges some (null entry and signature mismatch; NaN and
// out-of-range float truncation).
//
// Used by the differential test (against V8) and as the whole-compiler fuzz
// harness over random valid modules (wasm-opt -ttf): it must never crash,
// whatever the module does. Exit status: 0 when every module compiled,
// instantiated or trapped cleanly; 1 if a module failed to compile or link
// (random valid modules must compile); 2 on usage errors; 77 (ctest's
// "skipped") when the code was built for a --target-cpu this machine cannot
// execute, with one `skip: ...` line saying which features it lacks.
//
//   wasmaot_exec_harness [-O N] [--work DIR] [--quiet] [--wasi] [--time] [--shared-instance]
//                        [--exact-trap-state] [--target-cpu NAME] FILE.wasm...
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wasmaot/compiler/compile.h"
#include "wasmaot/runtime/runtime.h"

namespace fs = std::filesystem;
using namespace wasmaot;
using runtime::Value;

namespace {

bool g_quiet = false;
bool g_wasi = false;  // --wasi: serve WASI imports (arguments: the file name), e.g. to time a benchmark's _start
bool g_time = false;
// --shared-instance: call every export on one instance (state carries over,
// traps included). Default: a fresh instance per call; see the header.
bool g_shared_instance = false;  // --time: the time of each call on stderr

void out(const std::string& line) {
  if (!g_quiet) std::fputs((line + "\n").c_str(), stdout);
}

std::string formatValue(abi::ValType type, uint64_t bits) {
  char buf[64];
  switch (type) {
    case abi::ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRId32, static_cast<int32_t>(static_cast<uint32_t>(bits)));
      return buf;
    case abi::ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRId64, static_cast<int64_t>(bits));
      return buf;
    case abi::ValType::F32: {
      uint32_t b = static_cast<uint32_t>(bits);
      if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu) != 0) return "f32:nan";
      std::snprintf(buf, sizeof buf, "f32:0x%08" PRIx32, b);
      return buf;
    }
    case abi::ValType::F64: {
      if ((bits & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (bits & 0x000fffffffffffffull) != 0)
        return "f64:nan";
      std::snprintf(buf, sizeof buf, "f64:0x%016" PRIx64, bits);
      return buf;
    }
    case abi::ValType::FuncRef:
    case abi::ValType::ExternRef:
      return bits == 0 ? "ref:null" : "ref:nonnull";
    case abi::ValType::V128:
      return "v128:?";
  }
  return "?";
}

// The categories both sides agree on. V8 reports a null table entry and a
// signature mismatch with one message, and an index past the table's end of
// call_indirect like any other table access.
const char* trapCategory(abi::TrapCode code) {
  switch (code) {
    case abi::TrapCode::Unreachable: return "unreachable";
    case abi::TrapCode::IntegerDivideByZero: return "div0";
    // V8 says "float unrepresentable in integer range" for a NaN and for an
    // out-of-range truncation alike, where the spec (and wasmaot) tell
    // "invalid conversion to integer" from "integer overflow"; both sides
    // print one category for the three.
    case abi::TrapCode::IntegerOverflow:
    case abi::TrapCode::InvalidConversionToInteger: return "overflow";
    case abi::TrapCode::OutOfBoundsMemoryAccess:
    case abi::TrapCode::OutOfBoundsDataSegmentAccess: return "memory";
    case abi::TrapCode::OutOfBoundsTableAccess:
    case abi::TrapCode::UndefinedElement: return "table";
    case abi::TrapCode::UninitializedElement:
    case abi::TrapCode::IndirectCallTypeMismatch: return "indirect";
    case abi::TrapCode::CallStackExhausted: return "stack";
    case abi::TrapCode::HostTrap: return "host";
    // Threads traps (regressions/atomics.wat): V8 says "operation does not
    // support unaligned accesses"; a wait on unshared memory is invalid in V8.
    case abi::TrapCode::UnalignedAtomic: return "unaligned";
    case abi::TrapCode::ExpectedSharedMemory: return "other";
    case abi::TrapCode::UncaughtException: return "exception";
    case abi::TrapCode::None: break;
  }
  return "other";
}

// JS cannot pass a v128 to an imported JS function: V8 throws a TypeError out
// of the whole call. The logging imports raise this host trap instead, and
// the call's line shows V8's words.
constexpr const char* kJsV128Error = "jserror:TypeError: type incompatibility when transforming from/to JS";

std::string describeTrap(const runtime::Trap& trap) {
  if (trap.code == abi::TrapCode::HostTrap && trap.message == kJsV128Error) return trap.message;
  return std::string("trap:") + trapCategory(trap.code);
}

// Host functions for binaryen's fuzzing-support imports (log-i32, log-i64,
// log-f32, log-f64 and whatever else it imports there): print the arguments.
runtime::Function loggingFunction(const abi::FuncType& type) {
  return runtime::makeHostFunction(type, [type](runtime::Instance*, std::span<uint64_t> slots) {
    auto is_v128 = [](abi::ValType t) { return t == abi::ValType::V128; };
    if (std::any_of(type.params.begin(), type.params.end(), is_v128) ||
        std::any_of(type.results.begin(), type.results.end(), is_v128)) {
      return std::optional<runtime::Trap>(runtime::Trap{abi::TrapCode::HostTrap, kJsV128Error, {}});
    }
    std::string line = "log";
    for (size_t i = 0; i < type.params.size(); ++i) line += " " + formatValue(type.params[i], slots[i]);
    out(line);
    for (size_t i = 0; i < type.results.size(); ++i) slots[i] = 0;
    return std::optional<runtime::Trap>{};
  });
}

// CannotExecute: built for a --target-cpu whose features this CPU lacks.
enum class Status { Ok, Failed, CannotExecute };
constexpr int kSkipped = 77;

Status runModule(const fs::path& wasm_path, const compiler::CompileOptions& options, const fs::path& so_path) {
  out("module " + wasm_path.filename().string());
  std::ifstream in(wasm_path, std::ios::binary);
  if (!in) {
    out("error: cannot read " + wasm_path.string());
    return Status::Failed;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (auto failure = compiler::compileToSharedObject(bytes, options, so_path.string())) {
    out("compile-error: " + failure->message);
    std::fprintf(stderr, "%s: compile error: %s\n", wasm_path.c_str(), failure->message.c_str());
    return Status::Failed;
  }
  std::string error;
  auto module = runtime::LoadedModule::load(so_path.string(), &error);
  fs::remove(so_path);  // dlopen keeps the mapping
  if (!module && error.find("that this CPU lacks") != std::string::npos) {
    size_t what = error.find("needs CPU feature");  // the loader's line, without the file name
    std::printf("skip: target CPU %s: code %s\n", options.target_cpu.c_str(),
                error.substr(what == std::string::npos ? 0 : what).c_str());
    return Status::CannotExecute;
  }
  if (!module) {
    out("load-error: " + error);
    std::fprintf(stderr, "%s: load error: %s\n", wasm_path.c_str(), error.c_str());
    return Status::Failed;
  }
  const abi::ModuleInfo& info = module->info();
  runtime::Imports imports;
  for (const abi::Import& imp : info.imports) {
    if (imp.kind == abi::ExternKind::Function && imp.module == "fuzzing-support") {
      runtime::Extern ext;
      ext.kind = abi::ExternKind::Function;
      ext.function = loggingFunction(info.functionType(imp.index));
      imports.define(imp.module, imp.name, ext);
    }
  }
  if (g_wasi) imports.enableWasi({wasm_path.filename().string()}, {});
  runtime::InstantiateResult inst = runtime::Instance::instantiate(module, imports);
  switch (inst.kind) {
    case runtime::InstantiateResult::Kind::Ok: break;
    case runtime::InstantiateResult::Kind::LinkError:
      out("link-error: " + inst.message);
      std::fprintf(stderr, "%s: link error: %s\n", wasm_path.c_str(), inst.message.c_str());
      return Status::Failed;
    case runtime::InstantiateResult::Kind::Trapped:
      out("instantiate -> " + describeTrap(inst.trap));
      return Status::Ok;
    case runtime::InstantiateResult::Kind::Exited:
      out("instantiate -> exit:" + std::to_string(inst.exit_status));
      return Status::Ok;
  }
  bool first = true;
  for (const abi::Export& exp : info.exports) {
    if (exp.kind != abi::ExternKind::Function) continue;
    if (!first && !g_shared_instance) {
      inst = runtime::Instance::instantiate(module, imports);
      if (inst.kind != runtime::InstantiateResult::Kind::Ok) {
        out("re-instantiate -> failed");
        return Status::Failed;
      }
    }
    first = false;
    const abi::FuncType& type = info.functionType(exp.index);
    auto is_v128 = [](abi::ValType t) { return t == abi::ValType::V128; };
    if (std::any_of(type.params.begin(), type.params.end(), is_v128) ||
        std::any_of(type.results.begin(), type.results.end(), is_v128)) {
      out("call " + exp.name + " -> v128-signature");  // as reference.mjs: JS cannot call it
      continue;
    }
    std::vector<Value> args;
    for (abi::ValType t : type.params) args.push_back(Value{t, 0});
    auto started = std::chrono::steady_clock::now();
    runtime::CallOutcome outcome = inst.instance->call(exp.name, args);
    if (g_time) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      std::fprintf(stderr, "%s: %.3f s\n", exp.name.c_str(), took.count());
    }
    std::string line = "call " + exp.name + " ->";
    switch (outcome.kind) {
      case runtime::CallOutcome::Kind::Returned:
        for (const Value& v : outcome.results) line += " " + formatValue(v.type, v.bits);
        break;
      case runtime::CallOutcome::Kind::Trapped:
        line += " " + describeTrap(outcome.trap);
        break;
      case runtime::CallOutcome::Kind::Exited:
        line += " exit:" + std::to_string(outcome.exit_status);
        break;
    }
    out(line);
  }
  return Status::Ok;
}

int usage() {
  std::fputs("usage: wasmaot_exec_harness [-O N] [--work DIR] [--quiet] [--wasi] [--time] [--shared-instance]"
             " [--exact-trap-state] [--target-cpu NAME] FILE.wasm...\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  compiler::CompileOptions options;
  options.threads = 1;
  fs::path work = fs::temp_directory_path();
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-O" && i + 1 < argc) {
      options.opt_level = static_cast<unsigned>(std::stoul(argv[++i]));
    } else if (a.size() == 3 && a.starts_with("-O") && a[2] >= '0' && a[2] <= '3') {
      options.opt_level = static_cast<unsigned>(a[2] - '0');
    } else if (a == "--work" && i + 1 < argc) {
      work = argv[++i];
    } else if (a == "--quiet") {
      g_quiet = true;
    } else if (a == "--wasi") {
      g_wasi = true;
    } else if (a == "--shared-instance") {
      g_shared_instance = true;
    } else if (a == "--exact-trap-state") {
      options.exact_trap_state = true;
    } else if ((a == "--target-cpu" && i + 1 < argc) || a.starts_with("--target-cpu=")) {
      options.target_cpu = a.starts_with("--target-cpu=") ? a.substr(13) : argv[++i];
      if (auto problem = compiler::checkTargetCpu(options.target_cpu)) {
        std::fprintf(stderr, "exec_harness: %s\n", problem->c_str());
        return 2;
      }
    } else if (a == "--time") {
      g_time = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage();
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) return usage();
  fs::create_directories(work);
  int failed = 0;
  size_t n = 0;
  for (const fs::path& f : files) {
    // A fresh name per module: dlopen would hand back a still-loaded module
    // of the same path.
    fs::path so_path = work / ("exec-harness-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".so");
    Status status = runModule(f, options, so_path);
    if (status == Status::CannotExecute) return kSkipped;
    if (status == Status::Failed) ++failed;
    std::fflush(stdout);
  }
  std::fprintf(stderr, "exec_harness: %zu modules, %d failed to compile/load/link\n", files.size(), failed);
  return failed == 0 ? 0 : 1;
}
