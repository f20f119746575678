// wasi-threads: `wasi.thread-spawn(start_arg) -> tid`, as wasi-sdk's
// wasm32-wasi-threads target and WAMR define it. Each guest thread is a new
// instance of the module made with the main instance's imports (so it
// imports the same shared memory) and sharing its WASI state (one fd table,
// one policy), running `wasi_thread_start(tid, start_arg)` on a native
// thread of its own. A thread that traps or calls proc_exit ends the whole
// process (docs/THREADS.md).
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>

#include "runtime_private.h"
#include "wasi/wasi_context.h"

namespace wasmaot::runtime {

// Thread ids are positive and below 2^29, as the wasi-threads proposal says
// (wasi-libc keeps the top bits for its own use).
constexpr int32_t kMaxThreadId = (1 << 29) - 1;
// What thread-spawn returns on failure: a negative WASI errno (EAGAIN),
// which wasi-libc's pthread_create reports as EAGAIN.
constexpr int32_t kSpawnFailed = -6;

struct ThreadGroup : std::enable_shared_from_this<ThreadGroup> {
  WasiThreadsConfig config;
  std::mutex mutex;
  // The main instance's imports, taken when it was instantiated, without
  // the group itself (no reference cycle); each thread is made with them.
  std::optional<Imports> imports;
  std::atomic<uint32_t> running{1};  // the main thread included
  std::atomic<int32_t> next_tid{1};
  std::atomic<bool> spawned{false};
  std::atomic<bool> ending{false};
};

void Imports::enableWasiThreads(WasiThreadsConfig config) {
  threads_ = std::make_shared<ThreadGroup>();
  threads_->config = std::move(config);
}

bool Imports::threadsSpawned() const { return threads_ && threads_->spawned.load(); }

void rememberThreadImports(ThreadGroup* group, const Imports& imports) {
  std::lock_guard lock(group->mutex);
  if (group->imports) return;
  group->imports = imports;
  group->imports->threads_.reset();
}

namespace {

// Set by wasmaot.thread_exit just before it unwinds the thread's wasm
// frames like proc_exit does; the thread then ends normally.
thread_local bool t_thread_exit = false;

void threadExit(abi::VMContext*) {
  t_thread_exit = true;
  raiseExit(0);
}

struct ThreadStart {
  std::shared_ptr<ThreadGroup> group;
  std::shared_ptr<Instance> instance;
  int32_t tid;
  uint32_t start_arg;
};

void printTrap(int32_t tid, const Trap& trap) {
  std::fprintf(stderr, "error: trap in thread %d: %s\n", tid, trap.message.c_str());
  const auto& frames = trap.backtrace;
  for (size_t i = 0; i < frames.size();) {
    size_t run = 1;
    while (i + run < frames.size() && frames[i + run] == frames[i]) ++run;
    std::fprintf(stderr, "    at %s\n", frames[i].c_str());
    if (run > 1) std::fprintf(stderr, "    ... %zu more frame%s like the one above\n", run - 1, run > 2 ? "s" : "");
    i += run;
  }
}

// A spawned thread trapped or called proc_exit: the process ends. Only the
// first thread to get here reports; any other waits for the end.
[[noreturn]] void endProcess(ThreadGroup& group, int32_t tid, const CallOutcome& outcome) {
  if (group.ending.exchange(true)) {
    for (;;) pause();
  }
  if (group.config.on_thread_end) group.config.on_thread_end(tid, outcome);
  std::fflush(stdout);
  if (outcome.kind == CallOutcome::Kind::Trapped) {
    printTrap(tid, outcome.trap);
    _exit(abi::kTrapExitStatus);
  }
  _exit(outcome.exit_status);
}

void* threadMain(void* arg) {
  std::unique_ptr<ThreadStart> start(static_cast<ThreadStart*>(arg));
  const Value args[2] = {Value::i32(static_cast<uint32_t>(start->tid)), Value::i32(start->start_arg)};
  CallOutcome outcome = start->instance->call("wasi_thread_start", args);
  bool ended_itself = outcome.kind == CallOutcome::Kind::Exited && t_thread_exit;
  if (outcome.kind != CallOutcome::Kind::Returned && !ended_itself) endProcess(*start->group, start->tid, outcome);
  start->instance.reset();
  start->group->running.fetch_sub(1);
  return nullptr;
}

int32_t spawn(ThreadGroup& group, Instance* caller, uint32_t start_arg) {
  if (group.running.fetch_add(1) >= group.config.max_threads) {
    group.running.fetch_sub(1);
    return kSpawnFailed;
  }
  auto fail = [&] {
    group.running.fetch_sub(1);
    return kSpawnFailed;
  };
  int32_t tid = group.next_tid.fetch_add(1);
  if (tid <= 0 || tid > kMaxThreadId) return fail();
  const Imports* imports = nullptr;
  {
    std::lock_guard lock(group.mutex);
    if (group.imports) imports = &*group.imports;
  }
  if (!imports) return fail();
  // From now on several threads may use the fd table at once.
  WasiHost::of(WasiHost::context(caller))->fds().setThreaded();
  group.spawned = true;
  InstantiateResult made =
      Instance::instantiateThread(caller->modulePointer(), *imports, &group, WasiHost::sharedState(caller));
  if (made.kind != InstantiateResult::Kind::Ok) return fail();

  auto start = std::make_unique<ThreadStart>(ThreadStart{group.shared_from_this(), made.instance, tid, start_arg});
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, static_cast<size_t>(group.config.thread_stack_bytes));
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, threadMain, start.get());
  pthread_attr_destroy(&attr);
  if (rc != 0) return fail();
  start.release();  // the thread owns it now
  return tid;
}

bool exportsThreadStart(const abi::ModuleInfo& info) {
  for (const abi::Export& e : info.exports) {
    if (e.name != "wasi_thread_start") continue;
    if (e.kind != abi::ExternKind::Function || e.index >= info.function_types.size()) return false;
    const abi::FuncType& t = info.types[info.function_types[e.index]];
    return t.params == std::vector<ValType>{ValType::I32, ValType::I32} && t.results.empty();
  }
  return false;
}

}  // namespace

bool bindThreadSpawn(ThreadGroup* group, const abi::FuncType& type, Instance* caller, void* adapter,
                     abi::FuncRef* out, std::shared_ptr<void>* owner, std::string* error) {
  if (type.params != std::vector<ValType>{ValType::I32} || type.results != std::vector<ValType>{ValType::I32}) {
    *error = "incompatible import type (wasi-threads wants (i32) -> i32) for";
    return false;
  }
  if (!exportsThreadStart(caller->module().info())) {
    *error = "no `wasi_thread_start` export of type (i32, i32) -> () (needed by wasi-threads) for";
    return false;
  }
  std::shared_ptr<ThreadGroup> keep = group->shared_from_this();
  Function f = makeHostFunction(type, [keep](Instance* from, std::span<uint64_t> slots) -> std::optional<Trap> {
    slots[0] = static_cast<uint32_t>(spawn(*keep, from, static_cast<uint32_t>(slots[0])));
    return std::nullopt;
  });
  return bindHostFunction(f, caller, adapter, out, owner);
}

bool bindThreadExit(const abi::FuncType& type, Instance* caller, abi::FuncRef* out, std::string* error) {
  if (!type.params.empty() || !type.results.empty()) {
    *error = "incompatible import type (wasmaot.thread_exit wants () -> ()) for";
    return false;
  }
  out->code = reinterpret_cast<void*>(&threadExit);
  out->ctx = WasiHost::context(caller);
  out->reserved = 0;
  out->tail_code = nullptr;
  return true;
}

}  // namespace wasmaot::runtime
