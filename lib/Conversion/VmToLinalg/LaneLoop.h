//===- LaneLoop.h - one sequential pass per lane along a dim ----*- C++ -*-===//
//
// vm.scatter and vm.sort run one sequential pass per lane (the elements of
// a tensor that differ only in `dim`): lanes are independent, the work
// inside one is ordered. Linalg cannot express a data-dependent write, so
// these ops lower to an scf.forall over the lanes whose body reads and
// writes its lane of each shared output as a 1-D tensor. Bufferization
// keeps the lanes in place; scf-forall-to-parallel then makes the loop one
// thread per lane (GPU) or an OpenMP loop (CPU).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_LANELOOP_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_LANELOOP_H

#include "mlir/IR/Builders.h"

namespace vmgpu::detail {

/// The body of a lane loop: `lane` holds the lane's coordinates (index
/// values, with 0 at `dim`), `lanes` each shared output's lane as a 1-D
/// tensor; it returns the updated lanes, in order.
using LaneBodyBuilder = llvm::function_ref<llvm::SmallVector<mlir::Value>(
    mlir::OpBuilder &, mlir::Location, llvm::ArrayRef<mlir::Value> lane,
    mlir::ValueRange lanes)>;

/// Builds an scf.forall with one iteration per lane of a tensor of sizes
/// `sizes` along `dim` (a single iteration for a 1-D tensor), the tensors
/// `outputs` (of the same rank) as its shared outputs, and `body` run on
/// each lane. Returns the loop's results, one per output.
llvm::SmallVector<mlir::Value>
buildLaneLoop(mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange sizes,
              int64_t dim, mlir::ValueRange outputs, LaneBodyBuilder body);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_LANELOOP_H
