//===- CpuSerializeSmallLoops.cpp - small parallel loops on one thread ----===//
//
// A parallel region costs the same to start whatever it computes: the
// OpenMP workers sleep between regions (blocktime 0 during a CPU block run,
// runtime/NativeExecutable.cpp) and each region wakes them. A block made of
// many small loops (a transposed convolution's phases, a small elementwise
// chain, the fills and copies around a contraction) paid that for every
// loop. Loops whose work is known to be small at compile time run on the
// calling thread (vm-cpu-serialize-small-loops); regions whose work is
// known only at run time fork the threads only when it is large
// (vm-cpu-guard-small-parallel-regions).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/Support/MathExtras.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPUGUARDSMALLPARALLELREGIONS
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

/// A constant that `upper - lower` never exceeds: `upper` is `lower + c`, or
/// a minimum one of whose operands is (how the chunks of an innermost dim
/// end: min(iv + chunk, n)).
std::optional<int64_t> mostExtent(Value upper, Value lower) {
  if (auto add = upper.getDefiningOp<arith::AddIOp>()) {
    for (auto [base, offset] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())})
      if (base == lower)
        if (std::optional<int64_t> c = getConstantIntValue(offset))
          return *c;
    return std::nullopt;
  }
  // Signed: index bounds may be negative.
  auto minimum = upper.getDefiningOp<arith::MinSIOp>();
  if (!minimum)
    return std::nullopt;
  std::optional<int64_t> most;
  for (Value operand : minimum->getOperands())
    if (std::optional<int64_t> one = mostExtent(operand, lower))
      most = most ? std::min(*most, *one) : *one;
  return most;
}

/// At most how many iterations a `scf.for` makes: its trip count when the
/// bounds are constants, else from mostExtent.
std::optional<uint64_t> mostTrips(scf::ForOp loop) {
  if (std::optional<uint64_t> trips = tripCount(
          loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))
    return trips;
  std::optional<int64_t> step = getConstantIntValue(loop.getStep());
  std::optional<int64_t> most =
      mostExtent(loop.getUpperBound(), loop.getLowerBound());
  if (!step || *step <= 0 || !most)
    return std::nullopt;
  if (*most <= 0)
    return 0;
  return llvm::divideCeil(static_cast<uint64_t>(*most),
                          static_cast<uint64_t>(*step));
}

/// At most how many operations one execution of `op` executes, or nothing
/// when that is not known at compile time.
std::optional<uint64_t> opWork(Operation *op) {
  if (isa<CallOpInterface>(op))
    return std::nullopt;
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    std::optional<uint64_t> trips = mostTrips(loop);
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

/// Whether a guard can count `loop`'s iterations: index bounds (i32 bounds
/// would need the limit clamped), an exclusive upper bound and constant
/// positive steps, and some bound known only at run time (with constant
/// bounds vm-cpu-serialize-small-loops already decided).
bool hasCountableRunTimeTrips(omp::LoopNestOp loop) {
  if (loop.getLoopInclusive())
    return false;
  bool runTime = false;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLoopLowerBounds(), loop.getLoopUpperBounds(),
                 loop.getLoopSteps())) {
    std::optional<int64_t> constantStep = getConstantIntValue(step);
    if (!ub.getType().isIndex() || !constantStep || *constantStep <= 0)
      return false;
    runTime |= !getConstantIntValue(lb) || !getConstantIntValue(ub);
  }
  return runTime;
}

/// The number of iterations of `loop` (hasCountableRunTimeTrips) as a value
/// before `b`'s insertion point: the product of max(ub - lb, 0) / step,
/// rounded up, over its dims. The product wraps only past 2^64 iterations,
/// more than any buffer holds.
Value buildTripCount(OpBuilder &b, omp::LoopNestOp loop) {
  Location loc = loop.getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value total;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLoopLowerBounds(), loop.getLoopUpperBounds(),
                 loop.getLoopSteps())) {
    Value extent = arith::MaxSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, ub, lb), zero);
    Value trips = arith::CeilDivUIOp::create(b, loc, extent, step);
    total = total ? arith::MulIOp::create(b, loc, total, trips).getResult()
                  : trips;
  }
  return total;
}

struct CpuGuardSmallParallelRegionsPass
    : vmgpu::impl::CpuGuardSmallParallelRegionsBase<
          CpuGuardSmallParallelRegionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (minParallelWork <= 0)
      return;
    getOperation().walk<WalkOrder::PreOrder>([&](omp::ParallelOp region) {
      // Regions nested in a guarded one run inside it; those in a region
      // left alone may still be guarded.
      return guard(region) ? WalkResult::skip() : WalkResult::advance();
    });
  }

  /// Gives `region` its `if` clause; false when it is not of the form
  /// handled (left alone).
  bool guard(omp::ParallelOp region) {
    if (region.getIfExpr() || !region.getRegion().hasOneBlock())
      return false;
    // One work-sharing loop and the terminator: the form scf.parallel
    // takes (clauses such as private or reduction are left alone).
    Block &body = region.getRegion().front();
    if (body.getOperations().size() != 2 || region->getNumOperands() != 0)
      return false;
    auto wsloop = dyn_cast<omp::WsloopOp>(body.front());
    if (!wsloop || wsloop->getNumOperands() != 0)
      return false;
    auto loop = dyn_cast<omp::LoopNestOp>(wsloop.getWrappedLoop());
    if (!loop || !hasCountableRunTimeTrips(loop))
      return false;
    // A body of unknown work still never pays for the threads in one
    // iteration. Each body counts at least its terminator.
    uint64_t bodyWork = regionWork(loop.getRegion())
                            .value_or(static_cast<uint64_t>(minParallelWork));
    // trips x bodyWork > min, without the product's overflow.
    uint64_t most = std::max<uint64_t>(
        static_cast<uint64_t>(minParallelWork.getValue()) / bodyWork, 1);
    OpBuilder b(region);
    Value trips = buildTripCount(b, loop);
    Value limit = arith::ConstantIndexOp::create(b, region.getLoc(),
                                                 static_cast<int64_t>(most));
    Value worth = arith::CmpIOp::create(
        b, region.getLoc(), arith::CmpIPredicate::ugt, trips, limit);
    region.getIfExprMutable().assign(worth);
    return true;
  }
};

} // namespace
