//===- MathToOcml.cpp - math ops of AMD kernels to OCML calls -------------===//
//
// convert-gpu-to-rocdl lowers math.tan, asin, acos, atan, sinh, cosh and
// tanh to LLVM intrinsics it considers legal, which LLVM's AMDGPU backend
// cannot select: it reports "no libcall available for ftan" through an LLVM
// context without a diagnostic handler, and LLVM then exits the process (a
// fuzz finding, docs/reliability.md). Lowering every math op OCML implements
// to its call first, in a pass of its own, leaves no such op behind;
// upstream's convert-math-to-rocdl has the same patterns but runs only on a
// builtin.module, where it would also rewrite host code.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Conversion/LLVMCommon/LoweringOptions.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToROCDL/MathToROCDL.h"
#include "mlir/Dialect/AMDGPU/Utils/Chipset.h"
#include "mlir/Transforms/DialectConversion.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUMATHTOOCML
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

struct GpuMathToOcmlPass
    : vmgpu::impl::GpuMathToOcmlBase<GpuMathToOcmlPass> {
  using Base::Base;

  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    MLIRContext *context = &getContext();
    std::optional<amdgpu::Chipset> chip;
    if (!chipset.empty()) {
      FailureOr<amdgpu::Chipset> parsed = amdgpu::Chipset::parse(chipset);
      if (failed(parsed)) {
        module.emitError("unknown AMDGPU chip '") << chipset << "'";
        return signalPassFailure();
      }
      chip = *parsed;
    }
    LowerToLLVMOptions options(context, DataLayout(module));
    LLVMTypeConverter converter(context, options);
    RewritePatternSet patterns(context);
    populateMathToROCDLConversionPatterns(converter, patterns, chip);
    // Only the ops the patterns rewrite change; a math op OCML lacks (or
    // one of a type it has no function for, such as f32 exp) stays for
    // convert-gpu-to-rocdl.
    ConversionTarget target(*context);
    target.addLegalDialect<LLVM::LLVMDialect, ROCDL::ROCDLDialect>();
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
