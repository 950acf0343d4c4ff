//===- OutputFill.cpp - the fill an op's output starts from ---------------===//

#include "OutputFill.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

linalg::FillOp vmgpu::findOutputFill(Operation *op, Value output) {
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
