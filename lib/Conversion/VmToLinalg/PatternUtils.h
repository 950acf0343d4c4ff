//===- PatternUtils.h - helpers shared by the vm-to-linalg patterns -------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace vmgpu::detail {

/// The size of every dimension of `tensor` as index values (constants for
/// static dims, tensor.dim for dynamic ones).
llvm::SmallVector<mlir::Value> getDimSizes(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           mlir::Value tensor);

/// tensor.empty of `type`; `sizes` holds the size of every dimension (only
/// the dynamic ones are used).
mlir::Value createEmpty(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type, mlir::ValueRange sizes);

/// tensor.empty of `type` filled with the scalar `value` (linalg.fill).
mlir::Value createFilled(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::ValueRange sizes,
                         mlir::Value value);

/// Identity maps of `rank` dims with `dropped` removed from the results: how
/// an operand without the reduced dims is read inside the full loop nest.
mlir::AffineMap getMapWithout(mlir::MLIRContext *context, int64_t rank,
                              llvm::ArrayRef<int64_t> dropped);

/// Index arithmetic helpers for sizes computed at run time.
mlir::Value product(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange values);

/// A constant index.
mlir::Value indexConstant(mlir::OpBuilder &b, mlir::Location loc,
                          int64_t value);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H
