//===- VmToNVVM.cpp - the vm-to-nvvm pipeline -----------------------------===//

#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/runtime/Environment.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cstdlib>

#ifndef VMGPU_CUDA_TOOLKIT_PATH
#define VMGPU_CUDA_TOOLKIT_PATH ""
#endif

using namespace mlir;

/// The toolkit holds ptxas and libdevice: the option, else $VMGPU_CUDA_PATH,
/// else the one found at build time.
static std::string cudaToolkit(const vmgpu::NVVMPipelineOptions &options) {
  if (!options.toolkit.empty())
    return options.toolkit;
  if (std::optional<std::string> path = vmgpu::runtime::environmentValue(
          vmgpu::runtime::EnvironmentVariable::CudaPath))
    return *path;
  return VMGPU_CUDA_TOOLKIT_PATH;
}

/// gpu-module-to-binary's names for the formats.
static std::string binaryFormat(llvm::StringRef format) {
  if (format == "ptx")
    return "isa";
  if (format == "cubin")
    return "bin";
  return format.str();
}

std::string vmgpu::getDefaultPtxFeatures(llvm::StringRef chip) {
  // The minimum PTX ISA version of each processor in LLVM 22's NVPTX.td
  // (`llc -mtriple=nvptx64-nvidia-cuda -mcpu=<chip>` prints it as .version);
  // every chip not listed needs less than 8.0.
  unsigned required =
      llvm::StringSwitch<unsigned>(chip)
          .Case("sm_90a", 80)
          .Cases({"sm_100", "sm_100a", "sm_101", "sm_101a"}, 86)
          .Cases({"sm_120", "sm_120a"}, 87)
          .Cases({"sm_100f", "sm_101f", "sm_103", "sm_103a", "sm_103f",
                  "sm_120f", "sm_121", "sm_121a", "sm_121f"},
                 88)
          .Cases({"sm_88", "sm_110", "sm_110a", "sm_110f"}, 90)
          .Default(0);
  return "+ptx" + std::to_string(std::max(required, 80u));
}

void vmgpu::buildVmToNVVMPassPipeline(OpPassManager &pm,
                                      const NVVMPipelineOptions &options) {
  GpuTargetLowering target;
  target.chip = options.chip;
  target.contractionStrategy = options.contractionStrategy;
  target.tensorCores = options.tensorCores;
  // Denormals are kept (no ftz) and nothing is contracted unless fast-math
  // is asked for.
  target.lowerDeviceCode = [&options](OpPassManager &pm) {
    GpuNVVMAttachTargetOptions attach;
    attach.chip = options.chip;
    attach.features = options.ptxFeatures.empty()
                          ? getDefaultPtxFeatures(options.chip)
                          : std::string(options.ptxFeatures);
    attach.optLevel = options.optLevel;
    attach.fastFlag = options.fastMath;
    pm.addPass(createGpuNVVMAttachTarget(attach));
    OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
    if (!options.fastMath)
      device.addPass(createCorrectlyRoundedSqrt());
    // The tensor-core strategy's nvgpu ops (ldmatrix, cp.async) first.
    device.addPass(createConvertNVGPUToNVVMPass());
    device.addPass(createConvertGpuOpsToNVVMOps());
    device.addPass(createCanonicalizerPass());
  };
  // PTX from LLVM's NVPTX backend; cubin via ptxas.
  target.toolkitPath = cudaToolkit(options);
  target.binaryFormat = binaryFormat(options.format);
  buildVmToGpuPassPipeline(pm, target);
}
