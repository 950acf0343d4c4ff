//===- LibraryGemm.h - GEMMs through cuBLASLt on a device -------*- C++ -*-===//
//
// What `vmgpuGemm` (LibraryGemmAbi.h), the host call of the `library`
// contraction strategy, does: map the row-major-or-strided operands to
// cuBLASLt's column-major layouts, pick an algorithm once per problem and
// device, and queue cublasLtMatmul on the device's stream. Per device
// (a GpuDevice extension): one cuBLASLt handle, a workspace from the
// device's pool, and the plans made so far (descriptors and the algorithm
// chosen for them), kept for the device's lifetime so that a problem is
// always computed by the same algorithm: the same bits on every run; with
// an algorithm directory also across processes (LibraryAlgorithmStore.h).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_LIBRARYGEMM_H
#define VMGPU_RUNTIME_LIBRARYGEMM_H

#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/GemmProblem.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/LibraryGemmAbi.h"

#include <string>

namespace vmgpu::runtime {

/// The most workspace a cuBLASLt algorithm may ask for. Each call takes
/// what its algorithm needs from the device's pool, ordered on the calling
/// thread's stream (concurrent GEMMs on other streams have their own).
inline constexpr size_t kLibraryGemmWorkspaceBytes = size_t(32) << 20;

/// How the library strategy chooses its algorithms. Process-wide, like the
/// devices it applies to: the engine sets it from its options (its disk
/// cache directory, EngineOptions::libraryTuneCandidates), tools from their
/// flags; plans made after a change follow it.
struct LibraryGemmOptions {
  /// Where chosen algorithms are kept across processes
  /// (LibraryAlgorithmStore: one file per library version and device
  /// model); empty: each process chooses again, keeping its choices in
  /// memory.
  std::string algorithmDirectory;
  /// On the first call of a problem, run up to this many of the library's
  /// candidates on the call's operands, timed, and keep the fastest (a
  /// choice kept apart from untimed ones); 0 or 1: the heuristic's first.
  int tuneCandidates = 0;
};
/// The most candidates a tuning run times.
inline constexpr int kMaxLibraryTuneCandidates = 16;
void setLibraryGemmOptions(LibraryGemmOptions options);
LibraryGemmOptions libraryGemmOptions();

/// Queues `problem` on `device`'s stream through `library`. Unimplemented
/// for a type combination or a size the library cannot take (k = 0),
/// Internal for a layout no cuBLASLt layout fits or a failed library call;
/// the messages say which.
Status runLibraryGemm(GpuDevice &device, const CublasLt &library,
                      const GemmProblem &problem);

/// What `library` did on `device` so far (all 0 before its first GEMM).
struct LibraryGemmCounters {
  /// GEMMs queued.
  uint64_t calls = 0;
  /// Algorithm searches (cublasLtMatmulAlgoGetHeuristic): one per distinct
  /// problem without a usable record.
  uint64_t plansSearched = 0;
  /// Plans whose algorithm came from the records (LibraryAlgorithmStore).
  uint64_t plansStored = 0;
  /// Plans that timed candidates to choose (LibraryGemmOptions).
  uint64_t plansTuned = 0;
};
LibraryGemmCounters libraryGemmCounters(GpuDevice &device,
                                        const CublasLt &library);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_LIBRARYGEMM_H
