//===- ArgReduceToLinalg.cpp - vm.arg_reduce to linalg --------------------===//
//
// Elements of at most 32 bits along a `dim` shorter than 2^32 (every i32
// result, and static lengths): one linalg.generic reduces `dim` into a
// single i64 accumulator with unsigned max (min): each element becomes
// (key << 32) | position, the key ordering values as the kind wants (the
// contract's order: -0 below +0; NaN below every number for max, above for
// min, so NaNs are skipped unless all are NaN) and the position stored so
// that the larger packed value is the earlier index (~index for max). One
// accumulator of an integer type makes it an ordinary reduction: the
// GPU's warp_per_row and its shuffle tree take it like a sum. A
// linalg.generic over the result unpacks the index.
//
// Otherwise (64-bit elements, or an i64 result over a length known only at
// run time): one linalg.generic reducing `dim` into two accumulators, the
// best value so far and its index. The combining step takes an element
// when its value is better, or the same (same bits; any NaN is the same as
// any NaN) at a lower index. Floats start from NaN (every number is better)
// and integers from the kind's identity; the index starts past every real
// one.
//
// Both steps are associative and commutative, so the result is the first
// index of the extreme value whatever order a strategy combines elements
// in.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Sorting.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// The sign bit of a float, read through its bits.
Value signBit(OpBuilder &b, Location loc, Value value) {
  auto intType = b.getIntegerType(value.getType().getIntOrFloatBitWidth());
  Value bits = arith::BitcastOp::create(b, loc, intType, value);
  Value zero = arith::ConstantIntOp::create(b, loc, intType, 0);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, bits, zero);
}

/// (better, same) of element `x` against the accumulator `acc` in the order
/// of `kind` (max or min), with the contract's rules: a number beats NaN,
/// and -0 ranks below +0.
std::pair<Value, Value> compareFloats(OpBuilder &b, Location loc, bool isMax,
                                      Value x, Value acc) {
  Value xNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  Value accNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, acc, acc);
  Value xNumber = arith::XOrIOp::create(
      b, loc, xNaN, arith::ConstantIntOp::create(b, loc, 1, 1));
  Value beatsNaN = arith::AndIOp::create(b, loc, xNumber, accNaN);
  Value strictly = arith::CmpFOp::create(
      b, loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, x,
      acc);
  Value equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, acc);
  Value xNegative = signBit(b, loc, x);
  Value accNegative = signBit(b, loc, acc);
  // Equal numbers with different signs are +0 and -0.
  Value signsDiffer =
      arith::XOrIOp::create(b, loc, xNegative, accNegative);
  Value zeroWins = arith::AndIOp::create(
      b, loc, arith::AndIOp::create(b, loc, equal, signsDiffer),
      isMax ? accNegative : xNegative);
  Value better = arith::OrIOp::create(
      b, loc, beatsNaN, arith::OrIOp::create(b, loc, strictly, zeroWins));
  Value sameNumber = arith::AndIOp::create(
      b, loc, equal,
      arith::XOrIOp::create(b, loc, signsDiffer,
                            arith::ConstantIntOp::create(b, loc, 1, 1)));
  Value same = arith::OrIOp::create(
      b, loc, sameNumber, arith::AndIOp::create(b, loc, xNaN, accNaN));
  return {better, same};
}

std::pair<Value, Value> compareInts(OpBuilder &b, Location loc, bool isMax,
                                    bool isUnsigned, Value x, Value acc) {
  arith::CmpIPredicate predicate =
      isMax ? (isUnsigned ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
            : (isUnsigned ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
  Value better = arith::CmpIOp::create(b, loc, predicate, x, acc);
  Value same = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, acc);
  return {better, same};
}

/// The index of the first extreme element of `op`'s operand along its dim
/// (elements of at most 32 bits, positions below 2^32), through one i64
/// accumulator of packed (key, position) values.
Value buildPackedArgReduce(OpBuilder &b, Location loc, vm::ArgReduceOp op,
                           bool isMax, bool isUnsigned,
                           ValueRange resultSizes) {
  RankedTensorType operandType = op.getOperand().getType();
  RankedTensorType resultType = op.getType();
  Type element = operandType.getElementType();
  int64_t rank = operandType.getRank();
  int64_t dim = op.getDim();
  Type i64 = b.getI64Type();
  Value lowMask = arith::ConstantIntOp::create(b, loc, i64, 0xffffffff);
  // umax starts from 0, umin from all ones, and no element packs to either:
  // positions stay below 2^32 - 1, so the low word is never all ones (min)
  // and its complement never 0 (max).
  Value initial = arith::ConstantIntOp::create(b, loc, i64, isMax ? 0 : -1);
  RankedTensorType packedType = resultType.clone(i64);
  Value packed = createFilled(b, loc, packedType, resultSizes, initial);
  SmallVector<utils::IteratorType> iterators =
      getReductionIterators(rank, {dim});
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 getMapWithout(b.getContext(), rank, {dim})};
  KeyOrder order{/*descending=*/false, isUnsigned};
  auto reduction = linalg::GenericOp::create(
      b, loc, TypeRange{packedType}, ValueRange{op.getOperand()},
      ValueRange{packed}, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value x = args[0], acc = args[1];
        // The contract's order as an unsigned key (NaN: all ones).
        Value key = arith::ExtUIOp::create(nb, l, i64, order.key(nb, l, x));
        if (isMax && isa<FloatType>(element)) {
          // NaN below every number (no number's key is 0).
          Value nan =
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO, x, x);
          key = arith::SelectOp::create(
              nb, l, nan, arith::ConstantIntOp::create(nb, l, i64, 0), key);
        }
        Value position = arith::IndexCastOp::create(
            nb, l, i64, linalg::IndexOp::create(nb, l, dim));
        // For max the earlier position must pack larger.
        if (isMax)
          position = arith::XOrIOp::create(nb, l, position, lowMask);
        Value thirtyTwo = arith::ConstantIntOp::create(nb, l, i64, 32);
        Value candidate = arith::OrIOp::create(
            nb, l, arith::ShLIOp::create(nb, l, key, thirtyTwo), position);
        Value best = isMax
                         ? Value(arith::MaxUIOp::create(nb, l, acc, candidate))
                         : Value(arith::MinUIOp::create(nb, l, acc, candidate));
        linalg::YieldOp::create(nb, l, best);
      });
  // Unpack: the low word, flipped back for max.
  int64_t resultRank = resultType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(resultRank);
  SmallVector<utils::IteratorType> parallel(resultRank,
                                            utils::IteratorType::parallel);
  auto indexType = cast<IntegerType>(resultType.getElementType());
  auto unpack = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{reduction.getResult(0)},
      ValueRange{createEmpty(b, loc, resultType, resultSizes)},
      SmallVector<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value low = arith::AndIOp::create(nb, l, args[0], lowMask);
        if (isMax)
          low = arith::XOrIOp::create(nb, l, low, lowMask);
        Value index = low;
        if (indexType.getWidth() < 64)
          index = arith::TruncIOp::create(nb, l, indexType, low);
        linalg::YieldOp::create(nb, l, index);
      });
  return unpack.getResult(0);
}

struct ArgReduceToLinalg : OpRewritePattern<vm::ArgReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ArgReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    bool isMax = op.getKind() == "max";
    bool isUnsigned = op->hasAttr(vm::kUnsignedAttrName);
    RankedTensorType operandType = op.getOperand().getType();
    RankedTensorType resultType = op.getType();
    Type element = operandType.getElementType();
    auto indexType = cast<IntegerType>(resultType.getElementType());
    int64_t rank = operandType.getRank();

    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
    Value length = sizes[dim];
    emitShapeCheck(rewriter, op,
                   arith::CmpIOp::create(rewriter, loc,
                                         arith::CmpIPredicate::ne, length,
                                         indexConstant(rewriter, loc, 0)),
                   "dimension " + Twine(dim) +
                       " is empty: it has no first max or min");
    int64_t largest =
        APInt::getSignedMaxValue(indexType.getWidth()).getSExtValue();
    // Every dimension fits an i64 index; narrower results need a check.
    if (indexType.getWidth() < 64)
      emitShapeCheck(rewriter, op,
                     arith::CmpIOp::create(
                         rewriter, loc, arith::CmpIPredicate::sle, length,
                         indexConstant(rewriter, loc, largest)),
                     "dimension " + Twine(dim) + " is longer than an i" +
                         Twine(indexType.getWidth()) + " result can index");
    SmallVector<Value> resultSizes(sizes);
    resultSizes.erase(resultSizes.begin() + dim);
    emitResultShapeCheck(rewriter, op, resultType, resultSizes);

    if (element.getIntOrFloatBitWidth() <= 32 &&
        (indexType.getWidth() <= 32 ||
         (!operandType.isDynamicDim(dim) &&
          operandType.getDimSize(dim) < (int64_t{1} << 32)))) {
      rewriter.replaceOp(op, buildPackedArgReduce(rewriter, loc, op, isMax,
                                                  isUnsigned, resultSizes));
      return success();
    }

    // Accumulators: the value (NaN, or the integer identity) and its index
    // (past every real one).
    Value initValue;
    if (auto floatType = dyn_cast<FloatType>(element)) {
      initValue = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getFloatAttr(
              element, APFloat::getQNaN(floatType.getFloatSemantics())));
    } else {
      FailureOr<TypedAttr> identity = getReduceIdentity(
          rewriter, isMax ? "max" : "min", element, isUnsigned);
      if (failed(identity))
        return rewriter.notifyMatchFailure(op, "no identity");
      initValue = arith::ConstantOp::create(rewriter, loc, *identity);
    }
    Value initIndex = arith::ConstantIntOp::create(rewriter, loc, indexType,
                                                   largest);
    RankedTensorType valuesType = resultType.clone(element);
    Value values =
        createFilled(rewriter, loc, valuesType, resultSizes, initValue);
    Value indices =
        createFilled(rewriter, loc, resultType, resultSizes, initIndex);

    SmallVector<utils::IteratorType> iterators =
        getReductionIterators(rank, {dim});
    AffineMap resultMap = getMapWithout(rewriter.getContext(), rank, {dim});
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank),
                                   resultMap, resultMap};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, resultType},
        ValueRange{op.getOperand()}, ValueRange{values, indices}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], acc = args[1], accIndex = args[2];
          Value position = linalg::IndexOp::create(b, l, dim);
          Value xIndex = arith::IndexCastOp::create(b, l, indexType, position);
          auto [better, same] =
              isa<FloatType>(element)
                  ? compareFloats(b, l, isMax, x, acc)
                  : compareInts(b, l, isMax, isUnsigned, x, acc);
          Value earlier = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, xIndex, accIndex);
          Value take = arith::OrIOp::create(
              b, l, better, arith::AndIOp::create(b, l, same, earlier));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, take, x, acc),
                         arith::SelectOp::create(b, l, take, xIndex,
                                                 accIndex)});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

} // namespace

void vmgpu::populateVmArgReduceToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ArgReduceToLinalg>(patterns.getContext());
}
