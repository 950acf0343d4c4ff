//===- VmToLinalgPass.cpp - the vm-to-linalg pass -------------------------===//

#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "vm/VmDialect.h"

namespace vmgpu {
#define GEN_PASS_DEF_CONVERTVMTOLINALG
#include "vmgpu/Conversion/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

void vmgpu::populateVmToLinalgPatterns(RewritePatternSet &patterns) {
  populateVmElementwiseToLinalgPatterns(patterns);
  populateVmShapeToLinalgPatterns(patterns);
  populateVmReductionToLinalgPatterns(patterns);
  populateVmContractionToLinalgPatterns(patterns);
  populateVmIndexingToLinalgPatterns(patterns);
  populateVmArgReduceToLinalgPatterns(patterns);
  populateVmScanToLinalgPatterns(patterns);
  populateVmConvTransposeToLinalgPatterns(patterns);
  populateVmScatterToLinalgPatterns(patterns);
  populateVmOrderToLinalgPatterns(patterns);
}

namespace {
struct ConvertVmToLinalgPass
    : vmgpu::impl::ConvertVmToLinalgBase<ConvertVmToLinalgPass> {
  void runOnOperation() override {
    ConversionTarget target(getContext());
    target.addIllegalDialect<vmgpu::vm::VmDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    vmgpu::populateVmToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
