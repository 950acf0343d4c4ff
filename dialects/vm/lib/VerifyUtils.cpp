//===- VerifyUtils.cpp - helpers of the vm op verifiers -------------------===//

#include "VerifyUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace vmgpu::vm::detail {

RankedTensorType tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

bool dimsMatch(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

/// Prints a shape as `[2, ?, 4]` for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << '?';
    else
      os << dim;
  });
  os << ']';
  return text;
}

/// Prints attribute entries as `[0, -1, 2]` for diagnostics (no `?`: an
/// attribute entry is a number even where it equals the dynamic marker).
std::string formatInts(ArrayRef<int64_t> values) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

/// The product of the static dims of `shape`; std::nullopt on int64 overflow.
std::optional<int64_t> staticElementCount(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (ShapedType::isDynamic(dim))
      continue;
    std::optional<int64_t> product = llvm::checkedMul(count, dim);
    if (!product)
      return std::nullopt;
    count = *product;
  }
  return count;
}

/// Checks that the result's shape agrees with `expected` (dims may be `?`).
LogicalResult verifyResultShape(Operation *op,
                                       ArrayRef<int64_t> expected) {
  auto result = cast<RankedTensorType>(op->getResult(0).getType());
  if (result.getRank() != static_cast<int64_t>(expected.size()) ||
      !llvm::all_of(llvm::zip_equal(result.getShape(), expected),
                    [](auto dims) {
                      return dimsMatch(std::get<0>(dims), std::get<1>(dims));
                    }))
    return op->emitOpError() << "result shape " << formatShape(result.getShape())
                             << " does not match the expected shape "
                             << formatShape(expected);
  return success();
}

LogicalResult verifyRank(Operation *op, Value value, StringRef name,
                                int64_t rank) {
  int64_t actual = tensorType(value).getRank();
  if (actual != rank)
    return op->emitOpError() << name << " must be a " << rank
                             << "-D tensor, got " << value.getType();
  return success();
}

FailureOr<int64_t> verifyDimAttr(Operation *op, IntegerAttr dimAttr,
                                 int64_t rank, StringRef of) {
  int64_t dim = dimAttr.getValue().getSExtValue();
  if (dim < 0 || dim >= rank)
    return op->emitOpError() << "attribute 'dim' " << dim
                             << " is out of range for " << of << " of rank "
                             << rank;
  return dim;
}

/// Accumulation may widen f16/bf16 to f32 and i8 to i32.
LogicalResult verifyAccumulatorType(Operation *op, Type operandElement) {
  Type resultElement = getElementTypeOrSelf(op->getResult(0).getType());
  if (resultElement == operandElement)
    return success();
  bool widenedFloat = (operandElement.isF16() || operandElement.isBF16()) &&
                      resultElement.isF32();
  bool widenedInt = operandElement.isInteger(8) && resultElement.isInteger(32);
  if (widenedFloat || widenedInt)
    return success();
  return op->emitOpError()
         << "result element type " << resultElement
         << " must be the operands' element type " << operandElement
         << " or a wider accumulator (f16/bf16 -> f32, i8 -> i32)";
}

LogicalResult verifySameElementType(Operation *op, Value lhs, Value rhs,
                                           StringRef lhsName, StringRef rhsName) {
  Type lhsElement = getElementTypeOrSelf(lhs.getType());
  Type rhsElement = getElementTypeOrSelf(rhs.getType());
  if (lhsElement != rhsElement)
    return op->emitOpError() << rhsName << " element type " << rhsElement
                             << " must match " << lhsName << " element type "
                             << lhsElement;
  return success();
}

/// Checks an optional i64 array attribute: its length and a lower bound.
LogicalResult verifyArrayAttr(Operation *op, StringRef name,
                                     std::optional<ArrayRef<int64_t>> values,
                                     size_t length, int64_t minimum) {
  if (!values)
    return success();
  if (values->size() != length)
    return op->emitOpError() << "attribute '" << name << "' must have "
                             << length << " entries, got " << values->size();
  for (int64_t value : *values)
    if (value < minimum)
      return op->emitOpError() << "attribute '" << name
                               << "' entries must be >= " << minimum << ", got "
                               << value;
  return success();
}

/// Output size of a window of `extent` sliding over a static `input` size
/// padded by `padBefore` and `padAfter` with `stride` (all verified >= 0, and
/// extent, stride >= 1). `what` names the window in diagnostics.
FailureOr<int64_t> windowOutputSize(Operation *op, int spatialDim,
                                           int64_t input, int64_t padBefore,
                                           int64_t padAfter, int64_t extent,
                                           int64_t stride, StringRef what) {
  std::optional<int64_t> padded = llvm::checkedAdd(input, padBefore);
  if (padded)
    padded = llvm::checkedAdd(*padded, padAfter);
  if (!padded)
    return op->emitOpError() << "the padded input size in spatial dimension "
                             << spatialDim << " overflows a 64-bit integer";
  if (*padded < extent)
    return op->emitOpError() << what << " (extent " << extent
                             << ") is larger than the padded input (" << *padded
                             << ") in spatial dimension " << spatialDim;
  return (*padded - extent) / stride + 1;
}

} // namespace vmgpu::vm::detail
