//===- CpuTargets.cpp - CPU descriptions for the CPU strategies -----------===//

#include "vmgpu/Codegen/CpuTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace vmgpu;

namespace {

// Cache sizes are the common case of each family, not measured: the tiles
// only need the right order of magnitude (L1 holds a register tile's
// operand panels, L2 a cache tile's).
constexpr CpuTargetDescription kSse = {128, 16, false, 32 * 1024,
                                       512 * 1024};
constexpr const char *kPmaddwd256 = "llvm.x86.avx2.pmadd.wd";
constexpr const char *kPmaddwd512 = "llvm.x86.avx512.pmaddw.d.512";
constexpr CpuTargetDescription kAvx2 = {256,       16,         true,
                                        32 * 1024, 512 * 1024, kPmaddwd256};
// AVX-512BW assumed (every AVX-512 core since Skylake-SP has it).
constexpr CpuTargetDescription kAvx512 = {512,       32,          true,
                                          32 * 1024, 1024 * 1024, kPmaddwd512};
constexpr CpuTargetDescription kNeon = {128, 32, true, 64 * 1024,
                                        1024 * 1024};

CpuTargetDescription describeHost() {
  llvm::Triple triple(llvm::sys::getProcessTriple());
  if (triple.isAArch64())
    return kNeon;
  if (!triple.isX86())
    return kSse;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  auto has = [&](llvm::StringRef name) { return features.lookup(name); };
  // lib/Target/Cpu hands the backend exactly these host features, and LLVM
  // then uses 512-bit registers when avx512f is on (the backend may still
  // prefer 256 bits for its own vectorizer; vector ops of 512 bits that the
  // strategies emit are kept whole).
  if (has("avx512f")) {
    CpuTargetDescription avx512 = kAvx512;
    if (!has("avx512bw"))
      avx512.pairMultiplyAdd = nullptr;
    return avx512;
  }
  if (has("avx2") && has("fma"))
    return kAvx2;
  if (has("avx"))
    return {256, 16, false, 32 * 1024, 512 * 1024};
  return kSse;
}

} // namespace

CpuTargetDescription vmgpu::getHostCpuTarget() {
  // The host does not change while the process runs.
  static const CpuTargetDescription host = describeHost();
  return host;
}

std::optional<CpuTargetDescription>
vmgpu::lookupCpuTarget(llvm::StringRef name) {
  if (name == "host")
    return getHostCpuTarget();
  return llvm::StringSwitch<std::optional<CpuTargetDescription>>(name)
      .Case("sse", kSse)
      .Case("avx2", kAvx2)
      .Case("avx512", kAvx512)
      .Case("neon", kNeon)
      .Default(std::nullopt);
}
