//===- CpuKernelConfig.cpp - tile sizes of the CPU strategies -------------===//

#include "vmgpu/Codegen/CpuKernelConfig.h"

#include "vmgpu/Codegen/KernelConfig.h"
#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace vmgpu;

bool vmgpu::hasCpuTiledContractionTypes(linalg::LinalgOp op) {
  if (op->getNumResults() != 1)
    return false;
  // The result is the accumulator (vm-to-linalg gives f16/bf16 results an
  // f32 one and rounds afterwards): 32 or 64 bits, float or integer. The
  // operands are of the same kind and no wider; the op's body widens them
  // (extf: exact; extsi: i8 -> i32 stays exact), and so does the vectorized
  // tile, once per loaded vector. Narrow integer results (i8 x i8 -> i8)
  // keep the loop lowering.
  Type result = getElementTypeOrSelf(op->getResult(0).getType());
  if (!result.isIntOrFloat() || (result.getIntOrFloatBitWidth() != 32 &&
                                 result.getIntOrFloatBitWidth() != 64))
    return false;
  return llvm::all_of(op.getDpsInputs(), [&](Value input) {
    Type type = getElementTypeOrSelf(input.getType());
    return type.isIntOrFloat() && isa<FloatType>(type) == isa<FloatType>(result) &&
           type.getIntOrFloatBitWidth() >= 8 &&
           type.getIntOrFloatBitWidth() <= result.getIntOrFloatBitWidth();
  });
}

bool vmgpu::isCpuTiledContraction(linalg::LinalgOp op) {
  if (classifyOp(op) != OpClass::Contraction || !op.hasPureTensorSemantics())
    return false;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return false;
  // Vector rows of the accumulator run along N: N must be the result's
  // innermost dim.
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (resultMap.getNumResults() == 0 ||
      resultMap.getResults().back() !=
          getAffineDimExpr(dims->n.front(), op.getContext()))
    return false;
  return hasCpuTiledContractionTypes(op);
}

/// Bits of the accumulator (the result element) of a tiled contraction.
static int64_t accumulatorBits(linalg::LinalgOp op) {
  return getElementTypeOrSelf(op->getResult(0).getType())
      .getIntOrFloatBitWidth();
}

/// Elements of a reduction segment (rows and full reductions): the unit of
/// work of one thread, 128 KB of f32. Constants, so that the partition (and
/// with it the bits) depends on the shapes alone.
static constexpr int64_t kReductionSegmentElements = 32768;
/// Rows of a column reduction's segment and bytes of its chunk of
/// accumulators (a row of them stays in L1 while the rows stream by).
static constexpr int64_t kColumnSegmentRows = 256;
static constexpr int64_t kColumnChunkBytes = 4096;
/// Independent vector accumulators of a reduction: enough to hide the
/// latency of a vector add or compare-and-select chain.
static constexpr int64_t kReductionAccumulators = 4;

/// The reduction strategies' configuration, or `config` unchanged when
/// they do not take `op`: a reduction with one result whose element types
/// are 8 to 64 bits wide (vectors of i1 are bit-packed, buffers of i1 are
/// not). Whether the layout suits them is checked on buffers: the strategy
/// then declines and the loop lowering takes the op.
static LoweringConfig
chooseCpuReductionConfig(linalg::LinalgOp op, LoweringConfig config,
                         const CpuTargetDescription &target) {
  bool column = config.opClass == OpClass::ColumnReduction;
  if ((config.opClass != OpClass::RowReduction &&
       config.opClass != OpClass::FullReduction && !column) ||
      op.getNumDpsInits() != 1 || op->getNumResults() > 1)
    return config;
  unsigned widest = 8;
  for (Value operand : op->getOperands()) {
    Type type = getElementTypeOrSelf(operand.getType());
    if (!type.isIntOrFloat() || type.getIntOrFloatBitWidth() < 8 ||
        type.getIntOrFloatBitWidth() > 64)
      return config;
    widest = std::max(widest, type.getIntOrFloatBitWidth());
  }
  // The accumulator may be wider than the elements (f16 sums in f32): the
  // vectors are sized by the widest type, so that an accumulator is one
  // register.
  int64_t lanes = std::clamp<int64_t>(target.vectorBits / widest, 1, 16);
  int64_t step = lanes * kReductionAccumulators;
  unsigned loops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned lastReduced = loops;
  for (unsigned d = 0; d < loops; ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      lastReduced = d;
  config.cacheTiles.assign(loops, 0);
  config.registerTiles.assign(loops, 0);
  if (column) {
    // Tasks of kColumnSegmentRows rows x a chunk of columns whose
    // accumulators fill kColumnChunkBytes (L1); one vector of columns per
    // step.
    config.cacheTiles[lastReduced] = kColumnSegmentRows;
    config.cacheTiles[loops - 1] = kColumnChunkBytes * 8 / widest;
    config.registerTiles[loops - 1] = lanes;
    config.strategy = Strategy::CpuColumnReduction;
  } else {
    config.cacheTiles[lastReduced] = kReductionSegmentElements;
    config.registerTiles[lastReduced] = step;
    config.strategy = Strategy::CpuVectorReduction;
  }
  config.vectorWidth = lanes;
  return config;
}

LoweringConfig
vmgpu::chooseCpuSoftmaxConfig(linalg::SoftmaxOp op,
                              const CpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = OpClass::Softmax;
  auto type = cast<ShapedType>(op.getInput().getType());
  if (!isa<FloatType>(type.getElementType()))
    return config;
  int64_t bits =
      getAccumulatorType(type.getElementType()).getIntOrFloatBitWidth();
  int64_t lanes = std::clamp<int64_t>(target.vectorBits / bits, 1, 16);
  config.registerTiles.assign(type.getRank(), 0);
  config.registerTiles.back() = lanes * kReductionAccumulators;
  config.vectorWidth = lanes;
  config.strategy = Strategy::CpuRowSoftmax;
  return config;
}

std::pair<int64_t, int64_t>
vmgpu::cpuRegisterTile(const CpuTargetDescription &target,
                       int64_t accumulatorBits) {
  // Two vectors along N, as many rows as leave registers for the two B
  // vectors and the A broadcast (AVX2: 6 x 16 = 12 of 16 ymm; AVX-512:
  // 8 x 32 = 16 of 32 zmm, the rest hide load latency).
  int64_t lanes = std::max<int64_t>(target.vectorBits / accumulatorBits, 1);
  return {std::min<int64_t>(8, (target.vectorRegisters - 3) / 2), 2 * lanes};
}

LoweringConfig vmgpu::chooseCpuLoweringConfig(
    linalg::LinalgOp op, const CpuTargetDescription &target) {
  LoweringConfig config;
  config.opClass = classifyOp(op);
  if (!isCpuTiledContraction(op))
    return chooseCpuReductionConfig(op, config, target);
  SmallVector<int64_t> staticSizes = op.getStaticLoopRanges();
  // Empty iteration spaces have nothing to tile (and a tile size of 0 would
  // read as "not tiled").
  if (llvm::is_contained(staticSizes, 0))
    return config;
  linalg::ContractionDimensions dims = *linalg::inferContractionDims(op);
  unsigned m = dims.m.front(), n = dims.n.front(), k = dims.k.front();

  auto [registerM, registerN] = cpuRegisterTile(target, accumulatorBits(op));
  int64_t lanes = registerN / 2;
  // Cache tile: an A block of cacheM x cacheK (L2), a B panel of
  // cacheK x cacheN; the forall runs over M x N blocks, so they also set
  // how much parallel work there is (1024^2 on AVX2: 11 x 8 blocks).
  int64_t cacheK = 256;
  int64_t cacheM = registerM * 16;
  int64_t cacheN = registerN * 8;

  auto clamp = [&](unsigned dim, int64_t tile) {
    int64_t size = staticSizes[dim];
    return ShapedType::isDynamic(size) ? tile : std::min(tile, size);
  };
  unsigned loops = op.getNumLoops();
  config.cacheTiles.assign(loops, 0);
  config.registerTiles.assign(loops, 0);
  for (unsigned batch : dims.batch) {
    config.cacheTiles[batch] = 1;
    config.registerTiles[batch] = 0; // already 1 after the cache tiles
  }
  config.cacheTiles[m] = clamp(m, cacheM);
  config.cacheTiles[n] = clamp(n, cacheN);
  config.cacheTiles[k] = clamp(k, cacheK);
  config.registerTiles[m] = clamp(m, registerM);
  config.registerTiles[n] = clamp(n, registerN);
  config.registerTiles[k] = 1;
  config.strategy = Strategy::CpuTiledContraction;
  config.vectorWidth = std::min<int64_t>(lanes, 16);
  return config;
}
