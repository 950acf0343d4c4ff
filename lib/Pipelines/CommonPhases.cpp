//===- CommonPhases.cpp - phases shared by every target pipeline ----------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToBufferizedLinalgPassPipeline(
    OpPassManager &pm, bool deviceConstants,
    const ConvertVmToLinalgOptions &vmToLinalg,
    llvm::function_ref<void(OpPassManager &)> beforeBufferization) {
  // Phase 1: vm -> linalg on tensors, elementwise chains fused into one op.
  pm.addPass(createConvertVmToLinalg(vmToLinalg));
  pm.addPass(createOutlineShapeChecks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFuseElementwise());
  pm.addPass(createCSEPass());
  if (beforeBufferization)
    beforeBufferization(pm);

  // Phase 2: tensors -> buffers. Function boundaries get identity layouts
  // so that the entry point takes plain strided descriptors.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
  // Temporaries are freed inside the block; returned buffers belong to the
  // caller (a returned argument or constant is cloned, so the caller may
  // always free what it gets).
  bufferization::buildBufferDeallocationPipeline(pm);
  // The clones that deallocation inserted become alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // Every buffer now exists: the runtime asks the block how much memory a
  // run needs before it runs it (RESOURCE_EXHAUSTED instead of a failed
  // allocation the kernels would write through).
  pm.addPass(createOutlineMemoryBound());
  // Kernels read constants through device copies the runtime uploads once
  // per loaded block (after deallocation: the block does not own them).
  if (deviceConstants)
    pm.addPass(createDeviceConstants());
}

void vmgpu::buildHostToLLVMPassPipeline(OpPassManager &pm, bool openmp,
                                        bool deviceAllocations) {
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Allocations first: gpu-to-llvm would otherwise lower them to malloc.
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = deviceAllocations;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  // LLVM intrinsics first; what has none (erf, tanh) calls libm. In that
  // order, libm declarations are needed only for those, so a block's own
  // functions named like libm's (fma, exp) do not clash with them.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // bf16 conversions as integer arithmetic, before anything lowers arith to
  // LLVM: the backend's bfloat conversions flush denormals on x86.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  // gpu-to-llvm also lowers arith (and launches and binaries).
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  if (openmp)
    pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}
