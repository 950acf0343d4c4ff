//===- AmdTargets.cpp - descriptions of AMD chips --------------------------===//

#include "vmgpu/Codegen/GpuTarget.h"

#include "llvm/ADT/StringSwitch.h"

using namespace vmgpu;

std::optional<GpuTargetDescription>
vmgpu::lookupAmdTarget(llvm::StringRef chip) {
  if (!chip.starts_with("gfx"))
    return std::nullopt;
  // CDNA and Vega (gfx9) run 64-wide wavefronts only; RDNA (gfx10+) is
  // compiled for wave32, as vm-to-rocdl tells the device libraries.
  bool wave64 = chip.starts_with("gfx9");
  int64_t computeUnits = llvm::StringSwitch<int64_t>(chip)
                             .Case("gfx908", 120)  // MI100
                             .Case("gfx90a", 110)  // MI210 .. MI250X (per die)
                             .Case("gfx940", 228)  // MI300A
                             .Case("gfx941", 304)
                             .Case("gfx942", 304)  // MI300X / MI325X
                             .Case("gfx950", 256)  // MI355X
                             .Case("gfx1100", 96)  // RX 7900 XTX
                             .Default(wave64 ? 120 : 48);
  return GpuTargetDescription{GpuVendor::Amd,
                              computeUnits,
                              /*subgroupSize=*/wave64 ? 64 : 32,
                              /*sharedMemoryPerBlock=*/64 * 1024,
                              /*maxThreadsPerBlock=*/1024,
                              /*maxThreadsPerProcessor=*/2048,
                              /*maxAccessBits=*/128};
}
