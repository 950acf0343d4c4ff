//===- VmToNVVM.cpp - the vm-to-nvvm pipeline -----------------------------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Transforms/Passes.h"

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
  if (const char *path = std::getenv("VMGPU_CUDA_PATH"))
    return path;
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

void vmgpu::buildVmToNVVMPassPipeline(OpPassManager &pm,
                                      const NVVMPipelineOptions &options) {
  pm.addPass(createExposeEntryPoints());
  buildVmToBufferizedLinalgPassPipeline(pm, /*deviceConstants=*/true);

  // Phase 3: loops -> kernels. Every outermost parallel loop nest becomes a
  // 1-D grid; reduction dims stay sequential inside each thread.
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createParallelLoopsToGpu());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createCanonicalizerPass());

  // Phase 4: device code -> NVVM. Denormals are kept (no ftz) and nothing
  // is contracted unless fast-math is asked for.
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.ptxFeatures;
  target.optLevel = options.optLevel;
  target.fastFlag = options.fastMath;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  if (!options.fastMath)
    device.addPass(createCorrectlyRoundedSqrt());
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createCanonicalizerPass());

  // Phase 5: host code -> LLVM; buffers live where both sides reach them.
  buildHostToLLVMPassPipeline(pm, /*openmp=*/false, /*deviceAllocations=*/true);

  // Phase 6: serialize (PTX from LLVM's NVPTX backend; cubin via ptxas).
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = cudaToolkit(options);
  binary.compilationTarget = binaryFormat(options.format);
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
