//===- VmDialect.cpp - vm dialect registration and shared assembly --------===//

#include "vm/VmDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu::vm;

#include "vm/VmOpsDialect.cpp.inc"

void VmDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "vm/VmOps.cpp.inc"
      >();
}

Operation *VmDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
