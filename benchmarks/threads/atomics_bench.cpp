// Threads benchmark: wasm atomics against the same work in native C++ in the
// same run (issue 13's targets: within 1.2x of native).
//   - uncontended i32.atomic.rmw.add vs __atomic_fetch_add (ns per operation)
//   - a wait/notify ping-pong between two threads vs the same ping-pong on
//     Linux futexes (FUTEX_WAIT / FUTEX_WAKE), in µs per round trip
// Prints one JSON object. Each figure is the median of --rounds runs.
//   atomics_bench FILE.wasm WORK_DIR [ROUNDS]
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
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
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint32_t kRmwOps = 20'000'000;
constexpr uint32_t kRoundTrips = 5'000;

double seconds(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::shared_ptr<runtime::Instance> instanceOf(std::shared_ptr<runtime::LoadedModule> module,
                                              std::shared_ptr<runtime::Memory> memory) {
  runtime::Imports imports;
  runtime::Extern ext;
  ext.kind = abi::ExternKind::Memory;
  ext.memory = std::move(memory);
  imports.define("env", "memory", ext);
  runtime::InstantiateResult r = runtime::Instance::instantiate(module, imports);
  if (r.kind != runtime::InstantiateResult::Kind::Ok) {
    std::fprintf(stderr, "instantiate: %s\n", r.message.c_str());
    std::exit(1);
  }
  return r.instance;
}

void call(runtime::Instance& instance, const char* name, std::vector<Value> args) {
  if (instance.call(name, args).kind != runtime::CallOutcome::Kind::Returned) {
    std::fprintf(stderr, "%s did not return\n", name);
    std::exit(1);
  }
}

long futex(uint32_t* address, int op, uint32_t value) {
  return syscall(SYS_futex, address, op | FUTEX_PRIVATE_FLAG, value, nullptr, nullptr, 0);
}

// The native ping-pong: the same protocol as atomics.wat's ping_pong.
void nativePingPong(uint32_t* turn, uint32_t me, uint32_t rounds) {
  for (uint32_t i = 0; i < rounds; ++i) {
    while (__atomic_load_n(turn, __ATOMIC_SEQ_CST) != me) futex(turn, FUTEX_WAIT, me ^ 1);
    __atomic_store_n(turn, me ^ 1, __ATOMIC_SEQ_CST);
    futex(turn, FUTEX_WAKE, 1);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: atomics_bench FILE.wasm WORK_DIR [ROUNDS]\n");
    return 2;
  }
  const int rounds = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  std::FILE* file = std::fopen(argv[1], "rb");
  if (!file) return 2;
  std::vector<uint8_t> wasm;
  for (int c; (c = std::fgetc(file)) != EOF;) wasm.push_back(static_cast<uint8_t>(c));
  std::fclose(file);
  const std::string so = std::string(argv[2]) + "/atomics_bench.so";
  if (auto failure = compiler::compileToSharedObject(wasm, {}, so)) {
    std::fprintf(stderr, "compile: %s\n", failure->message.c_str());
    return 1;
  }
  std::string error;
  auto module = runtime::LoadedModule::load(so, &error);
  abi::MemoryType type;
  type.limits = {1, 1};
  type.shared = true;
  auto memory = runtime::Memory::create(type, &error);
  if (!module || !memory) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  auto a = instanceOf(module, memory), b = instanceOf(module, memory);
  auto* turn = reinterpret_cast<uint32_t*>(memory->data() + 8);

  std::vector<double> wasm_rmw, native_rmw, wasm_pp, native_pp;
  alignas(64) static uint32_t native_counter = 0;
  alignas(64) static uint32_t native_turn = 0;
  for (int r = 0; r < rounds; ++r) {  // interleaved: wasm, native, wasm, native ...
    auto t0 = Clock::now();
    call(*a, "rmw_loop", {Value::i32(kRmwOps)});
    wasm_rmw.push_back(seconds(t0) / kRmwOps * 1e9);
    t0 = Clock::now();
    for (uint32_t i = 0; i < kRmwOps; ++i) __atomic_fetch_add(&native_counter, 1, __ATOMIC_SEQ_CST);
    native_rmw.push_back(seconds(t0) / kRmwOps * 1e9);

    // The two ping-pongs take turns going first, so neither always runs on
    // a scheduler warmed up by the other.
    auto wasm_ping_pong = [&] {
      *turn = 0;
      auto start = Clock::now();
      std::thread other([&] { call(*b, "ping_pong", {Value::i32(1), Value::i32(kRoundTrips)}); });
      call(*a, "ping_pong", {Value::i32(0), Value::i32(kRoundTrips)});
      other.join();
      wasm_pp.push_back(seconds(start) / kRoundTrips * 1e6);
    };
    auto native_ping_pong = [&] {
      native_turn = 0;
      auto start = Clock::now();
      std::thread native_other([&] { nativePingPong(&native_turn, 1, kRoundTrips); });
      nativePingPong(&native_turn, 0, kRoundTrips);
      native_other.join();
      native_pp.push_back(seconds(start) / kRoundTrips * 1e6);
    };
    if (r % 2 == 0) {
      wasm_ping_pong();
      native_ping_pong();
    } else {
      native_ping_pong();
      wasm_ping_pong();
    }
  }
  const double rmw_w = median(wasm_rmw), rmw_n = median(native_rmw);
  const double pp_w = median(wasm_pp), pp_n = median(native_pp);
  std::printf(
      "{\"rounds\": %d, \"rmw_ops\": %u, \"round_trips\": %u, \"wasm_rmw_ns\": %.3f, \"native_rmw_ns\": %.3f, "
      "\"rmw_ratio\": %.3f, \"wasm_round_trip_us\": %.3f, \"native_round_trip_us\": %.3f, \"round_trip_ratio\": %.3f}\n",
      rounds, kRmwOps, kRoundTrips, rmw_w, rmw_n, rmw_w / rmw_n, pp_w, pp_n, pp_w / pp_n);
  return 0;
}
