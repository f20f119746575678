// Atomics and wait/notify under contention, across real threads (label
// `threads`): compiles contention.wat's module with the real compiler, makes
// one shared memory and gives each of N threads its own instance importing
// it, then checks
//   - 8 threads x 100,000 i32.atomic.rmw.add give exactly 800,000;
//   - a lock built on cmpxchg + wait32 + notify loses no update of a plain
//     counter (8 threads x 20,000 increments);
//   - threads parked in wait32 (a futex) or wait64 (the runtime's parking
//     lot) are woken by notify (result 0, "ok"), and the counts notify
//     reports add up to the four waiters;
//   - a wait nobody notifies times out (result 2) after its timeout.
//   threads_contention FILE.wasm WORK_DIR
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "wasmaot/compiler/compile.h"
#include "wasmaot/runtime/runtime.h"

using namespace wasmaot;
using runtime::Value;

namespace {

int g_failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++g_failures;
}

struct Shared {
  std::shared_ptr<runtime::LoadedModule> module;
  std::shared_ptr<runtime::Memory> memory;
};

std::shared_ptr<runtime::Instance> newInstance(const Shared& shared) {
  runtime::Imports imports;
  runtime::Extern memory;
  memory.kind = abi::ExternKind::Memory;
  memory.memory = shared.memory;
  imports.define("env", "memory", memory);
  runtime::InstantiateResult result = runtime::Instance::instantiate(shared.module, imports);
  if (result.kind != runtime::InstantiateResult::Kind::Ok) {
    std::fprintf(stderr, "instantiate failed: %s\n", result.message.c_str());
    std::exit(1);
  }
  return result.instance;
}

// call() takes a span: the arguments live here.
runtime::CallOutcome callWith(runtime::Instance& instance, const char* name, std::vector<Value> args) {
  return instance.call(name, args);
}

// Runs `body(instance)` on `threads` threads at once, each with its own instance.
template <typename Body>
void onThreads(const Shared& shared, int threads, Body body) {
  std::vector<std::shared_ptr<runtime::Instance>> instances;
  for (int i = 0; i < threads; ++i) instances.push_back(newInstance(shared));
  std::atomic<bool> go{false};
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      body(*instances[i], i);
    });
  }
  go = true;
  for (auto& t : workers) t.join();
}

uint32_t read(runtime::Instance& instance, uint32_t address) {
  runtime::CallOutcome out = callWith(instance, "read", {Value::i32(address)});
  return out.kind == runtime::CallOutcome::Kind::Returned ? static_cast<uint32_t>(out.results[0].bits) : ~0u;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: threads_contention FILE.wasm WORK_DIR\n");
    return 2;
  }
  std::FILE* file = std::fopen(argv[1], "rb");
  if (!file) return 2;
  std::vector<uint8_t> wasm;
  for (int c; (c = std::fgetc(file)) != EOF;) wasm.push_back(static_cast<uint8_t>(c));
  std::fclose(file);
  const std::string so = std::string(argv[2]) + "/contention.so";
  if (auto failure = compiler::compileToSharedObject(wasm, {}, so)) {
    std::fprintf(stderr, "compile failed: %s\n", failure->message.c_str());
    return 1;
  }
  std::string error;
  Shared shared;
  shared.module = runtime::LoadedModule::load(so, &error);
  abi::MemoryType type;
  type.limits = {1, 1};
  type.shared = true;
  shared.memory = runtime::Memory::create(type, &error);
  if (!shared.module || !shared.memory) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto observer = newInstance(shared);
  constexpr int kThreads = 8;

  onThreads(shared, kThreads, [](runtime::Instance& instance, int) { callWith(instance, "atomic_add", {Value::i32(100000)}); });
  check(read(*observer, 0) == kThreads * 100000u,
        "8 threads x 100,000 atomic adds: " + std::to_string(read(*observer, 0)) + " (expected 800000)");

  onThreads(shared, kThreads, [](runtime::Instance& instance, int) { callWith(instance, "locked_add", {Value::i32(20000)}); });
  check(read(*observer, 16) == kThreads * 20000u,
        "8 threads x 20,000 increments under a wait/notify lock: " + std::to_string(read(*observer, 16)) +
            " (expected 160000)");
  check(read(*observer, 8) == 0, "the lock is free at the end");

  // Four waiters on a flag that stays 0, woken by notifies alone: the
  // notifier repeats notify until it has woken all four, so a waiter that
  // parks late is woken by a later notify (no sleep to guess how long parking
  // takes). Each waiter must return 0 ("ok"), and the counts notify reports
  // must add up to exactly 4.
  for (const char* kind : {"32", "64"}) {
    const bool wide = std::string(kind) == "64";
    std::atomic<int> woken_ok{0};
    uint32_t reported = 0;
    onThreads(shared, 5, [&](runtime::Instance& instance, int i) {
      if (i < 4) {
        runtime::CallOutcome out = callWith(instance, wide ? "wait64_for_flag" : "wait_for_flag", {});
        if (out.kind == runtime::CallOutcome::Kind::Returned && out.results[0].bits == 0) ++woken_ok;
        return;
      }
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(9);
      while (reported < 4 && std::chrono::steady_clock::now() < give_up) {
        runtime::CallOutcome out = callWith(instance, wide ? "notify_32" : "notify_24", {Value::i32(4 - reported)});
        reported += static_cast<uint32_t>(out.results[0].bits);
        std::this_thread::yield();
      }
    });
    check(woken_ok == 4 && reported == 4, std::string("wait") + kind + ": notify woke " + std::to_string(reported) +
                                              " of 4 parked waiters in all; " + std::to_string(woken_ok.load()) +
                                              " returned 0 (ok)");
  }

  const auto started = std::chrono::steady_clock::now();
  runtime::CallOutcome timed = callWith(*observer, "wait_timeout", {});
  const double waited_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  check(timed.kind == runtime::CallOutcome::Kind::Returned && timed.results[0].bits == 2 && waited_ms >= 19,
        "a wait with a 20 ms timeout and no notify returned " + std::to_string(timed.results[0].bits) + " after " +
            std::to_string(static_cast<int>(waited_ms)) + " ms (expected 2, timed out)");

  std::printf(g_failures ? "%d check(s) failed\n" : "all contention checks passed\n", g_failures);
  return g_failures ? 1 : 0;
}
