//===- PatternUtils.h - helpers shared by the vm-to-linalg patterns -------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
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

/// The iterators of a loop nest of `rank` loops whose `reduced` ones are
/// reductions and the rest parallel.
llvm::SmallVector<mlir::utils::IteratorType>
getReductionIterators(int64_t rank, llvm::ArrayRef<int64_t> reduced);

/// `value` cast (tensor.cast) to the same type with the static sizes of
/// `staticSizes` where `value`'s dims are dynamic (kDynamic entries leave a
/// dim as it is). Linalg needs operand and init dims to agree statically;
/// the run-time shape checks guarantee the sizes.
mlir::Value refineToStaticSizes(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Value value,
                                llvm::ArrayRef<int64_t> staticSizes);

/// Index arithmetic helpers for sizes computed at run time.
mlir::Value product(mlir::OpBuilder &b, mlir::Location loc,
                    mlir::ValueRange values);

/// Index arithmetic on sizes (non-negative values) that knows when it
/// overflows: every add and mul also records, in one i1, whether its exact
/// result exceeds INT64_MAX (an operand that is negative, read as unsigned,
/// counts as overflowing). Results that overflowed are meaningless, so a
/// caller must emit the check (emitNoOverflowCheck) among its shape checks:
/// the runtime then rejects the inputs before the block runs.
class CheckedSizeArithmetic {
public:
  CheckedSizeArithmetic(mlir::OpBuilder &b, mlir::Location loc)
      : b(b), loc(loc) {}
  mlir::Value add(mlir::Value lhs, mlir::Value rhs);
  mlir::Value add(mlir::Value lhs, int64_t rhs);
  mlir::Value mul(mlir::Value lhs, mlir::Value rhs);
  mlir::Value mul(mlir::Value lhs, int64_t rhs);
  /// Asserts that no operation so far overflowed.
  void emitNoOverflowCheck(mlir::Operation *op, const llvm::Twine &what);

private:
  void recordOverflow(mlir::Value overflowed);
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Value overflow;
};

/// A constant index.
mlir::Value indexConstant(mlir::OpBuilder &b, mlir::Location loc,
                          int64_t value);

/// Asserts (cf.assert) at run time that `condition` holds. The message
/// names `op`, its location and `what`: the runtime reports it when a
/// block's inputs break it (see vm-outline-shape-checks).
void emitShapeCheck(mlir::OpBuilder &b, mlir::Operation *op,
                    mlir::Value condition, const llvm::Twine &what);

/// Asserts `lhs == rhs` for two index values unless both are the same
/// constant; a statically false check is a bug the verifier should have
/// caught, and is still emitted (it fails every run).
void emitEqualSizesCheck(mlir::OpBuilder &b, mlir::Operation *op,
                         mlir::Value lhs, mlir::Value rhs,
                         const llvm::Twine &what);

/// Checks that every dim of `value` equals `sizes` where either is dynamic.
void emitShapeMatchesCheck(mlir::OpBuilder &b, mlir::Operation *op,
                           mlir::Value value, mlir::ValueRange sizes,
                           const llvm::Twine &what);

/// Checks that each static dim of `resultType` equals the size computed for
/// it in `sizes` (which may come from dynamic operand dims).
void emitResultShapeCheck(mlir::OpBuilder &b, mlir::Operation *op,
                          mlir::RankedTensorType resultType,
                          mlir::ValueRange sizes);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_PATTERNUTILS_H
