//===- ReductionPlan.cpp - what a reduction strategy reads -----------------===//

#include "ReductionPlan.h"

#include "KernelBuilding.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace vmgpu;

FailureOr<ReductionPlan> vmgpu::planReduction(linalg::LinalgOp op,
                                              AffineMap outputMap) {
  if (!isLowerableOnBuffers(op) || op.getNumDpsInits() != 1)
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
