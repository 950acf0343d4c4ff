//===- ScalarSemantics.h - the vm contract on scalars -----------*- C++ -*-===//
//
// Builds arith/math IR for one element of a vm op, with the contract's
// semantics on every input (no undefined behaviour reaches LLVM). Every
// target lowers the same scalar IR, which is what makes CPU and GPU results
// bit-identical.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CONVERSION_SCALARSEMANTICS_H
#define VMGPU_CONVERSION_SCALARSEMANTICS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Operation.h"

#include <optional>

namespace vmgpu {

/// Builds the scalar computation of the elementwise vm op `op` on `operands`
/// (one scalar per operand of `op`, in order). Fails, with a diagnostic on
/// `op`, for an op that is not elementwise.
mlir::FailureOr<mlir::Value> buildVmScalarOp(mlir::OpBuilder &builder,
                                             mlir::Location loc,
                                             mlir::Operation *op,
                                             mlir::ValueRange operands);

/// Float min/max of the contract: a NaN loses to a number (NaN only when both
/// are NaN) and -0 orders below +0.
mlir::Value buildFloatMin(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value lhs, mlir::Value rhs);
mlir::Value buildFloatMax(mlir::OpBuilder &builder, mlir::Location loc,
                          mlir::Value lhs, mlir::Value rhs);

/// Whether `result` is buildFloatMin/buildFloatMax of `a` and `b` (in either
/// order), op for op as those build it: true for max, false for min,
/// std::nullopt otherwise. Lets a strategy replace the contract's min/max by
/// an equivalent form of its own (for example in an ordered integer domain)
/// without guessing at a body.
std::optional<bool> matchFloatMinMax(mlir::Value result, mlir::Value a,
                                     mlir::Value b);

/// The combining step of `vm.reduce` for `kind` (sum prod min max and or xor).
/// Integer min/max are signed, or unsigned with `isUnsigned`. A float
/// `accumulator` may be wider than `element` (f32 for f16/bf16 elements);
/// the element is widened first.
mlir::FailureOr<mlir::Value>
buildReduceCombine(mlir::OpBuilder &builder, mlir::Location loc,
                   llvm::StringRef kind, mlir::Value accumulator,
                   mlir::Value element, bool isUnsigned = false);

/// The identity of reduction `kind` on `type` (sum 0, prod 1, min +inf or
/// MAX, max -inf or MIN, and all ones, or/xor 0; unsigned integer min UMAX
/// and max 0).
mlir::FailureOr<mlir::TypedAttr>
getReduceIdentity(mlir::OpBuilder &builder, llvm::StringRef kind,
                  mlir::Type type, bool isUnsigned = false);

/// Rounds a float to the narrower float type `target` once, with NaN made
/// the target's quiet NaN (sign kept, no payload). Every lowering that
/// narrows a float uses it, so that all targets produce the same bits.
mlir::Value buildFloatTruncate(mlir::OpBuilder &builder, mlir::Location loc,
                               mlir::Value value, mlir::Type target);

/// The contract's relu of a float: max(x, +0) (buildFloatMax) with NaN
/// kept, so relu(-0) = +0. `vm.relu` lowers through it.
mlir::Value buildFloatRelu(mlir::OpBuilder &builder, mlir::Location loc,
                           mlir::Value x);

/// The float x when `result` is the contract's relu of x as `vm.relu`
/// builds it, select(isNaN(x), x, buildFloatMax(x, +0)), or as
/// canonicalization leaves it, select(isNaN(x), x, select(x > +0, x, +0));
/// null otherwise. Lets a strategy hand the relu to a library whose relu
/// agrees (NaN kept, relu(-0) = +0).
mlir::Value matchFloatRelu(mlir::Value result);

/// The wider float v when `result` is buildFloatTruncate(v, result's type)
/// with one arith.truncf (to nearest even) doing the rounding: the rounded
/// value where v is a number, a NaN where v is a NaN. Null otherwise.
mlir::Value matchFloatTruncate(mlir::Value result);

/// The type that sums and products of `element` accumulate in: f32 for f16
/// and bf16 (the contract accumulates them in at least f32 and rounds once
/// at the end), `element` itself for every other type.
mlir::Type getAccumulatorType(mlir::Type element);

/// Converts `value` to `target` with `vm.convert`'s rules (one rounding
/// for every integer or float source).
mlir::Value buildConvert(mlir::OpBuilder &builder, mlir::Location loc,
                         mlir::Value value, mlir::Type target, bool isUnsigned);

} // namespace vmgpu

#endif // VMGPU_CONVERSION_SCALARSEMANTICS_H
