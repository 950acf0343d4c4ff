//===- GpuTarget.h - what code generation knows about a GPU chip -*- C++ -*-===//
//
// One description per chip: the numbers the per-class heuristics read. The
// tables live in lib/Codegen/NvidiaTargets.cpp and AmdTargets.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_GPUTARGET_H
#define VMGPU_CODEGEN_GPUTARGET_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace vmgpu {

/// The GPU families vmgpu generates code for.
enum class GpuVendor { Nvidia, Amd };

/// A chip as the heuristics see it. Plain values: copy freely.
struct GpuTargetDescription {
  GpuVendor vendor;
  /// Streaming multiprocessors (NVIDIA) or compute units (AMD).
  int64_t processorCount;
  /// Threads of a warp (32) or wavefront (64 on CDNA, 32 on RDNA).
  int64_t subgroupSize;
  /// Shared memory (LDS) one block may use, in bytes.
  int64_t sharedMemoryPerBlock;
  /// Threads one block may have.
  int64_t maxThreadsPerBlock;
  /// Threads resident on one processor at once.
  int64_t maxThreadsPerProcessor;
  /// The widest global load or store one thread issues, in bits.
  int64_t maxAccessBits;
  /// Warp-level tensor-core products with `mma.sync` m16n8k16 (f16, bf16)
  /// and m16n8k32 (s8), `ldmatrix` and `cp.async`: NVIDIA sm_80 and later.
  bool hasMmaSync = false;
};

/// The description of the NVIDIA chip `chip` (`sm_80`, `sm_90a`, ...): the
/// chip's own numbers when it is known, else those of the nearest
/// architecture below it; nullopt when `chip` is not an `sm_` name.
std::optional<GpuTargetDescription> lookupNvidiaTarget(llvm::StringRef chip);

/// The description of the AMD chip `chip` (`gfx90a`, `gfx942`, `gfx1100`,
/// ...): known chips by name, others by family (gfx9: wave64, gfx10 and
/// later: wave32); nullopt when `chip` is not a `gfx` name.
std::optional<GpuTargetDescription> lookupAmdTarget(llvm::StringRef chip);

/// Either of the above, by the chip's name.
std::optional<GpuTargetDescription> lookupGpuTarget(llvm::StringRef chip);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_GPUTARGET_H
