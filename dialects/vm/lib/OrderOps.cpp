//===- OrderOps.cpp - verifiers and folders of vm.sort and vm.topk --------===//
//
// Contract v2's order ops. Both results (values and i64 indices) have the
// operand's shape, with `dim` of extent `k` for vm.topk; `k` larger than a
// static dimension is an error here, and larger than a dynamic one an error
// before the block runs (the lowering's shape check).
//
//===----------------------------------------------------------------------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

/// Checks the values result (the operand's element type) and that both
/// results have the shape `expected`.
static LogicalResult verifyOrderResults(Operation *op, RankedTensorType operand,
                                        ArrayRef<int64_t> expected) {
  Type values = getElementTypeOrSelf(op->getResult(0).getType());
  if (values != operand.getElementType())
    return op->emitOpError()
           << "values element type " << values
           << " must be the operand element type " << operand.getElementType();
  constexpr StringLiteral names[] = {"values", "indices"};
  for (auto [name, result] : llvm::zip_equal(names, op->getResults())) {
    auto type = cast<RankedTensorType>(result.getType());
    if (failed(verifyCompatibleShape(type.getShape(), expected)))
      return op->emitOpError()
             << name << " shape " << formatShape(type.getShape())
             << " does not match the expected shape " << formatShape(expected);
  }
  return success();
}

LogicalResult SortOp::verify() {
  RankedTensorType operand = getOperand().getType();
  if (failed(
          verifyDimAttr(*this, getDimAttr(), operand.getRank(), "an operand")))
    return failure();
  return verifyOrderResults(*this, operand, operand.getShape());
}

LogicalResult SortOp::fold(FoldAdaptor,
                           SmallVectorImpl<OpFoldResult> &results) {
  // Along a dimension of one element, every lane is already sorted: the
  // values are the operand and every index is 0.
  RankedTensorType operand = getOperand().getType();
  RankedTensorType indices = getIndices().getType();
  if (operand.getDimSize(getDim()) != 1 || getValues().getType() != operand ||
      !indices.hasStaticShape())
    return failure();
  results.push_back(getOperand());
  results.push_back(DenseElementsAttr::get(
      indices, IntegerAttr::get(indices.getElementType(), 0)));
  return success();
}

LogicalResult TopKOp::verify() {
  RankedTensorType operand = getOperand().getType();
  FailureOr<int64_t> dim =
      verifyDimAttr(*this, getDimAttr(), operand.getRank(), "an operand");
  if (failed(dim))
    return failure();
  int64_t k = getKAttr().getValue().getSExtValue();
  int64_t extent = operand.getDimSize(*dim);
  if (k < 0)
    return emitOpError() << "attribute 'k' must be >= 0, got " << k;
  if (!ShapedType::isDynamic(extent) && k > extent)
    return emitOpError() << "attribute 'k' " << k
                         << " is larger than dimension " << *dim << " ("
                         << extent << ")";
  SmallVector<int64_t> expected(operand.getShape());
  expected[*dim] = k;
  return verifyOrderResults(*this, operand, expected);
}
