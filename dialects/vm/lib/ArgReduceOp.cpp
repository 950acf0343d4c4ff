//===- ArgReduceOp.cpp - the verifier of vm.arg_reduce --------------------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"

#include "llvm/ADT/APInt.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

LogicalResult ArgReduceOp::verify() {
  StringRef kind = getKind();
  if (kind != "max" && kind != "min")
    return emitOpError() << "attribute 'kind' must be max or min, got '"
                         << kind << "'";
  RankedTensorType operand = getOperand().getType();
  FailureOr<int64_t> dimOrFailure =
      verifyDimAttr(*this, getDimAttr(), operand.getRank(), "an operand");
  if (failed(dimOrFailure))
    return failure();
  int64_t dim = *dimOrFailure;
  int64_t length = operand.getDimSize(dim);
  if (length == 0)
    return emitOpError() << "dimension " << dim
                         << " is empty: it has no first max or min";
  unsigned indexBits = getResult().getType().getElementTypeBitWidth();
  int64_t largest = llvm::APInt::getSignedMaxValue(indexBits).getSExtValue();
  if (!ShapedType::isDynamic(length) && length - 1 > largest)
    return emitOpError() << "dimension " << dim << " has " << length
                         << " elements, more than an i" << indexBits
                         << " result can index";
  SmallVector<int64_t> expected(operand.getShape());
  expected.erase(expected.begin() + dim);
  return verifyResultShape(*this, expected);
}
