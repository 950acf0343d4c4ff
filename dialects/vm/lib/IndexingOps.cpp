//===- IndexingOps.cpp - verifiers of vm.take, vm.gather, vm.scatter -----===//
//
// Contract v2's indexing ops. Index values are not checked here (out of
// range indices are clamped at run time by take and gather, and drop the
// update in scatter); what is checked is the shape algebra, and the one
// case the contract makes an error: taking from an empty dimension with
// indices to take.
//
//===----------------------------------------------------------------------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"
#include "vm/VmTraits.h"

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

/// Checks the dims of `indices` other than `dim` against `data`'s: no larger
/// (where both are static). `what` names the indices operand.
static LogicalResult verifyFitsOutsideDim(Operation *op,
                                          RankedTensorType data,
                                          RankedTensorType indices,
                                          int64_t dim, StringRef what) {
  for (int64_t d = 0; d < data.getRank(); ++d) {
    int64_t have = data.getDimSize(d), want = indices.getDimSize(d);
    if (d != dim && !ShapedType::isDynamic(have) &&
        !ShapedType::isDynamic(want) && want > have)
      return op->emitOpError() << what << " dimension " << d << " (" << want
                               << ") is larger than data's (" << have << ")";
  }
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
  if (failed(verifyFitsOutsideDim(*this, data, indices, *dim, "indices")))
    return failure();
  if (failed(verifyNotTakingFromEmpty(*this, data, indices, *dim)))
    return failure();
  return verifyResultShape(*this, indices.getShape());
}

LogicalResult ScatterOp::verify() {
  StringRef kind = getKind();
  if (kind != "set" && kind != "add" && kind != "mul" && kind != "min" &&
      kind != "max")
    return emitOpError() << "attribute 'kind' must be one of set, add, mul, "
                            "min, max; got '"
                         << kind << "'";
  if ((*this)->hasAttr(kUnsignedAttrName) && kind != "min" && kind != "max")
    return emitOpError() << "attribute 'unsigned' applies to kinds min and "
                            "max only, got kind '"
                         << kind << "'";
  RankedTensorType data = getData().getType();
  RankedTensorType indices = getIndices().getType();
  RankedTensorType updates = getUpdates().getType();
  FailureOr<int64_t> dim =
      verifyDimAttr(*this, getDimAttr(), data.getRank(), "data");
  if (failed(dim) || failed(verifyResultElementType(*this, data)) ||
      failed(verifySameElementType(*this, getData(), getUpdates(), "data",
                                   "updates")))
    return failure();
  if (indices.getRank() != data.getRank())
    return emitOpError() << "indices must have the rank of data ("
                         << data.getRank() << "), got " << indices;
  if (updates.getRank() != indices.getRank() ||
      failed(verifyCompatibleShape(indices.getShape(), updates.getShape())))
    return emitOpError() << "updates shape " << formatShape(updates.getShape())
                         << " must be the indices shape "
                         << formatShape(indices.getShape());
  if (failed(verifyFitsOutsideDim(*this, data, indices, *dim, "indices")) ||
      failed(verifyFitsOutsideDim(*this, data, updates, *dim, "updates")))
    return failure();
  return verifyResultShape(*this, data.getShape());
}

OpFoldResult ScatterOp::fold(FoldAdaptor) {
  // No updates: the result is `data`.
  RankedTensorType updates = getUpdates().getType();
  bool noUpdates = llvm::is_contained(updates.getShape(), 0);
  if (noUpdates && getData().getType() == getType())
    return getData();
  return {};
}
