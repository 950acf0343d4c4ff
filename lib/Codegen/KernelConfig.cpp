//===- KernelConfig.cpp - per-class heuristics -----------------------------===//
//
// One small table per class. The numbers come from the H200 prototypes
// (shared/PERF-ROUTES.md, part 1): 256-thread blocks, 16-byte accesses,
// and grids capped at a few waves with grid-stride loops beyond.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/KernelConfig.h"

#include "ContractionPlan.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace vmgpu;

/// Threads per block of the memory-bound strategies: enough warps to hide
/// latency, small enough that several blocks share a processor.
constexpr int64_t kThreadsPerBlock = 256;
/// Resident waves of blocks a grid-stride grid covers before looping.
constexpr int64_t kWavesPerGrid = 4;

/// The widest element of `op`'s shaped operands, in bits (i1 counts as a
/// byte: that is how memrefs store it).
static int64_t widestElementBits(linalg::LinalgOp op,
                                 bool inputsOnly = false) {
  int64_t widest = 8;
  SmallVector<Value> operands =
      inputsOnly ? op.getDpsInputs() : llvm::to_vector(op->getOperands());
  for (Value operand : operands) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.getElementType().isIntOrFloat())
      continue;
    widest = std::max<int64_t>(widest,
                               shaped.getElementType().getIntOrFloatBitWidth());
  }
  return widest;
}

/// The widest element an elementwise kernel moves per element in its vector
/// steps, in bits: the outputs, the inputs the innermost loop indexes, and
/// what the body itself loads (a gather's table). An input only the outer
/// loops index (a row's value: a gather's index, a broadcast column) is one
/// scalar per element and does not narrow the vectors.
static int64_t widestPerElementBits(linalg::LinalgOp op) {
  if (op.getNumLoops() == 0)
    return widestElementBits(op);
  unsigned innermost = op.getNumLoops() - 1;
  int64_t widest = 8;
  auto widen = [&](Type type) {
    Type element = getElementTypeOrSelf(type);
    if (element.isIntOrFloat())
      widest = std::max<int64_t>(widest, element.getIntOrFloatBitWidth());
  };
  for (OpOperand &operand : op->getOpOperands()) {
    if (!isa<ShapedType>(operand.get().getType()))
      continue;
    if (op.isDpsInput(&operand) &&
        !op.getMatchingIndexingMap(&operand).isFunctionOfDim(innermost))
      continue;
    widen(operand.get().getType());
  }
  op.getBlock()->walk([&](Operation *inner) {
    if (isa<tensor::ExtractOp, memref::LoadOp>(inner))
      widen(inner->getResult(0).getType());
  });
  return widest;
}

static LoweringConfig elementwiseConfig(linalg::LinalgOp op,
                                        const GpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::Elementwise;
  config.strategy = Strategy::VectorizedElementwise;
  config.workgroup = {kThreadsPerBlock, 1, 1};
  // One 128-bit access per operand per step for the widest element: 4 x f32,
  // 8 x f16/bf16, 2 x f64; narrower operands of the same op then move fewer
  // bytes per access but stay aligned.
  config.vectorWidth = std::clamp<int64_t>(
      target.maxAccessBits / widestPerElementBits(op), 1, 16);
  int64_t residentBlocks =
      target.processorCount *
      std::max<int64_t>(target.maxThreadsPerProcessor / kThreadsPerBlock, 1);
  config.maxBlocks = residentBlocks * kWavesPerGrid;
  return config;
}

static LoweringConfig rowReductionConfig(linalg::LinalgOp op,
                                         const GpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::RowReduction;
  config.strategy = Strategy::WarpPerRow;
  // One subgroup per row, several rows per block.
  int64_t rowsPerBlock =
      std::max<int64_t>(kThreadsPerBlock / target.subgroupSize, 1);
  config.workgroup = {target.subgroupSize, rowsPerBlock, 1};
  // Rows whose length is a multiple of it are read 16 bytes per lane and
  // step (the widest element decides); others one element at a time.
  if (op)
    config.vectorWidth = std::clamp<int64_t>(
        target.maxAccessBits / widestElementBits(op), 1, 16);
  return config;
}

static LoweringConfig scanConfig(linalg::LinalgOp op,
                                 const GpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::Scan;
  // Along the innermost dim only: a scan along an outer dim already reads
  // coalesced with one thread per lane (neighbouring lanes are neighbouring
  // elements), which the fallback gives.
  if (op.getNumReductionLoops() != 1 ||
      op.getIteratorTypesArray().back() != utils::IteratorType::reduction)
    return config;
  config.strategy = Strategy::WarpScan;
  // One subgroup per row, several rows per block; 16 bytes per lane and
  // chunk where the row allows it.
  config.workgroup = {
      target.subgroupSize,
      std::max<int64_t>(kThreadsPerBlock / target.subgroupSize, 1), 1};
  config.vectorWidth =
      std::clamp<int64_t>(target.maxAccessBits / widestElementBits(op), 1, 16);
  return config;
}

static LoweringConfig
columnReductionConfig(linalg::LinalgOp op,
                      const GpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::ColumnReduction;
  config.strategy = Strategy::CoalescedColumns;
  // One thread per chunk of columns, 16 bytes of the widest input element
  // (a warp reads 512 contiguous bytes of a row per step); the chunk's
  // accumulators, wider or not, stay in registers.
  config.workgroup = {kThreadsPerBlock, 1, 1};
  config.vectorWidth = std::clamp<int64_t>(
      target.maxAccessBits / widestElementBits(op, /*inputsOnly=*/true), 1,
      16);
  return config;
}

static LoweringConfig fullReductionConfig(linalg::LinalgOp op,
                                          const GpuTargetDescription &target) {
  // Segments are read as rows are: 16 bytes per lane and step when N is a
  // multiple of the width.
  LoweringConfig config = rowReductionConfig(op, target);
  config.opClass = OpClass::FullReduction;
  config.strategy = Strategy::TwoStage;
  return config;
}

/// The tiles of the tiled SIMT contraction strategy, largest first: 8 x 8
/// accumulators per thread (64 FMAs per 4 shared-memory vector reads) and
/// 256, 128 or 64 threads (whole NVIDIA warps and CDNA wavefronts). On the
/// H200, strict f32 (docs/gpu-path.md): 128 x 128 x 16 gave 44 TFLOP/s at
/// 4096 and 8192 (0.86x cuBLAS); at 1024, 64 x 128 x 16 gave 34.4, 128 x
/// 128 28% less (64 blocks for 132 processors), 64 x 64 x 16 with 4 x 4
/// tiles 28.3.
struct SimtCandidate {
  int64_t blockM, blockN, threadM, threadN;
};
constexpr SimtCandidate kSimtCandidates[] = {
    {128, 128, 8, 8},
    {64, 128, 8, 8},
    {64, 64, 8, 8},
};
/// A candidate is taken when its grid covers at least this share (in
/// tenths) of the processors: 128 blocks on the 132 SMs of an H100/H200
/// beat twice as many blocks of half the size.
constexpr int64_t kSimtMinimumCoverageTenths = 9;
/// Shared memory the strategy's double-buffered tiles may use.
constexpr int64_t kSimtSharedBytes = 48 * 1024;

/// The tiles of the tensor-core strategy, largest first: 4 warps per block
/// (so up to 4 blocks of 48 KiB share an SM), warp tiles of up to 64 x 64
/// (32 mma.sync per 8 ldmatrix.x4 per K step; 128 accumulators per thread).
struct MmaCandidate {
  int64_t blockM, blockN, warpM, warpN;
};
constexpr MmaCandidate kMmaCandidates[] = {
    {128, 128, 64, 64},
    {64, 128, 32, 64},
    {64, 64, 32, 32},
};
/// Bytes of K per slice (a row of a K-contiguous tile: 32 f16 or 64 i8),
/// and the stages tried, deepest first, within the strategy's 48 KiB.
constexpr int64_t kMmaSliceBytes = 64;
constexpr int64_t kMmaMaxStages = 4;
constexpr int64_t kMmaSharedBytes = 48 * 1024;

/// True when a block tile of `block` along `loop` would be at least half
/// empty while one of `smallest` would not: a static extent of at most
/// `block` / 2 rounded up to `smallest` (a 64-wide convolution output on a
/// 128-wide tile does half its work on padding).
static bool isHalfEmpty(function_ref<int64_t(unsigned, int64_t)> tilesOf,
                        unsigned loop, int64_t block, int64_t smallest) {
  return block > smallest && tilesOf(loop, smallest) * smallest * 2 <= block;
}

/// The `mma_sync` configuration of a product with `input` elements: the
/// largest block tile whose grid covers (nearly) every processor and that
/// is not half empty along M or N, the deepest pipeline that fits.
static void chooseMmaSyncTiles(LoweringConfig &config, linalg::LinalgOp op,
                               const ContractionPlan &plan, Type input,
                               function_ref<int64_t(unsigned, int64_t)> tilesOf,
                               int64_t batches,
                               const GpuTargetDescription &target) {
  int64_t elementBytes = input.getIntOrFloatBitWidth() / 8;
  int64_t blockK = kMmaSliceBytes / elementBytes;
  const MmaCandidate &smallest = std::end(kMmaCandidates)[-1];
  for (const MmaCandidate &candidate : kMmaCandidates) {
    if (isHalfEmpty(tilesOf, plan.mLoop, candidate.blockM, smallest.blockM) ||
        isHalfEmpty(tilesOf, plan.nLoop, candidate.blockN, smallest.blockN))
      continue;
    int64_t stageBytes = (candidate.blockM + candidate.blockN) * kMmaSliceBytes;
    config.strategy = Strategy::MmaSync;
    config.workgroup = {32 * (candidate.blockM / candidate.warpM) *
                            (candidate.blockN / candidate.warpN),
                        1, 1};
    config.pipelineDepth =
        std::min(kMmaMaxStages, kMmaSharedBytes / stageBytes);
    config.cacheTiles.assign(op.getNumLoops(), 1);
    config.registerTiles.assign(op.getNumLoops(), 1);
    config.cacheTiles[plan.mLoop] = candidate.blockM;
    config.cacheTiles[plan.nLoop] = candidate.blockN;
    config.cacheTiles[plan.kLoop] = blockK;
    config.registerTiles[plan.mLoop] = candidate.warpM;
    config.registerTiles[plan.nLoop] = candidate.warpN;
    // The instruction's K: 32 bytes of inputs.
    config.registerTiles[plan.kLoop] = 32 / elementBytes;
    int64_t blocks = batches * tilesOf(plan.mLoop, candidate.blockM) *
                     tilesOf(plan.nLoop, candidate.blockN);
    if (blocks * 10 >= target.processorCount * kSimtMinimumCoverageTenths)
      break;
  }
}

/// A (batched) matrix product on `target`: the largest block tile whose
/// grid still covers (nearly) every processor (the smallest when none
/// does) and that is not half empty along M or N, and
/// the deepest K slice (16, else 8) whose double-buffered tiles fit and
/// split into whole 4-element chunks per thread. Products the strategy
/// cannot take keep the fallback.
static LoweringConfig contractionConfig(linalg::LinalgOp op,
                                        const GpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::Contraction;
  FailureOr<ContractionPlan> plan = planContraction(op);
  if (failed(plan))
    return config;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // Dynamic sizes count as large.
  auto tilesOf = [&](unsigned loop, int64_t tile) -> int64_t {
    int64_t size = ranges[loop];
    return ShapedType::isDynamic(size) ? 1 << 20 : (size + tile - 1) / tile;
  };
  int64_t batches = plan->batchLoop ? tilesOf(*plan->batchLoop, 1) : 1;
  // 16-bit and i8 inputs on tensor cores where the chip has mma.sync.
  if (Type input = tensorCoreInputType(op, *plan);
      input && target.hasMmaSync) {
    chooseMmaSyncTiles(config, op, *plan, input, tilesOf, batches, target);
    return config;
  }
  int64_t elementBytes = plan->accumulatorType.getIntOrFloatBitWidth() / 8;
  const SimtCandidate &smallest = std::end(kSimtCandidates)[-1];
  for (const SimtCandidate &candidate : kSimtCandidates) {
    if (isHalfEmpty(tilesOf, plan->mLoop, candidate.blockM, smallest.blockM) ||
        isHalfEmpty(tilesOf, plan->nLoop, candidate.blockN, smallest.blockN))
      continue;
    int64_t threads = (candidate.blockM / candidate.threadM) *
                      (candidate.blockN / candidate.threadN);
    int64_t blockK = 0;
    for (int64_t k : {16, 8}) {
      int64_t shared = 2 * k * (candidate.blockM + candidate.blockN + 8) *
                       elementBytes;
      if (shared <= kSimtSharedBytes &&
          (candidate.blockM * k / 4) % threads == 0 &&
          (candidate.blockN * k / 4) % threads == 0) {
        blockK = k;
        break;
      }
    }
    if (blockK == 0)
      continue;
    config.strategy = Strategy::TiledSimt;
    config.workgroup = {candidate.blockN / candidate.threadN,
                        candidate.blockM / candidate.threadM, 1};
    config.cacheTiles.assign(op.getNumLoops(), 1);
    config.registerTiles.assign(op.getNumLoops(), 1);
    config.cacheTiles[plan->mLoop] = candidate.blockM;
    config.cacheTiles[plan->nLoop] = candidate.blockN;
    config.cacheTiles[plan->kLoop] = blockK;
    config.registerTiles[plan->mLoop] = candidate.threadM;
    config.registerTiles[plan->nLoop] = candidate.threadN;
    int64_t blocks = batches * tilesOf(plan->mLoop, candidate.blockM) *
                     tilesOf(plan->nLoop, candidate.blockN);
    if (blocks * 10 >= target.processorCount * kSimtMinimumCoverageTenths)
      break;
  }
  return config;
}

LoweringConfig vmgpu::chooseSoftmaxConfig(const GpuTargetDescription &target,
                                          Type elementType) {
  // One block of 256 threads per row, 16-byte accesses: rows of up to
  // 256 x V x 8 elements (8192 f32, 16384 f16) stay in registers.
  LoweringConfig config;
  config.opClass = OpClass::Softmax;
  config.strategy = Strategy::BlockSoftmax;
  config.workgroup = {target.subgroupSize,
                      std::max<int64_t>(kThreadsPerBlock / target.subgroupSize,
                                        1),
                      1};
  int64_t bits = elementType.isIntOrFloat()
                     ? std::max<int64_t>(elementType.getIntOrFloatBitWidth(), 8)
                     : 32;
  config.vectorWidth =
      std::clamp<int64_t>(target.maxAccessBits / bits, 1, 16);
  return config;
}

LoweringConfig vmgpu::chooseLoweringConfig(linalg::LinalgOp op,
                                           OpClass opClass,
                                           const GpuTargetDescription &target) {
  switch (opClass) {
  case OpClass::Elementwise:
    return elementwiseConfig(op, target);
  case OpClass::RowReduction:
    return rowReductionConfig(op, target);
  case OpClass::FullReduction:
    return fullReductionConfig(op, target);
  case OpClass::Contraction:
    return contractionConfig(op, target);
  case OpClass::ColumnReduction:
    return columnReductionConfig(op, target);
  case OpClass::Scan:
    return scanConfig(op, target);
  case OpClass::Softmax:
  case OpClass::Convolution:
  case OpClass::Other:
    break;
  }
  // The rest waits for its strategy.
  LoweringConfig config;
  config.opClass = opClass;
  config.strategy = Strategy::Fallback;
  return config;
}
