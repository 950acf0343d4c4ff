//===- LibraryGemm.h - which contractions a GEMM library takes --*- C++ -*-===//
//
// The `library` contraction strategy replaces a linalg contraction on
// buffers by a call of the runtime's GEMM (cuBLASLt on NVIDIA GPUs, a BLAS on
// the CPU; the ABI is include/vmgpu/runtime/LibraryGemmAbi.h). This header
// says which ops it takes (matchLibraryGemm), shared by the configuration
// choices (vm-gpu-select-lowering-config, vm-cpu-tile-contractions) and the
// lowerings (vm-gpu-lower-contractions-to-library,
// vm-cpu-lower-contractions-to-library), so that they never disagree.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_LIBRARYGEMM_H
#define VMGPU_CODEGEN_LIBRARYGEMM_H

#include "vmgpu/Codegen/ContractionStrategy.h"
#include "vmgpu/Codegen/GpuTarget.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/runtime/LibraryGemmAbi.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>
#include <string>

namespace vmgpu {

/// `auto` picks the library for contractions of at least this many
/// multiply-adds (batch x M x N x K; a size known only at run time counts as
/// large): below it a launch of either costs a few microseconds, and the
/// library's per-call host work (descriptors, the algorithm lookup) is not
/// worth it.
inline constexpr int64_t kAutoLibraryMinMacs = int64_t(64) * 64 * 64;

/// `auto` on the CPU picks the BLAS for contractions of at least this many
/// multiply-adds, 512 x 512 x 1024 (docs/cpu-path.md, section 2e, has the
/// measurement: the generated tiles ran 0.79-0.94 of the BLAS's time at
/// 512^3 and lost by 12-25% from 1024^3; smaller BLAS calls are slower
/// still: 1.2-40x at 32^3-192^3 before one-tile plans ran on the calling
/// thread, about 2x after). Below it the generated tiles are as fast and
/// keep the block free of the library. Static f32 convolutions are computed
/// in place instead (takesDirectConvolution in CpuTileContractions.cpp).
inline constexpr int64_t kAutoCpuLibraryMinMacs = int64_t(512) * 512 * 1024;

/// The library a contraction would be handed to.
enum class GemmLibrary {
  /// cuBLASLt, on an NVIDIA GPU (vmgpuGemm).
  CublasLt,
  /// A BLAS on the CPU (vmgpuCpuGemm).
  CpuBlas,
};

/// Where one operand's matrix lives in its memref: the memref dims of its
/// batch (-1: none, the matrix repeats), rows and columns.
struct LibraryGemmOperand {
  int64_t batchDim = -1;
  int64_t rowDim = 0;
  int64_t colDim = 1;
};

/// A contraction the library takes: C (m x n) += A (m x k) * B (k x n), per
/// batch.
struct LibraryGemm {
  GemmElementType aType = GemmElementType::F32;
  GemmElementType bType = GemmElementType::F32;
  GemmElementType cType = GemmElementType::F32;
  /// A's rows are m, columns k; B's rows k, columns n; C's rows m, columns n.
  LibraryGemmOperand a, b, c;
  /// batch x m x n x k when every size is static.
  std::optional<int64_t> staticMacs;
};

/// `op` as a GEMM of `library`: a contraction with one M, one N and one K
/// dim (and at most one batch dim present in every operand), a multiply-add
/// body (signed integer extension only), a combination of element types the
/// library takes (LibraryGemmAbi.h: isLibraryGemmTypeCombination for
/// cuBLASLt, isCpuLibraryGemmTypeCombination for the BLAS) and, for every
/// operand, a matrix dim of static unit stride (or static size 1), so that
/// the library can read it as a column-major matrix, transposed or not. On
/// tensors (the CPU's choice, before bufferization) operands count as
/// row-major. cuBLASLt's i8 x i8 -> i32 also needs what its integer kernels
/// ran on the H200: A contiguous along K and C along N, K and A's and B's
/// leading dimensions multiples of 4, and no static M or N of 1.
/// Otherwise failure, with the reason in `reason`.
mlir::FailureOr<LibraryGemm> matchLibraryGemm(mlir::linalg::LinalgOp op,
                                              GemmLibrary library,
                                              std::string &reason);

/// Whether `strategy` lowers `op` (a contraction whose configuration the
/// heuristics chose) through the library on `target`: never on AMD (no
/// hipBLASLt call yet), never for `generated`, for `library` whenever
/// matchLibraryGemm takes it, for `auto` from kAutoLibraryMinMacs up.
bool prefersLibraryGemm(mlir::linalg::LinalgOp op, ContractionStrategy strategy,
                        const GpuTargetDescription &target);

/// Whether `strategy` hands `op` to the CPU's BLAS: never for `generated`,
/// for `library` whenever matchLibraryGemm takes it (f32, f64), for `auto`
/// from kAutoCpuLibraryMinMacs up (or sizes known only at run time).
bool prefersCpuLibraryGemm(mlir::linalg::LinalgOp op,
                           ContractionStrategy strategy);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_LIBRARYGEMM_H
