//===- IndexingOps.cpp - verifiers of vm.take and vm.gather ---------------===//
//
// Contract v2's indexing ops. Index values are not checked here (out of
// range indices are clamped at run time); what is checked is the shape
// algebra, and the one case the contract makes an error: taking from an
// empty dimension with indices to take.
//
//===----------------------------------------------------------------------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

/// Indices into a dimension known to be empty are an error unless there are
/// none (known statically: both sizes static).
static LogicalResult verifyNotTakingFromEmpty(Operation *op,
                                              RankedTensorType data,
                                              RankedTensorType indices,
                                              int64_t dim) {
  if (data.getDimSize(dim) != 0 || !indices.hasStaticShape() ||
      indices.getNumElements() == 0)
    return success();
  return op->emitOpError() << "dimension " << dim
                           << " of data is empty, so none of the "
                           << indices.getNumElements()
                           << " indices can select an element";
}

static LogicalResult verifyResultElementType(Operation *op,
                                             RankedTensorType data) {
  Type result = getElementTypeOrSelf(op->getResult(0).getType());
  if (result != data.getElementType())
    return op->emitOpError() << "result element type " << result
                             << " must be the data element type "
                             << data.getElementType();
  return success();
}

LogicalResult TakeOp::verify() {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  FailureOr<int64_t> dim =
      verifyDimAttr(*this, getDimAttr(), data.getRank(), "data");
  if (failed(dim) || failed(verifyResultElementType(*this, data)) ||
      failed(verifyNotTakingFromEmpty(*this, data, indices, *dim)))
    return failure();
  SmallVector<int64_t> expected(data.getShape().take_front(*dim));
  llvm::append_range(expected, indices.getShape());
  llvm::append_range(expected, data.getShape().drop_front(*dim + 1));
  return verifyResultShape(*this, expected);
}

LogicalResult GatherOp::verify() {
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  FailureOr<int64_t> dim =
      verifyDimAttr(*this, getDimAttr(), data.getRank(), "data");
  if (failed(dim) || failed(verifyResultElementType(*this, data)))
    return failure();
  if (indices.getRank() != data.getRank())
    return emitOpError() << "indices must have the rank of data ("
                         << data.getRank() << "), got " << indices;
  for (int64_t d = 0; d < data.getRank(); ++d) {
    int64_t have = data.getDimSize(d), want = indices.getDimSize(d);
    if (d != *dim && !ShapedType::isDynamic(have) &&
        !ShapedType::isDynamic(want) && want > have)
      return emitOpError() << "indices dimension " << d << " (" << want
                           << ") is larger than data's (" << have << ")";
  }
  if (failed(verifyNotTakingFromEmpty(*this, data, indices, *dim)))
    return failure();
  return verifyResultShape(*this, indices.getShape());
}
