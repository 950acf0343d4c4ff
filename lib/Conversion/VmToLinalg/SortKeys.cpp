//===- SortKeys.cpp - the order of vm.sort and vm.topk --------------------===//

#include "vmgpu/Conversion/SortKeys.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace vmgpu {

Value KeyOrder::key(OpBuilder &b, Location loc, Value value) const {
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

Value KeyOrder::ascendingKey(OpBuilder &b, Location loc, Value value) const {
  Value ordered = key(b, loc, value);
  if (!descending)
    return ordered;
  auto type = cast<IntegerType>(ordered.getType());
  Value allOnes = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getAllOnes(type.getWidth())));
  return arith::XOrIOp::create(b, loc, ordered, allOnes);
}

Value KeyOrder::before(OpBuilder &b, Location loc, Value lhs, Value rhs) const {
  return arith::CmpIOp::create(b, loc,
                               descending ? arith::CmpIPredicate::ugt
                                          : arith::CmpIPredicate::ult,
                               lhs, rhs);
}

} // namespace vmgpu
