//===- Engine.h - compile through the cache, run with fallback --*- C++ -*-===//
//
// The facade a JIT talks to: hand it vm IR, get a compiled block back, run
// it on host tensors. The engine picks the device, falls back to the CPU
// when the GPU is missing or fails, and counts everything in its metrics.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_ENGINE_ENGINE_H
#define VMGPU_ENGINE_ENGINE_H

#include "vmgpu/Compiler/Compiler.h"
#include "vmgpu/runtime/NativeExecutable.h"
#include "vmgpu/runtime/Metrics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace vmgpu {

/// Where a block should run: `cpu`, `cuda[:N]`, `rocm[:N]` or `auto`.
struct DeviceSelection {
  enum class Kind { Cpu, Cuda, Rocm, Auto };
  Kind kind = Kind::Auto;
  int ordinal = 0;

  /// Parses the spelling above; InvalidArgument otherwise.
  static runtime::StatusOr<DeviceSelection> parse(llvm::StringRef text);
  std::string toString() const;
};

struct EngineOptions {
  /// The device. When unset: `VMGPU_DEVICE` if set, else `auto`. An
  /// explicit choice here (the API, `vm-gpu-run --device`) wins over the
  /// environment.
  std::optional<DeviceSelection> device;
  /// Run on the CPU when the selected GPU is missing, refuses or fails.
  bool allowFallback = true;
  CompileOptions compile;
};

/// A compiled block, ready to run. Immutable after compile(); shared between
/// threads through std::shared_ptr.
struct CompiledBlock {
  /// The CPU build: the fallback, and the target of `cpu` selections.
  runtime::Artifact cpuArtifact;
  std::unique_ptr<runtime::NativeExecutable> cpu;
  /// The GPU build when a GPU was selected (or `auto` found one) and it
  /// compiled and loaded; null otherwise.
  runtime::Artifact gpuArtifact;
  std::unique_ptr<runtime::NativeExecutable> gpu;
  int gpuOrdinal = 0;
  /// With `auto`: run on the GPU only from this many input bytes up.
  uint64_t gpuMinInputBytes = 0;
  /// Why the block does not run on the selected GPU (empty when it does or
  /// when the CPU was selected).
  std::string fallbackReason;
};

/// Ownership: owns its MLIR context, the compiled blocks' executables (via
/// the shared pointers it returns) and its metrics.
/// Thread-safety: compile() and run() may be called from several threads.
class Engine {
public:
  explicit Engine(EngineOptions options = {});
  ~Engine();

  /// Parses and verifies `source`, then compiles function `entry`. Errors
  /// are printed to `diagnostics` as `file:line:col: error: ...` and give an
  /// InvalidArgument status.
  runtime::StatusOr<std::shared_ptr<const CompiledBlock>>
  compile(std::unique_ptr<llvm::MemoryBuffer> source, llvm::StringRef entry,
          llvm::raw_ostream &diagnostics);

  /// Runs `block` on `inputs` (only read) and returns its results.
  runtime::StatusOr<std::vector<runtime::HostTensor>>
  run(const CompiledBlock &block,
      const std::vector<const runtime::HostTensor *> &inputs);

  const runtime::Metrics &metrics() const { return metrics_; }
  const EngineOptions &options() const { return options_; }
  /// The device this engine targets (options, environment or `auto`).
  const DeviceSelection &device() const { return device_; }

private:
  EngineOptions options_;
  DeviceSelection device_;
  /// Set when VMGPU_DEVICE is malformed: every compile reports it.
  std::string deviceError_;
  std::unique_ptr<mlir::MLIRContext> context_;
  /// MLIR contexts are not safe for concurrent compiles of new IR.
  std::mutex compileMutex_;
  runtime::Metrics metrics_;

  /// Compiles and loads the GPU build into `block`, or says why not.
  std::string prepareGpu(mlir::ModuleOp module, llvm::StringRef entry,
                         CompiledBlock &block);
  runtime::StatusOr<std::vector<runtime::HostTensor>>
  runOnGpu(const CompiledBlock &block,
           const std::vector<const runtime::HostTensor *> &inputs);
};

} // namespace vmgpu

#endif // VMGPU_ENGINE_ENGINE_H
