// The embedding API: load a compiled .so, create memories/tables/globals/host
// functions, instantiate with imports, call exports by name with typed
// values, and read the results, the trap or the guest's exit.
//
//   std::string error;
//   auto module = LoadedModule::load("app.so", &error);
//   Imports imports;                      // plus imports.define(...)
//   auto inst = Instance::instantiate(module, imports);
//   auto out = inst.instance->call("add", {Value::i32(1), Value::i32(2)});
//
// Traps never escape as signals or exceptions: they come back as data. The
// host process keeps running after any trap, stack exhaustion included.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wasmaot/abi/descriptor.h"
#include "wasmaot/abi/module_info.h"
#include "wasmaot/abi/trap_codes.h"
#include "wasmaot/abi/vm_context.h"
#include "wasmaot/runtime/wasi.h"

namespace wasmaot::runtime {

using abi::ValType;

// A wasm value. `bits` holds i32/f32 in the low 32 bits (upper bits zero),
// i64/f64 as is, the low half of a v128 (`high` its high half), and
// references as a pointer (0 = null). A funcref points to an abi::FuncRef; an
// externref is an opaque host value.
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;
  uint64_t high = 0;  // v128 only

  static Value i32(uint32_t v) { return {ValType::I32, v}; }
  static Value i64(uint64_t v) { return {ValType::I64, v}; }
  static Value f32Bits(uint32_t v) { return {ValType::F32, v}; }
  static Value f64Bits(uint64_t v) { return {ValType::F64, v}; }
  static Value f32(float v);
  static Value f64(double v);
  static Value funcref(const abi::FuncRef* r) { return {ValType::FuncRef, reinterpret_cast<uint64_t>(r)}; }
  static Value externref(uint64_t opaque) { return {ValType::ExternRef, opaque}; }
  static Value nullOf(ValType t) { return {t, 0}; }
  static Value v128(uint64_t low, uint64_t high) { return {ValType::V128, low, high}; }
};

struct Trap {
  abi::TrapCode code = abi::TrapCode::None;
  std::string message;                 // the spec's wording, or the host's message
  std::vector<std::string> backtrace;  // innermost first, e.g. "fac (func 3)"
};

// What a call into wasm ended with.
struct CallOutcome {
  enum class Kind { Returned, Trapped, Exited };
  Kind kind = Kind::Returned;
  std::vector<Value> results;  // Returned
  Trap trap;                   // Trapped
  int exit_status = 0;         // Exited (WASI proc_exit)
};

// What LoadedModule::load checks of a .so before dlopen()ing it (also for
// tools that open one themselves): a 64-bit ELF shared object for this
// machine whose loadable segments lie inside the file. Empty if it passes;
// else why ("cannot open: ...", "not a shared object", "truncated ...",
// "built for another architecture ...").
std::string checkSharedObjectFile(const std::string& path);

// For tools that read a descriptor from a module they dlopen()ed themselves
// (wasmaot inspect): empty if `descriptor` lies inside the object `handle`
// refers to, has the descriptor magic and, when it is this ABI version's
// layout, every pointer it holds that such a tool reads (target CPU and
// features, module info) points inside the object too. Else why. Loading a
// module checks all this and more.
std::string checkDescriptorPlacement(void* handle, const abi::CompiledModuleDescriptor* descriptor);

// A dlopen()ed compiled module. Loading checks the descriptor's magic, ABI
// version, compiler build id and the CPU features the code needs (refusing a
// module built for features this CPU lacks), and decodes its ModuleInfo.
class LoadedModule {
 public:
  // On failure returns null and sets *error to one line saying what is wrong
  // and what to do (e.g. "built by another wasmaot (build id …); recompile it").
  static std::shared_ptr<LoadedModule> load(const std::string& path, std::string* error);
  ~LoadedModule();

  const abi::ModuleInfo& info() const { return info_; }
  const abi::CompiledModuleDescriptor& descriptor() const { return *descriptor_; }
  const std::string& path() const { return path_; }

 private:
  LoadedModule() = default;
  void* handle_ = nullptr;
  const abi::CompiledModuleDescriptor* descriptor_ = nullptr;
  abi::ModuleInfo info_;
  std::string path_;
  // (start address, function index) of every defined function, sorted by
  // address: maps return addresses to functions for backtraces.
  std::vector<std::pair<uintptr_t, uint32_t>> function_starts_;
  friend class ModuleLoader;
};

class Memory {
 public:
  // Reserves the 32-bit index space plus a guard region. Null on failure.
  static std::shared_ptr<Memory> create(const abi::MemoryType& type, std::string* error);
  ~Memory();
  uint8_t* data() const { return state_.base; }
  uint64_t sizeBytes() const { return state_.size_bytes; }
  uint32_t sizePages() const { return static_cast<uint32_t>(state_.size_bytes >> 16); }
  // Returns the old size in pages, or UINT32_MAX if the maximum (or the
  // embedder's limit) would be exceeded.
  uint32_t grow(uint32_t delta_pages);
  abi::MemoryType type() const;  // current size as min
  abi::LinearMemoryState* state() { return &state_; }
  void setPageLimit(uint64_t pages) { page_limit_ = pages; }

 private:
  Memory() = default;
  abi::LinearMemoryState state_{};
  uint64_t reserved_bytes_ = 0;
  std::optional<uint64_t> max_pages_;
  bool shared_ = false;
  std::mutex grow_mutex_;  // a shared memory may be grown from several threads
  uint64_t page_limit_ = 65536;
};

class Table {
 public:
  static std::shared_ptr<Table> create(const abi::TableType& type, void* init);
  ValType elementType() const { return element_; }
  uint32_t size() const { return state_.size; }
  void* get(uint32_t index) const { return state_.elements[index]; }
  void set(uint32_t index, void* value) { state_.elements[index] = value; }
  uint32_t grow(uint32_t delta, void* init);  // old size or UINT32_MAX
  abi::TableType type() const;  // current size as min
  abi::TableState* state() { return &state_; }

 private:
  Table() = default;
  ValType element_ = ValType::FuncRef;
  abi::TableState state_{};
  std::vector<void*> storage_;
  // Function references stored in this table must stay alive as long as it.
  std::vector<std::shared_ptr<void>> keep_alive_;
  friend class Instance;
};

class Global {
 public:
  static std::shared_ptr<Global> create(const abi::GlobalType& type, Value initial);
  const abi::GlobalType& type() const { return type_; }
  Value get() const { return {type_.type, cell_.bits, type_.type == ValType::V128 ? cell_.high : 0}; }
  void set(Value v) {
    cell_.bits = v.bits;
    cell_.high = v.high;
  }
  abi::GlobalCell* cell() { return &cell_; }

 private:
  abi::GlobalType type_;
  abi::GlobalCell cell_{};
};

class Instance;

// A function that can be imported: an export of another instance or a host
// function. `ref` is what the importing instance copies into its function
// table; `owner` keeps whatever it points into alive.
struct Function {
  abi::FuncType type;
  abi::FuncRef ref{};
  std::shared_ptr<void> owner;
};

// A host function callback. `slots` holds the arguments on entry and takes
// the results (same encoding as Value::bits). Return a Trap to trap.
using HostCallback = std::function<std::optional<Trap>(Instance* caller, std::span<uint64_t> slots)>;

// Makes a Function from a callback. The code pointer is filled in per
// importing module (from its descriptor's host adapters) at instantiation.
Function makeHostFunction(abi::FuncType type, HostCallback callback);

// An exception tag (exception handling). Its identity is the object: an
// instance creates one per tag it defines; importing a tag shares it.
struct Tag {
  abi::FuncType type;       // the payload's types (no results)
  uint32_t slot_count = 0;  // abi::slotCount(type.params)
  std::string name;         // for messages: how the defining module exports it, or "tag N"
};

struct Extern {
  abi::ExternKind kind = abi::ExternKind::Function;
  Function function;
  std::shared_ptr<Table> table;
  std::shared_ptr<Memory> memory;
  std::shared_ptr<Global> global;
  std::shared_ptr<Tag> tag;
};

// wasi-threads (docs/THREADS.md): `wasi.thread-spawn(start_arg) -> tid`
// makes a new instance of the same module, with the same imports (the
// shared memory among them) and the same WASI state, and runs its exported
// `wasi_thread_start(tid, start_arg)` on a new native thread.
struct WasiThreadsConfig {
  // Threads running at once, the main one included (iwasm's --max-threads);
  // thread-spawn returns a negative value past it.
  uint32_t max_threads = 64;
  // Native stack of each spawned thread (wasm frames and host calls).
  uint64_t thread_stack_bytes = 8u << 20;
  // A spawned thread that traps or calls proc_exit ends the whole process.
  // This is called on that thread first (tid, and its outcome: Trapped or
  // Exited) and must not return; unset, the runtime prints the trap as
  // `wasmaot run` does and calls _exit(70), or _exit(status).
  std::function<void(int32_t tid, const CallOutcome& outcome)> on_thread_end;
};
struct ThreadGroup;

// What the importer may use, by (module, name).
class Imports {
 public:
  void define(const std::string& module, const std::string& name, Extern value);
  const Extern* find(const std::string& module, const std::string& name) const;
  // Serve `wasi_snapshot_preview1` (and `wasi_unstable`) imports from a WASI
  // host with this configuration (wasi.h). A memory page limit in it also
  // becomes this object's memory page limit.
  void enableWasi(WasiConfig config);
  // Convenience: arguments and environment only, no preopens.
  void enableWasi(std::vector<std::string> args, std::vector<std::string> env);
  bool wasiEnabled() const { return wasi_enabled_; }
  const WasiConfig& wasiConfig() const { return wasi_config_; }
  const std::vector<std::string>& wasiArgs() const { return wasi_config_.args; }
  const std::vector<std::string>& wasiEnv() const { return wasi_config_.env; }
  // Upper bound (in 64 KiB pages) for the memories the instance defines,
  // at creation and on growth; instantiation fails if a minimum exceeds it.
  void setMemoryPageLimit(uint64_t pages) { memory_page_limit_ = pages; }
  uint64_t memoryPageLimit() const { return memory_page_limit_; }
  // Serve `wasi.thread-spawn` (wasi-threads). Needs WASI.
  void enableWasiThreads(WasiThreadsConfig config);
  bool wasiThreadsEnabled() const { return threads_ != nullptr; }
  // Whether any thread was spawned (an embedder then ends the process with
  // _exit rather than return from main while guest threads still run).
  bool threadsSpawned() const;

 private:
  std::shared_ptr<ThreadGroup> threads_;
  friend class Instance;
  friend void rememberThreadImports(ThreadGroup* group, const Imports& imports);
  std::map<std::pair<std::string, std::string>, Extern> entries_;
  uint64_t memory_page_limit_ = 65536;
  bool wasi_enabled_ = false;
  WasiConfig wasi_config_;
};

struct InstantiateResult {
  enum class Kind {
    Ok,
    LinkError,  // a missing or mistyped import ("unknown import", "incompatible import type")
    Trapped,    // a segment out of bounds or the start function trapped
    Exited,     // the start function called proc_exit
  };
  Kind kind = Kind::Ok;
  std::shared_ptr<Instance> instance;  // set when Ok
  std::string message;                 // LinkError
  Trap trap;                           // Trapped
  int exit_status = 0;                 // Exited
};

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  static InstantiateResult instantiate(std::shared_ptr<LoadedModule> module, const Imports& imports);
  // wasi-threads: a new thread's instance, sharing `wasi_state` (wasi_threads.cpp).
  static InstantiateResult instantiateThread(std::shared_ptr<LoadedModule> module, const Imports& imports,
                                             ThreadGroup* group, std::shared_ptr<void> wasi_state);
  std::shared_ptr<LoadedModule> modulePointer() const { return module_; }
  ~Instance();

  const LoadedModule& module() const { return *module_; }
  std::optional<Extern> exportNamed(const std::string& name);
  // Calls an exported function. Argument types are checked.
  CallOutcome call(const std::string& export_name, std::span<const Value> args);
  CallOutcome callFunction(uint32_t function_index, std::span<const Value> args);
  abi::VMContext* context() { return &ctx_; }
  Memory* memory() { return memories_.empty() ? nullptr : memories_[0].get(); }
  // Embedder data, e.g. the WASI host's per-instance state.
  void* hostData() const { return host_data_; }
  void setHostData(void* data) { host_data_ = data; }

 private:
  Instance() = default;
  static InstantiateResult instantiateImpl(std::shared_ptr<LoadedModule> module, const Imports& imports,
                                           ThreadGroup* group, std::shared_ptr<void> shared_wasi_state);
  std::shared_ptr<LoadedModule> module_;
  abi::VMContext ctx_{};
  std::vector<abi::FuncRef> functions_;
  std::vector<std::shared_ptr<void>> function_owners_;
  std::vector<std::shared_ptr<Table>> tables_;
  std::vector<abi::TableState*> table_states_;
  std::vector<std::shared_ptr<Memory>> memories_;
  std::vector<abi::LinearMemoryState*> memory_states_;  // VMContext::memories
  std::vector<std::shared_ptr<Global>> globals_;
  std::vector<abi::GlobalCell*> global_cells_;
  std::vector<std::shared_ptr<Tag>> tags_;
  std::vector<void*> tag_pointers_;  // VMContext::tags
  std::vector<uint32_t> type_ids_;
  std::vector<bool> dropped_data_;
  std::vector<bool> dropped_elements_;
  // Evaluated items of every element segment (FuncRef* or externref bits).
  std::vector<std::vector<void*>> element_items_;
  void* host_data_ = nullptr;
  std::shared_ptr<void> wasi_state_;       // shared by every thread of a guest
  std::shared_ptr<void> wasi_poll_state_;  // this instance's (thread's) own
  friend struct RuntimeHelpers;
  friend struct WasiHost;
};

// Process-wide canonical id for a function type (structural equality).
uint32_t canonicalTypeId(const abi::FuncType& type);

// A short hex tag of the running CPU's features as the loader sees them
// (cpuid); equal tags mean a module compiled natively on one machine loads
// on the other. Used in compile-cache keys.
std::string hostCpuSignature();

}  // namespace wasmaot::runtime
