//===- Compiler.h - vm module in, artifact out ------------------*- C++ -*-===//
//
// The library entry point a JIT calls: takes a verified module holding vm
// functions and produces a runtime Artifact for one of them.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_COMPILER_COMPILER_H
#define VMGPU_COMPILER_COMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "vmgpu/Codegen/ContractionStrategy.h"
#include "vmgpu/Compiler/CompileDeadline.h"
#include "vmgpu/runtime/Artifact.h"

#include <functional>

namespace vmgpu {

struct CompileOptions {
  /// LLVM optimization level of the generated code, 0-3.
  unsigned optLevel = 3;
  /// CPU: run parallel loops on all cores (OpenMP).
  bool parallel = true;
  /// CUDA: embed PTX, which the driver compiles when the block loads
  /// (`mgpuModuleLoadJIT`), instead of cubin from ptxas. PTX runs on GPUs
  /// newer than `chip`; cubin needs no compile at load time.
  bool cudaPtx = false;
  /// Matmuls and batch_matmuls as generated kernels or tiles, as library
  /// calls (`library`: cuBLASLt on CUDA, the BLAS for f32/f64 on the CPU),
  /// or as library calls above a size (`auto`); see docs/gpu-path.md and
  /// docs/cpu-path.md. ROCm always generates them. Part of what is compiled
  /// (cache keys include it: a library call and a kernel may round
  /// differently).
  ContractionStrategy contractionStrategy = ContractionStrategy::Generated;
  /// CUDA: f16/bf16/i8 contractions on tensor cores (mma.sync) where the
  /// chip has them (docs/gpu-path.md, "Tensor cores"); false keeps them on
  /// tiled_simt. Part of what is compiled.
  bool tensorCores = true;
  /// GPU targets: called once per kernel module with the gpu.binary's name
  /// and its device object (cubin, HSACO), e.g. to write them out for
  /// inspection. Not part of what is compiled.
  std::function<void(llvm::StringRef module, llvm::StringRef object)>
      kernelObjectSink;
  /// When set, the compile stops at the first pass due after this time and
  /// fails with a located error ("ran past its deadline"). Not part of what
  /// is compiled (cache keys leave it out).
  std::optional<CompileClock::time_point> deadline;
};

/// Registers every dialect, interface and translation the compiler uses.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Reads the signature of `function` in runtime terms; fails (with a
/// diagnostic) on argument or result types the runtime cannot pass.
mlir::FailureOr<runtime::FunctionSignature>
getFunctionSignature(mlir::Operation *function);

/// Compiles function `entry` of `module` for an NVIDIA GPU of architecture
/// `chip` (e.g. "sm_90"): kernels as cubin inside host code that launches
/// them (target "cuda").
mlir::FailureOr<runtime::Artifact> compileForCuda(mlir::ModuleOp module,
                                                  llvm::StringRef entry,
                                                  llvm::StringRef chip,
                                                  const CompileOptions &options);

/// Compiles function `entry` of `module` for an AMD GPU of architecture
/// `chip` (e.g. "gfx942"): kernels as HSACO inside host code that launches
/// them (target "rocm"). Fails with a diagnostic naming the missing file when
/// the ROCm directory (ld.lld, device libraries) is incomplete, and on chips
/// LLVM does not know.
mlir::FailureOr<runtime::Artifact> compileForRocm(mlir::ModuleOp module,
                                                  llvm::StringRef entry,
                                                  llvm::StringRef chip,
                                                  const CompileOptions &options);

/// Compiles function `entry` of `module` for the host CPU. `module` is not
/// modified. Diagnostics go to the context's handlers.
mlir::FailureOr<runtime::Artifact> compileForCpu(mlir::ModuleOp module,
                                                 llvm::StringRef entry,
                                                 const CompileOptions &options);

} // namespace vmgpu

#endif // VMGPU_COMPILER_COMPILER_H
