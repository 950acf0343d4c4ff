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
  Value widthValue = indexConstant(b, loc, width);
  Value last =
      arith::SubIOp::create(b, loc, length, indexConstant(b, loc, 1));
  Value first = contribution(arith::MinUIOp::create(b, loc, lane, last));

  auto loop = scf::ForOp::create(
      b, loc, arith::AddIOp::create(b, loc, lane, widthValue), length,
      widthValue, ValueRange{first});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    scf::YieldOp::create(
        b, loc,
        fold(loop.getRegionIterArgs()[0], loop.getInductionVar()));
  }
  Value partial = loop.getResult(0);

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

Value vmgpu::cloneContribution(OpBuilder &b, Block &body, ValueRange args,
                               const ReductionCombiner &combiner) {
  IRMapping mapping;
  mapping.map(body.getArguments(), args);
  for (Operation &inner : body.without_terminator())
    if (!llvm::is_contained(combiner.ops, &inner))
      b.clone(inner, mapping);
  return mapping.lookupOrDefault(combiner.contribution);
}
