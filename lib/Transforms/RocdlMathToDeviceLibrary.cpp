//===- RocdlMathToDeviceLibrary.cpp - math ops as ocml calls on ROCDL -----===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToROCDL/MathToROCDL.h"
#include "mlir/Dialect/AMDGPU/Utils/Chipset.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

namespace vmgpu {
#define GEN_PASS_DEF_ROCDLMATHTODEVICELIBRARY
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

struct RocdlMathToDeviceLibraryPass
    : vmgpu::impl::RocdlMathToDeviceLibraryBase<RocdlMathToDeviceLibraryPass> {
  using Base::Base;

  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    FailureOr<amdgpu::Chipset> parsed = amdgpu::Chipset::parse(chip);
    if (failed(parsed)) {
      module.emitError() << "vm-rocdl-math-to-device-library: unknown chip '"
                         << chip << "'";
      return signalPassFailure();
    }
    LowerToLLVMOptions options(context, DataLayout(module));
    LLVMTypeConverter converter(context, options);
    RewritePatternSet patterns(context);
    populateMathToROCDLConversionPatterns(converter, patterns, *parsed);
    // Only the functions LLVM's AMDGPU backend cannot select as intrinsics
    // change (their library patterns take every float type); everything
    // else (exp, log, sqrt, arith, memref, gpu) is left to
    // convert-gpu-to-rocdl as before.
    ConversionTarget target(*context);
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    target.addIllegalOp<math::AcosOp, math::AcoshOp, math::AsinOp,
                        math::AsinhOp, math::AtanOp, math::Atan2Op,
                        math::AtanhOp, math::CbrtOp, math::CoshOp,
                        math::ErfOp, math::ErfcOp, math::ExpM1Op,
                        math::Log1pOp, math::SinhOp, math::TanOp,
                        math::TanhOp>();
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
