//===- PatternUtils.cpp - helpers shared by the vm-to-linalg patterns -----===//

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace vmgpu::detail {

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

SmallVector<Value> getDimSizes(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (type.isDynamicDim(d))
      sizes.push_back(tensor::DimOp::create(b, loc, tensor, d));
    else
      sizes.push_back(indexConstant(b, loc, type.getDimSize(d)));
  }
  return sizes;
}

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  ValueRange sizes) {
  SmallVector<Value> dynamic;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamic.push_back(sizes[d]);
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 dynamic);
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   ValueRange sizes, Value value) {
  Value empty = createEmpty(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

AffineMap getMapWithout(MLIRContext *context, int64_t rank,
                        ArrayRef<int64_t> dropped) {
  SmallVector<AffineExpr> results;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      results.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, results, context);
}

SmallVector<utils::IteratorType>
getReductionIterators(int64_t rank, ArrayRef<int64_t> reduced) {
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d)
    iterators.push_back(llvm::is_contained(reduced, d)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  return iterators;
}

Value product(OpBuilder &b, Location loc, ValueRange values) {
  Value result = indexConstant(b, loc, 1);
  for (Value value : values)
    result = b.createOrFold<arith::MulIOp>(loc, result, value);
  return result;
}

void CheckedSizeArithmetic::recordOverflow(Value overflowed) {
  overflow = overflow ? b.createOrFold<arith::OrIOp>(loc, overflow, overflowed)
                      : overflowed;
}

Value CheckedSizeArithmetic::add(Value lhs, Value rhs) {
  // Both at most INT64_MAX as unsigned values, their sum cannot wrap around
  // 2^64, so comparing it with INT64_MAX is exact.
  Value max = indexConstant(b, loc, std::numeric_limits<int64_t>::max());
  Value sum = b.createOrFold<arith::AddIOp>(loc, lhs, rhs);
  for (Value value : {lhs, rhs, sum})
    recordOverflow(b.createOrFold<arith::CmpIOp>(
        loc, arith::CmpIPredicate::ugt, value, max));
  return sum;
}

Value CheckedSizeArithmetic::add(Value lhs, int64_t rhs) {
  return add(lhs, indexConstant(b, loc, rhs));
}

Value CheckedSizeArithmetic::mul(Value lhs, Value rhs) {
  std::optional<int64_t> left = getConstantIntValue(lhs);
  std::optional<int64_t> right = getConstantIntValue(rhs);
  if (left && right) {
    auto l = static_cast<uint64_t>(*left), r = static_cast<uint64_t>(*right);
    if (r != 0 && l > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / r)
      recordOverflow(arith::ConstantIntOp::create(b, loc, 1, 1));
    return indexConstant(b, loc, static_cast<int64_t>(l * r));
  }
  // The full 128-bit product (pure, unlike a division, so host code of GPU
  // blocks may compute it): it fits when the high half is 0 and the low
  // half is at most INT64_MAX.
  Type i64 = b.getI64Type();
  auto product = arith::MulUIExtendedOp::create(
      b, loc, arith::IndexCastOp::create(b, loc, i64, lhs),
      arith::IndexCastOp::create(b, loc, i64, rhs));
  Value highNonZero = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne, product.getHigh(),
      arith::ConstantIntOp::create(b, loc, 0, 64));
  Value lowTooLarge = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ugt, product.getLow(),
      arith::ConstantIntOp::create(b, loc, std::numeric_limits<int64_t>::max(),
                                   64));
  recordOverflow(arith::OrIOp::create(b, loc, highNonZero, lowTooLarge));
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), product.getLow());
}

Value CheckedSizeArithmetic::mul(Value lhs, int64_t rhs) {
  return mul(lhs, indexConstant(b, loc, rhs));
}

void CheckedSizeArithmetic::emitNoOverflowCheck(Operation *op,
                                                const Twine &what) {
  if (!overflow)
    return;
  Value fits = b.createOrFold<arith::XOrIOp>(
      loc, overflow, arith::ConstantIntOp::create(b, loc, 1, 1));
  emitShapeCheck(b, op, fits, what);
}

Value refineToStaticSizes(OpBuilder &b, Location loc, Value value,
                          ArrayRef<int64_t> staticSizes) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [dim, size] : llvm::zip_equal(shape, staticSizes))
    if (ShapedType::isDynamic(dim))
      dim = size;
  if (shape == type.getShape())
    return value;
  return tensor::CastOp::create(b, loc, type.clone(shape), value);
}

void emitShapeCheck(OpBuilder &b, Operation *op, Value condition,
                    const Twine &what) {
  if (std::optional<int64_t> known = getConstantIntValue(condition);
      known && *known)
    return;
  std::string message;
  llvm::raw_string_ostream os(message);
  os << "'" << op->getName() << "' at ";
  if (auto fileLoc = dyn_cast<FileLineColLoc>(op->getLoc()))
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn();
  else
    os << op->getLoc();
  os << ": " << what;
  cf::AssertOp::create(b, op->getLoc(), condition, message);
}

void emitEqualSizesCheck(OpBuilder &b, Operation *op, Value lhs, Value rhs,
                         const Twine &what) {
  std::optional<int64_t> left = getConstantIntValue(lhs);
  std::optional<int64_t> right = getConstantIntValue(rhs);
  if (left && right && *left == *right)
    return;
  Value equal = arith::CmpIOp::create(b, op->getLoc(), arith::CmpIPredicate::eq,
                                      lhs, rhs);
  emitShapeCheck(b, op, equal, what);
}

void emitShapeMatchesCheck(OpBuilder &b, Operation *op, Value value,
                           ValueRange sizes, const Twine &what) {
  SmallVector<Value> actual = getDimSizes(b, op->getLoc(), value);
  for (auto [d, pair] : llvm::enumerate(llvm::zip_equal(actual, sizes)))
    emitEqualSizesCheck(b, op, std::get<0>(pair), std::get<1>(pair),
                        what + " (dimension " + Twine(d) + ")");
}

void emitResultShapeCheck(OpBuilder &b, Operation *op,
                          RankedTensorType resultType, ValueRange sizes) {
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    if (!resultType.isDynamicDim(d))
      emitEqualSizesCheck(
          b, op, sizes[d], indexConstant(b, op->getLoc(), resultType.getDimSize(d)),
          "result dimension " + Twine(d) + " must be " +
              Twine(resultType.getDimSize(d)));
}

} // namespace vmgpu::detail
