//===- SubgroupShuffle.cpp - shuffles of any scalar width ------------------===//

#include "SubgroupShuffle.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;

/// `offset` is an i32 value (a constant or a lane number computed in the
/// kernel).
static Value shuffleWord(OpBuilder &b, Location loc, Value word, Value offset,
                         int32_t width, gpu::ShuffleMode mode) {
  Value widthValue =
      arith::ConstantIntOp::create(b, loc, b.getI32Type(), width);
  return gpu::ShuffleOp::create(b, loc, word, offset, widthValue,
                                gpu::ShuffleModeAttr::get(b.getContext(), mode))
      .getShuffleResult();
}

static Value shuffle(OpBuilder &b, Location loc, Value value, Value offset,
                     int32_t width, gpu::ShuffleMode mode) {
  Type type = value.getType();
  unsigned bits = type.getIntOrFloatBitWidth();
  Type i32 = b.getI32Type();
  Type bitsType = b.getIntegerType(bits);
  Value asInt = isa<FloatType>(type)
                    ? arith::BitcastOp::create(b, loc, bitsType, value)
                    : value;
  Value shuffled;
  if (bits == 32) {
    shuffled = shuffleWord(b, loc, asInt, offset, width, mode);
  } else if (bits < 32) {
    Value word = arith::ExtUIOp::create(b, loc, i32, asInt);
    shuffled = arith::TruncIOp::create(
        b, loc, bitsType, shuffleWord(b, loc, word, offset, width, mode));
  } else {
    // 64 bits: the low and the high word separately.
    Type i64 = b.getI64Type();
    Value thirtyTwo = arith::ConstantIntOp::create(b, loc, i64, 32);
    Value low = arith::TruncIOp::create(b, loc, i32, asInt);
    Value high = arith::TruncIOp::create(
        b, loc, i32, arith::ShRUIOp::create(b, loc, asInt, thirtyTwo));
    Value lowOut = arith::ExtUIOp::create(
        b, loc, i64, shuffleWord(b, loc, low, offset, width, mode));
    Value highOut = arith::ExtUIOp::create(
        b, loc, i64, shuffleWord(b, loc, high, offset, width, mode));
    shuffled = arith::OrIOp::create(
        b, loc, lowOut, arith::ShLIOp::create(b, loc, highOut, thirtyTwo));
  }
  return isa<FloatType>(type) ? Value(arith::BitcastOp::create(b, loc, type,
                                                               shuffled))
                              : shuffled;
}

static Value i32Constant(OpBuilder &b, Location loc, int32_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), value);
}

Value vmgpu::shuffleDown(OpBuilder &b, Location loc, Value value,
                         int32_t offset, int32_t width) {
  return shuffle(b, loc, value, i32Constant(b, loc, offset), width,
                 gpu::ShuffleMode::DOWN);
}

Value vmgpu::shuffleUp(OpBuilder &b, Location loc, Value value, int32_t offset,
                       int32_t width) {
  return shuffle(b, loc, value, i32Constant(b, loc, offset), width,
                 gpu::ShuffleMode::UP);
}

Value vmgpu::shuffleXor(OpBuilder &b, Location loc, Value value, int32_t mask,
                        int32_t width) {
  return shuffle(b, loc, value, i32Constant(b, loc, mask), width,
                 gpu::ShuffleMode::XOR);
}

Value vmgpu::shuffleFromLane(OpBuilder &b, Location loc, Value value,
                             int32_t source, int32_t width) {
  return shuffle(b, loc, value, i32Constant(b, loc, source), width,
                 gpu::ShuffleMode::IDX);
}

Value vmgpu::shuffleFromLane(OpBuilder &b, Location loc, Value value,
                             Value source, int32_t width) {
  return shuffle(b, loc, value, source, width, gpu::ShuffleMode::IDX);
}
