//===- ConvTransposeOp.cpp - the verifier of vm.conv_transpose2d ----------===//

#include "vm/VmOps.h"

#include "VerifyUtils.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace vmgpu::vm;
using namespace vmgpu::vm::detail;

SmallVector<int64_t, 2> ConvTranspose2DOp::getStrideValues() {
  return valuesOr<2>(getStrides(), 1);
}
SmallVector<int64_t, 2> ConvTranspose2DOp::getDilationValues() {
  return valuesOr<2>(getDilations(), 1);
}
SmallVector<int64_t, 4> ConvTranspose2DOp::getPaddingValues() {
  return valuesOr<4>(getPadding(), 0);
}
SmallVector<int64_t, 2> ConvTranspose2DOp::getOutputPaddingValues() {
  return valuesOr<2>(getOutputPadding(), 0);
}

/// OH = (H - 1) * stride - padBefore - padAfter + dilation * (K - 1) + 1 +
/// outputPadding, with every step checked for overflow.
static std::optional<int64_t> transposedOutputSize(int64_t input,
                                                   int64_t kernel,
                                                   int64_t stride,
                                                   int64_t dilation,
                                                   int64_t padBefore,
                                                   int64_t padAfter,
                                                   int64_t outputPadding) {
  std::optional<int64_t> size = llvm::checkedMul(input - 1, stride);
  std::optional<int64_t> extent = llvm::checkedMul(dilation, kernel - 1);
  if (!size || !extent)
    return std::nullopt;
  size = llvm::checkedAdd(*size, *extent);
  if (size)
    size = llvm::checkedAdd(*size, 1 + outputPadding);
  if (size)
    size = llvm::checkedSub(*size, padBefore);
  if (size)
    size = llvm::checkedSub(*size, padAfter);
  return size;
}

LogicalResult ConvTranspose2DOp::verify() {
  if (failed(verifyRank(*this, getInput(), "operand #0 ('input', NHWC)", 4)) ||
      failed(verifyRank(*this, getFilter(),
                        "operand #1 ('filter', [KH, KW, Cin, Cout])", 4)) ||
      failed(verifySameElementType(*this, getInput(), getFilter(), "input",
                                   "filter")) ||
      failed(verifyArrayAttr(*this, "strides", getStrides(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "dilations", getDilations(), 2, 1)) ||
      failed(verifyArrayAttr(*this, "padding", getPadding(), 4, 0)) ||
      failed(verifyArrayAttr(*this, "output_padding", getOutputPadding(), 2, 0)))
    return failure();
  ArrayRef<int64_t> input = getInput().getType().getShape();
  ArrayRef<int64_t> filter = getFilter().getType().getShape();
  if (!dimsMatch(input[3], filter[2]))
    return emitOpError() << "input channels (" << input[3]
                         << ", dimension 3 of NHWC) must equal filter input "
                            "channels ("
                         << filter[2] << ", dimension 2 of [KH, KW, Cin, Cout])";
  SmallVector<int64_t, 2> strides = getStrideValues();
  SmallVector<int64_t, 2> dilations = getDilationValues();
  SmallVector<int64_t, 4> padding = getPaddingValues();
  SmallVector<int64_t, 2> outputPadding = getOutputPaddingValues();
  SmallVector<int64_t> expected = {input[0], ShapedType::kDynamic,
                                   ShapedType::kDynamic, filter[3]};
  for (int i = 0; i < 2; ++i) {
    int64_t limit = std::max(strides[i], dilations[i]);
    if (outputPadding[i] >= limit)
      return emitOpError() << "output_padding " << outputPadding[i]
                           << " in spatial dimension " << i
                           << " must be below the larger of its stride and "
                              "dilation ("
                           << limit << ")";
    int64_t kernel = filter[i];
    if (!ShapedType::isDynamic(kernel) && kernel < 1)
      return emitOpError() << "filter spatial dimension " << i
                           << " must be at least 1, got " << kernel;
    if (ShapedType::isDynamic(kernel) || ShapedType::isDynamic(input[1 + i]))
      continue;
    std::optional<int64_t> size = transposedOutputSize(
        input[1 + i], kernel, strides[i], dilations[i], padding[2 * i],
        padding[2 * i + 1], outputPadding[i]);
    if (!size)
      return emitOpError() << "the output size in spatial dimension " << i
                           << " overflows a 64-bit integer";
    if (*size < 1)
      return emitOpError() << "the output size in spatial dimension " << i
                           << " is " << *size << ", below 1";
    expected[1 + i] = *size;
  }
  if (failed(verifyResultShape(*this, expected)))
    return failure();
  return verifyAccumulatorType(*this, getInput().getType().getElementType());
}
