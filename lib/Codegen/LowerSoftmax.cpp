//===- LowerSoftmax.cpp - softmax rows -> one kernel ----------------------===//
//
// The strategy `subgroup_softmax`: linalg.softmax along the innermost dim
// (made by vm-gpu-softmax-to-linalg) becomes one kernel with one subgroup
// per row. The subgroup computes the row's maximum (arith.maximumf, as the
// CPU path: a NaN makes it NaN), then the sum of exp(x - max), both with a
// lane-strided fold and a shuffle tree, broadcasts each from lane 0, and
// writes exp(x - max) / sum: the contract's formula literally (a divide, not
// a reciprocal), so rows holding NaN or +inf, or only -inf, give NaN.
// 16-bit floats compute in f32 and round once. The row is read three times
// by the same subgroup in quick succession: from memory once, then from
// the caches, with one write.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "SubgroupReduction.h"
#include "SubgroupShuffle.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Math/IR/Math.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERSOFTMAX
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

bool isLowerable(linalg::SoftmaxOp op) {
  auto input = dyn_cast<MemRefType>(op.getInput().getType());
  auto output = dyn_cast<MemRefType>(op.getOutput().getType());
  return input && output && input.getRank() >= 1 &&
         op.getDimension() == static_cast<uint64_t>(input.getRank() - 1) &&
         isa<FloatType>(input.getElementType()) &&
         input.getElementType() == output.getElementType() &&
         !op->getParentOfType<gpu::LaunchOp>();
}

void lowerSoftmax(linalg::SoftmaxOp op, const LoweringConfig &config) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value input = op.getInput(), output = op.getOutput();
  auto type = cast<MemRefType>(input.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  Type wide = getAccumulatorType(element);
  auto index = [&](int64_t v) { return indexConstant(b, loc, v); };

  SmallVector<Value> leadingSizes;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leadingSizes.push_back(memref::DimOp::create(b, loc, output, d));
  Value rows = dimProduct(b, loc, output, 0, rank - 1);
  Value columns = memref::DimOp::create(b, loc, input, rank - 1);

  int64_t width = config.workgroup[0];
  int64_t perBlock = config.workgroup[1];
  Value one = index(1);
  Value grid = arith::MaxUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, rows, index(perBlock)), one);
  auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, index(width),
                                      index(perBlock), one);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value lane = launch.getThreadIds().x;
  Value row = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, launch.getBlockIds().x, index(perBlock)),
      launch.getThreadIds().y);
  // Uniform per subgroup: one subgroup, one row.
  Value work = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row, rows),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                            index(0)));
  auto ifWork = scf::IfOp::create(b, loc, work, /*withElseRegion=*/false);
  b.setInsertionPointToStart(ifWork.thenBlock());

  // The row's leading indices, innermost leading dim fastest.
  SmallVector<Value> leading(leadingSizes.size());
  Value rest = row;
  for (int64_t d = static_cast<int64_t>(leadingSizes.size()) - 1; d >= 0;
       --d) {
    if (d == 0) {
      leading[d] = rest;
      break;
    }
    leading[d] = arith::RemUIOp::create(b, loc, rest, leadingSizes[d]);
    rest = arith::DivUIOp::create(b, loc, rest, leadingSizes[d]);
  }
  auto indicesAt = [&](Value column) {
    SmallVector<Value> indices(leading);
    indices.push_back(column);
    return indices;
  };
  auto widen = [&](Value v) -> Value {
    return v.getType() == wide ? v : arith::ExtFOp::create(b, loc, wide, v);
  };
  auto load = [&](Value column) {
    return widen(memref::LoadOp::create(b, loc, input, indicesAt(column)));
  };
  auto maximum = [&](Value x, Value y) -> Value {
    return arith::MaximumFOp::create(b, loc, x, y);
  };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddFOp::create(b, loc, x, y);
  };

  Value max = emitSubgroupReduction(
      b, loc, lane, columns, width, load,
      [&](Value accumulator, Value column) {
        return maximum(accumulator, load(column));
      },
      [&](Value other, Value mine) { return maximum(mine, other); });
  max = shuffleFromLane(b, loc, max, 0, width);
  auto exponential = [&](Value column) -> Value {
    return math::ExpOp::create(
        b, loc, arith::SubFOp::create(b, loc, load(column), max));
  };
  Value sum = emitSubgroupReduction(
      b, loc, lane, columns, width, exponential,
      [&](Value accumulator, Value column) {
        return add(accumulator, exponential(column));
      },
      [&](Value other, Value mine) { return add(mine, other); });
  sum = shuffleFromLane(b, loc, sum, 0, width);

  auto loop = scf::ForOp::create(b, loc, lane, columns, index(width));
  b.setInsertionPointToStart(loop.getBody());
  Value quotient = arith::DivFOp::create(
      b, loc, exponential(loop.getInductionVar()), sum);
  if (wide != element)
    quotient = buildFloatTruncate(b, loc, quotient, element);
  memref::StoreOp::create(b, loc, quotient, output,
                          indicesAt(loop.getInductionVar()));
  b.setInsertionPointAfter(ifWork);
  gpu::TerminatorOp::create(b, loc);
  op->erase();
}

struct GpuLowerSoftmaxPass
    : vmgpu::impl::GpuLowerSoftmaxBase<GpuLowerSoftmaxPass> {
  void runOnOperation() override {
    SmallVector<linalg::SoftmaxOp> softmaxes;
    getOperation().walk(
        [&](linalg::SoftmaxOp op) { softmaxes.push_back(op); });
    for (linalg::SoftmaxOp op : softmaxes) {
      FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
      if (failed(config))
        return signalPassFailure();
      // No other lowering takes a linalg.softmax: this pass must.
      if (!isLowerable(op)) {
        op.emitOpError("vm-gpu-lower-softmax: only a softmax along the "
                       "innermost dim of buffers of floats is lowered");
        return signalPassFailure();
      }
      LoweringConfig chosen;
      chosen.workgroup = {32, 8, 1};
      if (*config)
        chosen = **config;
      int64_t width = chosen.workgroup[0];
      if ((width != 32 && width != 64) || chosen.workgroup[2] != 1) {
        op.emitOpError("vm-gpu-lower-softmax: workgroup must be [32 or 64, "
                       "rows, 1]");
        return signalPassFailure();
      }
      lowerSoftmax(op, chosen);
    }
  }
};

} // namespace
