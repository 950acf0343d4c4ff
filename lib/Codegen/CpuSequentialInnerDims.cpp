//===- CpuSequentialInnerDims.cpp - innermost dims as sequential chunks ---===//
//
// convert-scf-to-openmp makes a parallel loop of several dims one collapsed
// OpenMP loop nest, and LLVM's OpenMP lowering runs a collapsed nest as one
// loop over the product of the trip counts whose indices are recovered by
// division in every iteration: the innermost dim is no longer an induction
// variable and does not vectorize. Splitting that dim into chunks that are
// sequential loops gives the vectorizer its loop back and leaves the
// division once per chunk. What each chunk's loop recomputes without need
// (a gather's row index: a load of the indices and its normalization) moves
// out of it, so that the loop left is a plain copy: loads move when nothing
// in the loop may write their buffer. Loops whose bodies are vectorized
// already (the strategies' tiles) keep every dim parallel.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Analysis/AliasAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPUSEQUENTIALINNERDIMS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Moves out of `loop` (which runs at least once) the speculatable pure ops
/// and the loads whose operands do not change in it and whose buffer no op
/// of the loop may write.
void hoistInvariants(scf::ForOp loop, AliasAnalysis &aliases) {
  SmallVector<Value> written;
  bool unknownWrites = false;
  loop.getBody()->walk([&](Operation *op) {
    if (isMemoryEffectFree(op))
      return;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      // Calls and other ops with unknown effects (their regions' effects
      // are visited on their own when the op declares them recursive).
      if (!op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
        unknownWrites = true;
      return;
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write, MemoryEffects::Free>(effect.getEffect()))
        continue;
      if (Value value = effect.getValue())
        written.push_back(value);
      else
        unknownWrites = true;
    }
  });
  auto unwritten = [&](Value buffer) {
    return !unknownWrites && llvm::all_of(written, [&](Value w) {
      return aliases.alias(w, buffer).isNo();
    });
  };
  moveLoopInvariantCode(
      {&loop.getRegion()},
      [&](Value value, Region *) { return loop.isDefinedOutsideOfLoop(value); },
      [&](Operation *op, Region *) {
        if (op->getNumRegions() != 0)
          return false;
        if (auto load = dyn_cast<memref::LoadOp>(op))
          return unwritten(load.getMemRef());
        return isMemoryEffectFree(op) && isSpeculatable(op);
      },
      [&](Operation *op, Region *) { loop.moveOutOfLoop(op); });
}

/// scf.parallel (outer..., jo) step (..., step * chunk) {
///   scf.for j = jo to min(jo + step * chunk, ub) step step { body } }
/// (a chunk starts below the upper bound, so its loop runs at least once).
scf::ForOp chunkInnermostDim(scf::ParallelOp loop, int64_t chunk) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  unsigned inner = loop.getNumLoops() - 1;
  Value innerStep = loop.getStep()[inner];
  Value innerUpper = loop.getUpperBound()[inner];
  Value chunkStep = arith::MulIOp::create(
      b, loc, innerStep, arith::ConstantIndexOp::create(b, loc, chunk));
  SmallVector<Value> steps(loop.getStep());
  steps[inner] = chunkStep;
  scf::ForOp chunkLoop;
  scf::ParallelOp::create(
      b, loc, loop.getLowerBound(), loop.getUpperBound(), steps,
      [&](OpBuilder &nested, Location l, ValueRange ivs) {
        Value end = arith::MinSIOp::create(
            nested, l, arith::AddIOp::create(nested, l, ivs[inner], chunkStep),
            innerUpper);
        chunkLoop = scf::ForOp::create(
            nested, l, ivs[inner], end, innerStep, ValueRange(),
            [&](OpBuilder &body, Location, Value j, ValueRange) {
              IRMapping mapping;
              mapping.map(ArrayRef<Value>(loop.getInductionVars()).drop_back(),
                          ivs.drop_back());
              mapping.map(loop.getInductionVars()[inner], j);
              for (Operation &op : loop.getBody()->without_terminator())
                body.clone(op, mapping);
              scf::YieldOp::create(body, l);
            });
      });
  loop.erase();
  return chunkLoop;
}

/// Whether `loop`'s body is already vectorized: a strategy's tile (a
/// contraction's cache tile, an in-place convolution's output row), whose
/// vector ops are the vectorization. A chunk loop gains such a body
/// nothing, and it takes iterations away from the threads: a 1024^2 GEMM's
/// 8 x 4 cache tiles ran on 8 of 16 cores. Scalar bodies are still chunked,
/// inner loops or not (a pooling window's small loops unroll, and the
/// chunk's loop is then innermost again).
bool holdsVectors(scf::ParallelOp loop) {
  auto isVector = [](Type type) { return isa<VectorType>(type); };
  return loop.getBody()
      ->walk([&](Operation *op) {
        return llvm::any_of(op->getResultTypes(), isVector)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

struct CpuSequentialInnerDimsPass
    : vmgpu::impl::CpuSequentialInnerDimsBase<CpuSequentialInnerDimsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (chunk <= 0) {
      getOperation().emitError()
          << "vm-cpu-sequential-inner-dims: chunk must be positive";
      return signalPassFailure();
    }
    SmallVector<scf::ParallelOp> loops;
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      if (loop.getNumLoops() >= 2 && loop.getNumResults() == 0 &&
          !holdsVectors(loop))
        loops.push_back(loop);
      // Nested parallel loops run inside one thread's iteration anyway.
      return WalkResult::skip();
    });
    AliasAnalysis &aliases = getAnalysis<AliasAnalysis>();
    for (scf::ParallelOp loop : loops)
      hoistInvariants(chunkInnermostDim(loop, chunk), aliases);
  }
};

} // namespace
