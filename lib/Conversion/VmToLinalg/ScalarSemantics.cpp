//===- ScalarSemantics.cpp - the vm contract on scalars -------------------===//
//
// LLVM leaves several integer cases undefined (sdiv/srem by zero or of
// MIN / -1, shifts by the width or more, fptosi out of range) and several
// float cases unordered (minnum on signed zeros). Each is guarded here so
// that the contract's result is the only possible one.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "vm/VmOps.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;

namespace vmgpu {
namespace {

Value intConstant(OpBuilder &b, Location loc, Type type, const APInt &value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value intConstant(OpBuilder &b, Location loc, Type type, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value floatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

unsigned widthOf(Type type) { return type.getIntOrFloatBitWidth(); }

/// f16 and bf16 arithmetic is done in f32 and rounded once at the end: for
/// + - * / sqrt and fmod the f32 result rounds to the correctly rounded
/// narrow result (24 >= 2 * 11 + 2 bits), so no target's native half
/// arithmetic can disagree.
bool isNarrowFloat(Type type) { return type.isF16() || type.isBF16(); }

Value isNaN(OpBuilder &b, Location loc, Value value);

/// `nearest`, a float rounded to nearest from some exact value x, turned into
/// x rounded to odd: unless `keep` (the rounding was exact, or `nearest` is
/// not finite), truncate toward zero (one step back in the bit pattern when
/// `nearest` rounded away from zero) and set the lowest significand bit.
/// Rounding that value to nearest in a format at least 2 bits narrower gives
/// what a single rounding of x would (the odd bit stands for the discarded
/// tail, so no false tie can appear).
Value roundedToOdd(OpBuilder &b, Location loc, Value nearest, Value keep,
                   Value awayFromZero) {
  Type floatType = nearest.getType();
  Type bitsType = b.getIntegerType(widthOf(floatType));
  Value bits = arith::BitcastOp::create(b, loc, bitsType, nearest);
  Value one = intConstant(b, loc, bitsType, 1);
  Value towardZero = arith::SelectOp::create(
      b, loc, awayFromZero, arith::SubIOp::create(b, loc, bits, one), bits);
  Value odd = arith::OrIOp::create(b, loc, towardZero, one);
  Value rounded = arith::SelectOp::create(b, loc, keep, bits, odd);
  return arith::BitcastOp::create(b, loc, floatType, rounded);
}

/// Rounds `value` to the narrower float type `target` once. f64 -> bf16 has
/// no instruction on most targets and would be rounded twice through f32:
/// instead round to f32 with round-to-odd, which then rounds to bf16 exactly
/// as a single rounding would (f32 keeps 24 >= 8 + 2 bits).
Value truncateFloatRounded(OpBuilder &b, Location loc, Value value,
                           Type target) {
  if (!(value.getType().isF64() && target.isBF16()))
    return arith::TruncFOp::create(b, loc, target, value);
  Value nearest = arith::TruncFOp::create(b, loc, b.getF32Type(), value);
  Value back = arith::ExtFOp::create(b, loc, value.getType(), nearest);
  Value exact =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, back, value);
  Value awayFromZero = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OGT, math::AbsFOp::create(b, loc, back),
      math::AbsFOp::create(b, loc, value));
  Value keep = arith::OrIOp::create(b, loc, exact, isNaN(b, loc, value));
  Value odd = roundedToOdd(b, loc, nearest, keep, awayFromZero);
  return arith::TruncFOp::create(b, loc, target, odd);
}

/// `x + y` (two floats of one type) rounded to odd, for a later rounding to a
/// narrower type. TwoSum gives the sum rounded to nearest and its exact
/// error (no fast-math, so nothing reassociates it; exact unless the sum
/// overflows, which no caller's operands can).
Value addRoundedToOdd(OpBuilder &b, Location loc, Value x, Value y) {
  Type type = x.getType();
  Value sum = arith::AddFOp::create(b, loc, x, y);
  Value yPart = arith::SubFOp::create(b, loc, sum, x);
  Value xPart = arith::SubFOp::create(b, loc, sum, yPart);
  Value error =
      arith::AddFOp::create(b, loc, arith::SubFOp::create(b, loc, x, xPart),
                            arith::SubFOp::create(b, loc, y, yPart));
  Value zero = floatConstant(b, loc, type, 0.0);
  Value inf =
      floatConstant(b, loc, type, std::numeric_limits<double>::infinity());
  // Infinite or NaN sums (from such operands) make the error NaN: keep them.
  Value notFinite =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGE,
                            math::AbsFOp::create(b, loc, sum), inf);
  Value exact =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, error, zero);
  Value keep = arith::OrIOp::create(b, loc, exact, notFinite);
  // The sum rounded away from zero when the error points the other way.
  Value awayFromZero = arith::XOrIOp::create(
      b, loc,
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, error, zero),
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, sum, zero));
  return roundedToOdd(b, loc, sum, keep, awayFromZero);
}

} // namespace

/// Narrowing with one rounding, and NaN made the quiet NaN of `target` with
/// the input's sign and no payload: targets disagree on the NaN they
/// produce (x86 keeps the payload's top bits, NVIDIA returns all ones).
Value buildFloatTruncate(OpBuilder &b, Location loc, Value value,
                         Type target) {
  Value rounded = truncateFloatRounded(b, loc, value, target);
  unsigned width = target.getIntOrFloatBitWidth();
  Type bitsType = b.getIntegerType(width);
  APInt quiet =
      APFloat::getQNaN(cast<FloatType>(target).getFloatSemantics())
          .bitcastToAPInt();
  // The sign comes from the input: NVIDIA's NaN results are always positive.
  unsigned sourceWidth = value.getType().getIntOrFloatBitWidth();
  Type sourceBits = b.getIntegerType(sourceWidth);
  Value negative = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::slt,
      arith::BitcastOp::create(b, loc, sourceBits, value),
      intConstant(b, loc, sourceBits, 0));
  Value sign = arith::SelectOp::create(
      b, loc, negative, intConstant(b, loc, bitsType, APInt::getSignMask(width)),
      intConstant(b, loc, bitsType, 0));
  Value canonical = arith::BitcastOp::create(
      b, loc, target,
      arith::OrIOp::create(b, loc, sign, intConstant(b, loc, bitsType, quiet)));
  return arith::SelectOp::create(b, loc, isNaN(b, loc, value), canonical,
                                 rounded);
}

namespace {

template <typename Fn>
Value inWideFloat(OpBuilder &b, Location loc, ValueRange operands, Type wide,
                  Fn compute) {
  Type type = operands.front().getType();
  if (!isNarrowFloat(type))
    return compute(operands);
  SmallVector<Value> widened;
  for (Value operand : operands)
    widened.push_back(arith::ExtFOp::create(b, loc, wide, operand));
  Value result = compute(widened);
  return buildFloatTruncate(b, loc, result, type);
}

Value isNaN(OpBuilder &b, Location loc, Value value) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, value, value);
}

//===----------------------------------------------------------------------===//
// Integer division, remainder, shifts, saturation
//===----------------------------------------------------------------------===//

/// Returns a divisor that is never 0 and never -1 against MIN (1 in those
/// cases), and whether the original divisor was 0.
std::pair<Value, Value> safeDivisor(OpBuilder &b, Location loc, Value lhs,
                                    Value rhs, bool isUnsigned) {
  Type type = rhs.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value byZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  Value unsafe = byZero;
  if (!isUnsigned) {
    Value min = intConstant(b, loc, type, APInt::getSignedMinValue(widthOf(type)));
    Value minusOne = intConstant(b, loc, type, APInt::getAllOnes(widthOf(type)));
    Value lhsIsMin =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, min);
    Value rhsIsMinusOne =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, minusOne);
    Value overflow = arith::AndIOp::create(b, loc, lhsIsMin, rhsIsMinusOne);
    unsafe = arith::OrIOp::create(b, loc, byZero, overflow);
  }
  Value divisor = arith::SelectOp::create(b, loc, unsafe, one, rhs);
  return {divisor, byZero};
}

/// x / 0 is all ones; MIN / -1 is MIN (= MIN / 1).
Value buildIntDiv(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  bool isUnsigned) {
  auto [divisor, byZero] = safeDivisor(b, loc, lhs, rhs, isUnsigned);
  Value quotient =
      isUnsigned ? Value(arith::DivUIOp::create(b, loc, lhs, divisor))
                 : Value(arith::DivSIOp::create(b, loc, lhs, divisor));
  Value allOnes =
      intConstant(b, loc, lhs.getType(), APInt::getAllOnes(widthOf(lhs.getType())));
  return arith::SelectOp::create(b, loc, byZero, allOnes, quotient);
}

/// x rem 0 is x; MIN rem -1 is 0 (= MIN rem 1).
Value buildIntRem(OpBuilder &b, Location loc, Value lhs, Value rhs,
                  bool isUnsigned) {
  auto [divisor, byZero] = safeDivisor(b, loc, lhs, rhs, isUnsigned);
  Value remainder =
      isUnsigned ? Value(arith::RemUIOp::create(b, loc, lhs, divisor))
                 : Value(arith::RemSIOp::create(b, loc, lhs, divisor));
  return arith::SelectOp::create(b, loc, byZero, lhs, remainder);
}

/// Shift amounts are taken modulo the width (every vm width is a power of 2).
Value shiftAmount(OpBuilder &b, Location loc, Value amount) {
  Type type = amount.getType();
  Value mask = intConstant(b, loc, type, widthOf(type) - 1);
  return arith::AndIOp::create(b, loc, amount, mask);
}

Value buildSaturating(OpBuilder &b, Location loc, Value lhs, Value rhs,
                      bool isAdd, bool isUnsigned) {
  Type type = lhs.getType();
  unsigned width = widthOf(type);
  Value raw = isAdd ? Value(arith::AddIOp::create(b, loc, lhs, rhs))
                    : Value(arith::SubIOp::create(b, loc, lhs, rhs));
  if (isUnsigned) {
    // add overflows when the sum wraps below lhs; sub when rhs > lhs.
    if (isAdd) {
      Value wrapped =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, raw, lhs);
      return arith::SelectOp::create(
          b, loc, wrapped, intConstant(b, loc, type, APInt::getMaxValue(width)),
          raw);
    }
    Value underflow =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, lhs, rhs);
    return arith::SelectOp::create(b, loc, underflow,
                                   intConstant(b, loc, type, 0), raw);
  }
  // Signed overflow: the result's sign differs from what both inputs imply.
  // add: (lhs ^ raw) & (rhs ^ raw) < 0; sub: (lhs ^ rhs) & (lhs ^ raw) < 0.
  Value lhsFlip = arith::XOrIOp::create(b, loc, lhs, raw);
  Value other = isAdd ? Value(arith::XOrIOp::create(b, loc, rhs, raw))
                      : Value(arith::XOrIOp::create(b, loc, lhs, rhs));
  Value both = arith::AndIOp::create(b, loc, lhsFlip, other);
  Value zero = intConstant(b, loc, type, 0);
  Value overflow =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, both, zero);
  Value lhsNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, lhs, zero);
  Value clamp = arith::SelectOp::create(
      b, loc, lhsNegative,
      intConstant(b, loc, type, APInt::getSignedMinValue(width)),
      intConstant(b, loc, type, APInt::getSignedMaxValue(width)));
  return arith::SelectOp::create(b, loc, overflow, clamp, raw);
}

Value buildIntAbs(OpBuilder &b, Location loc, Value value) {
  Value zero = intConstant(b, loc, value.getType(), 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, value, zero);
  Value negated = arith::SubIOp::create(b, loc, zero, value);
  return arith::SelectOp::create(b, loc, negative, negated, value);
}

/// vm.sign on integers: -1, 0 or 1; 0 or 1 when unsigned. An i1 is its own
/// sign (true is -1 signed and 1 unsigned, both the same bit).
Value buildIntSign(OpBuilder &b, Location loc, Value value, bool isUnsigned) {
  Type type = value.getType();
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value nonZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  Value magnitude = arith::SelectOp::create(b, loc, nonZero, one, zero);
  if (isUnsigned)
    return magnitude;
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, value, zero);
  Value minusOne = intConstant(b, loc, type, APInt::getAllOnes(widthOf(type)));
  return arith::SelectOp::create(b, loc, negative, minusOne, magnitude);
}

/// vm.sign on floats: -1.0 or +1.0, and the input itself for +-0 and NaN
/// (neither comparison holds for them). Exact in every type, so no widening.
Value buildFloatSign(OpBuilder &b, Location loc, Value value) {
  Type type = value.getType();
  Value zero = floatConstant(b, loc, type, 0.0);
  Value positive =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, value, zero);
  Value negative =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, value, zero);
  Value signOrSelf = arith::SelectOp::create(
      b, loc, negative, floatConstant(b, loc, type, -1.0), value);
  return arith::SelectOp::create(b, loc, positive,
                                 floatConstant(b, loc, type, 1.0), signOrSelf);
}

/// vm.pow on integers: square-and-multiply over every bit of the exponent,
/// unrolled (at most 64 steps, no loop in the element's body), wrapping as
/// integer multiplication does. A negative signed exponent gives 0, except
/// for the bases 1 (1) and -1 (-1 for an odd exponent, 1 for an even one).
/// `0 ^ 0 = 1`: the product starts at 1.
Value buildIntPow(OpBuilder &b, Location loc, Value base, Value exponent,
                  bool isUnsigned) {
  Type type = base.getType();
  unsigned width = widthOf(type);
  Value zero = intConstant(b, loc, type, 0);
  Value one = intConstant(b, loc, type, 1);
  Value result = one;
  Value square = base;
  for (unsigned bit = 0; bit < width; ++bit) {
    Value mask = intConstant(b, loc, type, APInt::getOneBitSet(width, bit));
    Value bitSet = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ne,
        arith::AndIOp::create(b, loc, exponent, mask), zero);
    Value product = arith::MulIOp::create(b, loc, result, square);
    result = arith::SelectOp::create(b, loc, bitSet, product, result);
    if (bit + 1 < width)
      square = arith::MulIOp::create(b, loc, square, square);
  }
  if (isUnsigned || width == 1)
    return result;
  // Negative exponents: |base| > 1 gives a fraction that truncates to 0.
  Value minusOne = intConstant(b, loc, type, APInt::getAllOnes(width));
  Value negativeExponent =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exponent, zero);
  Value baseIsOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, one);
  Value baseIsMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, minusOne);
  Value oddExponent = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(b, loc, exponent, one), zero);
  Value minusOnePower =
      arith::SelectOp::create(b, loc, oddExponent, minusOne, one);
  Value fraction = arith::SelectOp::create(
      b, loc, baseIsOne, one,
      arith::SelectOp::create(b, loc, baseIsMinusOne, minusOnePower, zero));
  return arith::SelectOp::create(b, loc, negativeExponent, fraction, result);
}

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

FailureOr<Value> buildCompare(OpBuilder &b, Location loc, StringRef predicate,
                              Value lhs, Value rhs, bool isUnsigned) {
  if (isa<FloatType>(lhs.getType())) {
    // Ordered predicates are false on NaN; `ne` is true (IEEE, like C).
    std::optional<arith::CmpFPredicate> pred =
        llvm::StringSwitch<std::optional<arith::CmpFPredicate>>(predicate)
            .Case("eq", arith::CmpFPredicate::OEQ)
            .Case("ne", arith::CmpFPredicate::UNE)
            .Case("lt", arith::CmpFPredicate::OLT)
            .Case("le", arith::CmpFPredicate::OLE)
            .Case("gt", arith::CmpFPredicate::OGT)
            .Case("ge", arith::CmpFPredicate::OGE)
            .Default(std::nullopt);
    if (!pred)
      return failure();
    return Value(arith::CmpFOp::create(b, loc, *pred, lhs, rhs));
  }
  using P = arith::CmpIPredicate;
  std::optional<P> pred =
      llvm::StringSwitch<std::optional<P>>(predicate)
          .Case("eq", P::eq)
          .Case("ne", P::ne)
          .Case("lt", isUnsigned ? P::ult : P::slt)
          .Case("le", isUnsigned ? P::ule : P::sle)
          .Case("gt", isUnsigned ? P::ugt : P::sgt)
          .Case("ge", isUnsigned ? P::uge : P::sge)
          .Default(std::nullopt);
  if (!pred)
    return failure();
  return Value(arith::CmpIOp::create(b, loc, *pred, lhs, rhs));
}

//===----------------------------------------------------------------------===//
// Float to integer
//===----------------------------------------------------------------------===//

/// `2^exponent` in `type`, or +inf when it is out of the type's range.
Value powerOfTwo(OpBuilder &b, Location loc, FloatType type, unsigned exponent,
                 bool negative) {
  APFloat value = APFloat::getOne(type.getFloatSemantics(), negative);
  value = scalbn(value, exponent, APFloat::rmNearestTiesToEven);
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
}

/// Truncates toward zero, saturates to the target range and maps NaN to 0.
/// The bounds are powers of two, which every float type represents exactly
/// or overflows to infinity, so the comparisons are exact.
Value buildFloatToInt(OpBuilder &b, Location loc, Value value,
                      IntegerType target, bool isUnsigned) {
  auto source = cast<FloatType>(value.getType());
  unsigned width = target.getWidth();
  Value zero = intConstant(b, loc, target, 0);
  Value result;
  if (isUnsigned) {
    Value limit = powerOfTwo(b, loc, source, width, /*negative=*/false);
    Value floatZero = floatConstant(b, loc, source, 0.0);
    Value tooLarge =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, value, limit);
    Value notPositive = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OLE, value, floatZero);
    // Clamp first so that fptoui never sees an out-of-range input.
    Value inRange = arith::SelectOp::create(
        b, loc, arith::OrIOp::create(b, loc, tooLarge, notPositive), floatZero,
        value);
    Value converted = arith::FPToUIOp::create(b, loc, target, inRange);
    result = arith::SelectOp::create(
        b, loc, tooLarge, intConstant(b, loc, target, APInt::getMaxValue(width)),
        converted);
  } else {
    Value upper = powerOfTwo(b, loc, source, width - 1, /*negative=*/false);
    Value lower = powerOfTwo(b, loc, source, width - 1, /*negative=*/true);
    Value floatZero = floatConstant(b, loc, source, 0.0);
    Value tooLarge =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, value, upper);
    Value tooSmall =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, value, lower);
    Value outOfRange = arith::OrIOp::create(b, loc, tooLarge, tooSmall);
    Value inRange =
        arith::SelectOp::create(b, loc, outOfRange, floatZero, value);
    Value converted = arith::FPToSIOp::create(b, loc, target, inRange);
    Value clamped = arith::SelectOp::create(
        b, loc, tooLarge,
        intConstant(b, loc, target, APInt::getSignedMaxValue(width)),
        intConstant(b, loc, target, APInt::getSignedMinValue(width)));
    result = arith::SelectOp::create(b, loc, outOfRange, clamped, converted);
  }
  // NaN compares false everywhere above, so it reached fptosi: replace it.
  return arith::SelectOp::create(b, loc, isNaN(b, loc, value), zero, result);
}

//===----------------------------------------------------------------------===//
// Integer to float, and fused multiply-add on f16/bf16
//===----------------------------------------------------------------------===//

Value intToFloat(OpBuilder &b, Location loc, Value value, Type target,
                 bool isUnsigned) {
  if (isUnsigned)
    return arith::UIToFPOp::create(b, loc, target, value);
  return arith::SIToFPOp::create(b, loc, target, value);
}

/// An i64 rounded to odd in f64: the high and low 32-bit halves are exact in
/// f64 and their sum is rounded to odd by `addRoundedToOdd`.
Value i64ToF64RoundedToOdd(OpBuilder &b, Location loc, Value value,
                           bool isUnsigned) {
  Type i32 = b.getI32Type(), f64 = b.getF64Type();
  Value shift = intConstant(b, loc, value.getType(), 32);
  Value high = isUnsigned ? Value(arith::ShRUIOp::create(b, loc, value, shift))
                          : Value(arith::ShRSIOp::create(b, loc, value, shift));
  Value highF = intToFloat(b, loc, arith::TruncIOp::create(b, loc, i32, high),
                           f64, isUnsigned);
  Value scaledHigh =
      arith::MulFOp::create(b, loc, highF, floatConstant(b, loc, f64, 0x1p32));
  Value lowF = arith::UIToFPOp::create(
      b, loc, f64, arith::TruncIOp::create(b, loc, i32, value));
  return addRoundedToOdd(b, loc, scaledHigh, lowF);
}

/// Integer to float, rounded once. sitofp/uitofp to f32 and f64 round once
/// on every target, but to f16 and bf16 they often go through f32 and would
/// round twice; so every path below is exact (or rounded to odd) until one
/// final rounding to the narrow type.
Value buildIntToFloat(OpBuilder &b, Location loc, Value value, Type target,
                      bool isUnsigned) {
  if (!isNarrowFloat(target))
    return intToFloat(b, loc, value, target, isUnsigned);
  unsigned width = widthOf(value.getType());
  // i1, i8 and i16 are exact in f32. So is every integer below f16's
  // overflow threshold 65520, and the larger ones stay >= 65520 in f32 and
  // overflow in f16 either way: f32 is a safe step for f16 from any width.
  if (target.isF16() || width <= 16)
    return truncateFloatRounded(
        b, loc, intToFloat(b, loc, value, b.getF32Type(), isUnsigned), target);
  // bf16 from i32 (exact in f64) or i64 (rounded to odd in f64); the f64 ->
  // bf16 step rounds once (round-to-odd through f32).
  Value wide = width <= 32
                   ? intToFloat(b, loc, value, b.getF64Type(), isUnsigned)
                   : i64ToF64RoundedToOdd(b, loc, value, isUnsigned);
  return truncateFloatRounded(b, loc, wide, target);
}

/// f16/bf16 `a * b + c` with one rounding. The product is exact in f64 (at
/// most 22 significand bits, exponents far inside f64's range); its sum with
/// `c` is rounded to odd in f64, and narrowing that rounds once. (An f64 fma
/// rounded to nearest would not do for bf16: a product that is a bf16 tie
/// plus a tiny addend of the opposite sign rounds to the tie in f64.)
Value buildNarrowFma(OpBuilder &b, Location loc, ValueRange operands) {
  Type type = operands.front().getType(), f64 = b.getF64Type();
  SmallVector<Value, 3> wide;
  for (Value operand : operands)
    wide.push_back(arith::ExtFOp::create(b, loc, f64, operand));
  Value product = arith::MulFOp::create(b, loc, wide[0], wide[1]);
  Value sum = addRoundedToOdd(b, loc, product, wide[2]);
  return buildFloatTruncate(b, loc, sum, type);
}

//===----------------------------------------------------------------------===//
// Elementwise dispatch
//===----------------------------------------------------------------------===//

Value buildGelu(OpBuilder &b, Location loc, Value x) {
  // x * (1 + erf(x / sqrt(2))) / 2, the exact form.
  Type type = x.getType();
  Value invSqrt2 = floatConstant(b, loc, type, 0.70710678118654752440);
  Value one = floatConstant(b, loc, type, 1.0);
  Value half = floatConstant(b, loc, type, 0.5);
  Value erf = math::ErfOp::create(b, loc, arith::MulFOp::create(b, loc, x, invSqrt2));
  Value scaled = arith::MulFOp::create(b, loc, x, arith::AddFOp::create(b, loc, one, erf));
  return arith::MulFOp::create(b, loc, scaled, half);
}

Value buildSigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value expNeg = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, expNeg));
}

} // namespace

/// min or max of two floats with -0 ordered below +0 and NaN losing to a
/// number. Spelled out in compares and selects rather than minimumf /
/// maximumf, whose expansions differ in how they order signed zeros.
static Value buildFloatMinMax(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              bool isMax) {
  unsigned width = lhs.getType().getIntOrFloatBitWidth();
  Type bitsType = b.getIntegerType(width);
  Value lhsBits = arith::BitcastOp::create(b, loc, bitsType, lhs);
  Value rhsBits = arith::BitcastOp::create(b, loc, bitsType, rhs);
  // Equal values differ at most in the sign of zero: and-ing the bits keeps
  // the sign only when both are negative (max), or-ing when either is (min).
  Value tieBits = isMax ? Value(arith::AndIOp::create(b, loc, lhsBits, rhsBits))
                        : Value(arith::OrIOp::create(b, loc, lhsBits, rhsBits));
  Value tie = arith::BitcastOp::create(b, loc, lhs.getType(), tieBits);
  auto lhsWins = isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT;
  auto rhsWins = isMax ? arith::CmpFPredicate::OLT : arith::CmpFPredicate::OGT;
  Value result = arith::SelectOp::create(
      b, loc, arith::CmpFOp::create(b, loc, rhsWins, lhs, rhs), rhs, tie);
  result = arith::SelectOp::create(
      b, loc, arith::CmpFOp::create(b, loc, lhsWins, lhs, rhs), lhs, result);
  Value pickRhs = arith::SelectOp::create(b, loc, isNaN(b, loc, lhs), rhs, result);
  return arith::SelectOp::create(b, loc, isNaN(b, loc, rhs), lhs, pickRhs);
}

Value buildFloatMin(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return buildFloatMinMax(b, loc, lhs, rhs, /*isMax=*/false);
}

Value buildFloatMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return buildFloatMinMax(b, loc, lhs, rhs, /*isMax=*/true);
}

Value buildFloatRelu(OpBuilder &b, Location loc, Value x) {
  // max(x, +0), but NaN stays NaN.
  Value max = buildFloatMax(b, loc, x, floatConstant(b, loc, x.getType(), 0.0));
  return arith::SelectOp::create(b, loc, isNaN(b, loc, x), x, max);
}

/// select(isNaN(v), ifNaN, otherwise): v, with ifNaN and otherwise set.
static Value matchNaNSelect(Value result, Value &ifNaN, Value &otherwise) {
  auto select = result.getDefiningOp<arith::SelectOp>();
  if (!select)
    return nullptr;
  auto test = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!test || test.getPredicate() != arith::CmpFPredicate::UNO ||
      test.getLhs() != test.getRhs())
    return nullptr;
  ifNaN = select.getTrueValue();
  otherwise = select.getFalseValue();
  return test.getLhs();
}

Value matchFloatRelu(Value result) {
  Value ifNaN, max;
  Value x = matchNaNSelect(result, ifNaN, max);
  if (!x || ifNaN != x)
    return nullptr;
  // The zero operand of the max: a +0 constant of x's type.
  auto isPositiveZero = [&](Value zero) {
    return zero.getType() == x.getType() &&
           matchPattern(zero, m_PosZeroFloat());
  };
  // Selects on isNaN(x) inside pick `max` only for a number x: skipped.
  Value inner, rest;
  while (matchNaNSelect(max, inner, rest) == x)
    max = rest;
  // Canonicalized: select(x > +0, x, +0) (the tie and the NaN tests of
  // buildFloatMax fold away against a constant +0).
  if (auto select = max.getDefiningOp<arith::SelectOp>()) {
    auto greater = select.getCondition().getDefiningOp<arith::CmpFOp>();
    if (greater && greater.getPredicate() == arith::CmpFPredicate::OGT &&
        greater.getLhs() == x && isPositiveZero(greater.getRhs()) &&
        select.getTrueValue() == x && isPositiveZero(select.getFalseValue()))
      return x;
  }
  // As built: buildFloatMax(x, +0), whose outer select tests the +0 for
  // NaN.
  if (auto outer = max.getDefiningOp<arith::SelectOp>())
    if (auto test = outer.getCondition().getDefiningOp<arith::CmpFOp>())
      if (isPositiveZero(test.getLhs()) &&
          matchFloatMinMax(max, x, test.getLhs()) == true)
        return x;
  return nullptr;
}

Value matchFloatTruncate(Value result) {
  Value ifNaN, rounded;
  Value v = matchNaNSelect(result, ifNaN, rounded);
  if (!v)
    return nullptr;
  auto truncate = rounded.getDefiningOp<arith::TruncFOp>();
  if (!truncate || truncate.getIn() != v || truncate.getRoundingmodeAttr() ||
      truncate.getType() != result.getType())
    return nullptr;
  // The NaN: a NaN constant, or bitcast(sign | quiet NaN bits) as built:
  // or-ing bits into a NaN's keeps the exponent all ones and the
  // mantissa nonzero.
  auto isNaNBits = [&](Value bits) {
    APInt value;
    if (!matchPattern(bits, m_ConstantInt(&value)))
      return false;
    auto type = cast<FloatType>(result.getType());
    return value.getBitWidth() == type.getWidth() &&
           APFloat(type.getFloatSemantics(), value).isNaN();
  };
  FloatAttr constant;
  if (matchPattern(ifNaN, m_Constant(&constant)))
    return constant.getValue().isNaN() ? v : nullptr;
  auto cast = ifNaN.getDefiningOp<arith::BitcastOp>();
  auto orBits = cast ? cast.getIn().getDefiningOp<arith::OrIOp>() : nullptr;
  if (!orBits || !(isNaNBits(orBits.getLhs()) || isNaNBits(orBits.getRhs())))
    return nullptr;
  return v;
}

std::optional<bool> matchFloatMinMax(Value result, Value a, Value b) {
  // Unwraps select(cond, trueValue, falseValue) into its parts.
  auto asSelect = [](Value v, arith::CmpFOp &cond, Value &trueValue,
                     Value &falseValue) {
    auto select = v.getDefiningOp<arith::SelectOp>();
    if (!select)
      return false;
    cond = select.getCondition().getDefiningOp<arith::CmpFOp>();
    trueValue = select.getTrueValue();
    falseValue = select.getFalseValue();
    return static_cast<bool>(cond);
  };
  auto isNaNTest = [](arith::CmpFOp cmp, Value v) {
    return cmp.getPredicate() == arith::CmpFPredicate::UNO &&
           cmp.getLhs() == v && cmp.getRhs() == v;
  };
  auto bitsOf = [](Value v) -> Value {
    auto cast = v.getDefiningOp<arith::BitcastOp>();
    return cast ? cast.getIn() : Value();
  };
  for (auto [lhs, rhs] : {std::pair(a, b), std::pair(b, a)}) {
    arith::CmpFOp cmp;
    Value t, f;
    // select(isNaN(rhs), lhs, select(isNaN(lhs), rhs, ordered))
    if (!asSelect(result, cmp, t, f) || !isNaNTest(cmp, rhs) || t != lhs)
      continue;
    if (!asSelect(f, cmp, t, f) || !isNaNTest(cmp, lhs) || t != rhs)
      continue;
    // select(lhs wins, lhs, select(rhs wins, rhs, tie))
    Value ordered = f;
    if (!asSelect(ordered, cmp, t, f) || t != lhs || cmp.getLhs() != lhs ||
        cmp.getRhs() != rhs)
      continue;
    arith::CmpFPredicate lhsWins = cmp.getPredicate();
    bool isMax = lhsWins == arith::CmpFPredicate::OGT;
    if (!isMax && lhsWins != arith::CmpFPredicate::OLT)
      continue;
    if (!asSelect(f, cmp, t, f) || t != rhs || cmp.getLhs() != lhs ||
        cmp.getRhs() != rhs ||
        cmp.getPredicate() != (isMax ? arith::CmpFPredicate::OLT
                                     : arith::CmpFPredicate::OGT))
      continue;
    // tie = bitcast(bits(lhs) and/or bits(rhs))
    Value tieBits = bitsOf(f);
    Operation *tie = tieBits ? tieBits.getDefiningOp() : nullptr;
    if (!tie || tie->getNumOperands() != 2 ||
        !(isMax ? isa<arith::AndIOp>(tie) : isa<arith::OrIOp>(tie)))
      continue;
    Value x = bitsOf(tie->getOperand(0)), y = bitsOf(tie->getOperand(1));
    if ((x == lhs && y == rhs) || (x == rhs && y == lhs))
      return isMax;
  }
  return std::nullopt;
}

Type getAccumulatorType(Type element) {
  if (isNarrowFloat(element))
    return Float32Type::get(element.getContext());
  return element;
}

Value buildConvert(OpBuilder &b, Location loc, Value value, Type target,
                   bool isUnsigned) {
  Type source = value.getType();
  if (source == target)
    return value;
  // To i1 means != 0 (NaN is != 0, as in C).
  if (target.isInteger(1)) {
    if (isa<FloatType>(source))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   floatConstant(b, loc, source, 0.0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value,
                                 intConstant(b, loc, source, 0));
  }
  // From i1 gives 0 or 1.
  if (source.isInteger(1))
    isUnsigned = true;
  if (auto targetInt = dyn_cast<IntegerType>(target)) {
    if (isa<FloatType>(source))
      return buildFloatToInt(b, loc, value, targetInt, isUnsigned);
    if (widthOf(target) < widthOf(source))
      return arith::TruncIOp::create(b, loc, target, value);
    if (isUnsigned)
      return arith::ExtUIOp::create(b, loc, target, value);
    return arith::ExtSIOp::create(b, loc, target, value);
  }
  if (isa<IntegerType>(source))
    return buildIntToFloat(b, loc, value, target, isUnsigned);
  if (widthOf(target) > widthOf(source) ||
      (source.isBF16() && target.isF16()) || (source.isF16() && target.isBF16())) {
    // f16 <-> bf16 neither contains the other: widen exactly, then round once.
    if (widthOf(target) == widthOf(source)) {
      Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
      return buildFloatTruncate(b, loc, wide, target);
    }
    return arith::ExtFOp::create(b, loc, target, value);
  }
  return buildFloatTruncate(b, loc, value, target);
}

FailureOr<Value> buildVmScalarOp(OpBuilder &b, Location loc, Operation *op,
                                 ValueRange args) {
  using namespace vm;
  Type type = args.empty() ? Type() : args.front().getType();
  bool isFloat = type && isa<FloatType>(type);
  Type f32 = b.getF32Type();
  auto unsignedOf = [](Operation *o) { return o->hasAttr(kUnsignedAttrName); };
  // Binary float arithmetic, rounded once in the narrow type.
  auto floatBinary = [&](auto tag) -> Value {
    using FloatOp = decltype(tag);
    return inWideFloat(b, loc, args, f32, [&](ValueRange v) -> Value {
      return FloatOp::create(b, loc, v[0], v[1]);
    });
  };
  auto floatUnary = [&](auto build) -> Value {
    return inWideFloat(b, loc, args, f32,
                       [&](ValueRange v) -> Value { return build(v[0]); });
  };

  return llvm::TypeSwitch<Operation *, FailureOr<Value>>(op)
      .Case([&](AddOp) -> Value {
        return isFloat ? floatBinary(arith::AddFOp())
                       : Value(arith::AddIOp::create(b, loc, args[0], args[1]));
      })
      .Case([&](SubOp) -> Value {
        return isFloat ? floatBinary(arith::SubFOp())
                       : Value(arith::SubIOp::create(b, loc, args[0], args[1]));
      })
      .Case([&](MulOp) -> Value {
        return isFloat ? floatBinary(arith::MulFOp())
                       : Value(arith::MulIOp::create(b, loc, args[0], args[1]));
      })
      .Case([&](DivOp o) -> Value {
        return isFloat ? floatBinary(arith::DivFOp())
                       : buildIntDiv(b, loc, args[0], args[1], unsignedOf(o));
      })
      .Case([&](RemOp o) -> Value {
        return isFloat ? floatBinary(arith::RemFOp())
                       : buildIntRem(b, loc, args[0], args[1], unsignedOf(o));
      })
      .Case([&](MinOp o) -> Value {
        if (isFloat)
          return buildFloatMin(b, loc, args[0], args[1]);
        if (unsignedOf(o))
          return arith::MinUIOp::create(b, loc, args[0], args[1]);
        return arith::MinSIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](MaxOp o) -> Value {
        if (isFloat)
          return buildFloatMax(b, loc, args[0], args[1]);
        if (unsignedOf(o))
          return arith::MaxUIOp::create(b, loc, args[0], args[1]);
        return arith::MaxSIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](PowOp o) -> Value {
        if (!isFloat)
          return buildIntPow(b, loc, args[0], args[1], unsignedOf(o));
        return floatBinary(math::PowFOp());
      })
      .Case([&](AndOp) -> Value {
        return arith::AndIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](OrOp) -> Value {
        return arith::OrIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](XorOp) -> Value {
        return arith::XOrIOp::create(b, loc, args[0], args[1]);
      })
      .Case([&](ShlOp) -> Value {
        return arith::ShLIOp::create(b, loc, args[0],
                                     shiftAmount(b, loc, args[1]));
      })
      .Case([&](ShrOp o) -> Value {
        Value amount = shiftAmount(b, loc, args[1]);
        if (unsignedOf(o))
          return arith::ShRUIOp::create(b, loc, args[0], amount);
        return arith::ShRSIOp::create(b, loc, args[0], amount);
      })
      .Case([&](AddSatOp o) -> Value {
        return buildSaturating(b, loc, args[0], args[1], /*isAdd=*/true,
                               unsignedOf(o));
      })
      .Case([&](SubSatOp o) -> Value {
        return buildSaturating(b, loc, args[0], args[1], /*isAdd=*/false,
                               unsignedOf(o));
      })
      .Case([&](NegOp) -> Value {
        if (isFloat)
          return arith::NegFOp::create(b, loc, args[0]);
        return arith::SubIOp::create(b, loc, intConstant(b, loc, type, 0),
                                     args[0]);
      })
      .Case([&](AbsOp) -> Value {
        if (isFloat)
          return math::AbsFOp::create(b, loc, args[0]);
        return buildIntAbs(b, loc, args[0]);
      })
      .Case([&](NotOp) -> Value {
        return arith::XOrIOp::create(
            b, loc, args[0],
            intConstant(b, loc, type, APInt::getAllOnes(widthOf(type))));
      })
      .Case([&](SqrtOp) -> Value {
        return floatUnary([&](Value x) -> Value {
          return math::SqrtOp::create(b, loc, x);
        });
      })
      .Case([&](RsqrtOp) -> Value {
        // 1 / sqrt(x): two correctly rounded steps, the same on every target
        // (math.rsqrt may become an approximate instruction).
        return floatUnary([&](Value x) -> Value {
          Value one = floatConstant(b, loc, x.getType(), 1.0);
          return arith::DivFOp::create(b, loc, one,
                                       math::SqrtOp::create(b, loc, x));
        });
      })
      .Case([&](ExpOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::ExpOp::create(b, loc, x); });
      })
      .Case([&](LogOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::LogOp::create(b, loc, x); });
      })
      .Case([&](TanhOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::TanhOp::create(b, loc, x); });
      })
      .Case([&](SigmoidOp) -> Value {
        return floatUnary([&](Value x) { return buildSigmoid(b, loc, x); });
      })
      .Case([&](GeluOp) -> Value {
        return floatUnary([&](Value x) { return buildGelu(b, loc, x); });
      })
      .Case([&](ReluOp) -> Value {
        if (!isFloat)
          return arith::MaxSIOp::create(b, loc, args[0],
                                        intConstant(b, loc, type, 0));
        return buildFloatRelu(b, loc, args[0]);
      })
      .Case([&](FloorOp) -> Value {
        return math::FloorOp::create(b, loc, args[0]);
      })
      .Case([&](CeilOp) -> Value {
        return math::CeilOp::create(b, loc, args[0]);
      })
      .Case([&](SinOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::SinOp::create(b, loc, x); });
      })
      .Case([&](CosOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::CosOp::create(b, loc, x); });
      })
      .Case([&](TanOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::TanOp::create(b, loc, x); });
      })
      .Case([&](AsinOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AsinOp::create(b, loc, x); });
      })
      .Case([&](AcosOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AcosOp::create(b, loc, x); });
      })
      .Case([&](AtanOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AtanOp::create(b, loc, x); });
      })
      .Case([&](SinhOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::SinhOp::create(b, loc, x); });
      })
      .Case([&](CoshOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::CoshOp::create(b, loc, x); });
      })
      .Case([&](AsinhOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AsinhOp::create(b, loc, x); });
      })
      .Case([&](AcoshOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AcoshOp::create(b, loc, x); });
      })
      .Case([&](AtanhOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::AtanhOp::create(b, loc, x); });
      })
      .Case([&](ErfOp) -> Value {
        return floatUnary(
            [&](Value x) -> Value { return math::ErfOp::create(b, loc, x); });
      })
      .Case([&](RoundOp) -> Value {
        // Exact: the f32 result of an f16/bf16 input is representable in it.
        return floatUnary([&](Value x) -> Value {
          return math::RoundEvenOp::create(b, loc, x);
        });
      })
      .Case([&](SignOp o) -> Value {
        if (isFloat)
          return buildFloatSign(b, loc, args[0]);
        return buildIntSign(b, loc, args[0], unsignedOf(o));
      })
      .Case([&](FmaOp) -> Value {
        if (!isFloat)
          return arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, args[0], args[1]), args[2]);
        if (isNarrowFloat(type))
          return buildNarrowFma(b, loc, args);
        return math::FmaOp::create(b, loc, args[0], args[1], args[2]);
      })
      .Case([&](SelectOp) -> Value {
        return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
      })
      .Case([&](CmpOp o) {
        return buildCompare(b, loc, o.getPredicate(), args[0], args[1],
                            unsignedOf(o));
      })
      .Case([&](ConvertOp o) -> Value {
        return buildConvert(b, loc, args[0],
                            getElementTypeOrSelf(o.getResult().getType()),
                            unsignedOf(o));
      })
      .Case([&](BitcastOp o) -> Value {
        return arith::BitcastOp::create(
            b, loc, getElementTypeOrSelf(o.getResult().getType()), args[0]);
      })
      .Default([&](Operation *other) -> FailureOr<Value> {
        return other->emitOpError("is not an elementwise vm op");
      });
}

FailureOr<TypedAttr> getReduceIdentity(OpBuilder &b, StringRef kind, Type type,
                                       bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type)) {
    const llvm::fltSemantics &sem = floatType.getFloatSemantics();
    std::optional<APFloat> value =
        llvm::StringSwitch<std::optional<APFloat>>(kind)
            .Case("sum", APFloat::getZero(sem))
            .Case("prod", APFloat::getOne(sem))
            .Case("min", APFloat::getInf(sem, /*Negative=*/false))
            .Case("max", APFloat::getInf(sem, /*Negative=*/true))
            .Default(std::nullopt);
    if (!value)
      return failure();
    return TypedAttr(b.getFloatAttr(type, *value));
  }
  unsigned width = widthOf(type);
  std::optional<APInt> value =
      llvm::StringSwitch<std::optional<APInt>>(kind)
          .Case("sum", APInt::getZero(width))
          .Case("prod", APInt(width, 1))
          .Case("min", isUnsigned ? APInt::getMaxValue(width)
                                  : APInt::getSignedMaxValue(width))
          .Case("max", isUnsigned ? APInt::getZero(width)
                                  : APInt::getSignedMinValue(width))
          .Case("and", APInt::getAllOnes(width))
          .Case("or", APInt::getZero(width))
          .Case("xor", APInt::getZero(width))
          .Default(std::nullopt);
  if (!value)
    return failure();
  return TypedAttr(b.getIntegerAttr(type, *value));
}

FailureOr<Value> buildReduceCombine(OpBuilder &b, Location loc, StringRef kind,
                                    Value acc, Value element, bool isUnsigned) {
  Type type = acc.getType();
  bool isFloat = isa<FloatType>(type);
  // f16/bf16 elements accumulate in f32: widening is exact.
  if (isFloat && element.getType() != type)
    element = arith::ExtFOp::create(b, loc, type, element);
  SmallVector<Value, 2> pair = {acc, element};
  auto floatStep = [&](auto tag) -> Value {
    using FloatOp = decltype(tag);
    return inWideFloat(b, loc, pair, b.getF32Type(), [&](ValueRange v) -> Value {
      return FloatOp::create(b, loc, v[0], v[1]);
    });
  };
  if (kind == "sum")
    return isFloat ? floatStep(arith::AddFOp())
                   : Value(arith::AddIOp::create(b, loc, acc, element));
  if (kind == "prod")
    return isFloat ? floatStep(arith::MulFOp())
                   : Value(arith::MulIOp::create(b, loc, acc, element));
  if (kind == "min" && isFloat)
    return buildFloatMin(b, loc, acc, element);
  if (kind == "max" && isFloat)
    return buildFloatMax(b, loc, acc, element);
  if (kind == "min")
    return isUnsigned ? Value(arith::MinUIOp::create(b, loc, acc, element))
                      : Value(arith::MinSIOp::create(b, loc, acc, element));
  if (kind == "max")
    return isUnsigned ? Value(arith::MaxUIOp::create(b, loc, acc, element))
                      : Value(arith::MaxSIOp::create(b, loc, acc, element));
  if (isFloat)
    return failure();
  if (kind == "and")
    return Value(arith::AndIOp::create(b, loc, acc, element));
  if (kind == "or")
    return Value(arith::OrIOp::create(b, loc, acc, element));
  if (kind == "xor")
    return Value(arith::XOrIOp::create(b, loc, acc, element));
  return failure();
}

} // namespace vmgpu
