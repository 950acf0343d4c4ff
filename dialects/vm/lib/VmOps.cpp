//===- VmOps.cpp - vm op verifiers and the shared type syntax -------------===//
//
// Each verifier names the op (emitOpError), the operand or attribute at
// fault and what was expected. Nothing here asserts on user input.
//
//===----------------------------------------------------------------------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

//===----------------------------------------------------------------------===//
// custom<VmTypes>: `: T`, `: T -> R` or `: (T0, T1, ...) -> R`
//===----------------------------------------------------------------------===//

/// Parses the types of N operands followed by one result.
static ParseResult parseVmTypeList(OpAsmParser &parser,
                                   ArrayRef<Type *> operandTypes,
                                   Type &resultType) {
  SMLoc typesLoc = parser.getCurrentLocation();
  SmallVector<Type> parsed;
  if (succeeded(parser.parseOptionalLParen())) {
    if (failed(parser.parseOptionalRParen())) {
      if (parser.parseTypeList(parsed) || parser.parseRParen())
        return failure();
    }
    if (parser.parseArrow() || parser.parseType(resultType))
      return failure();
    if (parsed.size() != operandTypes.size())
      return parser.emitError(typesLoc)
             << "expected " << operandTypes.size() << " operand types, got "
             << parsed.size();
  } else {
    Type common;
    if (parser.parseType(common))
      return failure();
    parsed.assign(operandTypes.size(), common);
    resultType = common;
    if (succeeded(parser.parseOptionalArrow()) && parser.parseType(resultType))
      return failure();
  }
  for (auto [slot, type] : llvm::zip_equal(operandTypes, parsed))
    *slot = type;
  return success();
}

static void printVmTypeList(OpAsmPrinter &printer, ArrayRef<Type> operandTypes,
                            Type resultType) {
  bool operandsAgree = llvm::all_equal(operandTypes);
  if (operandsAgree && operandTypes.front() == resultType) {
    printer << resultType;
    return;
  }
  if (operandsAgree)
    printer << operandTypes.front();
  else
    printer << '(' << operandTypes << ')';
  printer << " -> " << resultType;
}

template <typename... OperandTypes>
static ParseResult parseVmTypes(OpAsmParser &parser, Type &first,
                                OperandTypes &...rest) {
  // The last reference is the result; the others are operands.
  SmallVector<Type *> slots = {&first, &rest...};
  Type *result = slots.pop_back_val();
  return parseVmTypeList(parser, slots, *result);
}

template <typename... OperandTypes>
static void printVmTypes(OpAsmPrinter &printer, Operation *, Type first,
                         OperandTypes... rest) {
  SmallVector<Type> types = {first, rest...};
  Type result = types.pop_back_val();
  printVmTypeList(printer, types, result);
}

#define GET_OP_CLASSES
#include "vm/VmOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult SelectOp::verify() {
  // Every pair is checked: `?` is compatible with both 4 and 5.
  Value values[] = {getCondition(), getTrueValue(), getFalseValue()};
  StringRef names[] = {"condition", "true_value", "false_value"};
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j)
      if (failed(
              verifyCompatibleShape(values[i].getType(), values[j].getType())))
        return emitOpError() << names[i] << " type " << values[i].getType()
                             << " must have the shape of " << names[j]
                             << " type " << values[j].getType();
  if (failed(verifySameElementType(*this, getTrueValue(), getFalseValue(),
                                   "true_value", "false_value")))
    return failure();
  for (Value value : {getTrueValue(), getFalseValue()})
    if (failed(verifyCompatibleShape(getResult().getType(), value.getType())) ||
        getElementTypeOrSelf(getResult().getType()) !=
            getElementTypeOrSelf(value.getType()))
      return emitOpError() << "result type " << getResult().getType()
                           << " must match the type of true_value and "
                              "false_value, "
                           << value.getType();
  return success();
}

static constexpr StringLiteral kCmpPredicates[] = {"eq", "ne", "lt",
                                                   "le", "gt", "ge"};

LogicalResult CmpOp::verify() {
  if (!llvm::is_contained(kCmpPredicates, getPredicate()))
    return emitOpError() << "attribute 'predicate' must be one of eq, ne, lt, "
                            "le, gt, ge; got '"
                         << getPredicate() << "'";
  return success();
}

LogicalResult ConvertOp::verify() {
  Type source = getElementTypeOrSelf(getOperand().getType());
  Type target = getElementTypeOrSelf(getResult().getType());
  if (isUnsigned() && !source.isInteger() && !target.isInteger())
    return emitOpError() << "attribute 'unsigned' has no meaning for a "
                         << source << " -> " << target
                         << " conversion; it applies when either side is an "
                            "integer";
  return success();
}

LogicalResult BitcastOp::verify() {
  Type source = getElementTypeOrSelf(getOperand().getType());
  Type target = getElementTypeOrSelf(getResult().getType());
  if (source.getIntOrFloatBitWidth() != target.getIntOrFloatBitWidth())
    return emitOpError() << "element types must have equal bit widths, got "
                         << source << " (" << source.getIntOrFloatBitWidth()
                         << " bits) -> " << target << " ("
                         << target.getIntOrFloatBitWidth() << " bits)";
  return success();
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

LogicalResult SplatOp::verify() {
  auto type = getResult().getType();
  if (getValue().getType() != type.getElementType())
    return emitOpError() << "operand 'value' type " << getValue().getType()
                         << " must be the result element type "
                         << type.getElementType();
  if (getDynamicSizes().size() != type.getNumDynamicDims())
    return emitOpError() << "expected " << type.getNumDynamicDims()
                         << " dynamic size operands (one per '?' of " << type
                         << "), got " << getDynamicSizes().size();
  return success();
}

LogicalResult IotaOp::verify() {
  auto type = getResult().getType();
  if (type.getRank() == 0)
    return emitOpError() << "result must have rank 1 or more, got " << type;
  if (failed(verifyDimAttr(*this, getDimAttr(), type.getRank(), "a result")))
    return failure();
  if (type.getElementType().isInteger(1))
    return emitOpError() << "result element type must be an integer type "
                            "other than i1, or a float type";
  if (getDynamicSizes().size() != type.getNumDynamicDims())
    return emitOpError() << "expected " << type.getNumDynamicDims()
                         << " dynamic size operands (one per '?' of " << type
                         << "), got " << getDynamicSizes().size();
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult BroadcastOp::verify() {
  RankedTensorType operand = getOperand().getType();
  RankedTensorType result = getResult().getType();
  ArrayRef<int64_t> dims = getDims();
  if (operand.getElementType() != result.getElementType())
    return emitOpError() << "result element type " << result.getElementType()
                         << " must be the operand element type "
                         << operand.getElementType();
  if (static_cast<int64_t>(dims.size()) != operand.getRank())
    return emitOpError() << "attribute 'dims' must have one entry per operand "
                            "dimension ("
                         << operand.getRank() << "), got " << dims.size();
  llvm::SmallBitVector mapped(result.getRank());
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (dim < 0 || dim >= result.getRank())
      return emitOpError() << "attribute 'dims' entry " << dim
                           << " is out of range for a result of rank "
                           << result.getRank();
    if (i > 0 && dim <= dims[i - 1])
      return emitOpError() << "attribute 'dims' must be strictly increasing";
    mapped.set(dim);
    int64_t from = operand.getDimSize(i), to = result.getDimSize(dim);
    if (!ShapedType::isDynamic(from) && !ShapedType::isDynamic(to) &&
        from != 1 && from != to)
      return emitOpError() << "operand dimension " << i << " (size " << from
                           << ") must be 1 or equal to result dimension " << dim
                           << " (size " << to << ")";
  }
  for (int64_t dim = 0; dim < result.getRank(); ++dim)
    if (!mapped.test(dim) && result.isDynamicDim(dim))
      return emitOpError() << "result dimension " << dim
                           << " is dynamic but no operand dimension maps to it;"
                              " new dimensions must be static";
  return success();
}

LogicalResult ReshapeOp::verify() {
  return verifyShapes(getOperand().getType(), getResult().getType(),
                      [&] { return emitOpError(); });
}

LogicalResult
ReshapeOp::verifyShapes(RankedTensorType operand, RankedTensorType result,
                        function_ref<InFlightDiagnostic()> emitError) {
  // With no `emitError` this is a silent check (used by the folder).
  auto fail = [&]() -> std::optional<InFlightDiagnostic> {
    if (!emitError)
      return std::nullopt;
    return emitError();
  };
  if (operand.getElementType() != result.getElementType()) {
    if (auto diag = fail())
      *diag << "result element type " << result.getElementType()
            << " must be the operand element type " << operand.getElementType();
    return failure();
  }
  if (result.getNumDynamicDims() > 1) {
    if (auto diag = fail())
      *diag << "result type " << result
            << " may have at most one dynamic dimension (it is inferred from "
               "the element count)";
    return failure();
  }
  std::optional<int64_t> operandCount = staticElementCount(operand.getShape());
  std::optional<int64_t> resultCount = staticElementCount(result.getShape());
  if (!operandCount || !resultCount) {
    if (auto diag = fail())
      *diag << "element count of " << (operandCount ? result : operand)
            << " overflows a 64-bit integer";
    return failure();
  }
  // Only static dims are counted: with dynamic dims on one side the static
  // product of that side must still divide the other side's full count.
  bool operandStatic = operand.hasStaticShape();
  bool resultStatic = result.hasStaticShape();
  if (operandStatic == resultStatic) {
    if (!operandStatic || *operandCount == *resultCount)
      return success();
    if (auto diag = fail())
      *diag << "element counts differ: operand " << operand << " has "
            << *operandCount << ", result " << result << " has "
            << *resultCount;
    return failure();
  }
  int64_t total = operandStatic ? *operandCount : *resultCount;
  int64_t known = operandStatic ? *resultCount : *operandCount;
  bool possible = known == 0 ? total == 0 : total % known == 0;
  if (possible)
    return success();
  if (auto diag = fail())
    *diag << "cannot reshape " << operand << " to " << result
          << ": the product of the static dimensions (" << known
          << ") does not divide the element count (" << total << ")";
  return failure();
}

LogicalResult TransposeOp::verify() {
  RankedTensorType operand = getOperand().getType();
  RankedTensorType result = getResult().getType();
  ArrayRef<int64_t> perm = getPerm();
  if (operand.getElementType() != result.getElementType())
    return emitOpError() << "result element type " << result.getElementType()
                         << " must be the operand element type "
                         << operand.getElementType();
  if (static_cast<int64_t>(perm.size()) != operand.getRank())
    return emitOpError() << "attribute 'perm' must have " << operand.getRank()
                         << " entries (the operand rank), got " << perm.size();
  llvm::SmallBitVector seen(perm.size());
  for (int64_t p : perm) {
    if (p < 0 || p >= operand.getRank() || seen.test(p))
      return emitOpError() << "attribute 'perm' must be a permutation of [0, "
                           << operand.getRank() << "), got "
                           << formatInts(perm);
    seen.set(p);
  }
  SmallVector<int64_t> expected;
  for (int64_t p : perm)
    expected.push_back(operand.getDimSize(p));
  return verifyResultShape(*this, expected);
}

LogicalResult SliceOp::verify() {
  RankedTensorType operand = getOperand().getType();
  RankedTensorType result = getResult().getType();
  int64_t rank = operand.getRank();
  if (operand.getElementType() != result.getElementType())
    return emitOpError() << "result element type " << result.getElementType()
                         << " must be the operand element type "
                         << operand.getElementType();
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"offsets", getOffsets()},
        {"sizes", getSizes()},
        {"strides", getStrides()}})
    if (static_cast<int64_t>(values.size()) != rank)
      return emitOpError() << "attribute '" << name << "' must have " << rank
                           << " entries (the operand rank), got "
                           << values.size();
  for (int64_t i = 0; i < rank; ++i) {
    int64_t offset = getOffsets()[i], size = getSizes()[i],
            stride = getStrides()[i], dim = operand.getDimSize(i);
    if (stride < 1)
      return emitOpError() << "attribute 'strides' entries must be >= 1, got "
                           << stride;
    if (offset < 0 || size < 0)
      return emitOpError() << "attribute 'offsets' and 'sizes' entries must be "
                              ">= 0, got offset "
                           << offset << " and size " << size << " in dimension "
                           << i;
    // The last index read, offset + (size - 1) * stride, may overflow; then
    // no dimension, static or dynamic, holds it.
    std::optional<int64_t> last =
        size == 0 ? std::optional<int64_t>(offset - 1)
                  : llvm::checkedMulAdd(size - 1, stride, offset);
    if (!last)
      return emitOpError() << "slice reads out of bounds in dimension " << i
                           << " whatever its size: offset " << offset
                           << " + (size " << size << " - 1) * stride "
                           << stride << " overflows a 64-bit integer";
    if (ShapedType::isDynamic(dim))
      continue;
    if (offset > dim || *last >= dim)
      return emitOpError() << "slice reads out of bounds in dimension " << i
                           << ": offset " << offset << ", size " << size
                           << ", stride " << stride << " on a dimension of "
                           << dim;
  }
  if (result.getShape() != getSizes())
    return emitOpError() << "result shape " << formatShape(result.getShape())
                         << " must equal attribute 'sizes' "
                         << formatInts(getSizes());
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "expected at least one input";
  RankedTensorType first = tensorType(getInputs().front());
  int64_t rank = first.getRank();
  int64_t dim = getDimAttr().getInt();
  if (dim < 0 || dim >= rank)
    return emitOpError() << "attribute 'dim' (" << dim
                         << ") must be in [0, " << rank << ")";
  // `joined` is the most static shape seen so far and `owner[d]` the input
  // that fixed dimension d, so that `?` cannot bridge a 3 and a 4.
  SmallVector<int64_t> joined(first.getShape());
  SmallVector<size_t> owner(rank, 0);
  std::optional<int64_t> total = 0;
  for (auto [i, input] : llvm::enumerate(getInputs())) {
    RankedTensorType type = tensorType(input);
    if (type.getElementType() != first.getElementType())
      return emitOpError() << "input #" << i << " element type "
                           << type.getElementType() << " must match input #0 "
                           << first.getElementType();
    if (type.getRank() != rank)
      return emitOpError() << "input #" << i << " has rank " << type.getRank()
                           << " but input #0 has rank " << rank;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == dim)
        continue;
      int64_t size = type.getDimSize(d);
      if (!dimsMatch(size, joined[d]))
        return emitOpError()
               << "input #" << i << " dimension " << d << " (" << size
               << ") must match input #" << owner[d] << " (" << joined[d]
               << "): only dimension " << dim << " may differ";
      if (ShapedType::isDynamic(joined[d]) && !ShapedType::isDynamic(size)) {
        joined[d] = size;
        owner[d] = i;
      }
    }
    if (total && *total != ShapedType::kDynamic)
      total = type.isDynamicDim(dim)
                  ? std::optional<int64_t>(ShapedType::kDynamic)
                  : llvm::checkedAdd(*total, type.getDimSize(dim));
  }
  if (!total)
    return emitOpError() << "the concatenated size of dimension " << dim
                         << " overflows a 64-bit integer";
  if (getResult().getType().getElementType() != first.getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " must be the inputs' element type "
                         << first.getElementType();
  joined[dim] = *total;
  return verifyResultShape(*this, joined);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::verify() {
  static constexpr StringLiteral kinds[] = {"sum", "prod", "min", "max",
                                            "and", "or",   "xor"};
  StringRef kind = getKind();
  if (!llvm::is_contained(kinds, kind))
    return emitOpError() << "attribute 'kind' must be one of sum, prod, min, "
                            "max, and, or, xor; got '"
                         << kind << "'";
  RankedTensorType operand = getOperand().getType();
  bool bitwise = kind == "and" || kind == "or" || kind == "xor";
  if (bitwise && !operand.getElementType().isInteger())
    return emitOpError() << "kind '" << kind
                         << "' needs integer elements, got "
                         << operand.getElementType();
  if ((*this)->hasAttr(kUnsignedAttrName) && kind != "min" && kind != "max")
    return emitOpError() << "attribute 'unsigned' applies to kinds min and "
                            "max only, got kind '"
                         << kind << "'";
  ArrayRef<int64_t> dims = getDims();
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (dim < 0 || dim >= operand.getRank())
      return emitOpError() << "attribute 'dims' entry " << dim
                           << " is out of range for an operand of rank "
                           << operand.getRank();
    if (i > 0 && dim <= dims[i - 1])
      return emitOpError()
             << "attribute 'dims' must be sorted and unique, got "
             << formatInts(dims);
  }
  if (getResult().getType().getElementType() != operand.getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " must be the operand element type "
                         << operand.getElementType();
  SmallVector<int64_t> expected;
  for (int64_t d = 0; d < operand.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      expected.push_back(operand.getDimSize(d));
  return verifyResultShape(*this, expected);
}

LogicalResult DotOp::verify() {
  if (failed(verifyRank(*this, getLhs(), "operand #0 ('lhs')", 1)) ||
      failed(verifyRank(*this, getRhs(), "operand #1 ('rhs')", 1)) ||
      failed(verifySameElementType(*this, getLhs(), getRhs(), "lhs", "rhs")))
    return failure();
  int64_t lhsSize = getLhs().getType().getDimSize(0);
  int64_t rhsSize = getRhs().getType().getDimSize(0);
  if (!dimsMatch(lhsSize, rhsSize))
    return emitOpError() << "operand lengths differ: lhs has " << lhsSize
                         << " elements, rhs has " << rhsSize;
  if (failed(verifyResultShape(*this, {})))
    return failure();
  return verifyAccumulatorType(*this, getLhs().getType().getElementType());
}

//===----------------------------------------------------------------------===//
// Matrix and tensor ops
//===----------------------------------------------------------------------===//

/// Shared by matmul and batch_matmul: `batchRank` leading dims are batch.
static LogicalResult verifyMatmulLike(Operation *op, Value lhs, Value rhs,
                                      bool transposeA, bool transposeB,
                                      int64_t batchRank) {
  int64_t rank = batchRank + 2;
  if (failed(verifyRank(op, lhs, "operand #0 ('lhs')", rank)) ||
      failed(verifyRank(op, rhs, "operand #1 ('rhs')", rank)) ||
      failed(verifySameElementType(op, lhs, rhs, "lhs", "rhs")))
    return failure();
  ArrayRef<int64_t> a = tensorType(lhs).getShape();
  ArrayRef<int64_t> b = tensorType(rhs).getShape();
  int64_t m = a[batchRank + (transposeA ? 1 : 0)];
  int64_t kA = a[batchRank + (transposeA ? 0 : 1)];
  int64_t kB = b[batchRank + (transposeB ? 1 : 0)];
  int64_t n = b[batchRank + (transposeB ? 0 : 1)];
  if (!dimsMatch(kA, kB))
    return op->emitOpError()
           << "contraction dimensions differ: lhs has K = " << kA
           << " but rhs has K = " << kB;
  SmallVector<int64_t> expected;
  if (batchRank) {
    if (!dimsMatch(a[0], b[0]))
      return op->emitOpError() << "batch dimensions differ: lhs has "
                               << a[0] << ", rhs has " << b[0];
    expected.push_back(ShapedType::isDynamic(a[0]) ? b[0] : a[0]);
  }
  expected.append({m, n});
  if (failed(verifyResultShape(op, expected)))
    return failure();
  return verifyAccumulatorType(op, getElementTypeOrSelf(lhs.getType()));
}

LogicalResult MatmulOp::verify() {
  return verifyMatmulLike(*this, getLhs(), getRhs(), getTransposeA(),
                          getTransposeB(), /*batchRank=*/0);
}

LogicalResult BatchMatmulOp::verify() {
  return verifyMatmulLike(*this, getLhs(), getRhs(), getTransposeA(),
                          getTransposeB(), /*batchRank=*/1);
}

SmallVector<int64_t, 2> Conv2DOp::getStrideValues() {
  return valuesOr<2>(getStrides(), 1);
}
SmallVector<int64_t, 2> Conv2DOp::getDilationValues() {
  return valuesOr<2>(getDilations(), 1);
}
SmallVector<int64_t, 4> Conv2DOp::getPaddingValues() {
  return valuesOr<4>(getPadding(), 0);
}

LogicalResult Conv2DOp::verify() {
  if (failed(verifyRank(*this, getInput(), "operand #0 ('input', NHWC)", 4)) ||
      failed(verifyRank(*this, getFilter(), "operand #1 ('filter', HWCF)", 4)) ||
      failed(verifySameElementType(*this, getInput(), getFilter(), "input",
                                   "filter")) ||
      failed(verifyArrayAttr(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "dilations", getDilations(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "padding", getPadding(), 4, 0)))
    return failure();
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> filter = getFilter().getType().getShape();
  if (!dimsMatch(input[3], filter[2]))
    return emitOpError() << "input channels (" << input[3]
                         << ", dimension 3 of NHWC) must equal filter channels ("
                         << filter[2] << ", dimension 2 of HWCF)";
  SmallVector<int64_t, 2> strides = getStrideValues();
  SmallVector<int64_t, 2> dilations = getDilationValues();
  SmallVector<int64_t, 4> padding = getPaddingValues();
  SmallVector<int64_t> expected = {input[0], ShapedType::kDynamic,
                                   ShapedType::kDynamic, filter[3]};
  for (int i = 0; i < 2; ++i) {
    int64_t kernel = filter[i];
    if (ShapedType::isDynamic(kernel))
      continue;
    if (kernel < 1)
      return emitOpError() << "filter spatial dimension " << i << " (dimension "
                           << i << " of HWCF) must be at least 1, got "
                           << kernel;
    std::optional<int64_t> extent =
        llvm::checkedMulAdd(dilations[i], kernel - 1, int64_t(1));
    if (!extent)
      return emitOpError() << "the dilated filter extent in spatial dimension "
                           << i << " overflows a 64-bit integer";
    if (ShapedType::isDynamic(input[1 + i]))
      continue;
    FailureOr<int64_t> size = windowOutputSize(
        *this, i, input[1 + i], padding[2 * i], padding[2 * i + 1], *extent,
        strides[i], "the dilated filter");
    if (failed(size))
      return failure();
    expected[1 + i] = *size;
  }
  if (failed(verifyResultShape(*this, expected)))
    return failure();
  return verifyAccumulatorType(*this, getInput().getType().getElementType());
}

SmallVector<int64_t, 2> Pool2DOp::getStrideValues() {
  return valuesOr<2>(getStrides(), 1);
}
SmallVector<int64_t, 4> Pool2DOp::getPaddingValues() {
  return valuesOr<4>(getPadding(), 0);
}

LogicalResult Pool2DOp::verify() {
  if (getKind() != "max" && getKind() != "avg")
    return emitOpError() << "attribute 'kind' must be 'max' or 'avg', got '"
                         << getKind() << "'";
  if (failed(verifyRank(*this, getInput(), "operand #0 ('input', NHWC)", 4)) ||
      failed(verifyArrayAttr(*this, "window", getWindow(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "padding", getPadding(), 4, 0)))
    return failure();
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> window = getWindow();
  SmallVector<int64_t, 2> strides = getStrideValues();
  SmallVector<int64_t, 4> padding = getPaddingValues();
  SmallVector<int64_t> expected = {input[0], ShapedType::kDynamic,
                                   ShapedType::kDynamic, input[3]};
  for (int i = 0; i < 2; ++i) {
    // Each window must overlap the input, so that max and avg are defined.
    if (padding[2 * i] >= window[i] || padding[2 * i + 1] >= window[i])
      return emitOpError() << "attribute 'padding' entries must be smaller "
                              "than the window ("
                           << window[i] << ") in spatial dimension " << i;
    if (ShapedType::isDynamic(input[1 + i]))
      continue;
    FailureOr<int64_t> size = windowOutputSize(
        *this, i, input[1 + i], padding[2 * i], padding[2 * i + 1], window[i],
        strides[i], "the window");
    if (failed(size))
      return failure();
    expected[1 + i] = *size;
  }
  if (getResult().getType().getElementType() !=
      getInput().getType().getElementType())
    return emitOpError() << "result element type "
                         << getResult().getType().getElementType()
                         << " must be the input element type "
                         << getInput().getType().getElementType();
  return verifyResultShape(*this, expected);
}

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getOperand().getType().getRank();
  if (rank == 0)
    return emitOpError() << "operand must have rank >= 1 (a 0-D tensor has no "
                            "dimension to normalize along)";
  int64_t dim = getDimAttr().getInt();
  if (dim < 0 || dim >= rank)
    return emitOpError() << "attribute 'dim' (" << dim << ") must be in [0, "
                         << rank << ")";
  return success();
}
