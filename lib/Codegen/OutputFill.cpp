//===- OutputFill.cpp - the fill an op's output starts from ---------------===//

#include "OutputFill.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

Value vmgpu::viewRoot(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

bool vmgpu::mayAlias(Value a, Value b) {
  Value rootA = viewRoot(a), rootB = viewRoot(b);
  if (rootA == rootB)
    return true;
  auto allocated = [](Value root) {
    return root.getDefiningOp<memref::AllocOp>() ||
           root.getDefiningOp<memref::AllocaOp>();
  };
  if (allocated(rootA) || allocated(rootB))
    return false;
  auto argument = [](Value root) {
    auto value = dyn_cast<BlockArgument>(root);
    return value && value.getOwner()->isEntryBlock() &&
           isa<FunctionOpInterface>(value.getOwner()->getParentOp());
  };
  if (argument(rootA) && argument(rootB))
    return false;
  auto globalA = rootA.getDefiningOp<memref::GetGlobalOp>();
  auto globalB = rootB.getDefiningOp<memref::GetGlobalOp>();
  return !globalA || !globalB || globalA.getName() == globalB.getName();
}

linalg::FillOp vmgpu::findOutputFill(Operation *op, Value output) {
  // An operand of `op` on the output's buffer (a view of it) would read the
  // fill's values: without the fill it would read what was there before.
  for (Value operand : op->getOperands())
    if (operand != output && isa<MemRefType>(operand.getType()) &&
        mayAlias(operand, output))
      return nullptr;
  for (Operation *before = op->getPrevNode(); before;
       before = before->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(before))
      return fill.getOutputs().front() == output ? fill : nullptr;
    if (llvm::is_contained(before->getOperands(), output) ||
        !isMemoryEffectFree(before))
      return nullptr;
  }
  return nullptr;
}

linalg::FillOp vmgpu::findFreshOutputFill(Operation *op, Value output) {
  if (!output.getDefiningOp<memref::AllocOp>())
    return nullptr;
  return findOutputFill(op, output);
}
