//===- CpuTileContractions.cpp - tiled, vectorized CPU contractions -------===//
//
// The CPU GEMM strategy (docs/cpu-path.md, "Contractions"): cache tiles
// over threads, register tiles vectorized to FMA with the accumulator tile
// held in registers across K. Runs on tensors, where hoisting the
// accumulator out of the K loop is a subset-hoisting question the upstream
// utilities answer (on buffers, the subview chains defeat them).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "vmgpu/Codegen/CpuKernelConfig.h"
#include "vmgpu/Codegen/CpuPackOperands.h"
#include "vmgpu/Codegen/CpuPairedIntegerContraction.h"
#include "vmgpu/Codegen/CpuTarget.h"
#include "vmgpu/Codegen/Im2ColContraction.h"
#include "vmgpu/Codegen/LibraryGemm.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPUTILECONTRACTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Tiles `op` by `sizes` (0: not tiled) into loops of `loopType` and
/// replaces it. Returns the loops and the tiled op; no loops when every
/// size is 0.
FailureOr<scf::SCFTilingResult>
tileOp(RewriterBase &rewriter, Operation *op, ArrayRef<int64_t> sizes,
       scf::SCFTilingOptions::LoopType loopType) {
  if (llvm::all_of(sizes, [](int64_t s) { return s == 0; })) {
    scf::SCFTilingResult untiled;
    untiled.tiledOps.push_back(op);
    return untiled;
  }
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op->getContext(), sizes));
  options.setLoopType(loopType);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return result;
}

/// Peels the partial last iteration off `loop`, so that the main loop's
/// tiles have the static tile size. Nothing to do (static trip count that
/// divides) is not an error.
void peelPartialIteration(RewriterBase &rewriter, LoopLikeOpInterface loop) {
  auto forOp = dyn_cast_or_null<scf::ForOp>(loop.getOperation());
  if (!forOp)
    return;
  scf::ForOp partial;
  (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
}

/// Vectorizes one register tile. A full tile has static sizes; a partial
/// one (the last rows or columns of the matrix) is tiled again by 1 along
/// its partial dims, which gives static row or column tiles that vectorize
/// the same way, without masks (masked contractions lower element by
/// element). Then K is tiled (by 1), inside those loops, so that every
/// tile's accumulator can stay in registers across K. A tile the vectorizer
/// refuses stays a linalg op (scalar loops later): slower, never wrong.
LogicalResult vectorizeRegisterTile(RewriterBase &rewriter,
                                    linalg::LinalgOp op,
                                    ArrayRef<int64_t> reductionTiles) {
  if (op.hasDynamicShape()) {
    SmallVector<int64_t> unitTiles;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (auto [size, iterator] :
         llvm::zip_equal(op.getStaticLoopRanges(), iterators))
      unitTiles.push_back(ShapedType::isDynamic(size) &&
                                  iterator == utils::IteratorType::parallel
                              ? 1
                              : 0);
    FailureOr<scf::SCFTilingResult> rows = tileOp(
        rewriter, op, unitTiles, scf::SCFTilingOptions::LoopType::ForOp);
    if (failed(rows))
      return op->emitOpError("cannot tile a partial register tile");
    op = cast<linalg::LinalgOp>(rows->tiledOps.front());
  }
  FailureOr<scf::SCFTilingResult> steps = tileOp(
      rewriter, op, reductionTiles, scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(steps))
    return op->emitOpError("cannot tile the register tile's K");
  op = cast<linalg::LinalgOp>(steps->tiledOps.front());
  if (op.hasDynamicShape())
    return success();
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
      rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
      /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
      /*assumeDynamicDimsMatchVecSizes=*/false,
      /*createNamedContraction=*/true);
  if (succeeded(result))
    rewriter.replaceOp(op, result->replacements);
  return success();
}

/// Tiles one contraction as its configuration says. The loops, outermost
/// first: forall (batch, M, N cache tiles) > for K (cache) > for M > for N
/// (register tiles, peeled); the K loop of the register tiles comes with
/// their vectorization. The register tiles keep the op's configuration
/// (tiling clones attributes), which is how that step finds them.
LogicalResult tileContraction(RewriterBase &rewriter, linalg::LinalgOp op,
                              const LoweringConfig &config) {
  // `op` is replaced by its tiles as soon as the first tiling succeeds:
  // later diagnostics go to its location.
  Location loc = op.getLoc();
  unsigned loops = op.getNumLoops();
  if (config.cacheTiles.size() != loops ||
      config.registerTiles.size() != loops)
    return op->emitOpError()
           << "lowering config: 'cache_tiles' and 'register_tiles' need one "
              "size per loop ("
           << loops << ")";
  SmallVector<int64_t> threadTiles(config.cacheTiles);
  SmallVector<int64_t> reductionTiles(loops, 0);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (unsigned d = 0; d < loops; ++d) {
    if (iterators[d] != utils::IteratorType::reduction)
      continue;
    reductionTiles[d] = threadTiles[d];
    threadTiles[d] = 0;
  }

  FailureOr<scf::SCFTilingResult> threads =
      tileOp(rewriter, op, threadTiles,
             scf::SCFTilingOptions::LoopType::ForallOp);
  if (failed(threads))
    return op->emitOpError("cannot tile over threads");
  FailureOr<scf::SCFTilingResult> cacheK =
      tileOp(rewriter, threads->tiledOps.front(), reductionTiles,
             scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(cacheK))
    return emitError(loc, "cannot tile K for the cache");

  SmallVector<int64_t> registerTiles(config.registerTiles);
  for (unsigned d = 0; d < loops; ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      registerTiles[d] = 0;
  FailureOr<scf::SCFTilingResult> registers =
      tileOp(rewriter, cacheK->tiledOps.front(), registerTiles,
             scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(registers))
    return emitError(loc, "cannot tile for registers");

  // Peel the inner (N) loop first, then the outer (M) one: the main M loop
  // then holds a main and a partial N loop, and one partial M iteration
  // follows with copies of both. Only loops of dims tiled > 1 are peeled
  // (the loops come in dim order, skipping untiled dims).
  SmallVector<LoopLikeOpInterface> peelable;
  unsigned loopIndex = 0;
  for (int64_t size : registerTiles) {
    if (size == 0)
      continue;
    if (size > 1 && loopIndex < registers->loops.size())
      peelable.push_back(registers->loops[loopIndex]);
    ++loopIndex;
  }
  for (LoopLikeOpInterface loop : llvm::reverse(peelable))
    peelPartialIteration(rewriter, loop);

  return success();
}

/// Marks the register tiles of a directly tiled convolution until they are
/// vectorized (tiling clones attributes).
constexpr llvm::StringLiteral kDirectConvTileAttr = "vmgpu.cpu_direct_conv";

/// Whether either CPU form (in place, im2col) may take `conv`: static,
/// not empty, no configuration written by hand.
bool isStaticUnconfiguredConvolution(linalg::Conv2DNhwcHwcfOp conv) {
  return !conv.hasDynamicShape() && !conv->hasAttr(kLoweringConfigAttrName) &&
         !llvm::is_contained(conv.getStaticLoopRanges(), 0);
}

/// Whether `conv` is computed in place rather than through an im2col copy:
/// static f32 (the 1-D convolutions it is vectorized as take one element
/// type) and not handed to the BLAS, which needs the copy's matrix.
bool takesDirectConvolution(linalg::Conv2DNhwcHwcfOp conv,
                            ContractionStrategy strategy) {
  if (!isStaticUnconfiguredConvolution(conv))
    return false;
  auto isF32 = [](Value value) {
    return getElementTypeOrSelf(value.getType()).isF32();
  };
  if (!llvm::all_of(conv->getOperands(), isF32))
    return false;
  // `auto` too: in place, a 4x56x56x64 3x3 convolution ran 1.7x faster
  // than its im2col copy and OpenBLAS's GEMM of it on two cores
  // (docs/cpu-path.md 2a); the copy is nine times the input.
  return strategy != ContractionStrategy::Library;
}

/// Tiles a static convolution (loops n, oh, ow, f, kh, kw, c) without an
/// im2col copy (docs/notes/cpu-conv-direct-plan.md): threads over images,
/// output rows and blocks of filters; register tiles of output pixels x
/// filters (the GEMM's), peeled to static sizes, marked for
/// vectorizeDirectConvolutionTile.
LogicalResult tileConvolutionDirectly(RewriterBase &rewriter,
                                      linalg::Conv2DNhwcHwcfOp conv,
                                      const CpuTargetDescription &cpu) {
  Location loc = conv.getLoc();
  SmallVector<int64_t> ranges = conv.getStaticLoopRanges();
  auto [registerRows, registerCols] = cpuRegisterTile(cpu, 32);
  int64_t filterBlock = std::min<int64_t>(ranges[3], registerCols * 8);
  conv->setAttr(kDirectConvTileAttr, rewriter.getUnitAttr());
  FailureOr<scf::SCFTilingResult> threads =
      tileOp(rewriter, conv, {1, 1, 0, filterBlock, 0, 0, 0},
             scf::SCFTilingOptions::LoopType::ForallOp);
  if (failed(threads))
    return emitError(loc, "cannot tile a convolution over threads");
  SmallVector<int64_t> registerTiles = {
      0, 0, std::min(registerRows, ranges[2]),
      std::min(registerCols, filterBlock), 0, 0, 0};
  FailureOr<scf::SCFTilingResult> registers =
      tileOp(rewriter, threads->tiledOps.front(), registerTiles,
             scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(registers))
    return emitError(loc, "cannot tile a convolution for registers");
  // Inner (filters) first, as for the GEMM's tiles.
  for (LoopLikeOpInterface loop : llvm::reverse(registers->loops))
    peelPartialIteration(rewriter, loop);
  return success();
}

/// One register tile of a direct convolution (oh = 1, static): kh, kw and
/// the channels in loops of 1 inside it, each step a 1-D convolution with
/// a window of one (DownscaleSizeOneWindowed2DConvolution) that vectorizes
/// to one outer product of output pixels by filters; the accumulator tile
/// then leaves those loops with hoistAccumulators.
LogicalResult vectorizeDirectConvolutionTile(RewriterBase &rewriter,
                                             linalg::Conv2DNhwcHwcfOp tile) {
  tile->removeAttr(kDirectConvTileAttr);
  FailureOr<scf::SCFTilingResult> steps =
      tileOp(rewriter, tile, {0, 0, 0, 0, 1, 1, 1},
             scf::SCFTilingOptions::LoopType::ForOp);
  if (failed(steps))
    return tile->emitOpError("cannot tile a convolution's window");
  auto step = cast<linalg::Conv2DNhwcHwcfOp>(steps->tiledOps.front());
  PatternRewriter patterns(step.getContext());
  patterns.setInsertionPoint(step);
  FailureOr<linalg::Conv1DNwcWcfOp> row =
      linalg::DownscaleSizeOneWindowed2DConvolution<
          linalg::Conv2DNhwcHwcfOp, linalg::Conv1DNwcWcfOp>(step.getContext())
          .returningMatchAndRewrite(step, patterns);
  // A tile that does not decompose or vectorize stays a linalg op (scalar
  // loops later): slower, never wrong.
  if (failed(row))
    return success();
  rewriter.setInsertionPoint(*row);
  FailureOr<linalg::VectorizationResult> result =
      linalg::vectorize(rewriter, *row);
  if (succeeded(result))
    rewriter.replaceOp(*row, result->replacements);
  return success();
}

/// Hoists what does not change across each scf.for, innermost first: the
/// accumulator tile's read and write leave the K loop, so that it lives
/// in registers (a vector iter_arg) across K.
void hoistAccumulators(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  for (scf::ForOp loop : loops) {
    moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
    hoistLoopInvariantSubsets(rewriter,
                              cast<LoopLikeOpInterface>(loop.getOperation()));
  }
}

void addCanonicalizationPatterns(MLIRContext *context,
                                 RewritePatternSet &patterns) {
  for (Dialect *dialect : context->getLoadedDialects())
    dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    op.getCanonicalizationPatterns(patterns, context);
}

/// Configures `op` for the BLAS (strategy `library`, lowered after
/// bufferization) when `strategy` hands it there: it is then neither packed
/// nor tiled. An op with a configuration keeps it.
void selectLibraryContraction(linalg::LinalgOp op,
                              ContractionStrategy strategy) {
  if (op->hasAttr(kLoweringConfigAttrName) ||
      !prefersCpuLibraryGemm(op, strategy))
    return;
  LoweringConfig config;
  config.opClass = OpClass::Contraction;
  config.strategy = Strategy::Library;
  setLoweringConfig(op, config);
}

/// Convolutions whose types the tiled contraction takes become an im2col
/// copy and a contraction (Im2ColContraction.h), which the configuration step then
/// sees like any matmul. A hand-written configuration on a convolution keeps
/// it as it is, and so does an empty static iteration space (nothing to
/// compute, no copy wanted). Dynamic sizes keep the loop lowering too: the
/// collapsed buffers of a dynamic im2col crash MLIR 22's memref lowering
/// (memref.reinterpret_cast built from a dynamic collapse_shape).
void rewriteConvolutions(RewriterBase &rewriter, func::FuncOp func,
                         ContractionStrategy strategy) {
  SmallVector<linalg::Conv2DNhwcHwcfOp> convolutions;
  func.walk([&](linalg::Conv2DNhwcHwcfOp conv) {
    if (isStaticUnconfiguredConvolution(conv) &&
        hasCpuTiledContractionTypes(conv) &&
        !takesDirectConvolution(conv, strategy))
      convolutions.push_back(conv);
  });
  for (linalg::Conv2DNhwcHwcfOp conv : convolutions) {
    // The copy widens to the accumulator type: it is also the packing step.
    FailureOr<linalg::LinalgOp> matmul = rewriteConvAsIm2ColContraction(
        rewriter, conv, getElementTypeOrSelf(conv.getOutputs()[0].getType()));
    if (succeeded(matmul))
      selectLibraryContraction(*matmul, strategy);
  }
}

/// The packing step (CpuPackOperands.h) for every contraction the strategy
/// will take with the configuration it chooses (a hand-written one keeps
/// its op as written).
void packOperands(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<linalg::LinalgOp> contractions;
  func.walk([&](linalg::LinalgOp op) {
    if (!op->hasAttr(kLoweringConfigAttrName) && isCpuTiledContraction(op))
      contractions.push_back(op);
  });
  for (linalg::LinalgOp op : contractions)
    (void)packContractionOperands(rewriter, op);
}

struct CpuTileContractionsPass
    : vmgpu::impl::CpuTileContractionsBase<CpuTileContractionsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    // Built once per pass instance, not per function: collecting every
    // canonicalization pattern is the costly part of a greedy rewrite.
    RewritePatternSet canonicalize(context);
    addCanonicalizationPatterns(context, canonicalize);
    canonicalizePatterns = FrozenRewritePatternSet(std::move(canonicalize));

    RewritePatternSet toContract(context);
    vector::populateVectorReductionToContractPatterns(toContract);
    vector::populateVectorTransferPermutationMapLoweringPatterns(toContract);
    addCanonicalizationPatterns(context, toContract);
    toContractPatterns = FrozenRewritePatternSet(std::move(toContract));

    RewritePatternSet toFma(context);
    vector::populateVectorContractLoweringPatterns(
        toFma, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(toFma);
    vector::populateCastAwayVectorLeadingOneDimPatterns(toFma);
    vector::populateVectorTransferPermutationMapLoweringPatterns(toFma);
    addCanonicalizationPatterns(context, toFma);
    toFmaPatterns = FrozenRewritePatternSet(std::move(toFma));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::optional<CpuTargetDescription> cpu = lookupCpuTarget(target);
    if (!cpu) {
      func.emitError() << "vm-cpu-tile-contractions: unknown target '"
                       << target << "'";
      return signalPassFailure();
    }
    std::optional<ContractionStrategy> strategy =
        symbolizeContractionStrategy(contractionStrategy);
    if (!strategy) {
      func.emitError() << "vm-cpu-tile-contractions: unknown contraction "
                          "strategy '"
                       << contractionStrategy
                       << "' (expected generated, library or auto)";
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    // The BLAS's ops first (they are not packed), then packing: the matmul
    // of a convolution reads its im2col copy, which is already a fresh
    // buffer in the accumulator type (and goes to the BLAS like any matmul
    // where the strategy says so).
    func.walk(
        [&](linalg::LinalgOp op) { selectLibraryContraction(op, *strategy); });
    // Narrow integer matmuls on pair multiply-adds, where the CPU has them
    // (their own copies: not packed again).
    SmallVector<linalg::LinalgOp> pairCandidates;
    func.walk([&](linalg::LinalgOp op) {
      if (takesPairedIntegerContraction(op, *cpu))
        pairCandidates.push_back(op);
    });
    SmallVector<linalg::GenericOp> pairedContractions;
    for (linalg::LinalgOp op : pairCandidates)
      pairedContractions.push_back(
          rewriteAsPairedIntegerContraction(rewriter, op, *cpu));
    packOperands(rewriter, func);
    rewriteConvolutions(rewriter, func, *strategy);
    // The convolutions computed in place, before configurations are chosen
    // (a configured op keeps its own lowering).
    SmallVector<linalg::Conv2DNhwcHwcfOp> directConvolutions;
    func.walk([&](linalg::Conv2DNhwcHwcfOp conv) {
      if (takesDirectConvolution(conv, *strategy))
        directConvolutions.push_back(conv);
    });

    SmallVector<std::pair<linalg::LinalgOp, LoweringConfig>> contractions;
    WalkResult walk = func.walk([&](linalg::LinalgOp op) {
      if (auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op.getOperation());
          conv && llvm::is_contained(directConvolutions, conv))
        return WalkResult::advance();
      if (op->hasAttr(kPairedIntegerContractionAttr))
        return WalkResult::advance();
      FailureOr<std::optional<LoweringConfig>> existing =
          getLoweringConfig(op);
      if (failed(existing))
        return WalkResult::interrupt();
      LoweringConfig config =
          *existing ? **existing : chooseCpuLoweringConfig(op, *cpu);
      if (!*existing)
        setLoweringConfig(op, config);
      if (config.strategy == Strategy::CpuTiledContraction) {
        if (!isCpuTiledContraction(op)) {
          op->emitOpError() << "lowering config: strategy '"
                            << stringifyStrategy(config.strategy)
                            << "' does not take this op";
          return WalkResult::interrupt();
        }
        contractions.emplace_back(op, config);
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    if (contractions.empty() && directConvolutions.empty() &&
        pairedContractions.empty())
      return;

    for (auto &[op, config] : contractions)
      if (failed(tileContraction(rewriter, op, config)))
        return signalPassFailure();
    for (linalg::Conv2DNhwcHwcfOp conv : directConvolutions)
      if (failed(tileConvolutionDirectly(rewriter, conv, *cpu)))
        return signalPassFailure();
    for (linalg::GenericOp op : pairedContractions)
      if (failed(tileContraction(rewriter, op,
                                 pairedIntegerTiling(*cpu, op.getNumLoops()))))
        return signalPassFailure();

    // Constant tile sizes into static slice types: full register tiles
    // become statically shaped.
    if (failed(applyPatternsGreedily(func, canonicalizePatterns)))
      return signalPassFailure();
    SmallVector<std::pair<linalg::LinalgOp, SmallVector<int64_t>>> tiles;
    func.walk([&](linalg::LinalgOp op) {
      FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
      if (failed(config) || !*config ||
          (*config)->strategy != Strategy::CpuTiledContraction)
        return;
      SmallVector<int64_t> reductionTiles((*config)->registerTiles);
      for (auto [size, iterator] :
           llvm::zip_equal(reductionTiles, op.getIteratorTypesArray()))
        if (iterator != utils::IteratorType::reduction)
          size = 0;
      tiles.emplace_back(op, std::move(reductionTiles));
    });
    for (auto &[op, reductionTiles] : tiles)
      if (failed(vectorizeRegisterTile(rewriter, op, reductionTiles)))
        return signalPassFailure();
    SmallVector<linalg::Conv2DNhwcHwcfOp> convolutionTiles;
    func.walk([&](linalg::Conv2DNhwcHwcfOp tile) {
      if (tile->hasAttr(kDirectConvTileAttr))
        convolutionTiles.push_back(tile);
    });
    for (linalg::Conv2DNhwcHwcfOp tile : convolutionTiles)
      if (failed(vectorizeDirectConvolutionTile(rewriter, tile)))
        return signalPassFailure();
    SmallVector<linalg::GenericOp> pairedTiles;
    func.walk([&](linalg::GenericOp tile) {
      if (tile->hasAttr(kPairedIntegerContractionAttr))
        pairedTiles.push_back(tile);
    });
    for (linalg::GenericOp tile : pairedTiles)
      if (failed(lowerPairedIntegerTile(rewriter, tile, *cpu)))
        return signalPassFailure();

    if (failed(applyPatternsGreedily(func, toContractPatterns)))
      return signalPassFailure();
    hoistAccumulators(rewriter, func);
    if (failed(applyPatternsGreedily(func, toFmaPatterns)))
      return signalPassFailure();
    // Removes the duplicate slices of one accumulator tile, which would
    // otherwise bufferize to copies of a buffer onto itself.
    DominanceInfo dominance(func);
    eliminateCommonSubExpressions(rewriter, dominance, func);
  }

  FrozenRewritePatternSet canonicalizePatterns;
  FrozenRewritePatternSet toContractPatterns;
  FrozenRewritePatternSet toFmaPatterns;
};

} // namespace
