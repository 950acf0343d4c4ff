//===- ParallelLoopsToGpu.cpp - scf.parallel -> 1-D gpu.launch ------------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace vmgpu {
#define GEN_PASS_DEF_PARALLELLOOPSTOGPU
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

struct ParallelLoopsToGpuPass
    : vmgpu::impl::ParallelLoopsToGpuBase<ParallelLoopsToGpuPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk([&](scf::ParallelOp loop) {
      // A parallel loop inside a host loop would launch once per iteration:
      // leave the whole nest to vm-sequential-work-to-gpu instead.
      if (!loop->getParentOfType<LoopLikeOpInterface>() &&
          !loop->getParentOfType<gpu::LaunchOp>() && loop.getNumReductions() == 0)
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops)
      mapToGpu(loop);
  }

  void mapToGpu(scf::ParallelOp loop) {
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    auto index = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    Value zero = index(0), one = index(1);
    // Trip count per dim: ceil((ub - lb) / step), at least 0.
    SmallVector<Value> counts;
    Value total = one;
    for (auto [lb, ub, step] : llvm::zip_equal(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
      Value span = arith::MaxSIOp::create(
          b, loc, arith::SubIOp::create(b, loc, ub, lb), zero);
      Value count = arith::CeilDivUIOp::create(b, loc, span, step);
      counts.push_back(count);
      total = arith::MulIOp::create(b, loc, total, count);
    }
    // At least one block even for an empty iteration space: a branch around
    // the launch would split the host code, and the threads' range check
    // already makes an empty launch do nothing.
    Value block = index(blockSize);
    Value grid = arith::MaxUIOp::create(
        b, loc, arith::CeilDivUIOp::create(b, loc, total, block), one);
    auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, block, one, one);
    b.setInsertionPointToStart(&launch.getBody().front());
    Value id = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x, block),
        launch.getThreadIds().x);
    Value inRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, id, total);
    auto body = scf::IfOp::create(b, loc, inRange, /*withElseRegion=*/false);
    gpu::TerminatorOp::create(b, loc);

    // Delinearize, innermost dim fastest (row-major, coalesced accesses).
    b.setInsertionPointToStart(body.thenBlock());
    IRMapping mapping;
    Value rest = id;
    for (int64_t d = counts.size() - 1; d >= 0; --d) {
      Value position = arith::RemUIOp::create(b, loc, rest, counts[d]);
      rest = arith::DivUIOp::create(b, loc, rest, counts[d]);
      Value iv = arith::AddIOp::create(
          b, loc, loop.getLowerBound()[d],
          arith::MulIOp::create(b, loc, position, loop.getStep()[d]));
      mapping.map(loop.getInductionVars()[d], iv);
    }
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, mapping);
    loop.erase();
  }
};

} // namespace
