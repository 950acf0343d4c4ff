//===- ContractionPlan.h - matrix products as kernels see them -*- C++ -*-===//
//
// Private to lib/Codegen. What the contraction strategies need to know about
// a linalg op: its batch, M, N and K loops, how each input is laid out, and
// the scalar multiply-add of its body. Shared by the heuristics (which pick
// a contraction strategy only for ops that it plans) and the strategies.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_CONTRACTIONPLAN_H
#define VMGPU_LIB_CODEGEN_CONTRACTIONPLAN_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace vmgpu {

/// A (batched) matrix product C[b, m, n] += cvt(A[.., m|k ..]) *
/// cvt(B[.., k|n ..]) whose body is one multiply and one add in the
/// accumulator type, after per-input conversions (extf, extsi, ...).
struct ContractionPlan {
  /// Loop positions.
  std::optional<unsigned> batchLoop;
  unsigned mLoop, nLoop, kLoop;
  /// True when the input's innermost dim is K (A[m][k], or B[n][k] for a
  /// transposed B); false when it is M (A^T: A[k][m]) or N (B[k][n]).
  bool lhsKInnermost, rhsKInnermost;
  /// The type of the accumulator (the output's element type).
  mlir::Type accumulatorType;
  /// The body's conversions of each input to the accumulator type, from
  /// the block argument outwards (empty when the input already has it).
  llvm::SmallVector<mlir::Operation *> lhsConversions, rhsConversions;

  bool isFloat() const { return mlir::isa<mlir::FloatType>(accumulatorType); }
};

/// The plan of `op`, or failure when `op` is not such a contraction (any
/// other body, layouts where M, N or K is not one loop, more than one batch
/// loop, a batch loop that is not the outermost dim of every operand, an
/// accumulator that is not f32, f64, i32 or i64).
mlir::FailureOr<ContractionPlan> planContraction(mlir::linalg::LinalgOp op);

/// The element type both inputs of `op` share when tensor cores compute its
/// product exactly as the body does: f16 or bf16 extended (`extf`) to an
/// f32 accumulator, or i8 sign-extended (`extsi`) to an i32 accumulator;
/// null otherwise.
mlir::Type tensorCoreInputType(mlir::linalg::LinalgOp op,
                               const ContractionPlan &plan);

/// The `linalg.fill` of `op`'s output that `op` starts from
/// (`findOutputFill`) with a value of the accumulator type: a contraction
/// kernel then starts its accumulators from that value and replaces the
/// fill. Null when there is none, or when an input of `op` views the
/// output's buffer.
mlir::linalg::FillOp precedingFill(mlir::linalg::LinalgOp op,
                                   mlir::Type accumulatorType);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_CONTRACTIONPLAN_H
