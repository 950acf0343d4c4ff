//===- CpuPackOperands.h - contraction operands copied for the tiles -*- C++ -*-===//

#ifndef VMGPU_CODEGEN_CPUPACKOPERANDS_H
#define VMGPU_CODEGEN_CPUPACKOPERANDS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace vmgpu {

/// `value` widened to the accumulator type as the named contractions widen
/// their operands: extf (exact) for floats, sign extension for integers.
mlir::Value widenToAccumulator(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value value, mlir::Type accumulator);

/// The packing step of the tiled CPU contraction, for a contraction that
/// isCpuTiledContraction takes, with static sizes, M and N >= 64 (below
/// that, a copy of an operand costs about as much as the products that read
/// it) and at least one reason to copy:
///   - 16-bit float or narrow integer operands: converted once to the
///     accumulator type (extf: exact; extsi), instead of once per register
///     tile that reads them;
///   - an operand whose row length is a multiple of 512 bytes: its rows
///     would all fall into a few L1 sets (a K-tile of B at 4 KB strides
///     keeps 8 of its 256 rows in L1), so its copy gets a row of 64 bytes
///     more.
/// Both operands are then copied (in their own layout, transposed or not)
/// into buffers of the accumulator type, and `op` is replaced by a
/// linalg.generic with the same indexing maps whose body multiplies and adds
/// in that type, reading views of the copies. Returns the new contraction,
/// or `op` itself when nothing is copied.
mlir::linalg::LinalgOp packContractionOperands(mlir::RewriterBase &rewriter,
                                               mlir::linalg::LinalgOp op);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CPUPACKOPERANDS_H
