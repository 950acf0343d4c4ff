//===- ConvTranspose.h - the lowerings of vm.conv_transpose2d ---*- C++ -*-===//
//
// Two lowerings share this header: by output phases, for static spatial
// sizes (ConvTransposePhases.cpp), and the spread input, for everything
// else (ConvTransposeToLinalg.cpp, which chooses).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_CONVTRANSPOSE_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_CONVTRANSPOSE_H

#include "mlir/IR/Builders.h"
#include "vm/VmOps.h"

namespace vmgpu::detail {

/// The filter with both spatial dims reversed (a linalg.generic).
mlir::Value flipConvFilter(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value filter,
                           llvm::ArrayRef<mlir::Value> filterSizes);

/// `op` as one stride-1 vm.conv2d per output phase (the output positions
/// congruent modulo the strides), each over the input itself with the taps
/// that reach that phase, the results interleaved by strided
/// tensor.insert_slice: no multiplication by an inserted zero and no spread
/// copy. Builds nothing and fails when a spatial size is not static, a
/// static size is zero, or the phases are too many to spell out.
mlir::FailureOr<mlir::Value>
buildConvTransposeByPhases(mlir::OpBuilder &b, vm::ConvTranspose2DOp op);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_CONVTRANSPOSE_H
