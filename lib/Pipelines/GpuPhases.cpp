//===- GpuPhases.cpp - the GPU strategy every GPU pipeline shares ---------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToGpuPassPipeline(OpPassManager &pm,
                                     const GpuTargetLowering &target) {
  pm.addPass(createExposeEntryPoints());
  buildVmToBufferizedLinalgPassPipeline(pm, /*deviceConstants=*/true);

  // Phase 3: loops -> kernels. Every outermost parallel loop nest becomes a
  // 1-D grid; reduction dims stay sequential inside each thread.
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createParallelLoopsToGpu());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createCanonicalizerPass());

  // Phase 4: the target's own part: attach the target to every gpu.module
  // and lower the device code to its LLVM dialect flavour.
  target.lowerDeviceCode(pm);

  // Phase 5: host code -> LLVM; buffers live where both sides reach them.
  buildHostToLLVMPassPipeline(pm, /*openmp=*/false, /*deviceAllocations=*/true);

  // Phase 6: serialize each gpu.module into a gpu.binary.
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = target.toolkitPath;
  binary.compilationTarget = target.binaryFormat;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
