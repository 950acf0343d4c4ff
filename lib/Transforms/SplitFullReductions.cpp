//===- SplitFullReductions.cpp - full reductions in two parallel stages ---===//

#include "vmgpu/Transforms/Passes.h"

#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"

namespace vmgpu {
#define GEN_PASS_DEF_SPLITFULLREDUCTIONS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Reductions of fewer elements stay in one sequential loop.
constexpr int64_t kMinSplitElements = 4096;
/// Partial results for a reduction whose size is only known at run time.
constexpr int64_t kDynamicPartials = 16384;

/// How many partial results a reduction of `elements` gets: about the
/// square root (a power of two in [64, 16384]), so that both stages have
/// work; 0 when it is not worth splitting. Depends only on the static size,
/// so a block always reduces in the same order.
int64_t partialsFor(int64_t elements) {
  if (ShapedType::isDynamic(elements))
    return kDynamicPartials;
  if (elements < kMinSplitElements)
    return 0;
  int64_t partials = 64;
  while (partials < kDynamicPartials && partials * partials < elements)
    partials *= 2;
  return partials;
}

/// A full reduction this pass can split: every loop a reduction, one 0-d
/// output, inputs that are either contiguous buffers indexed by every loop
/// in order or 0-d values broadcast to every iteration.
bool isSplittable(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumLoops() == 0 ||
      !op.hasPureBufferSemantics() ||
      llvm::any_of(op.getIteratorTypesArray(), [](utils::IteratorType type) {
        return type != utils::IteratorType::reduction;
      }))
    return false;
  if (op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getNumResults() != 0)
    return false;
  bool hasElements = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!map.isIdentity() || !type || !type.getLayout().isIdentity())
      return false;
    hasElements = true;
  }
  bool usesIndex = !op.getBlock()->getOps<linalg::IndexOp>().empty();
  return hasElements && !usesIndex;
}

struct SplitFullReductionsPass
    : vmgpu::impl::SplitFullReductionsBase<SplitFullReductionsPass> {
  /// The tail reductions made so far: they accumulate onto partial results,
  /// not onto the identity, so they must not be split.
  llvm::SmallPtrSet<Operation *, 8> tails;

  void runOnOperation() override {
    tails.clear();
    IRRewriter rewriter(&getContext());
    // Each split's second stage may itself be large enough to split again.
    bool changed = true;
    while (changed) {
      changed = false;
      SmallVector<linalg::LinalgOp> candidates;
      getOperation().walk([&](linalg::LinalgOp op) {
        if (op.getNumReductionLoops() == op.getNumLoops() &&
            op.getNumLoops() > 0 && !tails.contains(op))
          candidates.push_back(op);
      });
      for (linalg::LinalgOp candidate : candidates) {
        if (partialsFor(candidate) == 0)
          continue;
        auto generic = dyn_cast<linalg::GenericOp>(candidate.getOperation());
        if (!generic) {
          rewriter.setInsertionPoint(candidate);
          FailureOr<linalg::GenericOp> generalized =
              linalg::generalizeNamedOp(rewriter, candidate);
          if (failed(generalized))
            continue;
          generic = *generalized;
        }
        split(rewriter, generic);
        changed = true;
      }
    }
  }

  /// How many partials `op` is split into; 0 when it is not split.
  static int64_t partialsFor(linalg::LinalgOp op) {
    if (!isSplittable(op))
      return 0;
    Value accumulator = op.getBlock()->getArgument(op.getNumDpsInputs());
    if (failed(vmgpu::extractReductionCombiner(*op.getBlock(), accumulator)))
      return 0;
    int64_t elements = 1;
    for (int64_t size : op.getStaticLoopRanges())
      elements = ShapedType::isDynamic(size) || ShapedType::isDynamic(elements)
                     ? ShapedType::kDynamic
                     : elements * size;
    return ::partialsFor(elements);
  }

  /// Rewrites `op` as: every partial starts as the accumulator's initial
  /// value (the reduction's identity); stage 1 reduces element
  /// `j * partials + p` into partial `p`, one thread per partial, coalesced;
  /// stage 2 combines the partials into the accumulator in order; the tail
  /// (fewer than `partials` elements) goes into it last. Stage 2 runs while
  /// the accumulator still holds the identity, so it may be split in turn;
  /// the tail, which accumulates onto a partial result, never is.
  void split(RewriterBase &rewriter, linalg::GenericOp op) {
    int64_t partials = partialsFor(op);
    Value accumulator = op.getBody()->getArgument(op.getNumDpsInputs());
    FailureOr<vmgpu::ReductionCombiner> combiner =
        vmgpu::extractReductionCombiner(*op.getBody(), accumulator);

    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    rewriter.setInsertionPoint(op);
    Value out = op.getDpsInitOperand(0)->get();
    Type element = cast<MemRefType>(out.getType()).getElementType();

    // Every input as one dimension, split into a [rows, partials] main
    // part and a tail.
    Value count;
    Value rows, mainCount, tailCount;
    SmallVector<Value> mainInputs, tailInputs;
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
    };
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value value = input->get();
      if (op.getMatchingIndexingMap(input).getNumResults() == 0) {
        mainInputs.push_back(value);
        tailInputs.push_back(value);
        continue;
      }
      auto type = cast<MemRefType>(value.getType());
      if (type.getRank() > 1) {
        ReassociationIndices all;
        for (int64_t d = 0; d < type.getRank(); ++d)
          all.push_back(d);
        value = memref::CollapseShapeOp::create(
            rewriter, loc, value, SmallVector<ReassociationIndices>{all});
      }
      if (!count) {
        count = memref::DimOp::create(rewriter, loc, value, 0);
        rows = arith::DivUIOp::create(rewriter, loc, count, index(partials));
        mainCount =
            arith::MulIOp::create(rewriter, loc, rows, index(partials));
        tailCount = arith::SubIOp::create(rewriter, loc, count, mainCount);
      }
      mainInputs.push_back(memref::ReinterpretCastOp::create(
          rewriter, loc, value, rewriter.getIndexAttr(0),
          {OpFoldResult(rows), rewriter.getIndexAttr(partials)},
          {rewriter.getIndexAttr(partials), rewriter.getIndexAttr(1)}));
      tailInputs.push_back(memref::ReinterpretCastOp::create(
          rewriter, loc, value, OpFoldResult(mainCount),
          {OpFoldResult(tailCount)}, {rewriter.getIndexAttr(1)}));
    }

    auto partialType = MemRefType::get({partials}, element);
    Value partial =
        vmgpu::markLateAllocation(memref::AllocOp::create(rewriter, loc, partialType));
    AffineExpr p, j;
    bindDims(context, p, j);
    auto map1 = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(1, 0, results, context);
    };
    auto map2 = [&](ArrayRef<AffineExpr> results) {
      return AffineMap::get(2, 0, results, context);
    };
    auto parallel = utils::IteratorType::parallel;
    auto reduction = utils::IteratorType::reduction;

    linalg::GenericOp::create(
        rewriter, loc, ValueRange{out}, ValueRange{partial},
        {map1({}), map1({p})}, {parallel},
        [](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, args[0]);
        });

    auto cloneBody = [&](linalg::GenericOp to) {
      rewriter.cloneRegionBefore(op.getRegion(), to.getRegion(),
                                 to.getRegion().end());
    };
    SmallVector<AffineMap> stage1Maps, tailMaps;
    for (OpOperand *input : op.getDpsInputOperands()) {
      bool broadcast = op.getMatchingIndexingMap(input).getNumResults() == 0;
      stage1Maps.push_back(broadcast ? map2({}) : map2({j, p}));
      tailMaps.push_back(broadcast ? map1({}) : map1({p}));
    }
    stage1Maps.push_back(map2({p}));
    tailMaps.push_back(map1({}));
    cloneBody(linalg::GenericOp::create(rewriter, loc, TypeRange{}, mainInputs,
                                        ValueRange{partial}, stage1Maps,
                                        {parallel, reduction}));
    linalg::GenericOp::create(
        rewriter, loc, ValueRange{partial}, ValueRange{out},
        {map1({p}), map1({})}, {reduction},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc,
                                  combiner->combine(b, args[0], args[1]));
        });
    auto tail = linalg::GenericOp::create(rewriter, loc, TypeRange{},
                                          tailInputs, ValueRange{out},
                                          tailMaps, {reduction});
    cloneBody(tail);
    tails.insert(tail);
    memref::DeallocOp::create(rewriter, loc, partial);
    rewriter.eraseOp(op);
  }
};

} // namespace
