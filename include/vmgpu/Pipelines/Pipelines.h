//===- Pipelines.h - vmgpu's named pass pipelines ---------------*- C++ -*-===//
//
// Each target's pipeline is an options struct plus a builder function, and
// is registered under its name for vm-gpu-opt (`--vm-to-cpu="..."`).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_PIPELINES_PIPELINES_H
#define VMGPU_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace vmgpu {

/// Options of `vm-to-cpu`.
struct CpuPipelineOptions : mlir::PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run parallel loops on all cores through OpenMP"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level (0-3) of the generated code"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> fastMath{
      *this, "fast-math",
      llvm::cl::desc("Allow reassociation and contraction (breaks the "
                     "bit-exactness guarantees of the vm contract)"),
      llvm::cl::init(false)};
};

/// vm -> linalg on tensors -> fused -> buffers (the phases shared by every
/// target).
void buildVmToBufferizedLinalgPassPipeline(mlir::OpPassManager &pm);

/// vm -> LLVM dialect for the host CPU: the phases above, then loops
/// (parallel loops through OpenMP when `parallel`), then LLVM.
void buildVmToCpuPassPipeline(mlir::OpPassManager &pm,
                              const CpuPipelineOptions &options);

/// Registers every named vmgpu pipeline with the global pipeline registry.
void registerVmgpuPipelines();

} // namespace vmgpu

#endif // VMGPU_PIPELINES_PIPELINES_H
