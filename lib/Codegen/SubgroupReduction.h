//===- SubgroupReduction.h - one segment reduced by one subgroup -*- C++ -*-===//
//
// Private to lib/Codegen: the part the row and full reduction strategies
// share.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H
#define VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H

#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/IR/Builders.h"

namespace vmgpu {

/// Emits, at `b`'s insertion point inside a kernel, the reduction of one
/// segment of `length` (> 0) elements by the subgroup of `width` lanes that
/// `lane` belongs to. Lane l starts from `contribution(l)` (with l clamped
/// into the segment: lanes past a short segment compute a value nobody
/// takes), folds elements l + width, l + 2 width, ... with `fold(acc,
/// element)` in order, then the lanes' partials meet in a shuffle-down tree
/// combined by `combine(other lane's partial, this lane's partial)`.
/// Returns the partial of each lane; lane 0's is the segment's. Every lane
/// of the subgroup must reach this code.
mlir::Value emitSubgroupReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value lane,
    mlir::Value length, int64_t width,
    llvm::function_ref<mlir::Value(mlir::Value element)> contribution,
    llvm::function_ref<mlir::Value(mlir::Value accumulator,
                                   mlir::Value element)>
        fold,
    llvm::function_ref<mlir::Value(mlir::Value other, mlir::Value mine)>
        combine);

/// The same, with a reduction body's combining part as the combine.
mlir::Value emitSubgroupReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value lane,
    mlir::Value length, int64_t width,
    llvm::function_ref<mlir::Value(mlir::Value element)> contribution,
    llvm::function_ref<mlir::Value(mlir::Value accumulator,
                                   mlir::Value element)>
        fold,
    const ReductionCombiner &combiner);

/// Clones the ops of `body` that do not combine (those outside
/// `combiner.ops`) with its block arguments replaced by `args`, and returns
/// the contribution one element makes (e.g. the element widened to f32).
mlir::Value cloneContribution(mlir::OpBuilder &b, mlir::Block &body,
                              mlir::ValueRange args,
                              const ReductionCombiner &combiner);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H
