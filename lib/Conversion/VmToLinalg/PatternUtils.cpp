//===- PatternUtils.cpp - helpers shared by the vm-to-linalg patterns -----===//

#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

Value product(OpBuilder &b, Location loc, ValueRange values) {
  Value result = indexConstant(b, loc, 1);
  for (Value value : values)
    result = arith::MulIOp::create(b, loc, result, value);
  return result;
}

} // namespace vmgpu::detail
