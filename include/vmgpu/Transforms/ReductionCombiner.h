//===- ReductionCombiner.h - the combining part of a reduction body -*- C++ -*-===//

#ifndef VMGPU_TRANSFORMS_REDUCTIONCOMBINER_H
#define VMGPU_TRANSFORMS_REDUCTIONCOMBINER_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Builders.h"
#include "mlir/Support/LLVM.h"

namespace vmgpu {

/// The part of a reduction body that combines an element's contribution
/// with the accumulator: the ops that depend on the accumulator and the ops
/// that derive the values they use from one root value, the contribution
/// (the element itself for vm.reduce, the product for vm.dot, the element
/// widened to f32 for a 16-bit float sum). Cloned with the contribution
/// replaced by a partial result, they combine two partial results with the
/// same scalar semantics as the body (the contract's NaN and signed-zero
/// rules included), which is what a split or cross-lane reduction needs.
struct ReductionCombiner {
  /// The combining ops, in body order.
  llvm::SmallVector<mlir::Operation *> ops;
  /// The root value the combining ops derive from, of the accumulator's
  /// type.
  mlir::Value contribution;
  /// The accumulator (the body's block argument) and the combined value
  /// (the body's yielded value).
  mlir::Value accumulator;
  mlir::Value result;

  /// Clones the combining ops at `b`'s insertion point with the
  /// contribution replaced by `partial` and the accumulator by
  /// `accumulated`; returns the combined value.
  mlir::Value combine(mlir::OpBuilder &b, mlir::Value partial,
                      mlir::Value accumulated) const;
};

/// The combining part of `body` (one accumulator, `accumulator`, the body's
/// only yielded value computed from it); failure when the body has ops with
/// regions or no value of the accumulator's type from which every other
/// input of the combining ops derives.
mlir::FailureOr<ReductionCombiner> extractReductionCombiner(
    mlir::Block &body, mlir::Value accumulator);

/// The same for a body with several yielded values (a scan's body yields
/// the new accumulator and the element it writes): `result` is the new
/// accumulator; only the ops it depends on are combining ops.
mlir::FailureOr<ReductionCombiner>
extractReductionCombiner(mlir::Block &body, mlir::Value accumulator,
                         mlir::Value result);

} // namespace vmgpu

#endif // VMGPU_TRANSFORMS_REDUCTIONCOMBINER_H
