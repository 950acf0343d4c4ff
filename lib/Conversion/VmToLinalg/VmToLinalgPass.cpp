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

void vmgpu::populateVmToLinalgPatterns(RewritePatternSet &patterns,
                                       const LaneSortForms &forms) {
  populateVmElementwiseToLinalgPatterns(patterns);
  populateVmShapeToLinalgPatterns(patterns);
  populateVmReductionToLinalgPatterns(patterns);
  populateVmContractionToLinalgPatterns(patterns);
  populateVmIndexingToLinalgPatterns(patterns);
  populateVmArgReduceToLinalgPatterns(patterns);
  populateVmScanToLinalgPatterns(patterns);
  populateVmConvTransposeToLinalgPatterns(patterns);
  populateVmScatterToLinalgPatterns(patterns, forms);
  populateVmOrderToLinalgPatterns(patterns, forms);
}

namespace {
struct ConvertVmToLinalgPass
    : vmgpu::impl::ConvertVmToLinalgBase<ConvertVmToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    if (mergeSortMinLength < 1 || mergeSortMaxLanes < 0) {
      getOperation().emitError("vm-to-linalg: merge-sort-min-length must be "
                               "at least 1 and merge-sort-max-lanes at least "
                               "0");
      return signalPassFailure();
    }
    vmgpu::LaneSortForms forms{mergeSortMinLength, mergeSortMaxLanes};
    ConversionTarget target(getContext());
    target.addIllegalDialect<vmgpu::vm::VmDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    vmgpu::populateVmToLinalgPatterns(patterns, forms);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
