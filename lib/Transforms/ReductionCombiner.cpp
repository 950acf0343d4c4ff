//===- ReductionCombiner.cpp - the combining part of a reduction body -----===//

#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;

/// True when `value` is `root`, or is computed from `root` and constants
/// alone by ops of `body` outside `excluded`; collects those ops.
static bool derivesFrom(Value value, Value root, Block &body,
                        const llvm::SmallPtrSetImpl<Operation *> &excluded,
                        llvm::SmallPtrSetImpl<Operation *> &derivation) {
  if (value == root)
    return true;
  Operation *producer = value.getDefiningOp();
  if (!producer)
    return value.getParentBlock() != &body; // Defined above the body.
  if (producer->getBlock() != &body)
    return true;
  if (excluded.contains(producer) || producer->getNumRegions() != 0)
    return false;
  if (!producer->hasTrait<OpTrait::ConstantLike>() &&
      llvm::any_of(producer->getOperands(), [&](Value operand) {
        return !derivesFrom(operand, root, body, excluded, derivation);
      }))
    return false;
  derivation.insert(producer);
  return true;
}

FailureOr<vmgpu::ReductionCombiner>
vmgpu::extractReductionCombiner(Block &body, Value accumulator) {
  if (body.getTerminator()->getNumOperands() != 1)
    return failure();
  return extractReductionCombiner(body, accumulator,
                                  body.getTerminator()->getOperand(0));
}

FailureOr<vmgpu::ReductionCombiner>
vmgpu::extractReductionCombiner(Block &body, Value accumulator, Value result) {
  llvm::SmallPtrSet<Operation *, 16> fromAccumulatorOps;
  auto fromAccumulator = [&](Value v) {
    Operation *producer = v.getDefiningOp();
    return v == accumulator ||
           (producer && fromAccumulatorOps.contains(producer));
  };
  for (Operation &op : body.without_terminator()) {
    if (op.getNumRegions() != 0)
      return failure();
    if (llvm::any_of(op.getOperands(), fromAccumulator))
      fromAccumulatorOps.insert(&op);
  }
  if (result == accumulator || !fromAccumulator(result))
    return failure();
  // Only the ops `result` needs: a scan body also derives its written
  // element from the accumulator, with values (the position) that have
  // nothing to do with combining.
  llvm::SmallPtrSet<Operation *, 16> dependsOnAccumulator;
  SmallVector<Operation *> worklist = {result.getDefiningOp()};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!dependsOnAccumulator.insert(op).second)
      continue;
    for (Value operand : op->getOperands())
      if (operand != accumulator && fromAccumulator(operand))
        worklist.push_back(operand.getDefiningOp());
  }
  // The values the accumulator's ops take from the rest of the body.
  llvm::SetVector<Value> frontier;
  // (In body order, so that the root found below does not depend on
  // pointer values.)
  for (Operation &op : body.without_terminator()) {
    if (!dependsOnAccumulator.contains(&op))
      continue;
    for (Value operand : op.getOperands())
      if (!fromAccumulator(operand) && operand.getParentBlock() == &body)
        frontier.insert(operand);
  }
  for (Value root : frontier) {
    if (root.getType() != accumulator.getType())
      continue;
    llvm::SmallPtrSet<Operation *, 16> derivation;
    if (!llvm::all_of(frontier, [&](Value value) {
          return derivesFrom(value, root, body, dependsOnAccumulator,
                             derivation);
        }))
      continue;
    ReductionCombiner combiner;
    combiner.contribution = root;
    combiner.accumulator = accumulator;
    combiner.result = result;
    for (Operation &op : body.without_terminator())
      if (dependsOnAccumulator.contains(&op) || derivation.contains(&op))
        combiner.ops.push_back(&op);
    return combiner;
  }
  return failure();
}

Value vmgpu::ReductionCombiner::combine(OpBuilder &b, Value partial,
                                        Value accumulated) const {
  IRMapping mapping;
  mapping.map(contribution, partial);
  mapping.map(accumulator, accumulated);
  for (Operation *op : ops)
    b.clone(*op, mapping);
  return mapping.lookup(result);
}
