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
#include "vmgpu/Conversion/Passes.h"

#include <functional>
#include <string>

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
  PassOptions::Option<std::string> contractionStrategy{
      *this, "contraction-strategy",
      llvm::cl::desc("f32/f64 matmuls and batch_matmuls: generated tiles, "
                     "BLAS calls (library), or the BLAS above a size (auto)"),
      llvm::cl::init("generated")};
  PassOptions::Option<int64_t> minParallelWork{
      *this, "min-parallel-work",
      llvm::cl::desc("Parallel loops executing at most this many operations "
                     "run on the calling thread (vm-cpu-serialize-small-loops; "
                     "0 keeps them all parallel)"),
      llvm::cl::init(262144)};
};

/// The NVIDIA architecture compiled for when none is named (`vm-to-nvvm`,
/// vm-gpu-compile, scripts/device): the H100's, spelled as the engine spells
/// the architecture it reads from a device (compute capability 9.0).
inline constexpr llvm::StringLiteral kDefaultCudaChip = "sm_90";

/// The PTX features `chip` is compiled with when `ptx-features` is empty:
/// the PTX ISA version LLVM 22's NVPTX backend requires for `chip`, raised
/// to at least +ptx80 (PTX ISA 8.0, CUDA 12.0: what every H100 run used).
/// For example sm_80 and sm_90 -> +ptx80, sm_100 -> +ptx86, sm_120 -> +ptx87,
/// sm_100f and sm_103 -> +ptx88, sm_110 -> +ptx90. An unknown chip gets
/// +ptx80 (LLVM then rejects the chip itself).
std::string getDefaultPtxFeatures(llvm::StringRef chip);

/// The options every GPU pipeline has, declared once: `chip`, `opt-level`,
/// `fast-math` and `format`. Each target names its chips and formats (their
/// descriptions and defaults) through the constructor.
template <typename Derived>
struct GpuPipelineOptions : mlir::PassPipelineOptions<Derived> {
  template <typename DataType>
  using Option = mlir::detail::PassOptions::Option<DataType>;

  Option<std::string> chip;
  Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("Optimization level of the device code (0-3)"),
      llvm::cl::init(3)};
  Option<bool> fastMath{
      *this, "fast-math",
      llvm::cl::desc("Allow approximate math and contraction (breaks the "
                     "bit-exactness guarantees of the vm contract)"),
      llvm::cl::init(false)};
  Option<std::string> format;

protected:
  /// The descriptions must outlive the options (string literals): cl::desc
  /// keeps only a reference.
  GpuPipelineOptions(const char *chipDescription, llvm::StringRef defaultChip,
                     const char *formatDescription,
                     llvm::StringRef defaultFormat)
      : chip(*this, "chip", llvm::cl::desc(chipDescription),
             llvm::cl::init(defaultChip.str())),
        format(*this, "format", llvm::cl::desc(formatDescription),
               llvm::cl::init(defaultFormat.str())) {}
};

/// Options of `vm-to-nvvm`.
struct NVVMPipelineOptions : GpuPipelineOptions<NVVMPipelineOptions> {
  NVVMPipelineOptions()
      : GpuPipelineOptions("GPU architecture (sm_90 on the H100)",
                           kDefaultCudaChip,
                           "What gpu.binary holds: ptx (isa), cubin (bin) or "
                           "fatbin",
                           "cubin") {}

  PassOptions::Option<std::string> ptxFeatures{
      *this, "ptx-features",
      llvm::cl::desc("PTX features; empty: the PTX ISA version the chip "
                     "needs, at least +ptx80 (getDefaultPtxFeatures)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit (ptxas, libdevice); empty: "
                     "$VMGPU_CUDA_PATH, then the one found at build time"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> contractionStrategy{
      *this, "contraction-strategy",
      llvm::cl::desc("Contractions (matmul, batch_matmul): generated "
                     "kernels, cuBLASLt calls (library), or the library "
                     "above a size (auto)"),
      llvm::cl::init("generated")};
  PassOptions::Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("f16/bf16/i8 contractions on tensor cores (mma.sync, "
                     "sm_80 and later); false keeps them on tiled_simt"),
      llvm::cl::init(true)};
};

/// Options of `vm-to-rocdl`.
struct ROCDLPipelineOptions : GpuPipelineOptions<ROCDLPipelineOptions> {
  ROCDLPipelineOptions()
      : GpuPipelineOptions(
            "AMD GPU architecture (gfx90a, gfx942, gfx1100, ...)", "gfx942",
            "What gpu.binary holds: hsaco (bin) or isa (AMDGPU assembly text)",
            "hsaco") {}

  PassOptions::Option<std::string> abi{
      *this, "abi",
      llvm::cl::desc("AMDHSA code object version (500 loads in ROCm 5.x "
                     "and later runtimes)"),
      llvm::cl::init("500")};
  PassOptions::Option<std::string> rocmPath{
      *this, "rocm-path",
      llvm::cl::desc("ROCm directory (llvm/bin/ld.lld, amdgcn/bitcode); "
                     "empty: $VMGPU_ROCM_PATH, then the one the build set "
                     "up"),
      llvm::cl::init("")};
};

/// What a GPU target adds to the shared GPU strategy.
struct GpuTargetLowering {
  /// The chip (sm_90a, gfx942, ...): code generation reads its description
  /// (vm-gpu-select-lowering-config).
  std::string chip;
  /// generated, library or auto (vm-gpu-select-lowering-config's
  /// `contraction-strategy`); targets without a GEMM library call keep
  /// `generated`.
  std::string contractionStrategy = "generated";
  /// f16/bf16/i8 contractions on tensor cores where the chip has them
  /// (vm-gpu-select-lowering-config's `tensor-cores`).
  bool tensorCores = true;
  /// Attaches the target to every gpu.module and lowers the device code to
  /// the target's LLVM dialect (run after the kernels are outlined).
  std::function<void(mlir::OpPassManager &)> lowerDeviceCode;
  /// gpu-module-to-binary's toolkit (CUDA toolkit, ROCm directory).
  std::string toolkitPath;
  /// gpu-module-to-binary's format: isa, bin, fatbin.
  std::string binaryFormat;
};

/// vm -> linalg on tensors -> fused -> buffers (the phases shared by every
/// target). With `deviceConstants`, constants are read through buffers the
/// block allocates (GPU kernels cannot read the host binary's globals).
/// `vmToLinalg` holds the target's choices in vm-to-linalg (how sorts and
/// scatters spread their work). `beforeBufferization`, when set, adds a
/// target's passes on fused linalg tensors (the CPU strategies tile and
/// vectorize there).
void buildVmToBufferizedLinalgPassPipeline(
    mlir::OpPassManager &pm, bool deviceConstants,
    const ConvertVmToLinalgOptions &vmToLinalg,
    llvm::function_ref<void(mlir::OpPassManager &)> beforeBufferization =
        nullptr);

/// Host code (scf, memref, arith, math, func on the host) -> LLVM. With
/// `deviceAllocations`, memref.alloc and memref.dealloc call the generic
/// `_mlir_memref_to_llvm_alloc` / `_free` instead of malloc and free: the
/// runtime's device memory in GPU host code; CPU blocks then redirect them
/// to the runtime's CPU allocator (vm-cpu-allocation-hooks).
void buildHostToLLVMPassPipeline(mlir::OpPassManager &pm, bool openmp,
                                 bool deviceAllocations);

/// The GPU strategy of every GPU target: vm -> bufferized linalg -> each
/// linalg op classified and configured for `target.chip`
/// (lib/Codegen), lowered by its class's strategy, or else into one kernel
/// (1-D grid, one thread per parallel iteration) per outermost parallel loop
/// nest; kernels outlined into gpu.modules; `target` lowers the device
/// code; then host code -> LLVM and every gpu.module -> gpu.binary.
void buildVmToGpuPassPipeline(mlir::OpPassManager &pm,
                              const GpuTargetLowering &target);

/// vm -> kernels in a gpu.binary (PTX, cubin or fatbin) + host code in the
/// LLVM dialect that launches them through the runtime's mgpu* functions.
void buildVmToNVVMPassPipeline(mlir::OpPassManager &pm,
                               const NVVMPipelineOptions &options);

/// vm -> AMD kernels in a gpu.binary (HSACO or assembly) + host code in the
/// LLVM dialect that launches them through the runtime's mgpu* functions.
void buildVmToROCDLPassPipeline(mlir::OpPassManager &pm,
                                const ROCDLPipelineOptions &options);

/// The ROCm directory `options` names: the option, else $VMGPU_ROCM_PATH,
/// else the one the build set up (empty when there is none).
std::string getROCmPath(const ROCDLPipelineOptions &options);

/// vm -> LLVM dialect for the host CPU: the phases above, then loops
/// (parallel loops through OpenMP when `parallel`), then LLVM.
void buildVmToCpuPassPipeline(mlir::OpPassManager &pm,
                              const CpuPipelineOptions &options);

/// Registers every named vmgpu pipeline with the global pipeline registry,
/// and the code generation passes (vm-gpu-*) they are made of.
void registerVmgpuPipelines();

} // namespace vmgpu

#endif // VMGPU_PIPELINES_PIPELINES_H
