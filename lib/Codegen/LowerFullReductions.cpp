//===- LowerFullReductions.cpp - reductions to one value, in two stages ---===//
//
// The strategy `two_stage`. A reduction of every loop (vm.reduce over all
// dims, vm.dot) of N elements is cut into contiguous segments of
// C = ceil(N / P) elements rounded up to a multiple of 16,
// P = clamp(ceil(N / 4096), 1, 8192): a function of N alone, never of the
// chip, so every GPU gives the same bits. Stage 1 reduces each segment with
// one subgroup (lane-strided fold with the op's body, shuffle tree with its
// combining part) into partials[s]; when N is a multiple of vector_width
// (V) and the bases are aligned (checked in the kernel), lanes read V
// elements per aligned vector load, four loads in flight. Stage 2,
// one subgroup, folds the partials with the combining part and lane 0
// combines the total into the output's initial value. Both stages run in a
// fixed order: results are bitwise identical run to run (DESIGN.md,
// "Determinism"), integers exact.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"
#include "vmgpu/Transforms/Passes.h"

#include "KernelBuilding.h"
#include "OutputFill.h"
#include "ReductionPlan.h"
#include "SubgroupReduction.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERFULLREDUCTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Elements a segment gets at least (enough loads in flight per subgroup).
constexpr int64_t kElementsPerSegment = 4096;
/// Segment lengths are multiples of it (the widest vector access).
constexpr int64_t kSegmentAlignment = 16;
/// Chunks a lane loads before folding them (their loads in flight
/// together).
constexpr int64_t kUnroll = 4;
/// Partials a lane of stage 2 loads before folding them, the last group
/// guarded: at most ceil(8192 / (32 * 64)) + 1 = 5 L2 round trips of a
/// subgroup (docs/gpu-path.md has the measurement).
constexpr int64_t kPartialsUnroll = 64;
/// Segments at most: enough subgroups to fill an H200 several times; stage
/// 2 then folds at most 8192 partials (256 per lane).
constexpr int64_t kMaxSegments = 8192;

using FullReductionPlan = ReductionPlan;

FailureOr<FullReductionPlan> planFullReduction(linalg::LinalgOp op) {
  if (op.getNumLoops() == 0 || op.getNumReductionLoops() != op.getNumLoops())
    return failure();
  // The output (and any 0-d input) is indexed by no loop. A 1-D body may
  // read its position (argmax packs it into its accumulator): the element's
  // index.
  return planReduction(
      op, AffineMap::get(op.getNumLoops(), /*symbolCount=*/0, op.getContext()),
      /*allowIndex=*/op.getNumLoops() == 1);
}

class FullReductionKernelBuilder {
public:
  FullReductionKernelBuilder(linalg::LinalgOp op, const LoweringConfig &config,
                             const FullReductionPlan &plan)
      : op(op), config(config), plan(plan), b(op) {}

  void build() {
    Location loc = op.getLoc();
    // The output's initial value, when a fill writes it: stage 2 combines
    // the total with that value itself and the fill (a launch of its own)
    // goes. Looked up before anything is built between them.
    linalg::FillOp initialFill =
        findFreshOutputFill(op, op.getDpsInitOperand(0)->get());
    Value count;
    for (auto [input, kind] :
         llvm::zip_equal(op.getDpsInputs(), plan.inputs)) {
      if (kind == ReductionInput::Element) {
        int64_t rank = cast<MemRefType>(input.getType()).getRank();
        if (!count)
          count = dimProduct(b, loc, input, 0, rank);
        inputViews.push_back(collapseTrailingDims(b, loc, input, 0));
      } else {
        inputViews.push_back(input);
      }
    }
    Value out = op.getDpsInitOperand(0)->get();
    Type accumulatorType = getElementTypeOrSelf(out.getType());
    auto index = [&](int64_t v) { return indexConstant(b, loc, v); };
    Value one = index(1);

    // The partition: a function of the element count alone.
    Value segments = arith::MaxUIOp::create(
        b, loc,
        arith::MinUIOp::create(
            b, loc,
            arith::CeilDivUIOp::create(b, loc, count,
                                       index(kElementsPerSegment)),
            index(kMaxSegments)),
        one);
    // The segment length and the segments in use divide by a run-time
    // value: each kernel computes them (host code keeps to divisions by
    // constants, which are pure; vm-sequential-work-to-gpu moves anything
    // else into a kernel).
    // The segment length is a multiple of kSegmentAlignment, so that when
    // N is a multiple of the vector width every segment starts and ends on
    // an access boundary.
    auto partition = [&]() -> std::pair<Value, Value> {
      Value length = arith::MulIOp::create(
          b, loc,
          arith::CeilDivUIOp::create(
              b, loc, arith::CeilDivUIOp::create(b, loc, count, segments),
              index(kSegmentAlignment)),
          index(kSegmentAlignment));
      length = arith::MaxUIOp::create(b, loc, length,
                                      index(kSegmentAlignment));
      return {length, arith::CeilDivUIOp::create(b, loc, count, length)};
    };
    Value partials = markLateAllocation(memref::AllocOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, accumulatorType),
        ValueRange{segments}));

    int64_t width = config.workgroup[0];
    int64_t perBlock = config.workgroup[1];

    // Stage 1: segment s by subgroup s.
    {
      Value grid = arith::CeilDivUIOp::create(b, loc, segments,
                                              index(perBlock));
      auto launch = gpu::LaunchOp::create(b, loc, grid, one, one,
                                          index(width), index(perBlock), one);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      auto [segmentLength, usedSegments] = partition();
      Value lane = launch.getThreadIds().x;
      Value segment = arith::AddIOp::create(
          b, loc,
          arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                                index(perBlock)),
          launch.getThreadIds().y);
      // Uniform per subgroup (one subgroup, one segment).
      Value used = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                         segment, usedSegments);
      auto ifUsed = scf::IfOp::create(b, loc, used, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifUsed.thenBlock());
      Value start = arith::MulIOp::create(b, loc, segment, segmentLength);
      Value length = arith::MinUIOp::create(
          b, loc, segmentLength, arith::SubIOp::create(b, loc, count, start));
      Value partial = emitSegment(loc, lane, start, length, count, width);
      emitOnFirstLane(b, loc, lane, [&] {
        memref::StoreOp::create(b, loc, partial, partials, ValueRange{segment});
      });
      b.setInsertionPointAfter(ifUsed);
      gpu::TerminatorOp::create(b, loc);
    }

    // Stage 2: the partials, in order, by one subgroup.
    {
      auto launch = gpu::LaunchOp::create(b, loc, one, one, one, index(width),
                                          one, one);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      Value usedSegments = partition().second;
      Value lane = launch.getThreadIds().x;
      auto initial = [&]() -> Value {
        if (initialFill)
          return initialFill.value();
        return memref::LoadOp::create(b, loc, out, ValueRange{});
      };
      Value any = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                        count, index(0));
      auto ifAny = scf::IfOp::create(b, loc, any,
                                     /*withElseRegion=*/initialFill != nullptr);
      if (initialFill) {
        // No element: the output is the initial value alone.
        b.setInsertionPointToStart(ifAny.elseBlock());
        emitOnFirstLane(b, loc, lane, [&] {
          memref::StoreOp::create(b, loc, initial(), out, ValueRange{});
        });
      }
      b.setInsertionPointToStart(ifAny.thenBlock());
      auto load = [&](Value i) {
        return memref::LoadOp::create(b, loc, partials, ValueRange{i})
            .getResult();
      };
      // Up to 256 partials per lane: kPartialsUnroll loads in flight, not
      // one L2 round trip per partial (the fold order stays the same).
      Value total = emitSubgroupReduction(
          b, loc, lane, usedSegments, width, kPartialsUnroll, load,
          [&](Value i) { return SmallVector<Value>{load(i)}; },
          [&](Value accumulator, ValueRange partial) {
            return plan.combiner.combine(b, partial[0], accumulator);
          },
          [&](Value other, Value mine) {
            return plan.combiner.combine(b, other, mine);
          },
          FoldTail::GuardedGroup);
      emitOnFirstLane(b, loc, lane, [&] {
        memref::StoreOp::create(b, loc,
                                plan.combiner.combine(b, total, initial()), out,
                                ValueRange{});
      });
      b.setInsertionPointAfter(ifAny);
      gpu::TerminatorOp::create(b, loc);
    }
    memref::DeallocOp::create(b, loc, partials);
    if (initialFill)
      initialFill->erase();
  }

private:
  /// The lane partials (lane 0's is the segment's) of the `length` (> 0)
  /// elements from `start`, one element per lane and step.
  Value emitScalarSegment(Location loc, Value lane, Value start, Value length,
                          int64_t width) {
    Block *body = op.getBlock();
    Value accumulatorArg = body->getArgument(op.getNumDpsInputs());
    auto at = [&](Value element) {
      return arith::AddIOp::create(b, loc, start, element).getResult();
    };
    return emitSubgroupReduction(
        b, loc, lane, length, width,
        [&](Value element) {
          Value index = at(element);
          return cloneContribution(b, *body,
                                   bodyArguments(loc, index, accumulatorArg),
                                   plan.combiner, ArrayRef<Value>{index});
        },
        [&](Value accumulator, Value element) {
          Value index = at(element);
          return cloneBody(b, op, bodyArguments(loc, index, accumulator),
                           ArrayRef<Value>{index})[0];
        },
        plan.combiner);
  }

  /// The same read in chunks of vector_width (V) elements with aligned
  /// vector loads; `length` is a multiple of V.
  Value emitVectorSegment(Location loc, Value lane, Value start, Value length,
                          int64_t width) {
    int64_t vectorWidth = config.vectorWidth;
    Value chunks = arith::DivUIOp::create(
        b, loc, length, indexConstant(b, loc, vectorWidth));
    auto readChunk = [&](Value chunk) {
      Value element = arith::AddIOp::create(
          b, loc, start,
          arith::MulIOp::create(b, loc, chunk,
                                indexConstant(b, loc, vectorWidth)));
      SmallVector<Value> vectors;
      for (auto [view, kind] : llvm::zip_equal(inputViews, plan.inputs)) {
        if (kind != ReductionInput::Element)
          continue;
        auto type = VectorType::get({vectorWidth},
                                    getElementTypeOrSelf(view.getType()));
        vectors.push_back(vector::LoadOp::create(
            b, loc, type, view, ValueRange{element}, /*nontemporal=*/false,
            llvm::MaybeAlign(vectorAccessBytes(view, vectorWidth))));
      }
      // The chunk's first element goes last, for the elements' positions.
      vectors.push_back(element);
      return vectors;
    };
    auto argumentsAt = [&](ValueRange vectors, int64_t k, Value accumulator) {
      return reductionBodyArguments(
          plan, inputViews,
          [&](unsigned, unsigned n, Value) -> Value {
            return vector::ExtractOp::create(b, loc, vectors[n], k);
          },
          [&](unsigned, Value view) -> Value {
            return memref::LoadOp::create(b, loc, view, ValueRange{});
          },
          accumulator);
    };
    auto positionAt = [&](ValueRange loaded, int64_t k) {
      return SmallVector<Value>{arith::AddIOp::create(
          b, loc, loaded.back(), indexConstant(b, loc, k))};
    };
    return emitSubgroupChunkReduction(b, loc, op, plan.combiner, lane, chunks,
                                      width, vectorWidth, kUnroll, readChunk,
                                      argumentsAt, positionAt);
  }

  /// The segment's lane partials: vector loads when N is a multiple of the
  /// vector width and every element input's base is aligned to its access
  /// (uniform), else element loads.
  Value emitSegment(Location loc, Value lane, Value start, Value length,
                    Value count, int64_t width) {
    if (!canReadVectors(op, plan, config.vectorWidth))
      return emitScalarSegment(loc, lane, start, length, width);
    Value aligned = vectorChunksAligned(b, loc, plan, inputViews, count,
                                        config.vectorWidth);
    Type accumulatorType =
        op.getBlock()->getArgument(op.getNumDpsInputs()).getType();
    auto ifAligned = scf::IfOp::create(b, loc, TypeRange{accumulatorType},
                                       aligned, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifAligned.thenBlock());
    scf::YieldOp::create(b, loc,
                         emitVectorSegment(loc, lane, start, length, width));
    b.setInsertionPointToStart(ifAligned.elseBlock());
    scf::YieldOp::create(b, loc,
                         emitScalarSegment(loc, lane, start, length, width));
    return ifAligned.getResult(0);
  }

  SmallVector<Value> bodyArguments(Location loc, Value element,
                                   Value accumulator) {
    return reductionBodyArguments(
        plan, inputViews,
        [&](unsigned, unsigned, Value view) -> Value {
          return memref::LoadOp::create(b, loc, view, ValueRange{element});
        },
        [&](unsigned, Value view) -> Value {
          return memref::LoadOp::create(b, loc, view, ValueRange{});
        },
        accumulator);
  }

  linalg::LinalgOp op;
  const LoweringConfig &config;
  const FullReductionPlan &plan;
  OpBuilder b;
  SmallVector<Value> inputViews;
};

struct GpuLowerFullReductionsPass
    : vmgpu::impl::GpuLowerFullReductionsBase<GpuLowerFullReductionsPass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::TwoStage);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (!hasSubgroupRows(config))
        continue;
      FailureOr<FullReductionPlan> plan = planFullReduction(op);
      if (failed(plan))
        continue; // Declined: vm-split-full-reductions and the fallback.
      FullReductionKernelBuilder(op, config, *plan).build();
      op->erase();
    }
  }
};

} // namespace
