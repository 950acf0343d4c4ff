//===- ScanOp.cpp - the verifier of vm.scan -------------------------------===//

#include "vm/VmOps.h"
#include "vm/VmTraits.h"

#include "VerifyUtils.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

LogicalResult ScanOp::verify() {
  StringRef kind = getKind();
  if (kind != "sum" && kind != "prod" && kind != "min" && kind != "max")
    return emitOpError() << "attribute 'kind' must be one of sum, prod, min, "
                            "max; got '"
                         << kind << "'";
  if ((*this)->hasAttr(kUnsignedAttrName) && kind != "min" && kind != "max")
    return emitOpError() << "attribute 'unsigned' applies to kinds min and "
                            "max only, got kind '"
                         << kind << "'";
  RankedTensorType operand = getOperand().getType();
  if (failed(verifyDimAttr(*this, getDimAttr(), operand.getRank(),
                           "an operand")))
    return failure();
  if (getResult().getType().getElementType() != operand.getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " must be the operand element type "
                         << operand.getElementType();
  return verifyResultShape(*this, operand.getShape());
}
