//===- VmToCpu.cpp - the vm-to-cpu pipeline -------------------------------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToCpuPassPipeline(OpPassManager &pm,
                                     const CpuPipelineOptions &options) {
  pm.addPass(createExposeEntryPoints());
  // A softmax stays one op, for its row strategy.
  pm.addNestedPass<func::FuncOp>(createGpuSoftmaxToLinalg());
  // The CPU strategies work on fused linalg tensors: contractions are tiled
  // (cache tiles as an scf.forall over threads), vectorized to FMA, and
  // bufferize with everything else.
  CpuTileContractionsOptions tiling;
  tiling.contractionStrategy = options.contractionStrategy;
  buildVmToBufferizedLinalgPassPipeline(
      pm, /*deviceConstants=*/false, ConvertVmToLinalgOptions(),
      [&](OpPassManager &tensorPm) {
        tensorPm.addNestedPass<func::FuncOp>(createCpuTileContractions(tiling));
        tensorPm.addPass(createCanonicalizerPass());
        tensorPm.addPass(createCSEPass());
      });

  // The contractions the tiling step gave to the BLAS: a plan call and a
  // forall of tile calls each.
  pm.addPass(createCpuLowerContractionsToLibrary());
  // Reductions on buffers: vectorized, threaded over a fixed partition.
  pm.addNestedPass<func::FuncOp>(createCpuLowerReductions());
  pm.addNestedPass<func::FuncOp>(createCpuLowerSoftmax());
  // The reductions' partials join the memory bound.
  pm.addPass(createCountLateAllocations());

  // Vector transfers of the strategies: reads and writes of subviews
  // become reads and writes of the base buffers, n-D ones unrolled to 1-D.
  pm.addPass(memref::createFoldMemRefAliasOpsPass());
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll().setTargetRank(1)));

  // Phase 3: loops. Parallel dims become OpenMP work-sharing loops;
  // reduction dims stay sequential, so float results do not depend on the
  // number of threads. The strategies' foralls (one iteration per tile,
  // each computed whole by one thread) join them.
  pm.addPass(createCopiesToLinalg());
  pm.addPass(createForallToParallelLoopPass());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  if (options.parallel) {
    // Loops too small to pay for waking the threads stay on this one.
    CpuSerializeSmallLoopsOptions serialize;
    serialize.minParallelWork = options.minParallelWork;
    pm.addNestedPass<func::FuncOp>(createCpuSerializeSmallLoops(serialize));
    // Collapsed OpenMP loop nests would not vectorize their innermost dim.
    pm.addNestedPass<func::FuncOp>(createCpuSequentialInnerDims());
  }
  // Parallel loops of no or one iteration (a strategy's combining step when
  // the sizes leave nothing to combine, an innermost dim of one chunk)
  // become nothing or their body: each would otherwise start and join the
  // OpenMP threads for nothing.
  pm.addPass(createCanonicalizerPass());
  if (options.parallel) {
    pm.addPass(createConvertSCFToOpenMPPass());
    // Folds the memref.alloca_scope that wraps each loop body: scf-to-cf
    // would split it into several blocks, which alloca_scope rejects.
    pm.addPass(createCanonicalizerPass());
    // Loops whose size only the run knows: threads only for large ones.
    CpuGuardSmallParallelRegionsOptions guard;
    guard.minParallelWork = options.minParallelWork;
    pm.addNestedPass<func::FuncOp>(createCpuGuardSmallParallelRegions(guard));
  }
  // The paired integer contraction's multiply-adds as intrinsic calls, now
  // that buffer deallocation (which refuses them) is done.
  pm.addNestedPass<func::FuncOp>(createCpuLowerPairMultiplyAdd());
  // Vectors -> LLVM before the host phase (which knows no vector ops);
  // arith and memref stay for it. FP reductions keep their order.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
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
