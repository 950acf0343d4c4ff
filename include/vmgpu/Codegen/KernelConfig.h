//===- KernelConfig.h - classify linalg ops and choose configurations -*- C++ -*-===//

#ifndef VMGPU_CODEGEN_KERNELCONFIG_H
#define VMGPU_CODEGEN_KERNELCONFIG_H

#include "vmgpu/Codegen/GpuTarget.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace vmgpu {

/// The class of `op`, from its iterator types, indexing maps and kind alone
/// (never from sizes). Thread-safe.
OpClass classifyOp(mlir::linalg::LinalgOp op);

/// The configuration the heuristics choose for `op` of class `opClass` on
/// `target`: a small table per class, from the element types, the shape
/// where it is static and the chip's processor count and subgroup size.
/// The choice depends only on these, so a block compiles the same way
/// every time (DESIGN.md, "Determinism"). Thread-safe.
LoweringConfig chooseLoweringConfig(mlir::linalg::LinalgOp op,
                                    OpClass opClass,
                                    const GpuTargetDescription &target);

/// The configuration of a linalg.softmax (class softmax) of `elementType`
/// on `target`.
LoweringConfig chooseSoftmaxConfig(const GpuTargetDescription &target,
                                   mlir::Type elementType);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_KERNELCONFIG_H
