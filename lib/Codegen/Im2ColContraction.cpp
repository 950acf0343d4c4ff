//===- Im2ColContraction.cpp - convolutions as matmuls --------------------===//
//
// A convolution becomes an im2col copy and a matmul-shaped contraction, so
// that the contraction strategies (the CPU's tiled one; on the GPU tiled
// SIMT, tensor cores or the library) compute it. The copy costs KH*KW times
// the input's size in memory and one pass over it; the contraction does all
// the arithmetic.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Im2ColContraction.h"

#include "vmgpu/Codegen/CpuPackOperands.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace vmgpu;

namespace {

/// The size of dim `d` of `value`: a constant or a tensor.dim.
OpFoldResult sizeOf(OpBuilder &b, Location loc, Value value, int64_t d) {
  return tensor::getMixedSize(b, loc, value, d);
}

bool allOnes(DenseIntElementsAttr values) {
  return llvm::all_of(values.getValues<int64_t>(),
                      [](int64_t v) { return v == 1; });
}

/// True when the windows of `conv` are its input's pixels one by one: a 1x1
/// filter at unit strides over an input with the output's (static) spatial
/// sizes.
bool windowsAreTheInput(linalg::Conv2DNhwcHwcfOp conv) {
  auto input = cast<ShapedType>(conv.getInputs()[0].getType());
  auto filter = cast<ShapedType>(conv.getInputs()[1].getType());
  auto output = cast<ShapedType>(conv.getOutputs()[0].getType());
  return allOnes(conv.getStrides()) && filter.getDimSize(0) == 1 &&
         filter.getDimSize(1) == 1 && !input.isDynamicDim(1) &&
         !input.isDynamicDim(2) &&
         input.getDimSize(1) == output.getDimSize(1) &&
         input.getDimSize(2) == output.getDimSize(2);
}

/// The im2col copy [n, oh, ow, kh, kw, c] of `conv`'s input in `element`.
Value buildIm2ColCopy(RewriterBase &rewriter, linalg::Conv2DNhwcHwcfOp conv,
                      Type element) {
  Value input = conv.getInputs()[0];
  Value filter = conv.getInputs()[1];
  Value output = conv.getOutputs()[0];
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  Location loc = conv.getLoc();
  MLIRContext *context = rewriter.getContext();
  SmallVector<OpFoldResult> colsSizes = {
      sizeOf(rewriter, loc, output, 0), sizeOf(rewriter, loc, output, 1),
      sizeOf(rewriter, loc, output, 2), sizeOf(rewriter, loc, filter, 0),
      sizeOf(rewriter, loc, filter, 1), sizeOf(rewriter, loc, filter, 2)};
  Value colsInit = tensor::EmptyOp::create(rewriter, loc, colsSizes, element);
  AffineExpr n, oh, ow, kh, kw, c;
  bindDims(context, n, oh, ow, kh, kw, c);
  AffineMap readInput = AffineMap::get(
      6, 0,
      {n, oh * strides[0] + kh * dilations[0],
       ow * strides[1] + kw * dilations[1], c},
      context);
  SmallVector<utils::IteratorType> allParallel(6,
                                               utils::IteratorType::parallel);
  auto cols = linalg::GenericOp::create(
      rewriter, loc, colsInit.getType(), ValueRange{input},
      ValueRange{colsInit},
      ArrayRef<AffineMap>{readInput,
                          AffineMap::getMultiDimIdentityMap(6, context)},
      allParallel, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        linalg::YieldOp::create(
            b, bodyLoc, widenToAccumulator(b, bodyLoc, args[0], element));
      });
  return cols.getResult(0);
}

/// `output` collapsed to [n*oh*ow, f]. A fill of a fresh tensor (an empty
/// one, or an allocation without contents) becomes a fill of a fresh
/// tensor of that shape (no reshape between them, so canonicalization does
/// not move the fill back to the 4-D shape), so that the matmul's output is
/// the fill's own.
Value collapsedAccumulator(RewriterBase &rewriter, Location loc, Value output,
                           ArrayRef<ReassociationIndices> groups) {
  auto collapsedType = tensor::CollapseShapeOp::inferCollapsedType(
      cast<RankedTensorType>(output.getType()), groups);
  auto fill = output.getDefiningOp<linalg::FillOp>();
  Operation *fresh = fill ? fill.getOutputs()[0].getDefiningOp() : nullptr;
  auto allocation = dyn_cast_or_null<bufferization::AllocTensorOp>(fresh);
  bool isFresh = isa_and_nonnull<tensor::EmptyOp>(fresh) ||
                 (allocation && !allocation.getCopy());
  if (!isFresh || !collapsedType.hasStaticShape())
    return tensor::CollapseShapeOp::create(rewriter, loc, output, groups);
  Value init =
      allocation
          ? bufferization::AllocTensorOp::create(rewriter, loc, collapsedType,
                                                 ValueRange{})
                .getResult()
          : tensor::EmptyOp::create(rewriter, loc, collapsedType.getShape(),
                                    collapsedType.getElementType())
                .getResult();
  return linalg::FillOp::create(rewriter, loc, fill.getInputs(),
                                ValueRange{init})
      .getResult(0);
}

} // namespace

std::optional<int64_t>
vmgpu::im2ColElements(linalg::Conv2DNhwcHwcfOp conv) {
  auto filter = cast<ShapedType>(conv.getInputs()[1].getType());
  auto output = cast<ShapedType>(conv.getOutputs()[0].getType());
  if (!filter.hasStaticShape() || !output.hasStaticShape())
    return std::nullopt;
  return output.getDimSize(0) * output.getDimSize(1) * output.getDimSize(2) *
         filter.getDimSize(0) * filter.getDimSize(1) * filter.getDimSize(2);
}

bool vmgpu::needsIm2ColCopy(linalg::Conv2DNhwcHwcfOp conv, Type colsElement) {
  return colsElement != getElementTypeOrSelf(conv.getInputs()[0].getType()) ||
         !windowsAreTheInput(conv);
}

FailureOr<linalg::LinalgOp>
vmgpu::rewriteConvAsIm2ColContraction(RewriterBase &rewriter,
                                      linalg::Conv2DNhwcHwcfOp conv,
                                      Type colsElement) {
  if (!conv.hasPureTensorSemantics())
    return failure();
  Value input = conv.getInputs()[0];
  Value filter = conv.getInputs()[1];
  Value output = conv.getOutputs()[0];
  Location loc = conv.getLoc();
  rewriter.setInsertionPoint(conv);

  // [n*oh*ow, kh*kw*c] x [kh*kw*c, f] -> [n*oh*ow, f]: a plain matmul
  // (the images are more rows of M), contiguous collapses, no copies.
  SmallVector<ReassociationIndices> outputGroups = {{0, 1, 2}, {3}};
  Value lhs;
  if (!needsIm2ColCopy(conv, colsElement)) {
    lhs = tensor::CollapseShapeOp::create(rewriter, loc, input, outputGroups);
  } else {
    SmallVector<ReassociationIndices> colsGroups = {{0, 1, 2}, {3, 4, 5}};
    lhs = tensor::CollapseShapeOp::create(
        rewriter, loc, buildIm2ColCopy(rewriter, conv, colsElement),
        colsGroups);
  }
  SmallVector<ReassociationIndices> filterGroups = {{0, 1, 2}, {3}};
  Value rhs =
      tensor::CollapseShapeOp::create(rewriter, loc, filter, filterGroups);
  Value acc = collapsedAccumulator(rewriter, loc, output, outputGroups);

  auto matmul = linalg::MatmulOp::create(rewriter, loc, TypeRange{acc.getType()},
                                        ValueRange{lhs, rhs}, ValueRange{acc});
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, output.getType(), matmul.getResult(0), outputGroups,
      tensor::getMixedSizes(rewriter, loc, output));
  rewriter.replaceOp(conv, result);
  // The 4-D fill and its allocation, when the matmul has a fill of its own
  // (an allocation has an effect: nothing else would remove it).
  if (auto fill = output.getDefiningOp<linalg::FillOp>();
      fill && fill->use_empty()) {
    Operation *fresh = fill.getOutputs()[0].getDefiningOp();
    rewriter.eraseOp(fill);
    if (fresh && fresh->use_empty())
      rewriter.eraseOp(fresh);
  }
  return cast<linalg::LinalgOp>(matmul.getOperation());
}
