//===- FuseElementwise.cpp - elementwise fusion in linear time ------------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace vmgpu {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Ops in the body of `op` (a linalg op), or 0.
int64_t bodySize(Operation *op) {
  if (!op || op->getNumRegions() != 1 || op->getRegion(0).empty())
    return 0;
  return static_cast<int64_t>(op->getRegion(0).front().getOperations().size());
}

/// Fuses producer/consumer pairs that `control` accepts in rounds, each op
/// taking part in at most one fusion per round: chains merge pairwise, so a
/// body is copied O(log max-body-ops) times instead of once per op that
/// joins its chain (the greedy driver fuses one op at a time into a growing
/// body).
void fuseInRounds(Operation *root, const linalg::ControlFusionFn &control) {
  IRRewriter rewriter(root->getContext());
  for (bool changed = true; changed;) {
    changed = false;
    SmallVector<linalg::GenericOp> consumers;
    root->walk([&](linalg::GenericOp op) { consumers.push_back(op); });
    // Ops fused, erased or created in this round (an erased op's address may
    // come back for a new op: that op then waits for the next round).
    llvm::DenseSet<Operation *> used;
    for (linalg::GenericOp consumer : consumers) {
      if (used.contains(consumer))
        continue;
      for (OpOperand &operand : consumer->getOpOperands()) {
        Operation *producer = operand.get().getDefiningOp();
        if (!producer || used.contains(producer) ||
            !linalg::areElementwiseOpsFusable(&operand) || !control(&operand))
          continue;
        rewriter.setInsertionPoint(consumer);
        FailureOr<linalg::ElementwiseOpFusionResult> fused =
            linalg::fuseElementwiseOps(rewriter, &operand);
        if (failed(fused))
          continue;
        for (auto [original, replacement] : fused->replacements)
          rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
            return use.getOwner() != producer;
          });
        used.insert(consumer.getOperation());
        used.insert(producer);
        used.insert(fused->fusedOp);
        rewriter.eraseOp(consumer);
        if (producer->use_empty())
          rewriter.eraseOp(producer);
        changed = true;
        break;
      }
    }
  }
}

/// `linalg.broadcast` (what `vm.broadcast` becomes) is a named op, which
/// elementwise fusion does not take: one whose only reader is a
/// `linalg.generic` becomes a generic of its own, so that it fuses and the
/// reader takes the source at the broadcast's indexing map instead of a
/// buffer of the full shape (a bias added after a matmul was written out as
/// a whole matrix, then read back).
void generalizeFusableBroadcasts(Operation *root) {
  SmallVector<linalg::BroadcastOp> broadcasts;
  root->walk([&](linalg::BroadcastOp op) {
    if (op.hasPureTensorSemantics() && op->hasOneUse() &&
        isa<linalg::GenericOp>(*op->user_begin()))
      broadcasts.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (linalg::BroadcastOp op : broadcasts) {
    rewriter.setInsertionPoint(op);
    (void)linalg::generalizeNamedOp(rewriter, op);
  }
}

struct FuseElementwisePass
    : vmgpu::impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    generalizeFusableBroadcasts(getOperation());
    int64_t limit = maxBodyOps;
    // Upstream's rule (a producer with one use) plus the bound.
    linalg::ControlFusionFn oneUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    linalg::ControlFusionFn bounded = [limit](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      if (!producer || !producer->hasOneUse())
        return false;
      return bodySize(producer) + bodySize(fused->getOwner()) <= limit;
    };
    fuseInRounds(getOperation(), bounded);
    // The rest of upstream's pass, and fusions the rounds left (after
    // constant folding, reshape propagation).
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, bounded);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, oneUse);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, oneUse);
    // Top-down, as upstream, for compile time.
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns), config);

    // Each init its own allocation: CSE would merge the identical
    // tensor.empty ops of a long chain into one that hundreds of ops write,
    // and one-shot bufferization's conflict analysis grows faster than
    // quadratically in its users (625 ops: 56 s); alloc_tensor is never
    // merged and bufferizes to the same allocation.
    RewritePatternSet inits(context);
    bufferization::populateEmptyTensorToAllocTensorPattern(inits);
    (void)applyPatternsGreedily(getOperation(), std::move(inits));
  }
};

} // namespace
