//===- SubgroupShuffle.cpp - shuffles of any scalar width ------------------===//

#include "SubgroupShuffle.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

static Value shuffleWord(OpBuilder &b, Location loc, Value word,
                         int32_t offset, int32_t width) {
  return gpu::ShuffleOp::create(b, loc, word, offset, width,
                                gpu::ShuffleMode::DOWN)
      .getShuffleResult();
}

Value vmgpu::shuffleDown(OpBuilder &b, Location loc, Value value,
                         int32_t offset, int32_t width) {
  Type type = value.getType();
  unsigned bits = type.getIntOrFloatBitWidth();
  Type i32 = b.getI32Type();
  Type bitsType = b.getIntegerType(bits);
  Value asInt = isa<FloatType>(type)
                    ? arith::BitcastOp::create(b, loc, bitsType, value)
                    : value;
  Value shuffled;
  if (bits == 32) {
    shuffled = shuffleWord(b, loc, asInt, offset, width);
  } else if (bits < 32) {
    Value word = arith::ExtUIOp::create(b, loc, i32, asInt);
    shuffled = arith::TruncIOp::create(
        b, loc, bitsType, shuffleWord(b, loc, word, offset, width));
  } else {
    // 64 bits: the low and the high word separately.
    Type i64 = b.getI64Type();
    Value thirtyTwo = arith::ConstantIntOp::create(b, loc, i64, 32);
    Value low = arith::TruncIOp::create(b, loc, i32, asInt);
    Value high = arith::TruncIOp::create(
        b, loc, i32, arith::ShRUIOp::create(b, loc, asInt, thirtyTwo));
    Value lowOut = arith::ExtUIOp::create(
        b, loc, i64, shuffleWord(b, loc, low, offset, width));
    Value highOut = arith::ExtUIOp::create(
        b, loc, i64, shuffleWord(b, loc, high, offset, width));
    shuffled = arith::OrIOp::create(
        b, loc, lowOut, arith::ShLIOp::create(b, loc, highOut, thirtyTwo));
  }
  return isa<FloatType>(type) ? Value(arith::BitcastOp::create(b, loc, type,
                                                               shuffled))
                              : shuffled;
}
