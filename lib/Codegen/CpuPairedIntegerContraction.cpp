//===- CpuPairedIntegerContraction.cpp - i8 GEMMs on pair multiply-adds ---===//
//
// See CpuPairedIntegerContraction.h.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/CpuPairedIntegerContraction.h"

#include "vmgpu/Codegen/CpuPackOperands.h"

#include "codegen/CodegenOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace vmgpu;

namespace {

/// Rows of a register tile: two accumulators per row (two vectors of
/// columns), one broadcast pair per row and two column vectors live, within
/// the register file; at most 8 (the f32 tile's height).
int64_t registerRows(const CpuTargetDescription &cpu) {
  return std::clamp<int64_t>((cpu.vectorRegisters - 4) / 2, 1, 8);
}

/// i32 lanes of a vector register.
int64_t lanes(const CpuTargetDescription &cpu) { return cpu.vectorBits / 32; }

/// A fresh i16 buffer of `shape`, zero-filled when `zero` (the padding of an
/// odd K), as a tensor.
Value i16Buffer(RewriterBase &rewriter, Location loc, ArrayRef<int64_t> shape,
                bool zero) {
  Type i16 = rewriter.getI16Type();
  // A buffer of its own (two tensor.empty of one shape would be CSE'd).
  Value buffer = bufferization::AllocTensorOp::create(
      rewriter, loc, RankedTensorType::get(shape, i16), ValueRange{});
  if (!zero)
    return buffer;
  Value zeroValue = arith::ConstantIntOp::create(rewriter, loc, i16, 0);
  return linalg::FillOp::create(rewriter, loc, zeroValue, buffer).getResult(0);
}

/// `operand` (i8 matrices) sign-extended into an i16 tensor of `padded`
/// shape (no smaller), zero past the operand's extent.
Value widenToI16(RewriterBase &rewriter, Location loc, Value operand,
                 ArrayRef<int64_t> padded) {
  auto type = cast<RankedTensorType>(operand.getType());
  int64_t rank = type.getRank();
  bool pads = type.getShape() != padded;
  Value buffer = i16Buffer(rewriter, loc, padded, /*zero=*/pads);
  SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(rewriter.getContext(), type.getShape());
  Value view =
      tensor::ExtractSliceOp::create(rewriter, loc, buffer, zeros, sizes, ones);
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  Type i16 = rewriter.getI16Type();
  Value widened =
      linalg::GenericOp::create(
          rewriter, loc, view.getType(), ValueRange{operand}, ValueRange{view},
          ArrayRef<AffineMap>{identity, identity}, parallel,
          [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
            linalg::YieldOp::create(
                b, bodyLoc, widenToAccumulator(b, bodyLoc, args[0], i16));
          })
          .getResult(0);
  if (!pads)
    return widened;
  return tensor::InsertSliceOp::create(rewriter, loc, widened, buffer, zeros,
                                       sizes, ones);
}

/// The paired form's view of a matmul or batch_matmul: how many batch dims
/// lead (0 or 1) and which operands are transposed (A as [K][M], B as
/// [N][K]), from the indexing maps; nullopt for other ops and maps
/// (broadcasts, a transposed result).
struct PairedLayout {
  int64_t leading = 0;
  bool transposedA = false, transposedB = false;
};
std::optional<PairedLayout> pairedLayout(linalg::LinalgOp op) {
  PairedLayout layout;
  if (isa<linalg::BatchMatmulOp>(op.getOperation()))
    layout.leading = 1;
  else if (!isa<linalg::MatmulOp>(op.getOperation()))
    return std::nullopt;
  MLIRContext *context = op.getContext();
  unsigned dims = 3 + layout.leading;
  SmallVector<AffineExpr> batch;
  if (layout.leading)
    batch.push_back(getAffineDimExpr(0, context));
  AffineExpr m = getAffineDimExpr(layout.leading, context),
             n = getAffineDimExpr(layout.leading + 1, context),
             k = getAffineDimExpr(layout.leading + 2, context);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  auto is = [&](AffineMap map, AffineExpr first, AffineExpr second) {
    SmallVector<AffineExpr> results = batch;
    results.append({first, second});
    return map == AffineMap::get(dims, 0, results, context);
  };
  if (!is(maps[2], m, n))
    return std::nullopt;
  layout.transposedA = is(maps[0], k, m);
  layout.transposedB = is(maps[1], n, k);
  if ((!layout.transposedA && !is(maps[0], m, k)) ||
      (!layout.transposedB && !is(maps[1], k, n)))
    return std::nullopt;
  return layout;
}

/// An i8 operand (after `leading` batch dims, a matrix) whose K runs along
/// its matrix dim `kDim` (0 or 1) and whose other matrix dim X (M of A, N of
/// B) is padded to `paddedX`, as i16 pairs of K with zeros past K and X:
/// [...][P][X'][2] when `pairsFirst` (B's layout), else [...][X'][P][2]
/// (A's). An operand whose rows are already K ([X][K] into [X'][P][2]) is a
/// view of its widened copy; the others take a second copy that moves the
/// pairs into place.
Value widenedPairs(RewriterBase &rewriter, Location loc, Value operand,
                   int64_t leading, unsigned kDim, int64_t paddedX,
                   int64_t pairs, bool pairsFirst) {
  Type i16 = rewriter.getI16Type();
  MLIRContext *context = rewriter.getContext();
  ArrayRef<int64_t> batch =
      cast<RankedTensorType>(operand.getType()).getShape().take_front(leading);
  auto withBatch = [&](ArrayRef<int64_t> matrix) {
    SmallVector<int64_t> shape(batch);
    shape.append(matrix.begin(), matrix.end());
    return shape;
  };
  // The batch dims stay, the matrix's K dim splits into (P, 2).
  auto splitting = [&](int64_t splitDim) {
    SmallVector<ReassociationIndices> groups;
    for (int64_t dim = 0; dim < leading; ++dim)
      groups.push_back({dim});
    for (int64_t dim = 0; dim < 2; ++dim) {
      int64_t at = leading + dim + (dim > splitDim ? 1 : 0);
      groups.push_back(dim == splitDim ? ReassociationIndices{at, at + 1}
                                       : ReassociationIndices{at});
    }
    return groups;
  };
  Value source;
  if (kDim == 1) {
    // [X'][2P] as [X'][P][2].
    source = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(withBatch({paddedX, pairs, 2}), i16),
        widenToI16(rewriter, loc, operand, withBatch({paddedX, 2 * pairs})),
        splitting(1));
    if (!pairsFirst)
      return source;
  } else {
    // [2P][X'] as [P][2][X'].
    source = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(withBatch({pairs, 2, paddedX}), i16),
        widenToI16(rewriter, loc, operand, withBatch({2 * pairs, paddedX})),
        splitting(0));
  }
  // The copy iterates over its result's dims; the source's indices in them.
  unsigned dims = leading + 3;
  SmallVector<AffineExpr> sourceIndices;
  for (int64_t dim = 0; dim < leading; ++dim)
    sourceIndices.push_back(getAffineDimExpr(dim, context));
  AffineExpr d0 = getAffineDimExpr(leading, context),
             d1 = getAffineDimExpr(leading + 1, context),
             d2 = getAffineDimExpr(leading + 2, context);
  AffineExpr x = pairsFirst ? d1 : d0, p = pairsFirst ? d0 : d1, q = d2;
  if (kDim == 1)
    sourceIndices.append({x, p, q});
  else
    sourceIndices.append({p, q, x});
  AffineMap sourceMap = AffineMap::get(dims, 0, sourceIndices, context);
  SmallVector<int64_t> shape =
      withBatch(pairsFirst ? SmallVector<int64_t>{pairs, paddedX, 2}
                           : SmallVector<int64_t>{paddedX, pairs, 2});
  Value buffer = i16Buffer(rewriter, loc, shape, /*zero=*/false);
  SmallVector<utils::IteratorType> parallel(dims,
                                            utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rewriter, loc, buffer.getType(), ValueRange{source},
             ValueRange{buffer},
             ArrayRef<AffineMap>{sourceMap,
                                 rewriter.getMultiDimIdentityMap(dims)},
             parallel,
             [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
               linalg::YieldOp::create(b, bodyLoc, args[0]);
             })
      .getResult(0);
}

} // namespace

bool vmgpu::takesPairedIntegerContraction(linalg::LinalgOp op,
                                          const CpuTargetDescription &cpu) {
  std::optional<PairedLayout> layout = pairedLayout(op);
  if (!layout || !cpu.pairMultiplyAdd || !op.hasPureTensorSemantics() ||
      op.hasDynamicShape() || op->hasAttr(kLoweringConfigAttrName))
    return false;
  linalg::TypeFn casting =
      layout->leading ? cast<linalg::BatchMatmulOp>(op.getOperation()).getCast()
                      : cast<linalg::MatmulOp>(op.getOperation()).getCast();
  if (casting != linalg::TypeFn::cast_signed ||
      !getElementTypeOrSelf(op->getResult(0).getType()).isSignlessInteger(32))
    return false;
  // i8 only: the contract's only narrow integer matmul (i8 -> i32).
  for (Value input : op.getDpsInputs())
    if (!getElementTypeOrSelf(input.getType()).isSignlessInteger(8))
      return false;
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  int64_t leading = layout->leading;
  return sizes[leading] >= registerRows(cpu) &&
         sizes[leading + 1] >= 2 * lanes(cpu) && sizes[leading + 2] >= 2;
}

linalg::GenericOp
vmgpu::rewriteAsPairedIntegerContraction(RewriterBase &rewriter,
                                         linalg::LinalgOp matmul,
                                         const CpuTargetDescription &cpu) {
  Location loc = matmul.getLoc();
  rewriter.setInsertionPoint(matmul);
  Value a = matmul.getDpsInputs()[0], b = matmul.getDpsInputs()[1];
  Value init = matmul.getDpsInits()[0];
  PairedLayout layout = *pairedLayout(matmul);
  int64_t leading = layout.leading;
  SmallVector<int64_t> sizes = matmul.getStaticLoopRanges();
  int64_t m = sizes[leading], n = sizes[leading + 1], k = sizes[leading + 2];
  int64_t pairs = (k + 1) / 2;
  // M and N padded to whole register tiles: every tile then runs the pair
  // multiply-adds (a peeled partial tile would be scalar loops).
  int64_t rows = registerRows(cpu), cols = 2 * lanes(cpu);
  int64_t paddedM = llvm::alignTo(m, rows), paddedN = llvm::alignTo(n, cols);

  // A as [B][M'][P][2], B as [B][P][N'][2] (no [B] for a matmul), zeros past
  // M, N and K.
  Value aPairs = widenedPairs(rewriter, loc, a, leading,
                              layout.transposedA ? 0 : 1, paddedM, pairs,
                              /*pairsFirst=*/false);
  Value bPairs = widenedPairs(rewriter, loc, b, leading,
                              layout.transposedB ? 1 : 0, paddedN, pairs,
                              /*pairsFirst=*/true);
  MLIRContext *context = rewriter.getContext();

  // The product over (b, m, n, p, q).
  unsigned dims = leading + 4;
  SmallVector<AffineExpr> batch;
  for (int64_t dim = 0; dim < leading; ++dim)
    batch.push_back(getAffineDimExpr(dim, context));
  auto dim = [&](int64_t index) {
    return getAffineDimExpr(leading + index, context);
  };
  auto map = [&](ArrayRef<AffineExpr> matrix) {
    SmallVector<AffineExpr> results = batch;
    results.append(matrix.begin(), matrix.end());
    return AffineMap::get(dims, 0, results, context);
  };
  SmallVector<AffineMap> maps = {map({dim(0), dim(2), dim(3)}),
                                 map({dim(2), dim(1), dim(3)}),
                                 map({dim(0), dim(1)})};
  SmallVector<utils::IteratorType> iterators(leading + 2,
                                             utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  Type i32 = rewriter.getI32Type();
  // The accumulator: C itself, or C in the corner of a [B][M'][N'] buffer
  // whose other elements are computed and dropped.
  bool padded = paddedM != m || paddedN != n;
  int64_t rank = leading + 2;
  SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
  SmallVector<int64_t> extentSizes(sizes.begin(), sizes.begin() + leading);
  extentSizes.append({m, n});
  SmallVector<OpFoldResult> extent =
      getAsIndexOpFoldResult(context, extentSizes);
  Value accumulator = init;
  if (padded) {
    SmallVector<int64_t> paddedShape(sizes.begin(), sizes.begin() + leading);
    paddedShape.append({paddedM, paddedN});
    Value buffer = bufferization::AllocTensorOp::create(
        rewriter, loc, RankedTensorType::get(paddedShape, i32), ValueRange{});
    accumulator = tensor::InsertSliceOp::create(rewriter, loc, init, buffer,
                                                zeros, extent, ones);
  }
  auto product = linalg::GenericOp::create(
      rewriter, loc, accumulator.getType(), ValueRange{aPairs, bPairs},
      ValueRange{accumulator}, maps, iterators,
      [&](OpBuilder &builder, Location bodyLoc, ValueRange args) {
        Value lhs = arith::ExtSIOp::create(builder, bodyLoc, i32, args[0]);
        Value rhs = arith::ExtSIOp::create(builder, bodyLoc, i32, args[1]);
        Value mul = arith::MulIOp::create(builder, bodyLoc, lhs, rhs);
        linalg::YieldOp::create(
            builder, bodyLoc,
            arith::AddIOp::create(builder, bodyLoc, mul, args[2]).getResult());
      });
  product->setAttr(kPairedIntegerContractionAttr, rewriter.getUnitAttr());
  Value result = product.getResult(0);
  if (padded)
    result = tensor::ExtractSliceOp::create(rewriter, loc, result, zeros,
                                            extent, ones);
  rewriter.replaceOp(matmul, result);
  return product;
}

LoweringConfig vmgpu::pairedIntegerTiling(const CpuTargetDescription &cpu,
                                          unsigned loops) {
  int64_t rows = registerRows(cpu), cols = 2 * lanes(cpu);
  LoweringConfig config;
  config.opClass = OpClass::Contraction;
  config.strategy = Strategy::CpuTiledContraction;
  // Over threads, one batch by 16 register rows by 256 columns; 256 pairs
  // of K per cache step (a B panel of 256 x 256 pairs of i16: 256 KiB, L2).
  config.cacheTiles = {rows * 16, 256, 256, 0};
  config.registerTiles = {rows, cols, 0, 0};
  for (unsigned batch = 4; batch < loops; ++batch) {
    config.cacheTiles.insert(config.cacheTiles.begin(), 1);
    config.registerTiles.insert(config.registerTiles.begin(), 1);
  }
  return config;
}

LogicalResult vmgpu::lowerPairedIntegerTile(RewriterBase &rewriter,
                                            linalg::GenericOp tile,
                                            const CpuTargetDescription &cpu) {
  tile->removeAttr(kPairedIntegerContractionAttr);
  int64_t rows = registerRows(cpu), width = lanes(cpu), cols = 2 * width;
  Value aTile = tile.getDpsInputs()[0], bTile = tile.getDpsInputs()[1];
  Value cTile = tile.getDpsInits()[0];
  auto cType = cast<RankedTensorType>(cTile.getType());
  // A batch matmul's tiles have one batch (the register tile's).
  int64_t leading = cType.getRank() - 2;
  if (!cType.hasStaticShape() ||
      llvm::any_of(cType.getShape().take_front(leading),
                   [](int64_t size) { return size != 1; }) ||
      cType.getDimSize(leading) != rows ||
      cType.getDimSize(leading + 1) != cols) {
    // The peeled remainder of a register loop in a partial thread tile: with
    // operands padded to whole register tiles it never runs, but its sizes
    // are not static. The loop lowering keeps it correct.
    LoweringConfig config;
    config.opClass = OpClass::Contraction;
    config.strategy = Strategy::Fallback;
    setLoweringConfig(tile, config);
    return success();
  }
  Location loc = tile.getLoc();
  rewriter.setInsertionPoint(tile);
  Type i16 = rewriter.getI16Type(), i32 = rewriter.getI32Type();
  auto accType = VectorType::get({width}, i32);
  auto pairsType = VectorType::get({2 * width}, i16);
  auto index = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, value);
  };
  Value zero = index(0);
  // The operand tiles with each row's pairs flattened (and the unit batch
  // dropped): A [rows][2P], B [P][2 cols], so that a pair and a vector of
  // column pairs are 1-D reads.
  SmallVector<ReassociationIndices> flatten = {{}, {leading + 1, leading + 2}};
  for (int64_t dim = 0; dim <= leading; ++dim)
    flatten[0].push_back(dim);
  Value aRows = tensor::CollapseShapeOp::create(rewriter, loc, aTile, flatten);
  Value bRows = tensor::CollapseShapeOp::create(rewriter, loc, bTile, flatten);
  Value pairCount = tensor::DimOp::create(rewriter, loc, bTile, leading);
  // C's indices: the unit batch's 0 first.
  auto cIndices = [&](int64_t row, int64_t column) {
    SmallVector<Value> indices(leading, zero);
    indices.append({index(row), index(column)});
    return indices;
  };
  Value i32Zero = arith::ConstantIntOp::create(rewriter, loc, i32, 0);
  Value i16Zero = arith::ConstantIntOp::create(rewriter, loc, i16, 0);
  SmallVector<Value> accumulators;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < 2; ++j)
      accumulators.push_back(vector::TransferReadOp::create(
          rewriter, loc, accType, cTile, cIndices(r, j * width), i32Zero,
          ArrayRef<bool>{true}));
  StringAttr intrinsic = rewriter.getStringAttr(cpu.pairMultiplyAdd);
  auto pairsOfA = VectorType::get({2}, i16);
  auto loop = scf::ForOp::create(
      rewriter, loc, zero, pairCount, index(1), accumulators,
      [&](OpBuilder &b, Location bodyLoc, Value p, ValueRange sums) {
        Value k = arith::MulIOp::create(
            b, bodyLoc, p, arith::ConstantIndexOp::create(b, bodyLoc, 2));
        SmallVector<Value> columns;
        for (int64_t j = 0; j < 2; ++j) {
          Value offset =
              arith::ConstantIndexOp::create(b, bodyLoc, 2 * j * width);
          columns.push_back(vector::TransferReadOp::create(
              b, bodyLoc, pairsType, bRows, ValueRange{p, offset}, i16Zero,
              ArrayRef<bool>{true}));
        }
        SmallVector<Value> next;
        for (int64_t r = 0; r < rows; ++r) {
          // The row's pair (A[r][k], A[r][k+1]) as one i32, in every lane.
          Value pair = vector::TransferReadOp::create(
              b, bodyLoc, pairsOfA, aRows,
              ValueRange{arith::ConstantIndexOp::create(b, bodyLoc, r), k},
              i16Zero, ArrayRef<bool>{true});
          Value packed = vector::BitCastOp::create(
              b, bodyLoc, VectorType::get({1}, i32), pair);
          Value scalar = vector::ExtractOp::create(b, bodyLoc, packed,
                                                   ArrayRef<int64_t>{0});
          Value splat =
              vector::BroadcastOp::create(b, bodyLoc, accType, scalar);
          Value repeated =
              vector::BitCastOp::create(b, bodyLoc, pairsType, splat);
          for (int64_t j = 0; j < 2; ++j) {
            Value products = codegen::PairMultiplyAddOp::create(
                b, bodyLoc, accType, repeated, columns[j], intrinsic);
            next.push_back(
                arith::AddIOp::create(b, bodyLoc, products, sums[r * 2 + j]));
          }
        }
        scf::YieldOp::create(b, bodyLoc, next);
      });
  Value result = cTile;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < 2; ++j)
      result = vector::TransferWriteOp::create(
                   rewriter, loc, loop.getResult(r * 2 + j), result,
                   cIndices(r, j * width), ArrayRef<bool>{true})
                   .getResult();
  rewriter.replaceOp(tile, result);
  return success();
}
