//===- CpuTarget.h - what code generation knows about a CPU ------*- C++ -*-===//
//
// The numbers the CPU strategies read: vector width, register count, cache
// sizes. The host's description comes from LLVM's view of the host CPU, the
// same one lib/Target/Cpu hands the backend, so the tiles match the
// instructions the backend may use.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_CPUTARGET_H
#define VMGPU_CODEGEN_CPUTARGET_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>

namespace vmgpu {

/// A CPU as the heuristics see it. Plain values: copy freely.
struct CpuTargetDescription {
  /// Width of the widest vector register the backend may use, in bits
  /// (128: SSE/NEON, 256: AVX2, 512: AVX-512).
  int64_t vectorBits;
  /// Vector registers of that width.
  int64_t vectorRegisters;
  /// Whether a fused multiply-add instruction exists (else the FMA of a
  /// contraction is a call or two roundings; the tiles stay the same).
  bool hasFma;
  /// Per-core data caches, in bytes.
  int64_t l1Bytes;
  int64_t l2Bytes;
  /// The LLVM intrinsic that multiplies pairs of i16 and adds each pair
  /// into an i32 lane over a whole vector register (x86's pmaddwd), for
  /// CpuPairedIntegerContraction.h; null where there is none.
  const char *pairMultiplyAdd = nullptr;
};

/// The description of the CPU this process runs on.
CpuTargetDescription getHostCpuTarget();

/// `host`, or a fixed description by name (`avx2`, `avx512`, `sse`,
/// `neon`) for tests; nullopt for other names.
std::optional<CpuTargetDescription> lookupCpuTarget(llvm::StringRef name);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CPUTARGET_H
