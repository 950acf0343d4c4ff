//===- NvidiaTargets.cpp - descriptions of NVIDIA chips --------------------===//

#include "vmgpu/Codegen/GpuTarget.h"

using namespace vmgpu;

namespace {

struct NvidiaChip {
  int64_t computeCapability; // 90 for sm_90 and sm_90a
  int64_t multiprocessors;
  int64_t sharedMemoryPerBlock;
  int64_t threadsPerMultiprocessor;
};

// The largest product of each architecture (what vmgpu is tuned for); the
// heuristics only use the multiprocessor count to size grids, so a smaller
// part of the same architecture gets more blocks than it needs, not fewer.
constexpr NvidiaChip kChips[] = {
    {70, 80, 96 * 1024, 2048},   // V100
    {75, 72, 64 * 1024, 1024},   // T4 / RTX 6000
    {80, 108, 163 * 1024, 2048}, // A100
    {86, 84, 99 * 1024, 1536},   // RTX 3090 / A40
    {89, 142, 99 * 1024, 1536},  // L40 / RTX 4090
    {90, 132, 227 * 1024, 2048}, // H100 / H200 (both 132 SMs)
    {100, 148, 227 * 1024, 2048}, // B200
    {120, 188, 99 * 1024, 1536},  // RTX PRO 6000
};

} // namespace

std::optional<GpuTargetDescription>
vmgpu::lookupNvidiaTarget(llvm::StringRef chip) {
  if (!chip.consume_front("sm_"))
    return std::nullopt;
  unsigned capability = 0;
  // sm_90a, sm_100f: the suffix names a feature set, not another chip.
  llvm::StringRef digits = chip.take_while([](char c) { return c >= '0' && c <= '9'; });
  if (digits.empty() || digits.getAsInteger(10, capability))
    return std::nullopt;
  const NvidiaChip *best = &kChips[0];
  for (const NvidiaChip &candidate : kChips)
    if (candidate.computeCapability <= static_cast<int64_t>(capability))
      best = &candidate;
  return GpuTargetDescription{GpuVendor::Nvidia,
                              best->multiprocessors,
                              /*subgroupSize=*/32,
                              best->sharedMemoryPerBlock,
                              /*maxThreadsPerBlock=*/1024,
                              best->threadsPerMultiprocessor,
                              /*maxAccessBits=*/128,
                              /*hasMmaSync=*/capability >= 80};
}

std::optional<GpuTargetDescription>
vmgpu::lookupGpuTarget(llvm::StringRef chip) {
  if (std::optional<GpuTargetDescription> nvidia = lookupNvidiaTarget(chip))
    return nvidia;
  return lookupAmdTarget(chip);
}
