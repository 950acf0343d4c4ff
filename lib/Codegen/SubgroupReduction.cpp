//===- SubgroupReduction.cpp - one segment reduced by one subgroup ---------===//

#include "SubgroupReduction.h"

#include "KernelBuilding.h"
#include "SubgroupShuffle.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

Value vmgpu::emitSubgroupReduction(
    OpBuilder &b, Location loc, Value lane, Value length, int64_t width,
    function_ref<Value(Value)> contribution,
    function_ref<Value(Value, Value)> fold,
    function_ref<Value(Value, Value)> combine) {
  return emitSubgroupReduction(
      b, loc, lane, length, width, /*unroll=*/1, contribution,
      [](Value element) { return SmallVector<Value>{element}; },
      [&](Value accumulator, ValueRange elements) {
        return fold(accumulator, elements[0]);
      },
      combine);
}

Value vmgpu::emitSubgroupReduction(OpBuilder &b, Location loc, Value lane,
                                   Value length, int64_t width, int64_t unroll,
                                   function_ref<Value(Value)> contribution,
                                   function_ref<SmallVector<Value>(Value)> read,
                                   function_ref<Value(Value, ValueRange)> fold,
                                   function_ref<Value(Value, Value)> combine,
                                   FoldTail tail) {
  Value widthValue = indexConstant(b, loc, width);
  Value last =
      arith::SubIOp::create(b, loc, length, indexConstant(b, loc, 1));
  Value first = contribution(arith::MinUIOp::create(b, loc, lane, last));

  Value partial = emitUnrolledFold(
      b, loc, arith::AddIOp::create(b, loc, lane, widthValue), length, width,
      unroll, ValueRange{first}, read,
      [&](ValueRange accumulators, ValueRange values) -> SmallVector<Value> {
        return {fold(accumulators[0], values)};
      },
      tail)[0];

  // Lane l takes lane l + k's partial while l + k holds one (lanes below
  // min(length, width) do); lane 0 ends with the whole segment, combined in
  // an order fixed by length and width.
  Value holders = arith::MinUIOp::create(b, loc, length, widthValue);
  for (int64_t k = width / 2; k >= 1; k /= 2) {
    Value other = shuffleDown(b, loc, partial, k, width);
    Value combined = combine(other, partial);
    Value takes = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ult,
        arith::AddIOp::create(b, loc, lane, indexConstant(b, loc, k)),
        holders);
    partial = arith::SelectOp::create(b, loc, takes, combined, partial);
  }
  return partial;
}

Value vmgpu::emitSubgroupReduction(OpBuilder &b, Location loc, Value lane,
                                   Value length, int64_t width,
                                   function_ref<Value(Value)> contribution,
                                   function_ref<Value(Value, Value)> fold,
                                   const ReductionCombiner &combiner) {
  return emitSubgroupReduction(
      b, loc, lane, length, width, contribution, fold,
      [&](Value other, Value mine) {
        return combiner.combine(b, other, mine);
      });
}

Value vmgpu::emitSubgroupChunkReduction(
    OpBuilder &b, Location loc, linalg::LinalgOp op,
    const ReductionCombiner &combiner, Value lane, Value chunks, int64_t width,
    int64_t vectorWidth, int64_t unroll,
    function_ref<SmallVector<Value>(Value)> readChunk,
    function_ref<SmallVector<Value>(ValueRange, int64_t, Value)> arguments,
    function_ref<SmallVector<Value>(ValueRange, int64_t)> loopIndices) {
  Block *body = op.getBlock();
  Value accumulatorArg = body->getArgument(op.getNumDpsInputs());
  auto positionOf = [&](ValueRange loaded, int64_t k) {
    return loopIndices ? loopIndices(loaded, k) : SmallVector<Value>();
  };
  auto foldChunk = [&](Value accumulator, ValueRange loaded, int64_t from) {
    for (int64_t k = from; k < vectorWidth; ++k)
      accumulator = cloneBody(b, op, arguments(loaded, k, accumulator),
                              positionOf(loaded, k))[0];
    return accumulator;
  };
  return emitSubgroupReduction(
      b, loc, lane, chunks, width, unroll,
      [&](Value chunk) {
        SmallVector<Value> loaded = readChunk(chunk);
        Value first =
            cloneContribution(b, *body, arguments(loaded, 0, accumulatorArg),
                              combiner, positionOf(loaded, 0));
        return foldChunk(first, loaded, 1);
      },
      readChunk,
      [&](Value accumulator, ValueRange loaded) {
        return foldChunk(accumulator, loaded, 0);
      },
      [&](Value other, Value mine) {
        return combiner.combine(b, other, mine);
      });
}

Value vmgpu::cloneContribution(OpBuilder &b, Block &body, ValueRange args,
                               const ReductionCombiner &combiner,
                               ArrayRef<Value> loopIndices) {
  IRMapping mapping;
  mapping.map(body.getArguments(), args);
  for (Operation &inner : body.without_terminator())
    if (!llvm::is_contained(combiner.ops, &inner))
      cloneWithLoopIndices(b, inner, mapping, loopIndices);
  return mapping.lookupOrDefault(combiner.contribution);
}
