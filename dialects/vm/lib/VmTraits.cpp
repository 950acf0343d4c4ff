//===- VmTraits.cpp - verification shared by vm op families ---------------===//

#include "vm/VmTraits.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace vmgpu::vm {

bool isVmElementType(Type type) {
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.isSignless() &&
           llvm::is_contained({1u, 8u, 16u, 32u, 64u}, integer.getWidth());
  return type.isF16() || type.isBF16() || type.isF32() || type.isF64();
}

uint64_t getElementByteSize(Type type) {
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

LogicalResult
verifyTensorSizeBound(Type type, const Twine &what,
                      function_ref<InFlightDiagnostic()> emitError) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.getElementType().isIntOrFloat())
    return success();
  // A 0 counts as 1: the other dims of an empty tensor still bound loops,
  // strides and index arithmetic, which must not run 2^62 times or wrap.
  uint64_t limit = kMaxTensorBytes / getElementByteSize(tensor.getElementType());
  uint64_t count = 1;
  for (int64_t dim : tensor.getShape()) {
    if (ShapedType::isDynamic(dim) || dim == 0)
      continue;
    if (static_cast<uint64_t>(dim) > limit / count)
      return emitError() << what << " has type " << type
                         << ", larger than the bound on tensor sizes ("
                         << kMaxTensorBytes
                         << " bytes, counting the static dimensions with 0 "
                            "as 1)";
    count *= static_cast<uint64_t>(dim);
  }
  return success();
}

namespace OpTrait::detail {

LogicalResult verifyBoundedTensorSizes(Operation *op) {
  auto emit = [&] { return op->emitOpError(); };
  for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(verifyTensorSizeBound(type, "operand #" + Twine(i), emit)))
      return failure();
  for (auto [i, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(verifyTensorSizeBound(type, "result #" + Twine(i), emit)))
      return failure();
  return success();
}

/// Checks that `type` has `reference`'s element type and a compatible shape.
/// `what` and `referenceName` name the values in the diagnostic ("operand
/// #1", "result").
static LogicalResult verifyMatches(Operation *op, Type type, Type reference,
                                   const Twine &what,
                                   const Twine &referenceName,
                                   bool checkElementType) {
  auto shaped = cast<ShapedType>(type);
  auto referenceShaped = cast<ShapedType>(reference);
  if (checkElementType &&
      shaped.getElementType() != referenceShaped.getElementType())
    return op->emitOpError()
           << what << " has element type " << shaped.getElementType() << " but "
           << referenceName << " has " << referenceShaped.getElementType()
           << "; the operands must share one element type";
  if (failed(verifyCompatibleShape(shaped, referenceShaped)))
    return op->emitOpError()
           << what << " has type " << type << ", whose shape does not match "
           << reference << " of " << referenceName
           << " (vm ops never broadcast implicitly; use vm.broadcast)";
  return success();
}

LogicalResult verifySameOperandsShape(Operation *op) {
  // Shape compatibility is not transitive (`?` matches both 4 and 5), so
  // every pair is checked rather than each value against operand #0 only.
  unsigned numOperands = op->getNumOperands();
  for (unsigned i = 1; i < numOperands; ++i)
    for (unsigned j = 0; j < i; ++j)
      if (failed(verifyMatches(op, op->getOperand(i).getType(),
                               op->getOperand(j).getType(),
                               "operand #" + Twine(i), "operand #" + Twine(j),
                               /*checkElementType=*/true)))
        return failure();
  for (Type result : op->getResultTypes())
    for (unsigned j = 0; j < numOperands; ++j)
      if (failed(verifyMatches(op, result, op->getOperand(j).getType(),
                               "result", "operand #" + Twine(j),
                               /*checkElementType=*/false)))
        return failure();
  return success();
}

LogicalResult verifySameElementwiseType(Operation *op) {
  if (failed(verifySameOperandsShape(op)))
    return failure();
  if (op->getNumOperands() == 0)
    return success();
  Type element = getElementTypeOrSelf(op->getOperand(0).getType());
  for (Type result : op->getResultTypes())
    if (getElementTypeOrSelf(result) != element)
      return op->emitOpError()
             << "result element type " << getElementTypeOrSelf(result)
             << " must be the operands' element type " << element;
  return success();
}

LogicalResult verifyRejectsUnsigned(Operation *op) {
  if (op->hasAttr(kUnsignedAttrName))
    return op->emitOpError()
           << "does not take the 'unsigned' attribute: its meaning does not "
              "depend on signedness";
  return success();
}

LogicalResult verifyAcceptsUnsigned(Operation *op) {
  Attribute attr = op->getAttr(kUnsignedAttrName);
  if (attr && !isa<UnitAttr>(attr))
    return op->emitOpError()
           << "attribute 'unsigned' must be a unit attribute, got " << attr;
  return success();
}

LogicalResult verifyUnsignedOnlyForIntegers(Operation *op) {
  if (!op->hasAttr(kUnsignedAttrName) || op->getNumOperands() == 0)
    return success();
  Type element = getElementTypeOrSelf(op->getOperand(0).getType());
  if (!element.isInteger())
    return op->emitOpError() << "attribute 'unsigned' has no meaning for "
                             << element << " operands; it applies to integers";
  return success();
}

} // namespace OpTrait::detail
} // namespace vmgpu::vm
