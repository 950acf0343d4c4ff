//===- ReductionPlan.cpp - what a reduction strategy reads -----------------===//

#include "ReductionPlan.h"

#include "KernelBuilding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace vmgpu;

FailureOr<ReductionPlan> vmgpu::planReduction(linalg::LinalgOp op,
                                              AffineMap outputMap,
                                              bool allowIndex) {
  bool readsIndex = !op.getBlock()->getOps<linalg::IndexOp>().empty();
  if (!op.hasPureBufferSemantics() || op->getParentOfType<gpu::LaunchOp>() ||
      (readsIndex && !allowIndex) || op.getNumDpsInits() != 1)
    return failure();
  OpOperand *init = op.getDpsInitOperand(0);
  auto initType = dyn_cast<MemRefType>(init->get().getType());
  if (!initType || (initType.getRank() != 0 && !isContiguous(initType)) ||
      op.getMatchingIndexingMap(init) != outputMap)
    return failure();
  Type accumulatorType = getElementTypeOrSelf(initType);
  if (!accumulatorType.isIntOrFloat() ||
      accumulatorType.getIntOrFloatBitWidth() > 64)
    return failure();

  ReductionPlan plan;
  bool hasElements = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Type type = input->get().getType();
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref) {
      if (isa<ShapedType>(type))
        return failure();
      plan.inputs.push_back(ReductionInput::Value);
      continue;
    }
    AffineMap map = op.getMatchingIndexingMap(input);
    // A 0-d buffer is read with no indices whatever its layout; others are
    // viewed through memref.collapse_shape, which needs them contiguous.
    if (memref.getRank() != 0 && !isContiguous(type))
      return failure();
    if (memref.getRank() != 0 && map.isIdentity()) {
      plan.inputs.push_back(ReductionInput::Element);
      hasElements = true;
    } else if (map == outputMap) {
      plan.inputs.push_back(ReductionInput::PerOutput);
    } else {
      return failure();
    }
  }
  if (!hasElements)
    return failure();
  Block *body = op.getBlock();
  FailureOr<ReductionCombiner> combiner = extractReductionCombiner(
      *body, body->getArgument(op.getNumDpsInputs()));
  if (failed(combiner))
    return failure();
  plan.combiner = *combiner;
  return plan;
}

bool vmgpu::canReadVectors(linalg::LinalgOp op, const ReductionPlan &plan,
                           int64_t vectorWidth) {
  if (vectorWidth <= 1)
    return false;
  for (auto [input, kind] : llvm::zip_equal(op.getDpsInputs(), plan.inputs)) {
    if (kind != ReductionInput::Element)
      continue;
    Type element = getElementTypeOrSelf(input.getType());
    if (!element.isIntOrFloat())
      return false;
    unsigned bits = element.getIntOrFloatBitWidth();
    if (bits < 8 || !llvm::isPowerOf2_32(bits))
      return false;
  }
  return true;
}

FailureOr<int64_t> vmgpu::countLeadingLoops(linalg::LinalgOp op,
                                            utils::IteratorType leading) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t loops = static_cast<int64_t>(iterators.size());
  int64_t count = 0;
  while (count < loops && iterators[count] == leading)
    ++count;
  if (count == 0 || count == loops ||
      llvm::any_of(llvm::drop_begin(iterators, count),
                   [&](utils::IteratorType t) { return t == leading; }))
    return failure();
  return count;
}

SmallVector<Value> vmgpu::reductionBodyArguments(
    const ReductionPlan &plan, ValueRange views,
    llvm::function_ref<Value(unsigned input, unsigned n, Value view)>
        readElement,
    llvm::function_ref<Value(unsigned input, Value view)> readPerOutput,
    Value accumulator) {
  SmallVector<Value> args;
  unsigned elementInputs = 0;
  for (auto [input, view, kind] : llvm::enumerate(views, plan.inputs)) {
    switch (kind) {
    case ReductionInput::Value:
      args.push_back(view);
      break;
    case ReductionInput::Element:
      args.push_back(readElement(input, elementInputs++, view));
      break;
    case ReductionInput::PerOutput:
      args.push_back(readPerOutput(input, view));
      break;
    }
  }
  args.push_back(accumulator);
  return args;
}

Value vmgpu::vectorChunksAligned(OpBuilder &b, Location loc,
                                 const ReductionPlan &plan, ValueRange views,
                                 Value length, int64_t vectorWidth) {
  Value aligned = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::RemUIOp::create(b, loc, length,
                             indexConstant(b, loc, vectorWidth)),
      indexConstant(b, loc, 0));
  for (auto [view, kind] : llvm::zip_equal(views, plan.inputs))
    if (kind == ReductionInput::Element)
      aligned = andBaseAligned(b, loc, aligned, view,
                               vectorAccessBytes(view, vectorWidth));
  return aligned;
}
