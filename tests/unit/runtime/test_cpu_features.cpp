// The loader's CPU feature check (runtime/src/cpu_features.h): which entries
// of a recorded LLVM feature string are requirements, unknown names, and the
// one-line refusal.
#include <doctest/doctest.h>

#include "../../../runtime/src/cpu_features.h"

using namespace wasmaot::runtime;

TEST_CASE("cpu features: the host has the x86-64 baseline") {
#if defined(__x86_64__)
  const CpuFeatures& host = CpuFeatures::host();
  for (const char* name : {"64bit", "x87", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2"}) {
    CAPTURE(name);
    CHECK(host.has(name) == std::optional<bool>(true));
  }
  CHECK(missingCpuFeatures("+cmov,+cx8,+fxsr,+mmx,+sse,+x87", host).empty());
  CHECK_FALSE(cpuFeatureProblem("x86-64", "+cmov,+cx8,+fxsr,+mmx,+sse,+x87", host).has_value());
  // Agrees with the compiler's view of this CPU for what both can see.
  CHECK(host.has("avx2") == std::optional<bool>(__builtin_cpu_supports("avx2") != 0));
  CHECK(host.has("popcnt") == std::optional<bool>(__builtin_cpu_supports("popcnt") != 0));
  CHECK(host.has("avx512f") == std::optional<bool>(__builtin_cpu_supports("avx512f") != 0));
  CHECK(host.signature().size() == 16);
#endif
}

TEST_CASE("cpu features: only +name entries are requirements") {
  CpuFeatures cpu = CpuFeatures::withFeatures({"sse", "sse2", "avx"});
  CHECK(missingCpuFeatures("", cpu).empty());
  CHECK(missingCpuFeatures("+sse2,-avx2,-avx512f", cpu).empty());
  CHECK(missingCpuFeatures("+sse2,+avx2,+avx,+bmi2", cpu) == std::vector<std::string>{"avx2", "bmi2"});
}

TEST_CASE("cpu features: a CPU that lacks a required feature is refused with one line") {
  CpuFeatures old_cpu = CpuFeatures::withFeatures({"sse", "sse2", "avx"});
  auto problem = cpuFeatureProblem("haswell", "+avx,+avx2,+bmi2,+sse2,-avx512f", old_cpu);
  REQUIRE(problem.has_value());
  CHECK(*problem ==
        "needs CPU features avx2, bmi2 that this CPU lacks (compiled for haswell); recompile with "
        "--target-cpu=portable or on this machine");
  CHECK(problem->find('\n') == std::string::npos);
}

TEST_CASE("cpu features: a made-up required feature is refused, a made-up disabled one ignored") {
  const CpuFeatures& host = CpuFeatures::host();
  CHECK(host.has("frobnicate") == std::nullopt);
  CHECK(missingCpuFeatures("-frobnicate", host).empty());
  auto problem = cpuFeatureProblem("x86-64", "+frobnicate", host);
  REQUIRE(problem.has_value());
  CHECK(problem->find("needs CPU feature frobnicate (unknown to this runtime) that this CPU lacks") !=
        std::string::npos);
}
