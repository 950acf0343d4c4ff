//===- CommonPhases.cpp - phases shared by every target pipeline ----------===//

#include "vmgpu/Pipelines/Pipelines.h"

#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Transforms/Passes.h"

using namespace mlir;

void vmgpu::buildVmToBufferizedLinalgPassPipeline(OpPassManager &pm) {
  // Phase 1: vm -> linalg on tensors, elementwise chains fused into one op.
  pm.addPass(createConvertVmToLinalg());
  pm.addPass(createOutlineShapeChecks());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCSEPass());

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
}
