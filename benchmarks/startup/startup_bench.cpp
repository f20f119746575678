// startup_bench: in-process start-up cost of a compiled module, measured with
// the embedding API (runtime.h) and a monotonic clock.
//
//   startup_bench MODULE.so [N]
//
// MODULE.so is normally benchmarks/startup/empty.wat (an empty `_start` and a
// one-page memory) compiled by `wasmaot compile`. After one untimed warm-up
// load (the file is then in the OS page cache), it measures N times each
// (default 2000):
//
//   instantiate_run   module loaded once and kept: WASI imports +
//                     Instance::instantiate + call `_start` + destroy
//   load_cached_run   LoadedModule::load while another reference keeps the
//                     .so open (dlopen finds it loaded) + instantiate + run +
//                     destroy
//   load_full_run     nothing kept between iterations: load (dlopen, checks,
//                     decode) + instantiate + run + destroy + unload (dlclose)
//
// and prints one line per measurement plus a JSON object (last line):
//   {"first_load_ns":…, "instantiate_run":{"median_ns":…,"mean_ns":…,"p10_ns":…,
//    "p90_ns":…,"min_ns":…}, …}
// Exit status 0 ok, 1 on any failure (a load error, a trap, a non-zero exit).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "wasmaot/runtime/runtime.h"

namespace {

using Clock = std::chrono::steady_clock;
using wasmaot::runtime::CallOutcome;
using wasmaot::runtime::Imports;
using wasmaot::runtime::Instance;
using wasmaot::runtime::InstantiateResult;
using wasmaot::runtime::LoadedModule;

int64_t nsSince(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "startup_bench: %s\n", what.c_str());
  std::exit(1);
}

std::shared_ptr<LoadedModule> load(const std::string& path) {
  std::string error;
  auto module = LoadedModule::load(path, &error);
  if (!module) die(error);
  return module;
}

// WASI imports, instantiate, call _start, destroy the instance.
void instantiateAndRun(const std::shared_ptr<LoadedModule>& module, const std::string& path) {
  Imports imports;
  imports.enableWasi({path}, {});
  InstantiateResult inst = Instance::instantiate(module, imports);
  if (inst.kind != InstantiateResult::Kind::Ok) die("instantiate failed: " + inst.message);
  CallOutcome out = inst.instance->call("_start", {});
  if (out.kind == CallOutcome::Kind::Trapped) die("_start trapped: " + out.trap.message);
  if (out.kind == CallOutcome::Kind::Exited && out.exit_status != 0)
    die("_start exited with " + std::to_string(out.exit_status));
}

struct Stats {
  int64_t median, mean, p10, p90, min;
};

Stats stats(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  int64_t sum = 0;
  for (int64_t x : v) sum += x;
  size_t n = v.size();
  int64_t median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {median, sum / static_cast<int64_t>(n), v[n / 10], v[(n * 9) / 10], v[0]};
}

template <typename F>
Stats measure(int n, F&& f) {
  std::vector<int64_t> ns;
  ns.reserve(n);
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    f();
    ns.push_back(nsSince(t0));
  }
  return stats(std::move(ns));
}

std::string json(const Stats& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "{\"median_ns\":%lld,\"mean_ns\":%lld,\"p10_ns\":%lld,\"p90_ns\":%lld,\"min_ns\":%lld}",
                static_cast<long long>(s.median), static_cast<long long>(s.mean),
                static_cast<long long>(s.p10), static_cast<long long>(s.p90),
                static_cast<long long>(s.min));
  return buf;
}

void print(const char* name, const Stats& s) {
  std::printf("%-16s median %9.1f us   mean %9.1f us   p10 %9.1f us   p90 %9.1f us\n", name,
              s.median / 1e3, s.mean / 1e3, s.p10 / 1e3, s.p90 / 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: startup_bench MODULE.so [N]\n");
    return 2;
  }
  // dlopen needs a slash to avoid searching the library path.
  std::string path = argv[1];
  if (path.find('/') == std::string::npos) path = "./" + path;
  int n = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (n < 1) die("N must be at least 1");

  // Warm-up: the first load reads the file (into the page cache, if it was
  // not there) and runs the runtime's one-time set-up.
  auto t0 = Clock::now();
  {
    auto module = load(path);
    instantiateAndRun(module, path);
  }
  int64_t first = nsSince(t0);

  Stats inst_run, cached, full;
  {
    auto module = load(path);
    inst_run = measure(n, [&] { instantiateAndRun(module, path); });
    cached = measure(n, [&] { instantiateAndRun(load(path), path); });
  }
  full = measure(n, [&] { instantiateAndRun(load(path), path); });

  std::printf("first load+run   %9.1f us (one-time set-up included)\n", first / 1e3);
  print("instantiate_run", inst_run);
  print("load_cached_run", cached);
  print("load_full_run", full);
  std::printf("{\"n\":%d,\"first_load_ns\":%lld,\"instantiate_run\":%s,\"load_cached_run\":%s,"
              "\"load_full_run\":%s}\n",
              n, static_cast<long long>(first), json(inst_run).c_str(), json(cached).c_str(),
              json(full).c_str());
  return 0;
}
