//===- IndexingToLinalg.cpp - vm.take and vm.gather to linalg -------------===//
//
// Both become one linalg.generic over the result: the index tensor is its
// input, and the body reads `data` (captured, not an input: the element it
// reads depends on the index value) with tensor.extract at the normalized
// index. Normalizing never faults: a negative index counts from the end once,
// then the index is clamped into [0, n) (DESIGN.md, contract v2). An empty
// `dim` with a non-empty index tensor is refused by a shape check before the
// block runs, so the clamp never sees n == 0 for an element that exists.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

/// The element index that `index` (i32 or i64, signed) selects in a
/// dimension of `size` elements.
static Value normalizeIndex(OpBuilder &b, Location loc, Value index,
                            Value size) {
  Type i64 = b.getI64Type();
  if (index.getType() != i64)
    index = arith::ExtSIOp::create(b, loc, i64, index);
  Value n = arith::IndexCastOp::create(b, loc, i64, size);
  Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value fromEnd = arith::AddIOp::create(b, loc, index, n);
  Value shifted = arith::SelectOp::create(b, loc, negative, fromEnd, index);
  Value last = arith::SubIOp::create(
      b, loc, n, arith::ConstantIntOp::create(b, loc, i64, 1));
  Value clamped = arith::MinSIOp::create(
      b, loc, arith::MaxSIOp::create(b, loc, shifted, zero), last);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), clamped);
}

/// Refuses, at run time, indices into an empty `dim` of `data` when there
/// are indices (sizes known only then).
static void emitNotEmptyCheck(OpBuilder &b, Operation *op, Value dimSize,
                              ValueRange indexSizes) {
  Location loc = op->getLoc();
  Value zero = indexConstant(b, loc, 0);
  Value hasElements = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                            dimSize, zero);
  Value noIndices = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          product(b, loc, indexSizes), zero);
  emitShapeCheck(b, op, arith::OrIOp::create(b, loc, hasElements, noIndices),
                 "indices select from an empty dimension");
}

/// One generic over `resultType` reading `indices` through `indicesMap`; the
/// body extracts from `data` at the coordinates `coordinates` builds from
/// the loop indices and the normalized index.
static Value buildIndexingGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange resultSizes, Value indices, AffineMap indicesMap, Value data,
    Value dimSize,
    function_ref<SmallVector<Value>(OpBuilder &, Location, Value)>
        coordinates) {
  int64_t rank = resultType.getRank();
  Value empty = createEmpty(b, loc, resultType, resultSizes);
  SmallVector<AffineMap> maps = {indicesMap,
                                 b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{indices}, ValueRange{empty}, maps,
      iterators, [&](OpBuilder &nested, Location l, ValueRange args) {
        Value position = normalizeIndex(nested, l, args[0], dimSize);
        Value element = tensor::ExtractOp::create(
            nested, l, data, coordinates(nested, l, position));
        linalg::YieldOp::create(nested, l, element);
      });
  return generic.getResult(0);
}

namespace {

struct TakeToLinalg : OpRewritePattern<vm::TakeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::TakeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    int64_t indexRank = op.getIndices().getType().getRank();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    SmallVector<Value> dataSizes = getDimSizes(rewriter, loc, op.getData());
    SmallVector<Value> indexSizes = getDimSizes(rewriter, loc, op.getIndices());
    emitNotEmptyCheck(rewriter, op, dataSizes[dim], indexSizes);
    // data.shape[:dim] + indices.shape + data.shape[dim+1:]
    SmallVector<Value> resultSizes(dataSizes.begin(), dataSizes.begin() + dim);
    llvm::append_range(resultSizes, indexSizes);
    resultSizes.append(dataSizes.begin() + dim + 1, dataSizes.end());
    emitResultShapeCheck(rewriter, op, resultType, resultSizes);
    // The indices are read at the result dims [dim, dim + indexRank).
    SmallVector<AffineExpr> indexDims;
    for (int64_t d = dim; d < dim + indexRank; ++d)
      indexDims.push_back(rewriter.getAffineDimExpr(d));
    AffineMap indicesMap =
        AffineMap::get(rank, 0, indexDims, rewriter.getContext());
    Value result = buildIndexingGeneric(
        rewriter, loc, resultType, resultSizes, op.getIndices(), indicesMap,
        op.getData(), dataSizes[dim],
        [&](OpBuilder &b, Location l, Value position) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < dim; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          at.push_back(position);
          for (int64_t d = dim + indexRank; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, l, d));
          return at;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct GatherToLinalg : OpRewritePattern<vm::GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    RankedTensorType resultType = op.getType();
    int64_t rank = resultType.getRank();
    SmallVector<Value> dataSizes = getDimSizes(rewriter, loc, op.getData());
    SmallVector<Value> indexSizes = getDimSizes(rewriter, loc, op.getIndices());
    emitNotEmptyCheck(rewriter, op, dataSizes[dim], indexSizes);
    for (int64_t d = 0; d < rank; ++d) {
      if (d == dim)
        continue;
      Value fits = arith::CmpIOp::create(rewriter, loc,
                                         arith::CmpIPredicate::ule,
                                         indexSizes[d], dataSizes[d]);
      emitShapeCheck(rewriter, op, fits,
                     "indices dimension " + Twine(d) +
                         " must not be larger than data's");
    }
    emitResultShapeCheck(rewriter, op, resultType, indexSizes);
    Value result = buildIndexingGeneric(
        rewriter, loc, resultType, indexSizes, op.getIndices(),
        rewriter.getMultiDimIdentityMap(rank), op.getData(), dataSizes[dim],
        [&](OpBuilder &b, Location l, Value position) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(d == dim ? position
                                  : Value(linalg::IndexOp::create(b, l, d)));
          return at;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void vmgpu::populateVmIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherToLinalg, TakeToLinalg>(patterns.getContext());
}
