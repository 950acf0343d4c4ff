//===- ConvolutionsToContractions.cpp - GPU convolutions as matmuls -------===//
//
// Without this pass a GPU convolution is one thread per output element,
// each reading KH*KW*C inputs and filter values from global memory with
// scalar loads. As an im2col copy and a matmul it runs on the contraction
// strategies instead: shared-memory tiles, register blocking, tensor cores
// for 16-bit and i8 inputs, or the library. The copy keeps the input's type
// (16-bit inputs stay 16-bit for the tensor cores).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "vmgpu/Codegen/Im2ColContraction.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUCONVOLUTIONSTOCONTRACTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Inputs of one type that the contraction strategies accumulate in
/// `accumulator` (ContractionPlan.cpp, tensorCoreInputType).
bool takesTypes(Type input, Type filter, Type accumulator) {
  if (input != filter)
    return false;
  if (accumulator.isF32())
    return input.isF16() || input.isBF16() || input.isF32();
  if (accumulator.isInteger(32))
    return input.isInteger(8) || input.isInteger(32);
  return (accumulator.isF64() || accumulator.isInteger(64)) &&
         input == accumulator;
}

bool isRewritten(linalg::Conv2DNhwcHwcfOp conv) {
  if (conv->hasAttr(kLoweringConfigAttrName) || conv.hasDynamicShape() ||
      !conv.hasPureTensorSemantics() ||
      llvm::is_contained(conv.getStaticLoopRanges(), 0))
    return false;
  Type input = getElementTypeOrSelf(conv.getInputs()[0].getType());
  if (!takesTypes(input, getElementTypeOrSelf(conv.getInputs()[1].getType()),
                  getElementTypeOrSelf(conv.getOutputs()[0].getType())))
    return false;
  // A 1x1 filter at unit stride reads its input: no copy to cap.
  if (!needsIm2ColCopy(conv, input))
    return true;
  std::optional<int64_t> elements = im2ColElements(conv);
  return elements && *elements <= kMaxGpuIm2ColBytes /
                                      (input.getIntOrFloatBitWidth() / 8);
}

struct GpuConvolutionsToContractionsPass
    : vmgpu::impl::GpuConvolutionsToContractionsBase<
          GpuConvolutionsToContractionsPass> {
  void runOnOperation() override {
    SmallVector<linalg::Conv2DNhwcHwcfOp> convolutions;
    getOperation().walk([&](linalg::Conv2DNhwcHwcfOp conv) {
      if (isRewritten(conv))
        convolutions.push_back(conv);
    });
    IRRewriter rewriter(&getContext());
    llvm::SmallPtrSet<Operation *, 4> matmuls;
    for (linalg::Conv2DNhwcHwcfOp conv : convolutions) {
      FailureOr<linalg::LinalgOp> matmul = rewriteConvAsIm2ColContraction(
          rewriter, conv, getElementTypeOrSelf(conv.getInputs()[0].getType()));
      if (succeeded(matmul))
        matmuls.insert(*matmul);
    }
    if (matmuls.empty())
      return;
    // The elementwise op after a convolution (the rounding of a 16-bit
    // result, a bias, an activation) reads the matmul's result expanded
    // back to 4-D; collapsed to the matmul's 2-D shape it reads the result
    // itself, and the contraction strategies run it as their epilogue.
    RewritePatternSet patterns(&getContext());
    linalg::populateFoldReshapeOpsByCollapsingPatterns(
        patterns, [&](OpOperand *operand) {
          auto expand = operand->get().getDefiningOp<tensor::ExpandShapeOp>();
          return expand && matmuls.contains(expand.getSrc().getDefiningOp());
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
