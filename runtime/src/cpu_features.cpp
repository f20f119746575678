// CPU feature detection for the loader (see cpu_features.h): cpuid leaves 1,
// 7.0, 7.1, 0xD.1, 0x14, 0x19, 0x24, 0x80000001 and 0x80000008, and XCR0 for
// the register state the OS enables. Every name below is one LLVM 19 puts in
// a host or CPU feature string on x86-64; a name not in the table is unknown
// and a module that requires it is refused.
#include "cpu_features.h"

#include "wasmaot/runtime/runtime.h"

#include <array>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace wasmaot::runtime {
namespace {

enum class Reg : uint8_t {
  L1C, L1D,          // leaf 1 ECX, EDX
  L70B, L70C, L70D,  // leaf 7 subleaf 0
  L71A, L71D,        // leaf 7 subleaf 1
  LD1A,              // leaf 0xD subleaf 1 EAX (XSAVE variants)
  L14B,              // leaf 0x14 EBX (processor trace)
  L19B,              // leaf 0x19 EBX (Key Locker)
  L24B,              // leaf 0x24 EBX (AVX10 vector lengths)
  E1C, E1D,          // leaf 0x80000001 ECX, EDX
  E8B,               // leaf 0x80000008 EBX
  Count
};

// Register state the OS must have enabled (XCR0) for the feature to work.
enum class Os : uint8_t { None, Xsave, Avx, Avx512, Amx, Apx };

struct FeatureBit {
  const char* name;  // LLVM's spelling
  Reg reg;
  uint8_t bit;
  Os os;
};

constexpr FeatureBit kFeatures[] = {
    {"64bit", Reg::E1D, 29, Os::None},
    {"x87", Reg::L1D, 0, Os::None},
    {"cx8", Reg::L1D, 8, Os::None},
    {"cmov", Reg::L1D, 15, Os::None},
    {"mmx", Reg::L1D, 23, Os::None},
    {"fxsr", Reg::L1D, 24, Os::None},
    {"sse", Reg::L1D, 25, Os::None},
    {"sse2", Reg::L1D, 26, Os::None},
    {"sse3", Reg::L1C, 0, Os::None},
    {"pclmul", Reg::L1C, 1, Os::None},
    {"ssse3", Reg::L1C, 9, Os::None},
    {"fma", Reg::L1C, 12, Os::Avx},
    {"cx16", Reg::L1C, 13, Os::None},
    {"sse4.1", Reg::L1C, 19, Os::None},
    {"sse4.2", Reg::L1C, 20, Os::None},
    {"crc32", Reg::L1C, 20, Os::None},  // the CRC32 instruction is part of SSE4.2
    {"movbe", Reg::L1C, 22, Os::None},
    {"popcnt", Reg::L1C, 23, Os::None},
    {"aes", Reg::L1C, 25, Os::None},
    {"xsave", Reg::L1C, 26, Os::Xsave},
    {"avx", Reg::L1C, 28, Os::Avx},
    {"f16c", Reg::L1C, 29, Os::Avx},
    {"rdrnd", Reg::L1C, 30, Os::None},
    {"fsgsbase", Reg::L70B, 0, Os::None},
    {"sgx", Reg::L70B, 2, Os::None},
    {"bmi", Reg::L70B, 3, Os::None},
    {"avx2", Reg::L70B, 5, Os::Avx},
    {"bmi2", Reg::L70B, 8, Os::None},
    {"invpcid", Reg::L70B, 10, Os::None},
    {"rtm", Reg::L70B, 11, Os::None},
    {"avx512f", Reg::L70B, 16, Os::Avx512},
    {"evex512", Reg::L70B, 16, Os::Avx512},  // 512-bit EVEX: any AVX-512F CPU
    {"avx512dq", Reg::L70B, 17, Os::Avx512},
    {"rdseed", Reg::L70B, 18, Os::None},
    {"adx", Reg::L70B, 19, Os::None},
    {"avx512ifma", Reg::L70B, 21, Os::Avx512},
    {"clflushopt", Reg::L70B, 23, Os::None},
    {"clwb", Reg::L70B, 24, Os::None},
    {"avx512pf", Reg::L70B, 26, Os::Avx512},
    {"avx512er", Reg::L70B, 27, Os::Avx512},
    {"avx512cd", Reg::L70B, 28, Os::Avx512},
    {"sha", Reg::L70B, 29, Os::None},
    {"avx512bw", Reg::L70B, 30, Os::Avx512},
    {"avx512vl", Reg::L70B, 31, Os::Avx512},
    {"prefetchwt1", Reg::L70C, 0, Os::None},
    {"avx512vbmi", Reg::L70C, 1, Os::Avx512},
    {"pku", Reg::L70C, 4, Os::None},  // OSPKE: protection keys enabled by the OS
    {"waitpkg", Reg::L70C, 5, Os::None},
    {"avx512vbmi2", Reg::L70C, 6, Os::Avx512},
    {"shstk", Reg::L70C, 7, Os::None},
    {"gfni", Reg::L70C, 8, Os::None},
    {"vaes", Reg::L70C, 9, Os::Avx},
    {"vpclmulqdq", Reg::L70C, 10, Os::Avx},
    {"avx512vnni", Reg::L70C, 11, Os::Avx512},
    {"avx512bitalg", Reg::L70C, 12, Os::Avx512},
    {"avx512vpopcntdq", Reg::L70C, 14, Os::Avx512},
    {"rdpid", Reg::L70C, 22, Os::None},
    {"kl", Reg::L70C, 23, Os::None},
    {"cldemote", Reg::L70C, 25, Os::None},
    {"movdiri", Reg::L70C, 27, Os::None},
    {"movdir64b", Reg::L70C, 28, Os::None},
    {"enqcmd", Reg::L70C, 29, Os::None},
    {"uintr", Reg::L70D, 5, Os::None},
    {"avx512vp2intersect", Reg::L70D, 8, Os::Avx512},
    {"serialize", Reg::L70D, 14, Os::None},
    {"tsxldtrk", Reg::L70D, 16, Os::None},
    {"pconfig", Reg::L70D, 18, Os::None},
    {"amx-bf16", Reg::L70D, 22, Os::Amx},
    {"avx512fp16", Reg::L70D, 23, Os::Avx512},
    {"amx-tile", Reg::L70D, 24, Os::Amx},
    {"amx-int8", Reg::L70D, 25, Os::Amx},
    {"sha512", Reg::L71A, 0, Os::Avx},
    {"sm3", Reg::L71A, 1, Os::Avx},
    {"sm4", Reg::L71A, 2, Os::Avx},
    {"raoint", Reg::L71A, 3, Os::None},
    {"avxvnni", Reg::L71A, 4, Os::Avx},
    {"avx512bf16", Reg::L71A, 5, Os::Avx512},
    {"cmpccxadd", Reg::L71A, 7, Os::None},
    {"amx-fp16", Reg::L71A, 21, Os::Amx},
    {"hreset", Reg::L71A, 22, Os::None},
    {"avxifma", Reg::L71A, 23, Os::Avx},
    {"avxvnniint8", Reg::L71D, 4, Os::Avx},
    {"avxneconvert", Reg::L71D, 5, Os::Avx},
    {"amx-complex", Reg::L71D, 8, Os::Amx},
    {"avxvnniint16", Reg::L71D, 10, Os::Avx},
    {"prefetchi", Reg::L71D, 14, Os::None},
    {"usermsr", Reg::L71D, 15, Os::None},
    {"egpr", Reg::L71D, 21, Os::Apx},
    {"push2pop2", Reg::L71D, 21, Os::Apx},
    {"ppx", Reg::L71D, 21, Os::Apx},
    {"ndd", Reg::L71D, 21, Os::Apx},
    {"ccmp", Reg::L71D, 21, Os::Apx},
    {"cf", Reg::L71D, 21, Os::Apx},
    {"nf", Reg::L71D, 21, Os::Apx},
    {"zu", Reg::L71D, 21, Os::Apx},
    {"avx10.1-256", Reg::L24B, 17, Os::Avx512},
    {"avx10.1-512", Reg::L24B, 18, Os::Avx512},
    {"xsaveopt", Reg::LD1A, 0, Os::Xsave},
    {"xsavec", Reg::LD1A, 1, Os::Xsave},
    {"xsaves", Reg::LD1A, 3, Os::Xsave},
    {"ptwrite", Reg::L14B, 4, Os::None},
    {"widekl", Reg::L19B, 2, Os::None},
    {"sahf", Reg::E1C, 0, Os::None},
    {"lzcnt", Reg::E1C, 5, Os::None},
    {"sse4a", Reg::E1C, 6, Os::None},
    {"prfchw", Reg::E1C, 8, Os::None},
    {"xop", Reg::E1C, 11, Os::Avx},
    {"lwp", Reg::E1C, 15, Os::None},
    {"fma4", Reg::E1C, 16, Os::Avx},
    {"tbm", Reg::E1C, 21, Os::None},
    {"mwaitx", Reg::E1C, 29, Os::None},
    {"clzero", Reg::E8B, 0, Os::None},
    {"rdpru", Reg::E8B, 4, Os::None},
    {"wbnoinvd", Reg::E8B, 9, Os::None},
};
constexpr size_t kNumFeatures = sizeof(kFeatures) / sizeof(kFeatures[0]);
static_assert(kNumFeatures <= 256, "CpuFeatures keeps 256 bits");

std::optional<size_t> featureIndex(std::string_view name) {
  for (size_t i = 0; i < kNumFeatures; ++i) {
    if (name == kFeatures[i].name) return i;
  }
  return std::nullopt;
}

#if defined(__x86_64__)
struct Cpuid {
  std::array<uint32_t, static_cast<size_t>(Reg::Count)> regs{};
  uint64_t xcr0 = 0;
  bool osxsave = false;
};

Cpuid readCpuid() {
  Cpuid c;
  auto reg = [&](Reg r) -> uint32_t& { return c.regs[static_cast<size_t>(r)]; };
  // Each cpuid instruction traps to the hypervisor in a VM (microseconds
  // each, on every start of every run), so the highest leaves are read once
  // instead of by __get_cpuid_count for every leaf. Absent leaves read as 0.
  const unsigned max_basic = __get_cpuid_max(0, nullptr);
  const unsigned max_extended = __get_cpuid_max(0x80000000, nullptr);
  unsigned a = 0, b = 0, cx = 0, d = 0;
  auto leaf = [&](unsigned number, unsigned subleaf) {
    const unsigned max = number >= 0x80000000 ? max_extended : max_basic;
    if (number > max) return false;
    __cpuid_count(number, subleaf, a, b, cx, d);
    return true;
  };
  if (leaf(1, 0)) {
    reg(Reg::L1C) = cx;
    reg(Reg::L1D) = d;
    c.osxsave = (cx >> 27) & 1;
  }
  unsigned max_subleaf7 = 0;
  if (leaf(7, 0)) {
    max_subleaf7 = a;
    reg(Reg::L70B) = b;
    reg(Reg::L70C) = cx;
    reg(Reg::L70D) = d;
  }
  if (max_subleaf7 >= 1 && leaf(7, 1)) {
    reg(Reg::L71A) = a;
    reg(Reg::L71D) = d;
  }
  if (leaf(0xD, 1)) reg(Reg::LD1A) = a;
  if (leaf(0x14, 0)) reg(Reg::L14B) = b;
  if (leaf(0x19, 0)) reg(Reg::L19B) = b;
  // Leaf 0x24 exists only on AVX10 CPUs (leaf 7.1 EDX bit 19).
  if (((reg(Reg::L71D) >> 19) & 1) && leaf(0x24, 0)) reg(Reg::L24B) = b;
  if (leaf(0x80000001, 0)) {
    reg(Reg::E1C) = cx;
    reg(Reg::E1D) = d;
  }
  if (leaf(0x80000008, 0)) reg(Reg::E8B) = b;
  if (c.osxsave) {
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    c.xcr0 = (uint64_t{hi} << 32) | lo;
  }
  return c;
}

bool osSupports(const Cpuid& c, Os os) {
  constexpr uint64_t kSse = 1u << 1, kYmm = 1u << 2, kOpmask = 1u << 5, kZmmHi256 = 1u << 6, kHi16Zmm = 1u << 7;
  constexpr uint64_t kTileCfg = 1u << 17, kTileData = 1u << 18, kApx = 1u << 19;
  auto all = [&](uint64_t mask) { return c.osxsave && (c.xcr0 & mask) == mask; };
  switch (os) {
    case Os::None: return true;
    case Os::Xsave: return c.osxsave;
    case Os::Avx: return all(kSse | kYmm);
    case Os::Avx512: return all(kSse | kYmm | kOpmask | kZmmHi256 | kHi16Zmm);
    case Os::Amx: return all(kTileCfg | kTileData);
    case Os::Apx: return all(kApx);
  }
  return false;
}
#endif

}  // namespace

const CpuFeatures& CpuFeatures::host() {
  static const CpuFeatures detected = [] {
    CpuFeatures features;
#if defined(__x86_64__)
    Cpuid c = readCpuid();
    for (size_t i = 0; i < kNumFeatures; ++i) {
      const FeatureBit& f = kFeatures[i];
      bool present = (c.regs[static_cast<size_t>(f.reg)] >> f.bit) & 1;
      if (present && osSupports(c, f.os)) features.bits_[i / 64] |= uint64_t{1} << (i % 64);
    }
#endif
    return features;
  }();
  return detected;
}

CpuFeatures CpuFeatures::withFeatures(const std::vector<std::string_view>& names) {
  CpuFeatures features;
  for (std::string_view name : names) {
    if (auto i = featureIndex(name)) features.bits_[*i / 64] |= uint64_t{1} << (*i % 64);
  }
  return features;
}

std::optional<bool> CpuFeatures::has(std::string_view llvm_name) const {
#if defined(__x86_64__)
  auto i = featureIndex(llvm_name);
  if (!i) return std::nullopt;
  return ((bits_[*i / 64] >> (*i % 64)) & 1) != 0;
#else
  (void)llvm_name;
  return std::nullopt;
#endif
}

std::string CpuFeatures::signature() const {
  uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a over the feature bits
  for (uint64_t word : bits_) {
    for (int byte = 0; byte < 8; ++byte) {
      hash ^= (word >> (byte * 8)) & 0xff;
      hash *= 0x100000001b3ull;
    }
  }
  static const char kHex[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) text[i] = kHex[hash & 0xf];
  return text;
}

std::vector<std::string> missingCpuFeatures(std::string_view llvm_features, const CpuFeatures& cpu) {
  std::vector<std::string> missing;
  while (!llvm_features.empty()) {
    size_t comma = llvm_features.find(',');
    std::string_view item = llvm_features.substr(0, comma);
    llvm_features = comma == std::string_view::npos ? std::string_view{} : llvm_features.substr(comma + 1);
    // Only "+name" entries are requirements; "-name" turns a feature off.
    if (item.size() < 2 || item.front() != '+') continue;
    std::string_view name = item.substr(1);
    if (cpu.has(name) != std::optional<bool>(true)) missing.emplace_back(name);
  }
  return missing;
}

std::optional<std::string> cpuFeatureProblem(std::string_view target_cpu, std::string_view llvm_features,
                                             const CpuFeatures& cpu) {
  std::vector<std::string> missing = missingCpuFeatures(llvm_features, cpu);
  if (missing.empty()) return std::nullopt;
  std::string list;
  for (const std::string& name : missing) {
    if (!list.empty()) list += ", ";
    list += name;
    if (!cpu.has(name).has_value()) list += " (unknown to this runtime)";
  }
  std::string text = "needs CPU feature";
  if (missing.size() > 1) text += "s";
  text += " " + list + " that this CPU lacks";
  if (!target_cpu.empty()) text += " (compiled for " + std::string(target_cpu) + ")";
  text += "; recompile with --target-cpu=portable or on this machine";
  return text;
}

std::string hostCpuSignature() { return CpuFeatures::host().signature(); }

}  // namespace wasmaot::runtime
