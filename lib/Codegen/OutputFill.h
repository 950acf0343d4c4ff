//===- OutputFill.h - the fill an op's output starts from -------*- C++ -*-===//
//
// Private to lib/Codegen: strategies on buffers that write every element of
// their output (the library GEMM, the CPU reductions) can take the
// `linalg.fill` that initializes it as a value instead of a separate loop
// over the output (a parallel region of its own on the CPU).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_OUTPUTFILL_H
#define VMGPU_LIB_CODEGEN_OUTPUTFILL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace vmgpu {

/// The buffer `value` is a view of, through any chain of view ops.
mlir::Value viewRoot(mlir::Value value);

/// Whether `a` and `b` may view overlapping memory. Their roots (`viewRoot`)
/// are the same buffer; or neither is an allocation (fresh memory that only
/// views of it reach) and they are not two arguments of the function (a
/// block's inputs and results are distinct buffers: the runtime's contract)
/// nor two different globals. A device constant, a global taken twice or a
/// select of two buffers may be any buffer but an allocation.
bool mayAlias(mlir::Value a, mlir::Value b);

/// The `linalg.fill` into exactly `output` that `op` reads it from: the
/// nearest fill before `op` in its block with only ops free of memory
/// effects (and not using `output`) in between; null when there is none.
/// Any other op in between might write a view of `output`. Null as well
/// when another operand of `op` is a view of the buffer `output` views
/// (it would read the fill's values, which folding the fill removes).
mlir::linalg::FillOp findOutputFill(mlir::Operation *op, mlir::Value output);

/// findOutputFill for a kernel that replaces the fill by storing its value
/// itself, which is only sound when `output` is a fresh allocation (a
/// buffer the caller passed in may alias an input at run time, and that
/// input would then read values the fill no longer wrote): null otherwise.
mlir::linalg::FillOp findFreshOutputFill(mlir::Operation *op,
                                         mlir::Value output);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_OUTPUTFILL_H
