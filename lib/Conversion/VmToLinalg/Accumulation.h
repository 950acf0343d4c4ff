//===- Accumulation.h - wide accumulators of 16-bit results -----*- C++ -*-===//
//
// f16 and bf16 sums, products and contractions accumulate in f32 and round
// once at the end (DESIGN.md, "Contractions and reductions"). The patterns
// build their linalg op on an accumulator tensor of getAccumulatorType and
// finish with roundAccumulated.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_ACCUMULATION_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_ACCUMULATION_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace vmgpu::detail {

/// `resultType` with its element type replaced by the type its values
/// accumulate in (getAccumulatorType): f32 for f16/bf16, else unchanged.
mlir::RankedTensorType
getAccumulatorTensorType(mlir::RankedTensorType resultType);

/// `accumulated` (a tensor of `resultType`'s shape) rounded once,
/// elementwise (buildFloatTruncate), to `resultType` by one linalg.generic;
/// `accumulated` itself when its element type is already the result's.
mlir::Value roundAccumulated(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value accumulated,
                             mlir::RankedTensorType resultType);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_ACCUMULATION_H
