// The running CPU's features, found with cpuid/xgetbv (no LLVM), under the
// names LLVM uses in a target feature string ("+avx2,+bmi2,-avx512f,...").
// The loader compares a .so's recorded feature list against them and refuses
// a module that needs a feature this CPU lacks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasmaot::runtime {

class CpuFeatures {
 public:
  // What this CPU (and the OS: AVX and AVX-512 need their register state
  // enabled in XCR0) supports. Detected once.
  static const CpuFeatures& host();
  // A made-up CPU with exactly these features (LLVM names), for tests.
  static CpuFeatures withFeatures(const std::vector<std::string_view>& names);

  // true/false for a feature name the runtime knows how to check; nullopt
  // for a name it does not know (the loader treats that as missing).
  std::optional<bool> has(std::string_view llvm_name) const;

  // A short stable hex tag of the detected feature set, for cache keys.
  std::string signature() const;

 private:
  uint64_t bits_[4] = {};
};

// The required features ("+name" entries) of an LLVM feature string that
// `cpu` lacks or that the runtime does not know, in the order listed.
std::vector<std::string> missingCpuFeatures(std::string_view llvm_features, const CpuFeatures& cpu);

// nullopt if a module built for (target_cpu, llvm_features) can run on `cpu`;
// otherwise one line: "needs CPU features avx2, bmi2 that this CPU lacks; ...".
std::optional<std::string> cpuFeatureProblem(std::string_view target_cpu, std::string_view llvm_features,
                                             const CpuFeatures& cpu);

}  // namespace wasmaot::runtime
