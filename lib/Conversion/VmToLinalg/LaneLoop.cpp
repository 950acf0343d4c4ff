//===- LaneLoop.cpp - one sequential pass per lane along a dim ------------===//

#include "LaneLoop.h"

#include "PatternUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace vmgpu::detail {

SmallVector<Value> buildLaneLoop(OpBuilder &b, Location loc, ValueRange sizes,
                                 int64_t dim, ValueRange outputs,
                                 LaneBodyBuilder body) {
  int64_t rank = sizes.size();
  SmallVector<OpFoldResult> counts;
  for (int64_t d = 0; d < rank; ++d)
    if (d != dim)
      counts.push_back(sizes[d]);
  if (counts.empty())
    counts.push_back(b.getIndexAttr(1));
  auto loop = scf::ForallOp::create(b, loc, counts, outputs, std::nullopt);

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  SmallVector<Value> lane;
  Value zero = indexConstant(b, loc, 0);
  unsigned next = 0;
  for (int64_t d = 0; d < rank; ++d)
    lane.push_back(d == dim ? zero : loop.getInductionVar(next++));

  // Each output's lane: extent 1 in every dim but `dim`, rank-reduced to 1-D.
  SmallVector<OpFoldResult> offsets(lane.begin(), lane.end());
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  SmallVector<SmallVector<OpFoldResult>> laneSizes;
  SmallVector<Value> lanes;
  for (Value output : loop.getRegionIterArgs()) {
    auto type = cast<RankedTensorType>(output.getType());
    SmallVector<OpFoldResult> extent(rank, b.getIndexAttr(1));
    extent[dim] = tensor::getMixedSize(b, loc, output, dim);
    auto laneType =
        RankedTensorType::get({type.getDimSize(dim)}, type.getElementType());
    lanes.push_back(tensor::ExtractSliceOp::create(b, loc, laneType, output,
                                                   offsets, extent, strides));
    laneSizes.push_back(std::move(extent));
  }
  SmallVector<Value> updated = body(b, loc, lane, lanes);

  b.setInsertionPointToStart(loop.getTerminator().getBody());
  for (auto [laneValue, output, extent] :
       llvm::zip_equal(updated, loop.getRegionIterArgs(), laneSizes))
    tensor::ParallelInsertSliceOp::create(b, loc, laneValue, output, offsets,
                                          extent, strides);
  return SmallVector<Value>(loop.getResults());
}

} // namespace vmgpu::detail
