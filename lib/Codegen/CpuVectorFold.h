//===- CpuVectorFold.h - a segment folded with vectors -----------*- C++ -*-===//
//
// Private to lib/Codegen: the part the CPU reduction and softmax strategies
// share.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_CPUVECTORFOLD_H
#define VMGPU_LIB_CODEGEN_CPUVECTORFOLD_H

#include "mlir/IR/Builders.h"

namespace vmgpu {

/// How one segment is folded: what an element contributes and how it is
/// folded into an accumulator, each as a scalar (`vector` false) or for
/// `lanes` consecutive elements from an index (`vector` true), and how two
/// partial results (scalars or vectors of any width) combine.
struct VectorFoldFunctions {
  llvm::function_ref<mlir::Value(mlir::Value index, bool vector)> contribution;
  llvm::function_ref<mlir::Value(mlir::Value accumulator, mlir::Value index,
                                 bool vector)>
      fold;
  llvm::function_ref<mlir::Value(mlir::Value partial, mlir::Value accumulated)>
      combine;
  /// Turns the scalar the whole steps reduce to into a value of the
  /// accumulator type; none: it already is one. Lets the vector
  /// accumulators live in another domain than the scalar fold (the ordered
  /// integers of a float max).
  llvm::function_ref<mlir::Value(mlir::Value)> finishVector = nullptr;
};

/// Emits at `b`'s insertion point the fold of the `length` (> 0) elements
/// from `start`, in an order fixed by `length`, `lanes` and `accumulators`
/// alone: when there is at least one step of `accumulators x lanes`
/// elements, accumulator u starts from the contribution of the elements
/// [start + u lanes, start + (u + 1) lanes) and folds the same lanes of
/// every later whole step; the accumulators then combine pairwise
/// (u + 1 into u, then again), the lanes of the result by halves (upper
/// into lower). Otherwise the fold starts from the first element. Either
/// way the elements after the last whole step are folded one by one.
/// With `lanes` or `accumulators` 0, every element is folded one by one.
/// Returns the scalar of type `accumulatorType`.
mlir::Value emitVectorFold(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value start, mlir::Value length, int64_t lanes,
                           int64_t accumulators, mlir::Type accumulatorType,
                           const VectorFoldFunctions &functions);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_CPUVECTORFOLD_H
