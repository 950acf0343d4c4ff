//===- ConvTransposeToLinalg.cpp - vm.conv_transpose2d as a vm.conv2d -----===//
//
// A transposed convolution is a plain convolution, stride 1 and the same
// dilation, of the input spread out by the stride (stride - 1 zeros between
// rows and between columns) and framed so that the result has the
// transposed size, with the filter flipped in both spatial dims:
//
//   y[oh] = sum over kh' of xs[oh + kh' * dh] * w[KH - 1 - kh']
//   xs[p] = x[(p - e) / sh] when p - e is a multiple of sh inside the input,
//           else 0;  e = dh * (KH - 1) - pad_top (may be negative: cropping)
//
// which is the contract's sum over oh = ih * sh - pad_top + kh * dh. xs has
// OH + dh * (KH - 1) rows. The pattern builds xs and the flipped filter with
// two linalg.generic ops and emits a vm.conv2d, which the convolution
// pattern lowers (and code generation treats as any convolution). xs reads
// the input padded by one zero row and column, so the positions that are
// zeros read that padding: no conditional load, no out-of-bounds read.
//
// The spread input costs stride^2 times the input and multiplies its zeros:
// with static spatial sizes the pattern builds one convolution per output
// phase instead (ConvTransposePhases.cpp); the spread form is what dynamic
// sizes (and strides with too many phases) get.
//
//===----------------------------------------------------------------------===//

#include "ConvTranspose.h"
#include "PatternUtils.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// The spread and framed input: [N, OH + dh * (KH - 1), OW + ..., Cin].
/// `reaches[i]` is dh * (KH - 1) (likewise for W).
Value spreadInput(OpBuilder &b, Location loc, Value input,
                  ArrayRef<Value> inputSizes, ArrayRef<Value> reaches,
                  ArrayRef<Value> spreadSizes, RankedTensorType spreadType,
                  ArrayRef<int64_t> strides, ArrayRef<int64_t> padding) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type element = inputType.getElementType();
  // One zero row and column past the end: what every zero position reads.
  SmallVector<int64_t> paddedShape(inputType.getShape());
  for (int i : {1, 2})
    if (!ShapedType::isDynamic(paddedShape[i]))
      paddedShape[i] += 1;
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(1),
                                    b.getIndexAttr(1), b.getIndexAttr(0)};
  Value padded = tensor::PadOp::create(
      b, loc, RankedTensorType::get(paddedShape, element), input, low, high,
      zero);

  // e = dh * (KH - 1) - pad_top per spatial dim (an index, may be negative).
  SmallVector<Value, 2> frame;
  for (int i = 0; i < 2; ++i)
    frame.push_back(arith::SubIOp::create(
        b, loc, reaches[i], indexConstant(b, loc, padding[2 * i])));
  Value empty = createEmpty(b, loc, spreadType, spreadSizes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, spreadType, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange) {
        SmallVector<Value> at = {linalg::IndexOp::create(nested, l, 0),
                                 Value(), Value(),
                                 linalg::IndexOp::create(nested, l, 3)};
        Value zeroIndex = indexConstant(nested, l, 0);
        for (int i = 0; i < 2; ++i) {
          Value position = linalg::IndexOp::create(nested, l, 1 + i);
          Value offset = arith::SubIOp::create(nested, l, position, frame[i]);
          Value stride = indexConstant(nested, l, strides[i]);
          Value row = arith::DivSIOp::create(nested, l, offset, stride);
          Value onGrid = arith::CmpIOp::create(
              nested, l, arith::CmpIPredicate::eq,
              arith::RemSIOp::create(nested, l, offset, stride), zeroIndex);
          Value inside = arith::AndIOp::create(
              nested, l,
              arith::CmpIOp::create(nested, l, arith::CmpIPredicate::sge,
                                    offset, zeroIndex),
              arith::CmpIOp::create(nested, l, arith::CmpIPredicate::slt, row,
                                    inputSizes[1 + i]));
          Value valid = arith::AndIOp::create(nested, l, onGrid, inside);
          // Invalid positions read the zero row/column at index H (or W).
          at[1 + i] = arith::SelectOp::create(nested, l, valid, row,
                                              inputSizes[1 + i]);
        }
        linalg::YieldOp::create(
            nested, l,
            tensor::ExtractOp::create(nested, l, padded, at).getResult());
      });
  return generic.getResult(0);
}

} // namespace

Value vmgpu::detail::flipConvFilter(OpBuilder &b, Location loc, Value filter,
                                    ArrayRef<Value> filterSizes) {
  auto type = cast<RankedTensorType>(filter.getType());
  Value empty = createEmpty(b, loc, type, filterSizes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(4)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < 4; ++d)
          at.push_back(linalg::IndexOp::create(nested, l, d));
        for (int i = 0; i < 2; ++i) {
          Value last = arith::SubIOp::create(nested, l, filterSizes[i],
                                             indexConstant(nested, l, 1));
          at[i] = arith::SubIOp::create(nested, l, last, at[i]);
        }
        linalg::YieldOp::create(
            nested, l,
            tensor::ExtractOp::create(nested, l, filter, at).getResult());
      });
  return generic.getResult(0);
}

namespace {

struct ConvTransposeToConv : OpRewritePattern<vm::ConvTranspose2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ConvTranspose2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<int64_t, 2> strides = op.getStrideValues();
    SmallVector<int64_t, 2> dilations = op.getDilationValues();
    SmallVector<int64_t, 4> padding = op.getPaddingValues();
    SmallVector<int64_t, 2> outputPadding = op.getOutputPaddingValues();
    RankedTensorType resultType = op.getType();
    RankedTensorType inputType = op.getInput().getType();
    SmallVector<Value> inputSizes = getDimSizes(rewriter, loc, op.getInput());
    SmallVector<Value> filterSizes = getDimSizes(rewriter, loc, op.getFilter());
    emitEqualSizesCheck(rewriter, op, inputSizes[3], filterSizes[2],
                        "input channels must equal filter input channels");
    FailureOr<Value> byPhases = buildConvTransposeByPhases(rewriter, op);
    if (succeeded(byPhases)) {
      rewriter.replaceOp(op, *byPhases);
      return success();
    }

    // Rows of the spread input: OH + dh * (KH - 1), where
    // OH + sh + pad_top + pad_bottom = H * sh + dh * (KH - 1) + 1 + op,
    // all terms non-negative and checked for overflow; OH >= 1 is checked.
    CheckedSizeArithmetic sizes(rewriter, loc);
    SmallVector<Value> spreadSizes = {inputSizes[0], Value(), Value(),
                                      inputSizes[3]};
    SmallVector<int64_t> spreadShape = {inputType.getDimSize(0),
                                        ShapedType::kDynamic,
                                        ShapedType::kDynamic,
                                        inputType.getDimSize(3)};
    SmallVector<Value, 2> reaches;
    for (int i = 0; i < 2; ++i) {
      Value reach = sizes.mul(
          arith::SubIOp::create(rewriter, loc, filterSizes[i],
                                indexConstant(rewriter, loc, 1)),
          dilations[i]);
      Value total = sizes.add(
          sizes.add(sizes.mul(inputSizes[1 + i], strides[i]), reach),
          1 + outputPadding[i]);
      int64_t removed = strides[i] + padding[2 * i] + padding[2 * i + 1];
      emitShapeCheck(rewriter, op,
                     arith::CmpIOp::create(
                         rewriter, loc, arith::CmpIPredicate::sgt, total,
                         indexConstant(rewriter, loc, removed)),
                     "the output size in spatial dimension " + Twine(i) +
                         " is below 1");
      Value outputSize = arith::SubIOp::create(
          rewriter, loc, total, indexConstant(rewriter, loc, removed));
      spreadSizes[1 + i] = arith::AddIOp::create(rewriter, loc, outputSize,
                                                 reach);
      reaches.push_back(reach);
      // Static when the result size and the filter size are (the verifier
      // checked the result size against the formula then).
      int64_t kernel = op.getFilter().getType().getDimSize(i);
      if (!resultType.isDynamicDim(1 + i) && !ShapedType::isDynamic(kernel))
        spreadShape[1 + i] =
            resultType.getDimSize(1 + i) + dilations[i] * (kernel - 1);
    }
    sizes.emitNoOverflowCheck(op, "the transposed convolution's sizes");
    auto spreadType =
        RankedTensorType::get(spreadShape, inputType.getElementType());
    Value spread = spreadInput(rewriter, loc, op.getInput(), inputSizes,
                               reaches, spreadSizes, spreadType, strides,
                               padding);
    Value flipped = flipConvFilter(rewriter, loc, op.getFilter(), filterSizes);
    rewriter.replaceOpWithNewOp<vm::Conv2DOp>(
        op, resultType, spread, flipped, /*strides=*/nullptr,
        rewriter.getDenseI64ArrayAttr(dilations), /*padding=*/nullptr);
    return success();
  }
};

} // namespace

void vmgpu::populateVmConvTransposeToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvTransposeToConv>(patterns.getContext());
}
