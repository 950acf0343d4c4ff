//===- Accumulation.cpp - wide accumulators of 16-bit float results -------===//

#include "Accumulation.h"

#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;

namespace vmgpu::detail {

RankedTensorType getAccumulatorTensorType(RankedTensorType resultType) {
  return resultType.clone(getAccumulatorType(resultType.getElementType()));
}

Value roundAccumulated(OpBuilder &b, Location loc, Value accumulated,
                       RankedTensorType resultType) {
  Type element = resultType.getElementType();
  if (cast<RankedTensorType>(accumulated.getType()).getElementType() == element)
    return accumulated;
  int64_t rank = resultType.getRank();
  Value init =
      createEmpty(b, loc, resultType, getDimSizes(b, loc, accumulated));
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{resultType}, ValueRange{accumulated},
             ValueRange{init}, maps, parallel,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   buildFloatTruncate(nested, nestedLoc, args[0], element));
             })
      .getResult(0);
}

} // namespace vmgpu::detail
