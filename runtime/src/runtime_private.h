// Private interfaces shared by the runtime's source files: the trap
// machinery (entry guards, raising traps, the fault-range registry used by
// the signal handler), the runtime helper table and access to the private
// parts of the public classes. Not installed; embedders use runtime.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wasmaot/runtime/runtime.h"

namespace wasmaot::runtime {

// ---- trap_handler.cpp -------------------------------------------------------

// How a guarded call into generated code ended.
struct GuardOutcome {
  enum class Kind { Returned, Trapped, Exited };
  Kind kind = Kind::Returned;
  Trap trap;            // Trapped
  int exit_status = 0;  // Exited
};

// Runs fn(arg) with a trap guard: traps raised inside (by generated code, a
// runtime helper, a host function or the signal handler) end the call here.
// Sets ctx->stack_limit for the current thread. Nests (wasm→host→wasm).
// fn must not own C++ objects with destructors across the call into wasm.
GuardOutcome callGuarded(abi::VMContext* ctx, void (*fn)(void*), void* arg);

// Raise a trap from host code running under a guard (a runtime helper or a
// host function's C entry point). Never returns. Nothing with a destructor
// may be live in the frames between here and the guard, other than frames
// of generated code. Without an active guard: prints and aborts.
[[noreturn]] void raiseTrap(abi::TrapCode code, const char* message = nullptr);
// Ends the guarded call with Kind::Exited (WASI proc_exit).
[[noreturn]] void raiseExit(int status);
// The RuntimeFunctions::trap entry called by generated code.
[[noreturn]] void trapFromGeneratedCode(abi::VMContext* ctx, uint32_t code);

// The stack limit generated code should use on the calling thread.
uintptr_t currentThreadStackLimit();

// True while a guard is active on this thread.
bool insideGuardedCall();
// The innermost guard's frame address (a wasm exception must not unwind
// past it), or UINTPTR_MAX without a guard.
uintptr_t currentGuardFrameAddress();

// Installs the SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers (once per process).
void ensureSignalHandlersInstalled();

// The fault-range registry (lock-free for readers: the signal handler).
// Code ranges belong to a loaded module (for backtraces); memory ranges are
// linear-memory reservations. Returns false when the registry is full.
bool registerCodeRange(uintptr_t begin, uintptr_t end, const LoadedModule* module);
void unregisterCodeRanges(const LoadedModule* module);
bool registerMemoryRange(uintptr_t begin, uintptr_t end);
void unregisterMemoryRange(uintptr_t begin);
// Async-signal-safe lookups.
bool isGeneratedCode(uintptr_t pc);
bool isLinearMemoryReservation(uintptr_t addr);

// What the signal handler does with a fault, decided from the faulting pc
// and address alone (exposed for tests).
enum class FaultDecision { NotOurs, OutOfBoundsMemory, StackExhausted };
FaultDecision classifyFault(uintptr_t pc, uintptr_t fault_address);

// Names of the wasm functions at the given return addresses (innermost
// first); addresses outside generated code are skipped.
std::vector<std::string> symbolizeBacktrace(const uintptr_t* pcs, int count);

// ---- exceptions.cpp ----------------------------------------------------------

// The personality routine of the generated landing pads (the loader stores
// it where the .so's own personality forwards to).
void* exceptionPersonality();

// ---- module_loader.cpp -------------------------------------------------------

// Friend of LoadedModule: the loader and backtrace symbolisation.
class ModuleLoader {
 public:
  static std::shared_ptr<LoadedModule> load(const std::string& path, std::string* error);
  // "name (func N)" or "func N" for a pc inside this module's code; empty
  // for code that is not a wasm function (trampolines, adapters).
  static std::string describePc(const LoadedModule& module, uintptr_t pc);
};

// ---- runtime_helpers.cpp -----------------------------------------------------

// The table of runtime helpers every VMContext points to, and the segment
// operations instantiation shares with them. Friend of Instance.
struct RuntimeHelpers {
  static const abi::RuntimeFunctions* table();
  // Bounds-checked memory.init / table.init; raise a trap when out of bounds.
  static void memoryInit(Instance* inst, uint32_t memory, uint32_t segment, uint32_t dst, uint32_t src,
                         uint32_t len);
  static void tableInit(Instance* inst, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                        uint32_t count);

  // The entries of table() (see abi::RuntimeFunctions).
  static uint32_t memoryGrow(abi::VMContext* ctx, uint32_t memory, uint32_t delta);
  static void memoryCopy(abi::VMContext* ctx, uint32_t dst, uint32_t src, uint32_t len);
  static void memoryFill(abi::VMContext* ctx, uint32_t dst, uint32_t value, uint32_t len);
  static void memoryInitEntry(abi::VMContext* ctx, uint32_t segment, uint32_t dst, uint32_t src, uint32_t len);
  static void dataDrop(abi::VMContext* ctx, uint32_t segment);
  static void* tableGet(abi::VMContext* ctx, uint32_t table, uint32_t index);
  static void tableSet(abi::VMContext* ctx, uint32_t table, uint32_t index, void* value);
  static uint32_t tableGrow(abi::VMContext* ctx, uint32_t table, void* init, uint32_t delta);
  static void tableFill(abi::VMContext* ctx, uint32_t table, uint32_t index, void* value, uint32_t count);
  static void tableCopy(abi::VMContext* ctx, uint32_t dst_table, uint32_t src_table, uint32_t dst, uint32_t src,
                        uint32_t count);
  static void tableInitEntry(abi::VMContext* ctx, uint32_t table, uint32_t segment, uint32_t dst, uint32_t src,
                             uint32_t count);
  static void elemDrop(abi::VMContext* ctx, uint32_t segment);
  // atomic_wait.cpp
  static uint32_t atomicWait32(abi::VMContext* ctx, uint64_t address, uint32_t expected, int64_t timeout_ns);
  static uint32_t atomicWait64(abi::VMContext* ctx, uint64_t address, uint64_t expected, int64_t timeout_ns);
  static uint32_t atomicNotify(abi::VMContext* ctx, uint64_t address, uint32_t count);
  static void memoryCopyBetween(abi::VMContext* ctx, uint32_t dst_memory, uint32_t src_memory, uint32_t dst,
                                uint32_t src, uint32_t len);
  static void memoryFillIn(abi::VMContext* ctx, uint32_t memory, uint32_t dst, uint32_t value, uint32_t len);
  static void memoryInitIn(abi::VMContext* ctx, uint32_t memory, uint32_t segment, uint32_t dst, uint32_t src,
                           uint32_t len);
  // exceptions.cpp
  [[noreturn]] static void exceptionThrow(abi::VMContext* ctx, void* tag, const uint64_t* payload);
  [[noreturn]] static void exceptionRethrow(abi::VMContext* ctx, const uint64_t* record, uint32_t capacity);
  static void exceptionCatch(abi::VMContext* ctx, void* exception, uint64_t* record, uint32_t capacity);

  // Instantiation's active segments, run under a trap guard (instantiate.cpp).
  static void runSegmentInit(void* segment_init);
};

// ---- host_function.cpp -------------------------------------------------------

// Builds the FuncRef an instance stores for an imported host function made
// by makeHostFunction: code = the importing module's adapter for the type,
// ctx = a closure that remembers the caller. Null if `function` is not a
// host function. `owner` receives what keeps the closure alive.
bool bindHostFunction(const Function& function, Instance* caller, void* adapter,
                      abi::FuncRef* out, std::shared_ptr<void>* owner);

// ---- wasi/wasi_bind.cpp -----------------------------------------------------

// Per-instance WASI state (fd table, preopens, limits, event loop) for the
// instance `owner`. Null with *error set when a preopen cannot be opened.
std::shared_ptr<void> makeWasiState(const Imports& imports, Instance* owner, std::string* error);
// Resolves a WASI import: fills *out with the native function and ctx, or
// returns false with *error set ("unknown import" / "incompatible import type").
// Functions that the ABI list declares but this host does not implement get
// an ENOSYS stub (via `adapter`, the importing module's host adapter).
bool resolveWasiImport(const std::string& module, const std::string& name, const abi::FuncType& type,
                       Instance* caller, void* adapter, abi::FuncRef* out, std::shared_ptr<void>* owner,
                       std::string* error);
bool isWasiModuleName(const std::string& module);
// wasi-threads (wasi_threads.cpp): binds `wasi.thread-spawn` for `caller`;
// false with *error when the import's type or the module's
// `wasi_thread_start` export is wrong.
bool bindThreadSpawn(ThreadGroup* group, const abi::FuncType& type, Instance* caller, void* adapter,
                     abi::FuncRef* out, std::shared_ptr<void>* owner, std::string* error);
// Binds `wasmaot.thread_exit` (the SDK's pthread_exit in a spawned thread):
// unwinds the calling thread's wasm frames, and the thread ends as if
// wasi_thread_start had returned.
bool bindThreadExit(const abi::FuncType& type, Instance* caller, abi::FuncRef* out, std::string* error);
// Keeps a copy of the main instance's imports for the threads it spawns.
void rememberThreadImports(ThreadGroup* group, const Imports& imports);

}  // namespace wasmaot::runtime
