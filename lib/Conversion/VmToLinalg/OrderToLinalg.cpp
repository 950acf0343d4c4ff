//===- OrderToLinalg.cpp - vm.sort and vm.topk to a merge sort per lane ---===//
//
// Each lane (the elements that differ only in `dim`) sorts the positions
// 0..n-1 of its elements with a bottom-up merge sort: stable (a tie takes
// the left run first), O(n log n), in one sequential pass per lane over an
// i64 lane of 2n (positions and scratch; LaneLoop.h: lanes run in
// parallel, one GPU thread or OpenMP iteration each). The values are then
// read through the sorted positions by one linalg.generic (a gather, fully
// parallel). vm.topk is the first k positions of that sort.
//
// Keys compare as unsigned integers made from the element bits: a float's
// sign bit set flips every bit, else only the sign bit (so -0 < +0 and the
// order is IEEE's), and every NaN becomes all ones (above +inf, all NaNs
// equal: NumPy's order); a signed integer flips its sign bit.
// `descending` reverses the key comparison, not the tie rule.
//
// This is the first GPU form: a long lane is one thread's work. The faster
// forms (a bitonic or radix sort per lane across a workgroup, per-warp
// selection for small k) are open: see docs/gpu-path.md.
//
//===----------------------------------------------------------------------===//

#include "LaneLoop.h"
#include "PatternUtils.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// How the elements of one op compare.
struct KeyOrder {
  bool descending;
  bool isUnsigned;

  /// `value`'s key: an integer of its width whose unsigned order is the
  /// contract's order of the values.
  Value key(OpBuilder &b, Location loc, Value value) const {
    Type type = value.getType();
    unsigned width = type.getIntOrFloatBitWidth();
    auto bitsType = b.getIntegerType(width);
    Value bits = value;
    if (isa<FloatType>(type))
      bits = arith::BitcastOp::create(b, loc, bitsType, value);
    Value signBit = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(bitsType, APInt::getSignMask(width)));
    if (!isa<FloatType>(type))
      return isUnsigned ? bits : arith::XOrIOp::create(b, loc, bits, signBit);
    Value allOnes = arith::ConstantOp::create(
        b, loc, b.getIntegerAttr(bitsType, APInt::getAllOnes(width)));
    Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(bitsType, 0));
    Value negative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bits, zero);
    Value flip = arith::SelectOp::create(b, loc, negative, allOnes, signBit);
    Value ordered = arith::XOrIOp::create(b, loc, bits, flip);
    Value nan =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, value, value);
    return arith::SelectOp::create(b, loc, nan, allOnes, ordered);
  }

  /// Whether key `lhs` goes strictly before key `rhs`.
  Value before(OpBuilder &b, Location loc, Value lhs, Value rhs) const {
    return arith::CmpIOp::create(
        b, loc, descending ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::ult,
        lhs, rhs);
  }
};

/// Sorts the lanes of `operand` along `dim` (of `shape`, sizes `sizes`):
/// returns an i64 tensor whose lanes hold, in their first half, the source
/// position of each sorted element.
///
/// Each lane works in one i64 lane of twice its length, its positions in the
/// first half and scratch in the second: one tensor threaded through the
/// loops, so bufferization keeps it in place (two shared outputs would not
/// do: canonicalization drops a shared output whose result is unused, and
/// the scratch would become a buffer written by every lane).
class LaneSorter {
public:
  LaneSorter(OpBuilder &b, Location loc, Value operand, int64_t dim,
             KeyOrder order)
      : b(b), loc(loc), operand(operand), dim(dim), order(order) {}

  Value sort(ArrayRef<int64_t> shape, ValueRange sizes) {
    Value length = sizes[dim];
    SmallVector<int64_t> workShape(shape);
    if (!ShapedType::isDynamic(workShape[dim]))
      workShape[dim] *= 2;
    auto workType = RankedTensorType::get(workShape, b.getI64Type());
    SmallVector<Value> workSizes(sizes);
    workSizes[dim] = arith::ShLIOp::create(b, loc, length,
                                           indexConstant(b, loc, 1));
    Value work = buildLaneLoop(
        b, loc, workSizes, dim, ValueRange{iota(workType, workSizes)},
        [&](OpBuilder &lb, Location l, ArrayRef<Value> lane,
            ValueRange lanes) -> SmallVector<Value> {
          return {sortLane(lb, l, lane, lanes[0], length)};
        }).front();
    return work;
  }

private:
  /// 0, 1, ... along `dim`.
  Value iota(RankedTensorType type, ValueRange sizes) {
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, loc, type, ValueRange{}, ValueRange{createEmpty(b, loc, type, sizes)},
        maps, iterators, [&](OpBuilder &nested, Location l, ValueRange) {
          Value position = linalg::IndexOp::create(nested, l, dim);
          linalg::YieldOp::create(
              nested, l,
              arith::IndexCastOp::create(nested, l, nested.getI64Type(),
                                         position)
                  .getResult());
        });
    return generic.getResult(0);
  }

  /// Sorts one lane of `work` (positions 0..n-1 in [0, n)): rounds of two
  /// merge passes, [0, n) into [n, 2n) with runs of `width`, then back with
  /// runs of twice that, until a run covers the lane, so the sorted
  /// positions always end in [0, n).
  Value sortLane(OpBuilder &lb, Location l, ArrayRef<Value> lane, Value work,
                 Value length) {
    Value zero = indexConstant(lb, l, 0);
    Value one = indexConstant(lb, l, 1);
    SmallVector<Type> types = {work.getType(), lb.getIndexType()};
    auto rounds = scf::WhileOp::create(
        lb, l, types, ValueRange{work, one},
        [&](OpBuilder &cb, Location cl, ValueRange args) {
          Value more = arith::CmpIOp::create(cb, cl, arith::CmpIPredicate::ult,
                                             args[1], length);
          scf::ConditionOp::create(cb, cl, more, args);
        },
        [&](OpBuilder &wb, Location wl, ValueRange args) {
          Value width = args[1];
          Value doubled = arith::ShLIOp::create(wb, wl, width, one);
          Value there = mergePass(wb, wl, lane, args[0], zero, length, width,
                                  length);
          Value back =
              mergePass(wb, wl, lane, there, length, zero, doubled, length);
          Value next = arith::ShLIOp::create(wb, wl, doubled, one);
          scf::YieldOp::create(wb, wl, ValueRange{back, next});
        });
    return rounds.getResult(0);
  }

  /// The key of the lane element at position `at` (an i64 from the lane).
  Value keyAt(OpBuilder &kb, Location l, ArrayRef<Value> lane, Value at) {
    SmallVector<Value> coordinates(lane);
    coordinates[dim] = arith::IndexCastOp::create(kb, l, kb.getIndexType(), at);
    return order.key(kb, l,
                     tensor::ExtractOp::create(kb, l, operand, coordinates));
  }

  /// Merges each pair of sorted runs of `width` positions of the half of
  /// `work` at `from` into the half at `to` (returns the updated lane); a
  /// tie takes the left run's position first.
  Value mergePass(OpBuilder &pb, Location l, ArrayRef<Value> lane, Value work,
                  Value from, Value to, Value width, Value length) {
    Value one = indexConstant(pb, l, 1);
    Value pairWidth = arith::ShLIOp::create(pb, l, width, one);
    auto runs = scf::ForOp::create(
        pb, l, indexConstant(pb, l, 0), length, pairWidth, ValueRange{work},
        [&](OpBuilder &rb, Location rl, Value low, ValueRange carried) {
          Value mid = arith::MinUIOp::create(
              rb, rl, arith::AddIOp::create(rb, rl, low, width), length);
          Value high = arith::MinUIOp::create(
              rb, rl, arith::AddIOp::create(rb, rl, low, pairWidth), length);
          // The left run is never empty (low < length); reads clamp into
          // the runs and the choice masks what a clamped read saw.
          Value leftLast = arith::SubIOp::create(rb, rl, mid, one);
          Value rightLast = arith::SubIOp::create(rb, rl, high, one);
          auto merge = scf::ForOp::create(
              rb, rl, low, high, one, ValueRange{carried[0], low, mid},
              [&](OpBuilder &mb, Location ml, Value out, ValueRange state) {
                Value left = state[1], right = state[2];
                auto read = [&](Value position, Value last) -> Value {
                  Value at = arith::AddIOp::create(
                      mb, ml, from,
                      arith::MinUIOp::create(mb, ml, position, last));
                  return tensor::ExtractOp::create(mb, ml, state[0], at);
                };
                Value leftAt = read(left, leftLast);
                Value rightAt = read(right, rightLast);
                Value leftDone = arith::CmpIOp::create(
                    mb, ml, arith::CmpIPredicate::uge, left, mid);
                Value rightLeft = arith::CmpIOp::create(
                    mb, ml, arith::CmpIPredicate::ult, right, high);
                Value rightFirst =
                    order.before(mb, ml, keyAt(mb, ml, lane, rightAt),
                                 keyAt(mb, ml, lane, leftAt));
                Value takeRight = arith::AndIOp::create(
                    mb, ml, rightLeft,
                    arith::OrIOp::create(mb, ml, leftDone, rightFirst));
                Value taken =
                    arith::SelectOp::create(mb, ml, takeRight, rightAt, leftAt);
                Value written = tensor::InsertOp::create(
                    mb, ml, taken, state[0],
                    ValueRange{arith::AddIOp::create(mb, ml, to, out)});
                Value nextLeft = arith::SelectOp::create(
                    mb, ml, takeRight, left,
                    arith::AddIOp::create(mb, ml, left, one));
                Value nextRight = arith::SelectOp::create(
                    mb, ml, takeRight, arith::AddIOp::create(mb, ml, right, one),
                    right);
                scf::YieldOp::create(mb, ml,
                                     ValueRange{written, nextLeft, nextRight});
              });
          scf::YieldOp::create(rb, rl, merge.getResult(0));
        });
    return runs.getResult(0);
  }

  OpBuilder &b;
  Location loc;
  Value operand;
  int64_t dim;
  KeyOrder order;
};

/// The results of a sort or top-k: the first `valuesType.getDimSize(dim)`
/// (`sizes[dim]` at run time) sorted positions of `work` along `dim` and the
/// elements of `operand` there, made by one linalg.generic over fresh
/// tensors (the positions are a view into `work`, which a function cannot
/// return as it is).
SmallVector<Value> buildOrderResults(OpBuilder &b, Location loc,
                                     Value operand, Value work, int64_t dim,
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
  using OpRewritePattern::OpRewritePattern;
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
    Value work = LaneSorter(rewriter, loc, op.getOperand(), dim, order)
                     .sort(op.getOperand().getType().getShape(), sizes);
    rewriter.replaceOp(op, buildOrderResults(rewriter, loc, op.getOperand(),
                                             work, dim, op.getValues().getType(),
                                             op.getIndices().getType(), sizes));
    return success();
  }
};

struct TopKToLinalg : OpRewritePattern<vm::TopKOp> {
  using OpRewritePattern::OpRewritePattern;
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
                   "attribute 'k' " + Twine(k) + " is larger than dimension " +
                       Twine(dim));
    SmallVector<Value> resultSizes(sizes);
    resultSizes[dim] = kValue;
    emitResultShapeCheck(rewriter, op, op.getValues().getType(), resultSizes);
    emitResultShapeCheck(rewriter, op, op.getIndices().getType(), resultSizes);
    if (replaceIfEmpty(op, rewriter, resultSizes))
      return success();

    KeyOrder order{/*descending=*/!op.getSmallest(),
                   op->hasAttr(vm::kUnsignedAttrName)};
    Value work = LaneSorter(rewriter, loc, op.getOperand(), dim, order)
                     .sort(operandType.getShape(), sizes);
    rewriter.replaceOp(op, buildOrderResults(rewriter, loc, op.getOperand(),
                                             work, dim, op.getValues().getType(),
                                             op.getIndices().getType(),
                                             resultSizes));
    return success();
  }
};

} // namespace

void vmgpu::populateVmOrderToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SortToLinalg, TopKToLinalg>(patterns.getContext());
}
