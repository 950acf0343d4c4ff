//===- SubgroupReduction.h - one segment reduced by one subgroup -*- C++ -*-===//
//
// Private to lib/Codegen: the part the row and full reduction strategies
// share.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H
#define VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H

#include "KernelBuilding.h"
#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// The same with the reads of an element apart from its fold: lane l folds
/// elements l + width, l + 2 width, ... `unroll` at a time, reading them
/// all (`read(element)`, e.g. vector loads) before folding them in order
/// (`fold(acc, values read)`), so their loads are in flight together. The
/// order of the folds, hence the result, does not depend on `unroll` or
/// `tail` (emitUnrolledFold).
mlir::Value emitSubgroupReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value lane,
    mlir::Value length, int64_t width, int64_t unroll,
    llvm::function_ref<mlir::Value(mlir::Value element)> contribution,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value element)>
        read,
    llvm::function_ref<mlir::Value(mlir::Value accumulator,
                                   mlir::ValueRange values)>
        fold,
    llvm::function_ref<mlir::Value(mlir::Value other, mlir::Value mine)>
        combine,
    FoldTail tail = FoldTail::OneAtATime);

/// The same, with a reduction body's combining part as the combine.
mlir::Value emitSubgroupReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value lane,
    mlir::Value length, int64_t width,
    llvm::function_ref<mlir::Value(mlir::Value element)> contribution,
    llvm::function_ref<mlir::Value(mlir::Value accumulator,
                                   mlir::Value element)>
        fold,
    const ReductionCombiner &combiner);

/// The reduction of a segment of `chunks` (> 0) chunks of `vectorWidth`
/// elements by one subgroup with `op`'s body: lane l folds chunks l,
/// l + width, ... (each chunk's elements in order), `unroll` chunks loaded
/// before they are folded, then the shuffle tree combines the lanes with
/// `combiner`. `readChunk(chunk)` loads a chunk (e.g. one vector per input);
/// `arguments(loaded, k, accumulator)` gives the body's block arguments for
/// element k of it, and `loopIndices(loaded, k)` its position for a body
/// that reads linalg.index. Returns each lane's partial; lane 0's is the
/// segment's.
mlir::Value emitSubgroupChunkReduction(
    mlir::OpBuilder &b, mlir::Location loc, mlir::linalg::LinalgOp op,
    const ReductionCombiner &combiner, mlir::Value lane, mlir::Value chunks,
    int64_t width, int64_t vectorWidth, int64_t unroll,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value chunk)>
        readChunk,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(
        mlir::ValueRange loaded, int64_t k, mlir::Value accumulator)>
        arguments,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::ValueRange loaded,
                                                      int64_t k)>
        loopIndices = nullptr);

/// Clones the ops of `body` that do not combine (those outside
/// `combiner.ops`) with its block arguments replaced by `args`, and returns
/// the contribution one element makes (e.g. the element widened to f32).
/// `loopIndices` stand for linalg.index, as in cloneBody.
mlir::Value cloneContribution(mlir::OpBuilder &b, mlir::Block &body,
                              mlir::ValueRange args,
                              const ReductionCombiner &combiner,
                              llvm::ArrayRef<mlir::Value> loopIndices = {});

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_SUBGROUPREDUCTION_H
