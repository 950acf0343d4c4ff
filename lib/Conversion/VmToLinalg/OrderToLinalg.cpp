//===- OrderToLinalg.cpp - vm.sort and vm.topk to merge sorts -------------===//
//
// Both ops sort the positions 0..n-1 of every lane (the elements that differ
// only in `dim`) stably by the contract's order (Sorting.h): by merge passes
// over every element when the lanes are few and long (a static length),
// else by one sequential merge sort per lane. One linalg.generic then reads
// the values through the sorted positions and writes both results (fresh
// tensors: a function returns them). vm.topk takes the first k positions of
// the sort, descending unless `smallest`.
//
// A small k (at most 16) of elements of at most 32 bits along a static dim
// shorter than 2^32 is selected instead of sorted: k passes, each one
// reduction of the lane to one i64, the packed (key << 32 | position) of
// vm.arg_reduce's packed form (ArgReduceToLinalg.cpp), taking the best
// element that ranks after the previous pass's pick. Packed values are
// distinct (the position is part of them) and order elements exactly as the
// stable sort does (for descending order the position is complemented, so
// that the earlier of equal keys packs larger), so pass j picks element j of
// the sort. Each pass is an ordinary integer max (min) reduction, which the
// GPU's warp_per_row takes: k reads of the lane instead of one thread
// sorting it.
//
// Which of the two sorts a lane takes is the pipeline's choice
// (LaneSortForms): a CPU sorts many lanes one per thread, a GPU every long
// lane by merge passes. The faster GPU sorts (a bitonic or radix sort per
// lane across a workgroup) are open: see docs/gpu-path.md.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Sorting.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// True when `op` selects its k elements in passes (see the file comment).
bool selectsByPasses(vm::TopKOp op) {
  RankedTensorType type = op.getOperand().getType();
  int64_t dim = op.getDim();
  return op.getK() <= kTopKSelectionMaxK &&
         type.getElementTypeBitWidth() <= 32 && !type.isDynamicDim(dim) &&
         type.getDimSize(dim) < (int64_t{1} << 32);
}

/// vm.topk's (values, indices) by k selection passes over packed keys.
SmallVector<Value> buildTopKBySelection(OpBuilder &b, Location loc,
                                        vm::TopKOp op, ValueRange sizes,
                                        ValueRange resultSizes) {
  Value operand = op.getOperand();
  RankedTensorType operandType = op.getOperand().getType();
  int64_t rank = operandType.getRank();
  int64_t dim = op.getDim();
  bool smallest = op.getSmallest();
  KeyOrder order{/*descending=*/!smallest, op->hasAttr(vm::kUnsignedAttrName)};
  MLIRContext *context = b.getContext();
  Type i64 = b.getI64Type();

  SmallVector<int64_t> laneShape(operandType.getShape());
  laneShape.erase(laneShape.begin() + dim);
  SmallVector<Value> laneSizes(sizes);
  laneSizes.erase(laneSizes.begin() + dim);
  auto laneType = RankedTensorType::get(laneShape, i64);
  SmallVector<utils::IteratorType> iterators =
      getReductionIterators(rank, {dim});
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap laneMap = getMapWithout(context, rank, {dim});
  Value lowMask = arith::ConstantIntOp::create(b, loc, i64, 0xffffffff);
  // What a pass starts from and what an element that does not qualify
  // contributes: no element packs to it (positions stay below 2^32 - 1).
  auto none = [&](OpBuilder &nb, Location l) -> Value {
    return arith::ConstantIntOp::create(nb, l, i64, smallest ? -1 : 0);
  };

  SmallVector<Value> picks;
  for (int64_t pass = 0; pass < op.getK(); ++pass) {
    SmallVector<Value> inputs = {operand};
    SmallVector<AffineMap> maps = {identity};
    if (!picks.empty()) {
      inputs.push_back(picks.back());
      maps.push_back(laneMap);
    }
    maps.push_back(laneMap);
    Value init = createFilled(b, loc, laneType, laneSizes, none(b, loc));
    auto select = linalg::GenericOp::create(
        b, loc, TypeRange{laneType}, inputs, ValueRange{init}, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value key =
              arith::ExtUIOp::create(nb, l, i64, order.key(nb, l, args[0]));
          Value position = arith::IndexCastOp::create(
              nb, l, i64, linalg::IndexOp::create(nb, l, dim));
          if (!smallest)
            position = arith::XOrIOp::create(nb, l, position, lowMask);
          Value packed = arith::OrIOp::create(
              nb, l,
              arith::ShLIOp::create(
                  nb, l, key, arith::ConstantIntOp::create(nb, l, i64, 32)),
              position);
          if (args.size() == 3) {
            // Only elements after the previous pick in the sort's order.
            Value after =
                arith::CmpIOp::create(nb, l,
                                      smallest ? arith::CmpIPredicate::ugt
                                               : arith::CmpIPredicate::ult,
                                      packed, args[1]);
            packed = arith::SelectOp::create(nb, l, after, packed, none(nb, l));
          }
          Value acc = args.back();
          Value best = smallest
                           ? Value(arith::MinUIOp::create(nb, l, acc, packed))
                           : Value(arith::MaxUIOp::create(nb, l, acc, packed));
          linalg::YieldOp::create(nb, l, best);
        });
    picks.push_back(select.getResult(0));
  }

  // Result element j along `dim` is pick j: its position (the low word,
  // complemented back for descending order) and the element there.
  RankedTensorType valuesType = op.getValues().getType();
  RankedTensorType indicesType = op.getIndices().getType();
  SmallVector<AffineMap> maps(picks.size(), laneMap);
  maps.append({identity, identity});
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  auto results = linalg::GenericOp::create(
      b, loc, TypeRange{valuesType, indicesType}, picks,
      ValueRange{createEmpty(b, loc, valuesType, resultSizes),
                 createEmpty(b, loc, indicesType, resultSizes)},
      maps, parallel, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value j = arith::IndexCastOp::create(
            nb, l, i64, linalg::IndexOp::create(nb, l, dim));
        Value packed = args[0];
        for (int64_t pass = 1; pass < static_cast<int64_t>(picks.size());
             ++pass) {
          Value isPass = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::eq, j,
              arith::ConstantIntOp::create(nb, l, i64, pass));
          packed = arith::SelectOp::create(nb, l, isPass, args[pass], packed);
        }
        Value position = arith::AndIOp::create(nb, l, packed, lowMask);
        if (!smallest)
          position = arith::XOrIOp::create(nb, l, position, lowMask);
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(nb, l, d));
        at[dim] =
            arith::IndexCastOp::create(nb, l, nb.getIndexType(), position);
        Value element = tensor::ExtractOp::create(nb, l, operand, at);
        linalg::YieldOp::create(nb, l, ValueRange{element, position});
      });
  return SmallVector<Value>(results.getResults());
}

/// The sorted source positions of the lanes of `operand` along `dim`, in the
/// first n positions of each lane of the result.
Value sortPositions(OpBuilder &b, Location loc, Value operand, int64_t dim,
                    KeyOrder order, ValueRange sizes,
                    const LaneSortForms &forms) {
  auto type = cast<RankedTensorType>(operand.getType());
  SmallVector<int64_t> laneShape(type.getShape());
  laneShape.erase(laneShape.begin() + dim);
  std::optional<int64_t> lanes =
      ShapedType::isDynamicShape(laneShape)
          ? std::nullopt
          : std::optional<int64_t>(ShapedType::getNumElements(laneShape));
  if (forms.takesMergePasses(lanes, type.getDimSize(dim)))
    return buildParallelMergeSort(
               b, loc, operand, dim, order,
               b.getIntegerType(type.getElementTypeBitWidth()),
               [&](OpBuilder &nb, Location l, Value element) {
                 return order.key(nb, l, element);
               },
               sizes)
        .second;
  return buildLaneMergeSort(b, loc, operand, dim, order, sizes);
}

/// The results of a sort or top-k: the first `valuesType.getDimSize(dim)`
/// (`sizes[dim]` at run time) sorted positions of `work` along `dim` and the
/// elements of `operand` there, made by one linalg.generic over fresh
/// tensors (the positions are a view into `work`, which a function cannot
/// return as it is).
SmallVector<Value> buildOrderResults(OpBuilder &b, Location loc, Value operand,
                                     Value work, int64_t dim,
                                     RankedTensorType valuesType,
                                     RankedTensorType indicesType,
                                     ValueRange sizes) {
  int64_t rank = valuesType.getRank();
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  // Static sizes as attributes: the slice verifier checks static offsets
  // against them (an empty dimension takes an empty slice at offset 0).
  SmallVector<OpFoldResult> extent = getAsOpFoldResult(sizes);
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  Value positions =
      tensor::ExtractSliceOp::create(b, loc, work, offsets, extent, strides);
  if (cast<RankedTensorType>(positions.getType()).getShape() !=
      indicesType.getShape())
    positions = tensor::CastOp::create(b, loc, indicesType, positions);
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{valuesType, indicesType}, ValueRange{positions},
      ValueRange{createEmpty(b, loc, valuesType, sizes),
                 createEmpty(b, loc, indicesType, sizes)},
      SmallVector<AffineMap>{identity, identity, identity}, iterators,
      [&](OpBuilder &nested, Location l, ValueRange args) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(nested, l, d));
        at[dim] = arith::IndexCastOp::create(nested, l, nested.getIndexType(),
                                             args[0]);
        Value element = tensor::ExtractOp::create(nested, l, operand, at);
        linalg::YieldOp::create(nested, l, ValueRange{element, args[0]});
      });
  return SmallVector<Value>(generic.getResults());
}

/// Results without elements (a static zero dimension): nothing to sort, and
/// no in-bounds slice to take. Replaces `op` with empty tensors then.
template <typename OrderOp>
bool replaceIfEmpty(OrderOp op, PatternRewriter &rewriter, ValueRange sizes) {
  RankedTensorType valuesType = op.getValues().getType();
  if (!llvm::is_contained(valuesType.getShape(), 0))
    return false;
  Location loc = op.getLoc();
  rewriter.replaceOp(
      op, {createEmpty(rewriter, loc, valuesType, sizes),
           createEmpty(rewriter, loc, op.getIndices().getType(), sizes)});
  return true;
}

struct SortToLinalg : OpRewritePattern<vm::SortOp> {
  SortToLinalg(MLIRContext *context, const LaneSortForms &forms)
      : OpRewritePattern(context), forms(forms) {}
  LogicalResult matchAndRewrite(vm::SortOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
    emitResultShapeCheck(rewriter, op, op.getValues().getType(), sizes);
    emitResultShapeCheck(rewriter, op, op.getIndices().getType(), sizes);
    if (replaceIfEmpty(op, rewriter, sizes))
      return success();
    KeyOrder order{op.getDescending(), op->hasAttr(vm::kUnsignedAttrName)};
    Value work =
        sortPositions(rewriter, loc, op.getOperand(), dim, order, sizes, forms);
    rewriter.replaceOp(op,
                       buildOrderResults(rewriter, loc, op.getOperand(), work,
                                         dim, op.getValues().getType(),
                                         op.getIndices().getType(), sizes));
    return success();
  }

private:
  LaneSortForms forms;
};

struct TopKToLinalg : OpRewritePattern<vm::TopKOp> {
  TopKToLinalg(MLIRContext *context, const LaneSortForms &forms)
      : OpRewritePattern(context), forms(forms) {}
  LogicalResult matchAndRewrite(vm::TopKOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    int64_t k = op.getK();
    RankedTensorType operandType = op.getOperand().getType();
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
    Value kValue = indexConstant(rewriter, loc, k);
    // A static dimension was checked by the verifier.
    if (operandType.isDynamicDim(dim))
      emitShapeCheck(rewriter, op,
                     arith::CmpIOp::create(rewriter, loc,
                                           arith::CmpIPredicate::ule, kValue,
                                           sizes[dim]),
                     "attribute 'k' " + Twine(k) +
                         " is larger than dimension " + Twine(dim));
    SmallVector<Value> resultSizes(sizes);
    resultSizes[dim] = kValue;
    emitResultShapeCheck(rewriter, op, op.getValues().getType(), resultSizes);
    emitResultShapeCheck(rewriter, op, op.getIndices().getType(), resultSizes);
    if (replaceIfEmpty(op, rewriter, resultSizes))
      return success();

    if (selectsByPasses(op)) {
      rewriter.replaceOp(
          op, buildTopKBySelection(rewriter, loc, op, sizes, resultSizes));
      return success();
    }
    KeyOrder order{/*descending=*/!op.getSmallest(),
                   op->hasAttr(vm::kUnsignedAttrName)};
    Value work =
        sortPositions(rewriter, loc, op.getOperand(), dim, order, sizes, forms);
    rewriter.replaceOp(
        op, buildOrderResults(rewriter, loc, op.getOperand(), work, dim,
                              op.getValues().getType(),
                              op.getIndices().getType(), resultSizes));
    return success();
  }

private:
  LaneSortForms forms;
};

} // namespace

bool vmgpu::LaneSortForms::takesMergePasses(std::optional<int64_t> lanes,
                                            int64_t length) const {
  if (ShapedType::isDynamic(length) || length < mergeSortMinLength)
    return false;
  if (mergeSortMaxLanes == 0)
    return true;
  return lanes && *lanes < mergeSortMaxLanes;
}

void vmgpu::populateVmOrderToLinalgPatterns(RewritePatternSet &patterns,
                                            const LaneSortForms &forms) {
  patterns.add<SortToLinalg, TopKToLinalg>(patterns.getContext(), forms);
}
