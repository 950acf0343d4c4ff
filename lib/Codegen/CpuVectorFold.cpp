//===- CpuVectorFold.cpp - one segment folded with vector accumulators ----===//

#include "CpuVectorFold.h"

#include "KernelBuilding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

/// The accumulators combined pairwise, then the lanes of the result by
/// halves: a fixed tree down to one scalar.
static Value combineToScalar(OpBuilder &b, Location loc,
                             SmallVector<Value> partials, int64_t lanes,
                             const vmgpu::VectorFoldFunctions &functions) {
  while (partials.size() > 1) {
    SmallVector<Value> next;
    for (size_t i = 0; i + 1 < partials.size(); i += 2)
      next.push_back(functions.combine(partials[i + 1], partials[i]));
    if (partials.size() % 2)
      next.push_back(partials.back());
    partials = std::move(next);
  }
  Value vector = partials.front();
  // `lanes` is a power of two (the configurations check it).
  for (int64_t width = lanes; width > 1; width /= 2) {
    int64_t half = width / 2;
    Value low =
        vector::ExtractStridedSliceOp::create(b, loc, vector, {0}, {half}, {1});
    Value high = vector::ExtractStridedSliceOp::create(b, loc, vector, {half},
                                                       {half}, {1});
    vector = functions.combine(high, low);
  }
  return vector::ExtractOp::create(b, loc, vector, int64_t{0});
}

Value vmgpu::emitVectorFold(OpBuilder &b, Location loc, Value start,
                            Value length, int64_t lanes, int64_t accumulators,
                            Type accumulatorType,
                            const VectorFoldFunctions &functions) {
  auto index = [&](int64_t v) { return indexConstant(b, loc, v); };
  int64_t step = lanes * accumulators;
  Value end = arith::AddIOp::create(b, loc, start, length);
  if (step == 0) {
    // Scalars only: from the first element, the rest one by one.
    auto loop = scf::ForOp::create(
        b, loc, arith::AddIOp::create(b, loc, start, index(1)), end, index(1),
        ValueRange{functions.contribution(start, /*vector=*/false)},
        [&](OpBuilder &nested, Location, Value i, ValueRange carried) {
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          scf::YieldOp::create(b, loc,
                               functions.fold(carried[0], i, /*vector=*/false));
        });
    return loop.getResult(0);
  }
  Value hasStep = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge,
                                        length, index(step));
  auto head = scf::IfOp::create(
      b, loc, TypeRange{accumulatorType, b.getIndexType()}, hasStep,
      /*addThenBlock=*/true, /*addElseBlock=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    // Whole steps: `accumulators` vectors, each from its first elements.
    b.setInsertionPointToStart(head.thenBlock());
    Value stepsEnd = arith::SubIOp::create(
        b, loc, end, arith::RemUIOp::create(b, loc, length, index(step)));
    SmallVector<Value> initial;
    for (int64_t u = 0; u < accumulators; ++u)
      initial.push_back(functions.contribution(
          arith::AddIOp::create(b, loc, start, index(u * lanes)),
          /*vector=*/true));
    Value firstStep = arith::AddIOp::create(b, loc, start, index(step));
    auto steps = scf::ForOp::create(
        b, loc, firstStep, stepsEnd, index(step), initial,
        [&](OpBuilder &nested, Location, Value i, ValueRange carried) {
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          SmallVector<Value> next;
          for (int64_t u = 0; u < accumulators; ++u)
            next.push_back(functions.fold(
                carried[u], arith::AddIOp::create(b, loc, i, index(u * lanes)),
                /*vector=*/true));
          scf::YieldOp::create(b, loc, next);
        });
    Value reduced = combineToScalar(
        b, loc, SmallVector<Value>(steps.getResults()), lanes, functions);
    if (functions.finishVector)
      reduced = functions.finishVector(reduced);
    scf::YieldOp::create(b, loc, ValueRange{reduced, stepsEnd});
    // Shorter than one step: from the first element.
    b.setInsertionPointToStart(head.elseBlock());
    Value first = functions.contribution(start, /*vector=*/false);
    scf::YieldOp::create(
        b, loc,
        ValueRange{first, arith::AddIOp::create(b, loc, start, index(1))});
  }
  // The elements after the last whole step, one by one.
  auto tail = scf::ForOp::create(
      b, loc, head.getResult(1), end, index(1), ValueRange{head.getResult(0)},
      [&](OpBuilder &nested, Location, Value i, ValueRange carried) {
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        scf::YieldOp::create(b, loc,
                             functions.fold(carried[0], i, /*vector=*/false));
      });
  return tail.getResult(0);
}
