//===- CpuKernelConfig.h - configurations of the CPU strategies --*- C++ -*-===//

#ifndef VMGPU_CODEGEN_CPUKERNELCONFIG_H
#define VMGPU_CODEGEN_CPUKERNELCONFIG_H

#include "vmgpu/Codegen/CpuTarget.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace vmgpu {

/// Whether `op`'s element types suit the tiled contraction strategy: one
/// result (the accumulator) of 32 or 64 bits, float or integer, and inputs of
/// the same kind, 8 bits wide or more and no wider than it.
bool hasCpuTiledContractionTypes(mlir::linalg::LinalgOp op);

/// Whether the tiled CPU contraction strategy takes `op`: a two-sided
/// contraction (matmul, batch_matmul, transposed operands) with one M, one
/// N and one K dim, N contiguous in the result, f32 operands and result.
bool isCpuTiledContraction(mlir::linalg::LinalgOp op);

/// The register tile of the CPU contractions for accumulators of
/// `accumulatorBits`: rows (M) x columns (N), two vectors along N and as
/// many rows as leave registers for the loads.
std::pair<int64_t, int64_t> cpuRegisterTile(const CpuTargetDescription &target,
                                            int64_t accumulatorBits);

/// The configuration of `op` on `target`: `cpu_tiled_contraction` with
/// cache tiles (M, N and batch over threads, K) and register tiles (M x N
/// accumulators sized from the vector width, K = 1) when
/// isCpuTiledContraction holds; for row and full reductions (vm.dot too)
/// `cpu_vector_reduction` and for column reductions `cpu_column_reduction`
/// (segments in `cache_tiles`, accumulators x lanes in `register_tiles`,
/// lanes in `vector_width`), else `fallback`. Depends only on the op's
/// types, static sizes and `target` (DESIGN.md, "Determinism").
LoweringConfig chooseCpuLoweringConfig(mlir::linalg::LinalgOp op,
                                       const CpuTargetDescription &target);

/// The configuration of a softmax on `target` (linalg.softmax is not a
/// LinalgOp): `cpu_row_softmax`, a register tile of four vectors of the
/// type the row computes in (f32 for 16-bit floats) on the innermost dim.
LoweringConfig chooseCpuSoftmaxConfig(mlir::linalg::SoftmaxOp op,
                                      const CpuTargetDescription &target);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CPUKERNELCONFIG_H
