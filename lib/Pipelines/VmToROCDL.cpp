//===- VmToROCDL.cpp - the vm-to-rocdl pipeline ---------------------------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "vmgpu/Codegen/Passes.h"
#include "vmgpu/runtime/Environment.h"

#include "mlir/Conversion/GPUToROCDL/GPUToROCDLPass.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

#ifndef VMGPU_ROCM_PATH
#define VMGPU_ROCM_PATH ""
#endif

using namespace mlir;

std::string vmgpu::getROCmPath(const ROCDLPipelineOptions &options) {
  if (!options.rocmPath.empty())
    return options.rocmPath;
  if (std::optional<std::string> path = vmgpu::runtime::environmentValue(
          vmgpu::runtime::EnvironmentVariable::RocmPath))
    return *path;
  return VMGPU_ROCM_PATH;
}

/// gpu-module-to-binary's names for the formats.
static std::string binaryFormat(llvm::StringRef format) {
  if (format == "hsaco")
    return "bin";
  return format.str();
}

void vmgpu::buildVmToROCDLPassPipeline(OpPassManager &pm,
                                       const ROCDLPipelineOptions &options) {
  GpuTargetLowering target;
  target.chip = options.chip;
  // Denormals are kept (no daz), f32 sqrt and division stay correctly
  // rounded and nothing is contracted unless fast-math is asked for: LLVM's
  // AMDGPU backend expands llvm.sqrt.f32 and fdiv without `afn`/`arcp` into
  // IEEE sequences, and fuses fmul + fadd only with `contract`.
  target.lowerDeviceCode = [&options](OpPassManager &pm) {
    GpuROCDLAttachTargetOptions attach;
    attach.chip = options.chip;
    attach.abiVersion = options.abi;
    attach.optLevel = options.optLevel;
    // gfx9 (CDNA, Vega) runs 64-wide wavefronts only; gfx10 and later
    // default to 32, which the device libraries must be told.
    attach.wave64Flag = llvm::StringRef(options.chip).starts_with("gfx9");
    attach.fastFlag = options.fastMath;
    attach.correctSqrtFlag = !options.fastMath;
    pm.addPass(createGpuROCDLAttachTarget(attach));
    ConvertGpuOpsToROCDLOpsOptions lower;
    lower.chipset = options.chip;
    lower.runtime = gpu::amd::Runtime::HIP;
    OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
    // Transcendental math to OCML calls first: convert-gpu-to-rocdl would
    // leave some as intrinsics the AMDGPU backend cannot select.
    vmgpu::GpuMathToOcmlOptions math;
    math.chipset = options.chip;
    device.addPass(vmgpu::createGpuMathToOcml(math));
    device.addPass(createConvertGpuOpsToROCDLOps(lower));
    device.addPass(createCanonicalizerPass());
  };
  // gpu-module-to-binary links the device libraries from
  // <rocm>/amdgcn/bitcode and runs <rocm>/llvm/bin/ld.lld for HSACO.
  target.toolkitPath = getROCmPath(options);
  target.binaryFormat = binaryFormat(options.format);
  buildVmToGpuPassPipeline(pm, target);
}
