//===- GpuPhases.cpp - the GPU strategy every GPU pipeline shares ---------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Codegen/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToGpuPassPipeline(OpPassManager &pm,
                                     const GpuTargetLowering &target) {
  pm.addPass(createExposeEntryPoints());
  // A softmax stays one op, for its one-kernel strategy.
  pm.addNestedPass<func::FuncOp>(createGpuSoftmaxToLinalg());
  // Rows of up to 4096 elements sort in one workgroup each: linalg has no
  // sort, so the choice is made on the vm op (vmgpu_codegen.sort_rows).
  pm.addNestedPass<func::FuncOp>(createGpuSortInWorkgroups());
  // Convolutions become im2col copies and matmuls for the contraction
  // strategies.
  // Sorts and sorted scatters: merge passes over every element for any
  // number of lanes from 64 elements on (one thread walking a whole lane
  // leaves most of a GPU idle and reads its lane uncoalesced).
  ConvertVmToLinalgOptions vmToLinalg;
  vmToLinalg.mergeSortMinLength = 64;
  vmToLinalg.mergeSortMaxLanes = 0;
  buildVmToBufferizedLinalgPassPipeline(
      pm, /*deviceConstants=*/true, vmToLinalg, [](OpPassManager &tensorPm) {
        tensorPm.addNestedPass<func::FuncOp>(
            createGpuConvolutionsToContractions());
      });

  // Phase 3: loops -> kernels. All block work runs in kernels; host code
  // only allocates, copies constants and launches (checked).
  pm.addPass(createCopiesToLinalg());
  // Code generation by op class (lib/Codegen): every op gets a
  // configuration; the strategies lower the ops they own, and what is left
  // takes the one-thread-per-element path below.
  GpuSelectLoweringConfigOptions select;
  select.chip = target.chip;
  select.contractionStrategy = target.contractionStrategy;
  select.tensorCores = target.tensorCores;
  pm.addNestedPass<func::FuncOp>(createGpuSelectLoweringConfig(select));
  pm.addPass(createGpuLowerContractionsToLibrary());
  // Before the elementwise strategy: they fold the fill of their output,
  // or (contractions, softmax) take the elementwise op after them as their
  // epilogue.
  pm.addNestedPass<func::FuncOp>(createGpuLowerContractionsMmaSync());
  pm.addNestedPass<func::FuncOp>(createGpuLowerContractions());
  pm.addNestedPass<func::FuncOp>(createGpuLowerRowReductions());
  pm.addNestedPass<func::FuncOp>(createGpuLowerSoftmax());
  pm.addNestedPass<func::FuncOp>(createGpuLowerElementwise());
  pm.addNestedPass<func::FuncOp>(createGpuLowerRowScans());
  pm.addNestedPass<func::FuncOp>(createGpuLowerFullReductions());
  pm.addNestedPass<func::FuncOp>(createGpuLowerColumnReductions());
  GpuLowerSortRowsOptions sortRows;
  sortRows.chip = target.chip;
  pm.addNestedPass<func::FuncOp>(createGpuLowerSortRows(sortRows));
  pm.addNestedPass<func::FuncOp>(createSplitFullReductions());
  // The reductions' partials join the memory bound.
  pm.addPass(createCountLateAllocations());
  pm.addNestedPass<func::FuncOp>(createParallelDimsOutermost());
  // The lane loops of vm.scatter, vm.sort and vm.topk (one sequential pass
  // per lane) become one thread per lane.
  pm.addPass(createForallToParallelLoopPass());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createParallelLoopsToGpu());
  pm.addNestedPass<func::FuncOp>(createSequentialWorkToGpu());
  // Constants the greedy rewriters hoisted out of the launches go back in,
  // so kernels see them as immediates (shuffle offsets, vector widths), not
  // as parameters.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createGpuAlignWorkgroupMemory());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createVerifyHostCode());
  // One stream per block run: launches and copies are queued on it and
  // waited for once, not synchronized one by one.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());

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
