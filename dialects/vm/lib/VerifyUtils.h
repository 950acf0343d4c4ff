//===- VerifyUtils.h - helpers of the vm op verifiers -----------*- C++ -*-===//
//
// Shape and attribute checks that several op verifiers share (VmOps.cpp,
// IndexingOps.cpp). Each check returns failure after an error naming the op.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_DIALECTS_VM_LIB_VERIFYUTILS_H
#define VMGPU_DIALECTS_VM_LIB_VERIFYUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace vmgpu::vm::detail {

mlir::RankedTensorType tensorType(mlir::Value value);

/// Two dims agree when either is dynamic or both are equal.
bool dimsMatch(int64_t a, int64_t b);

/// Prints a shape as `[2, ?, 4]` for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Prints attribute entries as `[0, -1, 2]` for diagnostics (no `?`: an
/// attribute entry is a number even where it equals the dynamic marker).
std::string formatInts(llvm::ArrayRef<int64_t> values);

/// The product of the static dims of `shape`; std::nullopt on int64 overflow.
std::optional<int64_t> staticElementCount(llvm::ArrayRef<int64_t> shape);

/// Checks that the result's shape agrees with `expected` (dims may be `?`).
mlir::LogicalResult verifyResultShape(mlir::Operation *op,
                                      llvm::ArrayRef<int64_t> expected);

/// The value of the I64Attr `dim` (read back signed), or failure after an
/// error when it is outside [0, rank); `of` names the tensor whose rank it
/// is ("data", "an operand", "a result").
mlir::FailureOr<int64_t> verifyDimAttr(mlir::Operation *op,
                                       mlir::IntegerAttr dim, int64_t rank,
                                       llvm::StringRef of);

/// Checks that `value` is a tensor of rank `rank`; `name` names it.
mlir::LogicalResult verifyRank(mlir::Operation *op, mlir::Value value,
                               llvm::StringRef name, int64_t rank);

/// Accumulation may widen f16/bf16 to f32 and i8 to i32.
mlir::LogicalResult verifyAccumulatorType(mlir::Operation *op,
                                          mlir::Type operandElement);

mlir::LogicalResult verifySameElementType(mlir::Operation *op, mlir::Value lhs,
                                          mlir::Value rhs,
                                          llvm::StringRef lhsName,
                                          llvm::StringRef rhsName);

/// Checks an optional i64 array attribute: its length and a lower bound.
mlir::LogicalResult
verifyArrayAttr(mlir::Operation *op, llvm::StringRef name,
                std::optional<llvm::ArrayRef<int64_t>> values, size_t length,
                int64_t minimum);

/// Output size of a window of `extent` sliding over a static `input` size
/// padded by `padBefore` and `padAfter` with `stride` (all verified >= 0, and
/// extent, stride >= 1). `what` names the window in diagnostics.
mlir::FailureOr<int64_t> windowOutputSize(mlir::Operation *op, int spatialDim,
                                          int64_t input, int64_t padBefore,
                                          int64_t padAfter, int64_t extent,
                                          int64_t stride, llvm::StringRef what);

/// `values`, or N copies of `fallback` when the attribute is absent.
template <unsigned N>
llvm::SmallVector<int64_t, N>
valuesOr(std::optional<llvm::ArrayRef<int64_t>> values, int64_t fallback) {
  if (values)
    return llvm::SmallVector<int64_t, N>(values->begin(), values->end());
  return llvm::SmallVector<int64_t, N>(N, fallback);
}

} // namespace vmgpu::vm::detail

#endif // VMGPU_DIALECTS_VM_LIB_VERIFYUTILS_H
