//===- VmToCpu.cpp - the vm-to-cpu pipeline -------------------------------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToCpuPassPipeline(OpPassManager &pm,
                                     const CpuPipelineOptions &options) {
  pm.addPass(createExposeEntryPoints());
  buildVmToBufferizedLinalgPassPipeline(pm, /*deviceConstants=*/false);

  // Phase 3: loops. Parallel dims become OpenMP work-sharing loops;
  // reduction dims stay sequential, so float results do not depend on the
  // number of threads.
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  if (options.parallel) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // Folds the memref.alloca_scope that wraps each loop body: scf-to-cf
    // would split it into several blocks, which alloca_scope rejects.
    pm.addPass(createCanonicalizerPass());
  }
  // Generic allocation functions, then redirected to the runtime's
  // allocator: a failed allocation ends the run instead of returning null.
  buildHostToLLVMPassPipeline(pm, options.parallel,
                              /*deviceAllocations=*/true);
  pm.addPass(createCpuAllocationHooks());
}

void vmgpu::registerVmgpuPipelines() {
  // The code generation passes are registered with the pipelines made of
  // them, so that every tool that offers the pipelines offers the passes.
  registerVmgpuCodegenPasses();
  PassPipelineRegistration<CpuPipelineOptions>(
      "vm-to-cpu",
      "Lower vm to the LLVM dialect for the host CPU (multi-threaded with "
      "OpenMP)",
      buildVmToCpuPassPipeline);
  PassPipelineRegistration<NVVMPipelineOptions>(
      "vm-to-nvvm",
      "Lower vm to NVIDIA kernels (PTX/cubin in a gpu.binary) and host code "
      "that launches them",
      buildVmToNVVMPassPipeline);
  PassPipelineRegistration<ROCDLPipelineOptions>(
      "vm-to-rocdl",
      "Lower vm to AMD kernels (HSACO in a gpu.binary) and host code that "
      "launches them",
      buildVmToROCDLPassPipeline);
}
