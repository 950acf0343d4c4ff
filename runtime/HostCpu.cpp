//===- HostCpu.cpp - the CPU features a block's code needs ----------------===//

#include "vmgpu/runtime/HostCpu.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <array>
#include <cstdint>

namespace vmgpu::runtime {
namespace {

#if defined(__x86_64__)
/// Where CPUID reports a feature: a leaf (and subleaf), a register, a bit;
/// and the register state the OS must save for it (XCR0 bits, 0: none).
struct CpuidBit {
  const char *name;
  unsigned leaf, subleaf;
  enum Register { Eax, Ebx, Ecx, Edx } reg;
  unsigned bit;
  uint64_t osState;
};

/// XMM and YMM state; and the AVX-512 opmask and ZMM state on top.
constexpr uint64_t kAvxState = 0x6, kAvx512State = 0xe6;

/// The features code generation uses without intrinsics, by LLVM's names
/// (lib/Target/Cpu turns the others it could use off). CPUID is read
/// directly, as LLVM's host detection does, so the answer does not depend
/// on which libgcc or compiler-rt knows which names.
constexpr std::array<CpuidBit, 28> kFeatures = {{
    {"sse3", 1, 0, CpuidBit::Ecx, 0, 0},
    {"ssse3", 1, 0, CpuidBit::Ecx, 9, 0},
    {"fma", 1, 0, CpuidBit::Ecx, 12, kAvxState},
    {"sse4.1", 1, 0, CpuidBit::Ecx, 19, 0},
    {"sse4.2", 1, 0, CpuidBit::Ecx, 20, 0},
    {"movbe", 1, 0, CpuidBit::Ecx, 22, 0},
    {"popcnt", 1, 0, CpuidBit::Ecx, 23, 0},
    {"avx", 1, 0, CpuidBit::Ecx, 28, kAvxState},
    {"f16c", 1, 0, CpuidBit::Ecx, 29, kAvxState},
    {"bmi", 7, 0, CpuidBit::Ebx, 3, 0},
    {"avx2", 7, 0, CpuidBit::Ebx, 5, kAvxState},
    {"bmi2", 7, 0, CpuidBit::Ebx, 8, 0},
    {"avx512f", 7, 0, CpuidBit::Ebx, 16, kAvx512State},
    {"avx512dq", 7, 0, CpuidBit::Ebx, 17, kAvx512State},
    {"avx512ifma", 7, 0, CpuidBit::Ebx, 21, kAvx512State},
    {"avx512cd", 7, 0, CpuidBit::Ebx, 28, kAvx512State},
    {"avx512bw", 7, 0, CpuidBit::Ebx, 30, kAvx512State},
    {"avx512vl", 7, 0, CpuidBit::Ebx, 31, kAvx512State},
    {"avx512vbmi", 7, 0, CpuidBit::Ecx, 1, kAvx512State},
    {"avx512vbmi2", 7, 0, CpuidBit::Ecx, 6, kAvx512State},
    {"gfni", 7, 0, CpuidBit::Ecx, 8, 0},
    {"avx512vnni", 7, 0, CpuidBit::Ecx, 11, kAvx512State},
    {"avx512bitalg", 7, 0, CpuidBit::Ecx, 12, kAvx512State},
    {"avx512vpopcntdq", 7, 0, CpuidBit::Ecx, 14, kAvx512State},
    {"avx512fp16", 7, 0, CpuidBit::Edx, 23, kAvx512State},
    {"avxvnni", 7, 1, CpuidBit::Eax, 4, kAvxState},
    {"avx512bf16", 7, 1, CpuidBit::Eax, 5, kAvx512State},
    {"lzcnt", 0x80000001, 0, CpuidBit::Ecx, 5, 0},
}};

/// The register state the OS saves on context switches (XGETBV of XCR0),
/// 0 without OSXSAVE: AVX code on an OS that does not save YMM is no AVX.
uint64_t osSavedState() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27)))
    return 0;
  unsigned low, high;
  __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return (uint64_t(high) << 32) | low;
}

/// Which of kFeatures this CPU has, read once (the CPU does not change).
const std::array<bool, kFeatures.size()> &presentFeatures() {
  static const std::array<bool, kFeatures.size()> present = [] {
    std::array<bool, kFeatures.size()> found{};
    uint64_t saved = osSavedState();
    for (size_t index = 0; index < kFeatures.size(); ++index) {
      const CpuidBit &feature = kFeatures[index];
      unsigned registers[4] = {0, 0, 0, 0};
      found[index] =
          __get_cpuid_count(feature.leaf, feature.subleaf, &registers[0],
                            &registers[1], &registers[2], &registers[3]) &&
          (registers[feature.reg] & (1u << feature.bit)) &&
          (saved & feature.osState) == feature.osState;
    }
    return found;
  }();
  return present;
}
#endif

} // namespace

std::vector<std::string> checkedHostCpuFeatures() {
  std::vector<std::string> names;
#if defined(__x86_64__)
  for (const CpuidBit &feature : kFeatures)
    names.push_back(feature.name);
#endif
  return names;
}

std::optional<bool> hostCpuHasFeature(std::string_view feature) {
#if defined(__x86_64__)
  for (size_t index = 0; index < kFeatures.size(); ++index)
    if (feature == kFeatures[index].name)
      return presentFeatures()[index];
#endif
  (void)feature;
  return std::nullopt;
}

std::vector<std::string>
missingHostCpuFeatures(const std::vector<std::string> &features) {
  std::vector<std::string> missing;
  for (const std::string &feature : features) {
    std::optional<bool> present = hostCpuHasFeature(feature);
    if (present && !*present)
      missing.push_back(feature);
  }
  return missing;
}

} // namespace vmgpu::runtime
