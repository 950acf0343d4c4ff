//===- ReductionPlan.h - what a reduction strategy reads ---------*- C++ -*-===//
//
// Private to lib/Codegen: the checks and input classification the row,
// column and full reduction strategies share. A strategy states which
// loops stay parallel (the output's indexing map); the plan says how each
// input is read and how two partial results combine.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_REDUCTIONPLAN_H
#define VMGPU_LIB_CODEGEN_REDUCTIONPLAN_H

#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace vmgpu {

/// How a reduction kernel reads one input of the op.
enum class ReductionInput {
  /// Not a buffer: the value itself.
  Value,
  /// A contiguous buffer indexed by every loop in order.
  Element,
  /// A buffer indexed like the output, by the parallel loops alone (a
  /// per-row or per-column value, e.g. the row maximum softmax subtracts;
  /// a 0-d buffer in a full reduction). Contiguous unless 0-d.
  PerOutput,
};

struct ReductionPlan {
  llvm::SmallVector<ReductionInput> inputs;
  /// The body's combining part: how two partial results meet.
  ReductionCombiner combiner;
};

/// The plan of `op` when its one output is contiguous (or 0-d), indexed by
/// `outputMap`, holds integers or floats of at most 64 bits, at least one
/// input is an Element input, the body reads no linalg.index (unless
/// `allowIndex`: the strategy then gives the cloned body each element's
/// position) and its combining part can be extracted; failure (no
/// diagnostic: the strategy declines) otherwise.
mlir::FailureOr<ReductionPlan> planReduction(mlir::linalg::LinalgOp op,
                                             mlir::AffineMap outputMap,
                                             bool allowIndex = false);

/// True when every Element input of `plan` can be read `vectorWidth`
/// (> 1) elements at a time: element types packed in whole bytes (i1 is
/// not).
bool canReadVectors(mlir::linalg::LinalgOp op, const ReductionPlan &plan,
                    int64_t vectorWidth);

/// The number of leading loops of `op` whose iterator is `leading` when
/// they are followed only by loops of the other kind, and neither run is
/// empty; failure otherwise. A row reduction has parallel loops leading, a
/// column reduction reduction loops.
mlir::FailureOr<int64_t>
countLeadingLoops(mlir::linalg::LinalgOp op,
                  mlir::utils::IteratorType leading);

/// The body's block arguments of a reduction kernel, by input kind: a Value
/// input itself, `readElement(input, n, view)` for an Element input (the
/// n-th of them; `input` counts all inputs), `readPerOutput(input, view)`
/// for a PerOutput one; then `accumulator` in the output's slot. `views`
/// holds one value per input of the op, as the plan lists them.
llvm::SmallVector<mlir::Value> reductionBodyArguments(
    const ReductionPlan &plan, mlir::ValueRange views,
    llvm::function_ref<mlir::Value(unsigned input, unsigned n,
                                   mlir::Value view)>
        readElement,
    llvm::function_ref<mlir::Value(unsigned input, mlir::Value view)>
        readPerOutput,
    mlir::Value accumulator);

/// True (i1, uniform) when `length` is a multiple of `vectorWidth` and
/// every Element input's view (one view per input in `views`) starts on a
/// boundary of its `vectorWidth`-element access: the run-time condition
/// for reading every chunk with aligned vector loads.
mlir::Value vectorChunksAligned(mlir::OpBuilder &b, mlir::Location loc,
                                const ReductionPlan &plan,
                                mlir::ValueRange views, mlir::Value length,
                                int64_t vectorWidth);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_REDUCTIONPLAN_H
