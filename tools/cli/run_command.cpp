// Implementation of the shared `run` face (see run_command.h).
#include "run_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

#include "background_build.h"
#include "module_cache.h"
#include "sha256.h"
#include "wasmaot/abi/build_id.h"
#include "wasmaot/abi/descriptor.h"
#include "wasmaot/abi/trap_codes.h"
#include "wasmaot/runtime/policy.h"
#include "wasmaot/runtime/runtime.h"

#ifndef WASMAOT_VERSION
#define WASMAOT_VERSION "0.0.0"
#endif

namespace wasmaot::cli {

namespace fs = std::filesystem;
using runtime::CallOutcome;
using runtime::Imports;
using runtime::Instance;
using runtime::InstantiateResult;
using runtime::LoadedModule;

std::string versionText() {
  return std::string("wasmaot ") + WASMAOT_VERSION + " (ABI " + std::to_string(abi::kAbiVersion) +
         ", build id " + abi::kBuildId + ")";
}

std::string oneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

void printUsageError(const std::string& invocation, const std::string& message) {
  std::cerr << invocation << ": error: " << oneLine(message) << "\n"
            << "Try '" << invocation << " --help'.\n";
}

namespace {

void printError(const std::string& message) { std::cerr << "error: " << oneLine(message) << "\n"; }

int reportTrap(const runtime::Trap& trap) {
  std::fflush(stdout);
  std::cerr << "error: trap: " << oneLine(trap.message) << "\n";
  // Deep recursion repeats one frame many times: print it once with a count.
  const auto& frames = trap.backtrace;
  for (size_t i = 0; i < frames.size();) {
    size_t run = 1;
    while (i + run < frames.size() && frames[i + run] == frames[i]) ++run;
    std::cerr << "    at " << frames[i] << "\n";
    if (run > 1) std::cerr << "    ... " << (run - 1) << " more frame" << (run > 2 ? "s" : "") << " like the one above\n";
    i += run;
  }
  return abi::kTrapExitStatus;
}

// The content hash of the open .wasm `fd` (stat `st`): from the cache
// index when it still describes the file, else by reading and hashing it —
// then *bytes holds what was read.
std::optional<std::string> wasmHash(const std::string& dir, int fd, const struct stat& st,
                                    std::optional<std::vector<uint8_t>>* bytes, std::string* error) {
  if (auto known = indexedHash(dir, st)) return known;
  *bytes = readOpenFile(fd, static_cast<uint64_t>(st.st_size), error);
  if (!*bytes) return std::nullopt;
  auto hash = sha256Hex(**bytes, error);
  struct stat after {};
  if (hash && ::fstat(fd, &after) == 0) recordHash(dir, st, after, *hash);
  return hash;
}

// Code sections from this size on (about 2 s of -O2 compile on 2 cores) get
// the quick start; smaller ones are compiled at the level asked for.
constexpr uint64_t kQuickStartMinCode = 128 * 1024;

// WASMAOT_CACHE_TRACE=1: one line on stderr saying which cache entry a run
// uses and why (for tests, and for anyone wondering what a run compiled).
void traceCache(const std::string& what) {
  static const bool on = [] {
    const char* v = std::getenv("WASMAOT_CACHE_TRACE");
    return v && *v && *v != '0';
  }();
  if (on) std::cerr << "cache: " << what << "\n";
}

// Compiles `wasm` at `level` into the cache entry `entry` (write, then
// rename). On failure prints the message, sets *exit_status, returns false.
bool compileInto(std::span<const uint8_t> wasm, const RunArgs& args, unsigned level, const std::string& entry,
                 const RunContext& context, int* exit_status) {
  std::error_code ec;
  std::string temporary = temporaryPathFor(entry);
  CompileRequest request{wasm, args.file, temporary, level, 0, args.target_cpu, args.exact_trap_state};
  if (auto failure = context.compile(request)) {
    fs::remove(temporary, ec);
    std::cerr << oneLine(*failure) << "\n";
    *exit_status = kExitCompileError;
    return false;
  }
  fs::rename(temporary, entry, ec);
  if (ec) {
    fs::remove(temporary, ec);
    // Another run may have renamed its copy into place first: that one is as good.
    if (!fs::exists(entry)) {
      printError("cannot write cache entry " + entry);
      *exit_status = kExitUsageError;
      return false;
    }
  }
  return true;
}

// Finds (or, when possible, creates) the cached .so for a .wasm. On failure
// prints the message and sets *exit_status.
std::optional<std::string> cachedObjectFor(const RunArgs& args, const RunContext& context,
                                           int* exit_status) {
  std::string dir = cacheDirectory();
  if (dir.empty()) {
    printError("no cache directory: set WASMAOT_CACHE_DIR, XDG_CACHE_HOME or HOME");
    *exit_status = kExitUsageError;
    return std::nullopt;
  }
  std::string error;
  std::optional<std::vector<uint8_t>> wasm;
  std::optional<std::string> hash;
  {
    int fd = ::open(args.file.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      error = std::strerror(errno);
    } else {
      hash = wasmHash(dir, fd, st, &wasm, &error);
    }
    if (fd >= 0) ::close(fd);
  }
  if (!hash) {
    printError(args.file + ": " + error);
    *exit_status = kExitUsageError;
    return std::nullopt;
  }
  // A build with exact trap state is a different entry from the default one.
  const std::string variant = args.exact_trap_state ? "-exact" : "";
  const std::string cpu_tag = cpuCacheTag(args.target_cpu) + variant;
  std::string entry = cacheEntryPath(dir, *hash, args.opt_level, cpu_tag);
  std::error_code ec;
  if (fs::exists(entry, ec)) {
    touchCacheEntry(entry);
    traceCache("hit " + entry);
    return entry;
  }
  // Quick start (background_build.h): a miss runs a -O0 build at once while
  // the optimised entry is made in the background. The -O0 entry of an
  // earlier miss serves while that build is still under way.
  bool quick_start = context.compile && args.opt_level > 0 && !args.wait_for_optimized;
  const std::string quick = cacheEntryPath(dir, *hash, 0, cpu_tag);
  if (quick_start && optimizedBuildPending(entry) && fs::exists(quick, ec)) {
    touchCacheEntry(quick);
    traceCache("quick start from " + quick + " (the -O" + std::to_string(args.opt_level) +
               " build is still under way)");
    return quick;
  }

  if (!context.compile) {
    // The launcher cannot compile: accept an entry of any optimisation
    // level, for this CPU or else portable.
    for (const std::string& tag : {cpu_tag, "portable" + variant}) {
      for (unsigned level : {2u, 3u, 1u, 0u}) {
        std::string other = cacheEntryPath(dir, *hash, level, tag);
        if (fs::exists(other, ec)) {
          touchCacheEntry(other);
          return other;
        }
      }
    }
    printError(args.file + ": not compiled yet; run `wasmaot compile " + args.file +
               " -o FILE.so` and run the .so, or `wasmaot run " + args.file +
               "` once to fill the cache (" + dir + ")");
    *exit_status = kExitUsageError;
    return std::nullopt;
  }

  fs::create_directories(dir, ec);
  if (ec) {
    printError("cannot create cache directory " + dir + ": " + ec.message());
    *exit_status = kExitUsageError;
    return std::nullopt;
  }
  // Compile bytes whose hash we computed ourselves: the index vouched only
  // for the file as it was when recorded.
  if (!wasm) {
    wasm = readWholeFile(args.file, &error);
    if (wasm) hash = sha256Hex(*wasm, &error);
  }
  if (!wasm || !hash) {
    printError(args.file + ": " + error);
    *exit_status = kExitUsageError;
    return std::nullopt;
  }
  entry = cacheEntryPath(dir, *hash, args.opt_level, cpu_tag);
  // A small module's optimised compile takes about as long as the -O0 one.
  quick_start = quick_start && codeSectionSize(*wasm) >= kQuickStartMinCode;
  if (quick_start) {
    const std::string quick_entry = cacheEntryPath(dir, *hash, 0, cpu_tag);
    if (!fs::exists(quick_entry, ec) && !compileInto(*wasm, args, 0, quick_entry, context, exit_status)) {
      return std::nullopt;
    }
    OptimizedBuild build{entry, args.opt_level, args.target_cpu, args.exact_trap_state};
    bool started = startOptimizedBuild(*wasm, build);
    traceCache("quick start from " + quick_entry + "; the -O" + std::to_string(args.opt_level) + " build " +
               (started ? "started in the background" : "is under way or could not start"));
    pruneCache(dir, quick_entry);
    return quick_entry;
  }
  if (!compileInto(*wasm, args, args.opt_level, entry, context, exit_status)) return std::nullopt;
  traceCache("compiled " + entry);
  pruneCache(dir, entry);
  return entry;
}

// A wasi-threads module (what wasi-sdk's wasm32-wasi-threads target and
// `wasmaot-cc -pthread` produce) imports its shared memory as `env.memory`
// and imports `wasi.thread-spawn`: the runner provides both, as iwasm does.
std::optional<std::string> provideThreadImports(const abi::ModuleInfo& info, const runtime::WasiLimits& limits,
                                                Imports* imports) {
  for (const abi::Import& imp : info.imports) {
    if (imp.kind == abi::ExternKind::Function && imp.module == "wasi" && imp.name == "thread-spawn") {
      runtime::WasiThreadsConfig config;
      config.max_threads = limits.threads;
      config.thread_stack_bytes = limits.thread_stack_bytes;
      imports->enableWasiThreads(std::move(config));
    }
    if (imp.kind == abi::ExternKind::Memory && imp.module == "env" && imp.name == "memory" &&
        imp.index < info.memories.size()) {
      abi::MemoryType type = info.memories[imp.index];
      if (limits.memory_pages && type.limits.min > *limits.memory_pages) {
        return "\"env\" \"memory\" needs " + std::to_string(type.limits.min) + " pages, over the limit of " +
               std::to_string(*limits.memory_pages);
      }
      std::string error;
      auto memory = runtime::Memory::create(type, &error);
      if (!memory) return "\"env\" \"memory\": " + error;
      memory->setPageLimit(limits.memory_pages.value_or(65536));
      imports->define("env", "memory", runtime::Extern{abi::ExternKind::Memory, {}, nullptr, memory, nullptr});
    }
  }
  return std::nullopt;
}

}  // namespace

int runModule(const RunArgs& args, const RunContext& context) {
  // The sandbox first: a bad manifest, a missing preopen or a bad --dir stops
  // here, with one line, before anything is loaded.
  runtime::WasiConfig wasi;
  std::vector<std::string> guest_args;
  guest_args.push_back(args.file);
  guest_args.insert(guest_args.end(), args.args.begin(), args.args.end());
  if (auto problem = runtime::buildWasiConfig(args.policy, args.dirs, args.env, std::move(guest_args), &wasi)) {
    printError(*problem);
    return kExitUsageError;
  }
  if (args.max_threads) wasi.limits.threads = *args.max_threads;
  runtime::NetworkFlags net{args.addr_pool, args.allow_resolve, args.trace_policy, args.tcplisten};
  if (auto problem = runtime::applyNetworkFlags(net, &wasi)) {
    printError(*problem);
    return kExitUsageError;
  }

  std::error_code ec;
  if (!fs::exists(args.file, ec)) {
    printError(args.file + ": no such file");
    return kExitUsageError;
  }
  if (fs::is_directory(args.file, ec)) {
    printError(args.file + ": is a directory");
    return kExitUsageError;
  }
  std::string so_path;
  switch (detectFileKindOfPath(args.file)) {
    case FileKind::SharedObject:
      so_path = args.file;
      break;
    case FileKind::Wasm: {
      int status = 0;
      auto cached = cachedObjectFor(args, context, &status);
      if (!cached) return status;
      so_path = *cached;
      break;
    }
    case FileKind::Unknown:
      printError(args.file + ": neither a WebAssembly module (.wasm) nor a compiled module (.so)");
      return kExitUsageError;
  }

  // dlopen() needs a path with a slash to avoid searching the library path.
  std::string load_path = fs::absolute(so_path, ec).string();
  std::string error;
  auto module = LoadedModule::load(load_path, &error);
  if (!module) {
    // The loader's message usually names the file already.
    bool names_file = error.find(load_path) != std::string::npos || error.find(args.file) != std::string::npos;
    printError(names_file ? error : args.file + ": " + error);
    return kExitUsageError;
  }

  Imports imports;
  const runtime::WasiLimits limits = wasi.limits;
  imports.enableWasi(std::move(wasi));
  if (auto problem = provideThreadImports(module->info(), limits, &imports)) {
    printError(args.file + ": cannot link: " + *problem);
    return kExitUsageError;
  }

  InstantiateResult inst = Instance::instantiate(module, imports);
  switch (inst.kind) {
    case InstantiateResult::Kind::Ok:
      break;
    case InstantiateResult::Kind::LinkError:
      printError(args.file + ": cannot link: " + inst.message);
      return kExitUsageError;
    case InstantiateResult::Kind::Trapped:
      return reportTrap(inst.trap);
    case InstantiateResult::Kind::Exited:
      std::fflush(stdout);
      return inst.exit_status;
  }

  auto start = inst.instance->exportNamed("_start");
  if (!start || start->kind != abi::ExternKind::Function) {
    printError(args.file + ": no `_start` function export (not a WASI command)");
    return kExitUsageError;
  }
  CallOutcome outcome = inst.instance->call("_start", {});
  std::fflush(stdout);
  if (imports.threadsSpawned()) {
    // Guest threads may still be running: end here, without running
    // static destructors under them (wasi-threads: _start returning ends
    // the process like exit()).
    int status = outcome.kind == CallOutcome::Kind::Returned ? 0
                 : outcome.kind == CallOutcome::Kind::Exited ? outcome.exit_status
                                                              : reportTrap(outcome.trap);
    std::fflush(stderr);
    _exit(status);
  }
  switch (outcome.kind) {
    case CallOutcome::Kind::Returned:
      return 0;
    case CallOutcome::Kind::Trapped:
      return reportTrap(outcome.trap);
    case CallOutcome::Kind::Exited:
      return outcome.exit_status;
  }
  return 0;
}

int runCommandMain(const std::vector<std::string>& args, const RunContext& context) {
  Parsed<RunArgs> parsed = parseRunArgs(args);
  switch (parsed.action) {
    case ParseAction::ShowHelp:
      std::cout << runUsage(context.invocation, static_cast<bool>(context.compile));
      return 0;
    case ParseAction::ShowVersion:
      std::cout << versionText() << "\n";
      return 0;
    case ParseAction::Error:
      printUsageError(context.invocation, parsed.error);
      return kExitUsageError;
    case ParseAction::Proceed:
      break;
  }
  return runModule(parsed.value, context);
}

}  // namespace wasmaot::cli
