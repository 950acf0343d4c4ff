//===- CpuSerializeSmallLoops.cpp - small parallel loops on one thread ----===//
//
// A parallel region costs the same to start whatever it computes: the
// OpenMP workers sleep between regions (blocktime 0 during a CPU block run,
// runtime/NativeExecutable.cpp) and each region wakes them. A block made of
// many small loops (a transposed convolution's phases, a small elementwise
// chain, the fills and copies around a contraction) paid that for every
// loop. Loops whose work is known to be small run on the calling thread.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/Support/MathExtras.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPUSERIALIZESMALLLOOPS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Iterations of a loop dim with constant bounds and a positive step.
std::optional<uint64_t> tripCount(Value lower, Value upper, Value step) {
  std::optional<int64_t> lb = getConstantIntValue(lower);
  std::optional<int64_t> ub = getConstantIntValue(upper);
  std::optional<int64_t> st = getConstantIntValue(step);
  if (!lb || !ub || !st || *st <= 0)
    return std::nullopt;
  if (*ub <= *lb)
    return 0;
  return llvm::divideCeil(static_cast<uint64_t>(*ub) - *lb,
                          static_cast<uint64_t>(*st));
}

std::optional<uint64_t> regionWork(Region &region);

/// Operations executed by one execution of `op`, or nothing when that is
/// not known at compile time.
std::optional<uint64_t> opWork(Operation *op) {
  if (isa<CallOpInterface>(op))
    return std::nullopt;
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<uint64_t> trips =
        tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    std::optional<uint64_t> body = regionWork(loop.getRegion());
    if (!trips || !body)
      return std::nullopt;
    return llvm::SaturatingAdd(llvm::SaturatingMultiply(*trips, *body),
                               uint64_t(1));
  }
  if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    if (loop.getNumResults() != 0)
      return std::nullopt; // a reduction: never serialized, nor what holds it
    std::optional<uint64_t> work = regionWork(loop.getRegion());
    for (auto [lb, ub, step] : llvm::zip(
             loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
      std::optional<uint64_t> trips = tripCount(lb, ub, step);
      if (!trips || !work)
        return std::nullopt;
      work = llvm::SaturatingMultiply(*work, *trips);
    }
    return work ? llvm::SaturatingAdd(*work, uint64_t(1)) : work;
  }
  if (isa<LoopLikeOpInterface>(op))
    return std::nullopt; // while loops, foralls: trip counts not modelled
  uint64_t work = 1;
  if (isa<scf::IfOp, scf::IndexSwitchOp>(op)) {
    // One region runs: the largest.
    uint64_t largest = 0;
    for (Region &region : op->getRegions()) {
      std::optional<uint64_t> branch = regionWork(region);
      if (!branch)
        return std::nullopt;
      largest = std::max(largest, *branch);
    }
    return llvm::SaturatingAdd(work, largest);
  }
  // Any other region (memref.alloca_scope, scf.execute_region) runs once.
  for (Region &region : op->getRegions()) {
    std::optional<uint64_t> inner = regionWork(region);
    if (!inner)
      return std::nullopt;
    work = llvm::SaturatingAdd(work, *inner);
  }
  return work;
}

std::optional<uint64_t> regionWork(Region &region) {
  uint64_t work = 0;
  for (Block &block : region)
    for (Operation &op : block) {
      std::optional<uint64_t> one = opWork(&op);
      if (!one)
        return std::nullopt;
      work = llvm::SaturatingAdd(work, *one);
    }
  return work;
}

/// `loop` (without results) as nested scf.for loops over the same body.
void serialize(scf::ParallelOp loop) {
  OpBuilder b(loop);
  Block *body = loop.getBody();
  scf::buildLoopNest(b, loop.getLoc(), loop.getLowerBound(),
                     loop.getUpperBound(), loop.getStep(),
                     [&](OpBuilder &nested, Location, ValueRange ivs) {
                       IRMapping mapping;
                       mapping.map(loop.getInductionVars(), ivs);
                       for (Operation &op : body->without_terminator())
                         nested.clone(op, mapping);
                     });
  loop.erase();
}

struct CpuSerializeSmallLoopsPass
    : vmgpu::impl::CpuSerializeSmallLoopsBase<CpuSerializeSmallLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minParallelWork <= 0)
      return;
    SmallVector<scf::ParallelOp> small;
    getOperation().walk<WalkOrder::PreOrder>([&](scf::ParallelOp loop) {
      std::optional<uint64_t> work = opWork(loop);
      if (work && *work <= static_cast<uint64_t>(minParallelWork.getValue())) {
        small.push_back(loop);
        return WalkResult::skip();
      }
      return WalkResult::advance();
    });
    for (scf::ParallelOp outer : small) {
      // Inner loops first, so that no parallel loop stays inside the
      // sequential ones (each would be a region of its own).
      SmallVector<scf::ParallelOp> nest;
      outer.walk([&](scf::ParallelOp loop) { nest.push_back(loop); });
      for (scf::ParallelOp loop : nest)
        serialize(loop);
    }
  }
};

} // namespace
