//===- ClassifyOp.cpp - the class of a linalg op ---------------------------===//

#include "vmgpu/Codegen/KernelConfig.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace vmgpu;

/// A contraction with both an M-like and an N-like dim (each input has a
/// parallel dim the other lacks): matmul, batch_matmul. A dot or a
/// matrix-vector product is a reduction.
static bool isTwoSidedContraction(linalg::LinalgOp op) {
  if (!linalg::isaContractionOpInterface(op) || op.getNumDpsInputs() != 2)
    return false;
  auto dimsOf = [&](OpOperand *operand) {
    llvm::SmallDenseSet<unsigned> dims;
    for (AffineExpr result : op.getMatchingIndexingMap(operand).getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(result))
        dims.insert(dim.getPosition());
    return dims;
  };
  auto lhs = dimsOf(op.getDpsInputOperand(0));
  auto rhs = dimsOf(op.getDpsInputOperand(1));
  auto hasOwnParallelDim = [&](const llvm::SmallDenseSet<unsigned> &mine,
                               const llvm::SmallDenseSet<unsigned> &other) {
    return llvm::any_of(mine, [&](unsigned d) {
      return !other.contains(d) &&
             op.getIteratorTypesArray()[d] == utils::IteratorType::parallel;
    });
  };
  return hasOwnParallelDim(lhs, rhs) && hasOwnParallelDim(rhs, lhs);
}

OpClass vmgpu::classifyOp(linalg::LinalgOp op) {
  if (isa<linalg::SoftmaxOp>(op.getOperation()))
    return OpClass::Softmax;
  if (linalg::isaConvolutionOpInterface(op) ||
      isa<linalg::PoolingNhwcMaxOp, linalg::PoolingNhwcSumOp>(
          op.getOperation()))
    return OpClass::Convolution;
  if (isTwoSidedContraction(op))
    return OpClass::Contraction;
  // An output indexed by a reduction loop is a scan (vm.scan): no reduction
  // strategy may take it (they do not write at every step).
  for (OpOperand &init : op.getDpsInitsMutable())
    for (AffineExpr result : op.getMatchingIndexingMap(&init).getResults())
      if (auto dim = dyn_cast<AffineDimExpr>(result);
          dim && op.getIteratorTypesArray()[dim.getPosition()] ==
                     utils::IteratorType::reduction)
        return OpClass::Scan;
  unsigned loops = op.getNumLoops();
  unsigned reductions = op.getNumReductionLoops();
  if (reductions == 0)
    return OpClass::Elementwise;
  if (reductions == loops)
    return OpClass::FullReduction;
  // Row or column: is the contiguous (innermost) dim of the first input
  // with elements reduced?
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() == 0)
      continue;
    auto innermost = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!innermost)
      return OpClass::Other;
    return op.getIteratorTypesArray()[innermost.getPosition()] ==
                   utils::IteratorType::reduction
               ? OpClass::RowReduction
               : OpClass::ColumnReduction;
  }
  return OpClass::Other;
}
