//===- ArgReduceToLinalg.cpp - vm.arg_reduce to linalg --------------------===//
//
// One linalg.generic reducing `dim` into two accumulators, the best value so
// far and its index. The combining step takes an element when its value is
// better, or the same (same bits; any NaN is the same as any NaN) at a lower
// index. That makes the step associative and commutative, so the result is
// the first index of the extreme value whatever order a strategy combines
// elements in. Floats start from NaN (every number is better: NaNs are
// skipped unless all are NaN) and integers from the kind's identity; the
// index starts past every real one.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
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

    SmallVector<AffineExpr> kept;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == dim ? utils::IteratorType::reduction
                                   : utils::IteratorType::parallel);
      if (d != dim)
        kept.push_back(rewriter.getAffineDimExpr(d));
    }
    AffineMap resultMap =
        AffineMap::get(rank, 0, kept, rewriter.getContext());
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
