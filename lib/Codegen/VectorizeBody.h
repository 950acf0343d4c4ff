//===- VectorizeBody.h - scalar body ops cloned on vectors -------*- C++ -*-===//
//
// Private to lib/Codegen: the CPU strategies run a linalg body (or the
// combining part of one) on whole vectors by cloning each scalar op with
// vector operands and results. The ops are elementwise (arith, math), so
// every lane computes exactly what the scalar op computes: the contract's
// scalar semantics (NaN and signed-zero rules, wrapping integers, the
// f32 accumulation of 16-bit floats) carry over lane by lane.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_VECTORIZEBODY_H
#define VMGPU_LIB_CODEGEN_VECTORIZEBODY_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace vmgpu {

/// True when every op of `ops` can be cloned lane by lane: elementwise
/// (ElementwiseMappable: arith, math) or constant, no regions, scalar
/// integer or float operands and results.
bool isVectorizable(llvm::ArrayRef<mlir::Operation *> ops);

/// Clones `ops` (isVectorizable) at `b`'s insertion point on vectors of
/// `lanes` elements. `mapping` maps the scalar values the ops read to
/// vectors; a value it does not map (a constant or a value defined outside
/// the ops) is broadcast. The results are added to `mapping`.
void cloneVectorized(mlir::OpBuilder &b, mlir::Location loc,
                     llvm::ArrayRef<mlir::Operation *> ops,
                     mlir::IRMapping &mapping, int64_t lanes);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_VECTORIZEBODY_H
