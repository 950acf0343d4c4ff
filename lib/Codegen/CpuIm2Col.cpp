//===- CpuIm2Col.cpp - convolutions as contractions for the CPU -----------===//
//
// A convolution becomes an im2col copy and a matmul-shaped contraction, so
// that the CPU's tiled contraction strategy (register tiles, FMA, threads)
// computes it. The copy costs KH*KW times the input's size in memory and one
// pass over it; the contraction does all the arithmetic.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/CpuIm2Col.h"

#include "vmgpu/Codegen/CpuPackOperands.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace vmgpu;

namespace {

/// The size of dim `d` of `value`: a constant or a tensor.dim.
OpFoldResult sizeOf(OpBuilder &b, Location loc, Value value, int64_t d) {
  return tensor::getMixedSize(b, loc, value, d);
}

} // namespace

FailureOr<linalg::LinalgOp>
vmgpu::rewriteConvAsIm2ColContraction(RewriterBase &rewriter,
                                      linalg::Conv2DNhwcHwcfOp conv) {
  if (!conv.hasPureTensorSemantics())
    return failure();
  Value input = conv.getInputs()[0];
  Value filter = conv.getInputs()[1];
  Value output = conv.getOutputs()[0];
  SmallVector<int64_t> strides(conv.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(conv.getDilations().getValues<int64_t>());
  Location loc = conv.getLoc();
  MLIRContext *context = rewriter.getContext();
  rewriter.setInsertionPoint(conv);

  // cols: [n, oh, ow, kh, kw, c], indexed affinely into the input.
  SmallVector<OpFoldResult> colsSizes = {
      sizeOf(rewriter, loc, output, 0), sizeOf(rewriter, loc, output, 1),
      sizeOf(rewriter, loc, output, 2), sizeOf(rewriter, loc, filter, 0),
      sizeOf(rewriter, loc, filter, 1), sizeOf(rewriter, loc, filter, 2)};
  // In the accumulator type: the copy is also the packing step that
  // converts 16-bit and narrow integer inputs once (CpuPackOperands.h).
  Type accumulator = cast<RankedTensorType>(output.getType()).getElementType();
  Value colsInit =
      tensor::EmptyOp::create(rewriter, loc, colsSizes, accumulator);
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
      ArrayRef<AffineMap>{readInput, AffineMap::getMultiDimIdentityMap(
                                         6, context)},
      allParallel, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        linalg::YieldOp::create(
            b, bodyLoc, widenToAccumulator(b, bodyLoc, args[0], accumulator));
      });

  // [n*oh*ow, kh*kw*c] x [kh*kw*c, f] -> [n*oh*ow, f]: a plain matmul
  // (the images are more rows of M), contiguous collapses, no copies.
  SmallVector<ReassociationIndices> colsGroups = {{0, 1, 2}, {3, 4, 5}};
  SmallVector<ReassociationIndices> filterGroups = {{0, 1, 2}, {3}};
  SmallVector<ReassociationIndices> outputGroups = {{0, 1, 2}, {3}};
  Value lhs = tensor::CollapseShapeOp::create(rewriter, loc, cols.getResult(0),
                                              colsGroups);
  Value rhs =
      tensor::CollapseShapeOp::create(rewriter, loc, filter, filterGroups);
  Value acc =
      tensor::CollapseShapeOp::create(rewriter, loc, output, outputGroups);

  auto matmul = linalg::MatmulOp::create(rewriter, loc, TypeRange{acc.getType()},
                                        ValueRange{lhs, rhs}, ValueRange{acc});
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, output.getType(), matmul.getResult(0), outputGroups,
      tensor::getMixedSizes(rewriter, loc, output));
  rewriter.replaceOp(conv, result);
  return cast<linalg::LinalgOp>(matmul.getOperation());
}
